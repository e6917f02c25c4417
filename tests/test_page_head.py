"""What every page says about itself in its <head>: a one-sentence description (for search
engines and link previews) and an icon given inline, so that no browser asks the server for
/favicon.ico and gets a 404 on every page."""

import pytest
from pages import Browser, every_page

LISTS = {"empty list", "list", "active", "completed", "blank title (400)"}
# A form refused is the same page as the form.
SAME = {"login refused": "login", "signup refused (400)": "signup"}


def descriptions_and_icons(page):
    metas = [m for m in page.find_all("meta") if m.attrs.get("name") == "description"]
    icons = [link for link in page.find_all("link") if link.attrs.get("rel") == "icon"]
    return [m.attrs.get("content", "") for m in metas], [i.attrs.get("href", "") for i in icons]


@pytest.mark.parametrize("framework", ["flask", "django"])
@pytest.mark.parametrize("app", ["site", "todo"])
def test_every_page_describes_itself_and_brings_its_icon(serve, app, framework, tmp_path):
    env = {"DEBUG": "0", "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(f"{app}_{framework}.py", env=env) as server:
        pages = every_page(Browser(server.url), app, framework)
    said = {}
    for name, page in pages.items():
        descriptions, icons = descriptions_and_icons(page)
        assert len(descriptions) == 1 and len(descriptions[0]) > 20, name
        assert descriptions[0].endswith("."), "one sentence"
        assert icons == ["data:,"], f"{name}: an icon that needs no request"
        assert "data:" in page.response.headers["Content-Security-Policy"], "the icon may load"
        said[name] = descriptions[0]
    # The four lists are one page, filtered; every other page says something of its own.
    kinds = {"list" if name in LISTS else SAME.get(name, name) for name in said}
    assert len(set(said.values())) == len(kinds), said
