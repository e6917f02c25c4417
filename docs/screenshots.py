"""Screenshots of every app in both frameworks, for the README.

Run it from anywhere:   python docs/screenshots.py

It starts each script the way you would (DEBUG=0, the To Do apps on a new database in a
temporary folder), as the tests do (tests/helpers.py), opens it in headless Chromium and
saves docs/screenshots/<script>.png (1000 pixels wide; the To Do list also in dark,
<script>_dark.png). A To Do app's first visitor signs up, as the tests' user: its sign-up
page, filled in, is <script>_signup.png. Then it opens docs/side-by-side.html as a file and
saves the To Do stage's Views section, as a projector shows it, as
docs/screenshots/side-by-side.png. It needs the dev requirements and Debian's Chromium
(apt-get install chromium), or CHROMIUM=/path/to/chrome.
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the tests' helpers
from helpers import (  # noqa: E402
    CHROMIUM_ARGS,
    FRAMEWORKS,
    PASSWORD,
    ROOT,
    USERNAME,
    Server,
    chromium,
)

OUT = ROOT / "docs" / "screenshots"
HEIGHTS = {"hello": 120, "site": 340, "todo": 720}  # of each stage's picture; all 1000 px wide
SIGN_UP = {"width": 1000, "height": 830}  # the sign-up page's picture: the whole page
PROJECTOR = {"width": 1600, "height": 900}  # the side-by-side page's picture


def sign_up(page, script):
    """From the login page a new visitor lands on, to the sign-up page; fill it in as a
    person would (the name is autofocused, Tab to the next field), save its picture as
    <script>_signup.png, and send it."""
    with page.expect_navigation():
        page.get_by_role("link", name="Sign up").click()
    for number, text in enumerate([USERNAME, PASSWORD, PASSWORD]):
        if number:
            page.keyboard.press("Tab")
        page.keyboard.type(text)
    viewport = page.viewport_size
    page.set_viewport_size(SIGN_UP)
    page.screenshot(path=OUT / f"{script}_signup.png")
    print(f"saved docs/screenshots/{script}_signup.png")
    page.set_viewport_size(viewport)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def fill_todo_list(page):
    """A few todos, one of them done, and the message that the last action left."""
    new_todo = page.get_by_label("New todo")
    for title in ["Buy milk", "Walk the dog", "Read the tutorial"]:
        new_todo.fill(title)
        with page.expect_navigation():
            new_todo.press("Enter")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark “Walk the dog” as done").click()


def side_by_side(page):
    """docs/side-by-side.html on a projector: the To Do stage's Views, a screenful from the
    row of the `add` views on (each view beside its twin)."""
    page.set_viewport_size(PROJECTOR)
    page.emulate_media(color_scheme="light")
    page.goto((ROOT / "docs" / "side-by-side.html").as_uri())
    page.locator("#todo-views-add").evaluate(
        "(heading) => scrollTo(0, heading.getBoundingClientRect().top + scrollY - 16)"
    )
    page.screenshot(path=OUT / "side-by-side.png")
    print("saved docs/screenshots/side-by-side.png")


def main():
    executable = chromium()
    if not executable:
        sys.exit("No Chromium: apt-get install chromium, or set CHROMIUM=/path/to/chrome")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for stage, height in HEIGHTS.items():
            page.set_viewport_size({"width": 1000, "height": height})
            for framework in FRAMEWORKS:
                script = f"{stage}_{framework}"
                env = {"DEBUG": "0", "TODO_DB": str(Path(folder) / f"{script}.sqlite3")}
                with Server(f"{script}.py", env=env) as server:
                    page.goto(server.url)
                    if stage == "todo":
                        page.emulate_media(color_scheme="light")
                        sign_up(page, script)
                        fill_todo_list(page)
                    for scheme in ["light", "dark"] if stage == "todo" else ["light"]:
                        page.emulate_media(color_scheme=scheme)
                        picture = f"{script}.png" if scheme == "light" else f"{script}_dark.png"
                        page.screenshot(path=OUT / picture)
                        print(f"saved docs/screenshots/{picture}")
        side_by_side(page)
        browser.close()


if __name__ == "__main__":
    main()
