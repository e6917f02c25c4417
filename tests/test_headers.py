"""Both frameworks of a pair send the same security headers on every page, errors included:
the reader comparing the two files should find no difference there that the frameworks do
not make."""

import pytest
from pages import Browser

SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Cross-Origin-Embedder-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "X-XSS-Protection",
]


def hello_pages(user, framework):
    return {"home": user.get("/"), "404": user.get("/nowhere")}


def site_pages(user, framework):
    return {
        "home": user.get("/"),
        "about": user.get("/about" if framework == "flask" else "/about/"),
        "404": user.get("/no/such/page"),
        "host outside ALLOWED_HOSTS (400)": user.get("/", headers={"Host": "evil.test"}),
    }


def todo_pages(user, framework):
    pages = {"empty list": user.get("/")}
    form = pages["empty list"].form("/add")
    pages["add (303)"] = user.submit(form, title="Buy milk", follow=False)
    pages["list"] = user.get("/")
    pages["active"] = user.get("/active")
    pages["completed"] = user.get("/completed")
    pages["edit"] = user.get(pages["list"].item("Buy milk").edit_url)
    pages["blank title (400)"] = user.submit(form, title=" ", follow=False)
    pages["wrong CSRF token (403)"] = user.submit(
        form, title="x", **{name: "x" for name in form.fields if "csrf" in name}
    )
    pages["GET on a form (405)"] = user.get("/add")
    pages["unknown todo (404)"] = user.get("/999999/edit")
    pages["host outside ALLOWED_HOSTS (400)"] = user.get("/", headers={"Host": "evil.test"})
    return pages


def behind_the_proxy(user, url):
    """Send what the TLS proxy in front passes on, and what a browser sends over HTTPS: the
    forwarded scheme, a Referer, and the Secure cookies (over the test's plain HTTP)."""
    user.session.headers["X-Forwarded-Proto"] = "https"
    user.session.headers["Referer"] = url.replace("http:", "https:") + "/"
    send = user.session.request

    def request(*args, **kwargs):
        for cookie in user.session.cookies:
            cookie.secure = False
        return send(*args, **kwargs)

    user.session.request = request


@pytest.mark.parametrize("https_only", [None, "1"], ids=["http", "https-only"])
@pytest.mark.parametrize(
    "app, visit", [("hello", hello_pages), ("site", site_pages), ("todo", todo_pages)]
)
def test_both_frameworks_send_the_same_security_headers(serve, app, visit, https_only, tmp_path):
    sent = {}
    for framework in ["flask", "django"]:
        env = {"DEBUG": "0", "HTTPS_ONLY": https_only, "TODO_DB": str(tmp_path / framework)}
        with serve(f"{app}_{framework}.py", env=env) as server:
            user = Browser(server.url)
            if https_only:
                behind_the_proxy(user, server.url)
            sent[framework] = {
                name: (
                    page.response.status_code,
                    {header: page.response.headers.get(header) for header in SECURITY_HEADERS},
                )
                for name, page in visit(user, framework).items()
            }
    assert sent["flask"].keys() == sent["django"].keys()
    for name in sent["flask"]:
        assert sent["flask"][name] == sent["django"][name], name
