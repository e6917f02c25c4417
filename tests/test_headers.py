"""Both frameworks of a pair send the same security headers on every page, errors included:
the reader comparing the two files should find no difference there that the frameworks do
not make."""

import pytest
from helpers import security_headers
from pages import Browser, every_page


@pytest.mark.parametrize("https_only", [None, "1"], ids=["http", "https-only"])
@pytest.mark.parametrize("app", ["hello", "site", "todo"])
def test_both_frameworks_send_the_same_security_headers(serve, app, https_only, tmp_path):
    sent = {}
    for framework in ["flask", "django"]:
        env = {"DEBUG": "0", "HTTPS_ONLY": https_only, "TODO_DB": str(tmp_path / framework)}
        with serve(f"{app}_{framework}.py", env=env) as server:
            user = Browser(server.url, behind_tls_proxy=bool(https_only))
            sent[framework] = {
                name: (page.response.status_code, security_headers(page.response))
                for name, page in every_page(user, app, framework, errors=True).items()
            }
    assert sent["flask"].keys() == sent["django"].keys()
    for name in sent["flask"]:
        assert sent["flask"][name] == sent["django"][name], name
