"""Every page of the site and To Do apps is valid HTML and has no accessibility violations.

One pass opens each page in Chromium, in both frameworks: it keeps the HTML the server sent,
for the W3C Nu HTML checker (vnu.jar, which reads every kept page in one start), and runs
axe-core on the page as shown, in a light and in a dark colour scheme. Each test then reads
the verdict on one page.
"""

import pytest
from checkers import SCHEMES, check_accessibility, check_html
from helpers import FRAMEWORKS, PASSWORD, USERNAME
from playwright.sync_api import expect

PAGES = [
    "site-home",
    "site-about",
    "site-404",
    "todo-login",  # where a new visitor lands
    "todo-login-refused",  # the message above the form
    "todo-signup",
    "todo-signup-refused",  # messages beside the fields
    "todo-empty",  # the list with the account bar, no todos yet
    "todo-empty-filter",  # "No completed todos."
    "todo-message",  # the list, a done todo and a message
    "todo-completed",
    "todo-blank-title",  # the message beside the field
    "todo-edit",
    "todo-edit-error",
    "todo-404",
    "todo-403",  # a form sent once the session has gone
]


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
    """Open the To Do app's pages one by one, as a new visitor who signs up, then from an
    empty list on; yield as above."""
    username, password = page.get_by_label("Username"), page.get_by_label("Password", exact=True)
    password_again = page.get_by_label("Password confirmation")
    yield "todo-login", page.goto(url)
    username.fill(USERNAME)
    password.fill(PASSWORD)
    refused = follow(page, lambda: password.press("Enter"))  # no such user yet
    expect(page.locator(".form-error")).to_be_visible()
    yield "todo-login-refused", refused
    yield "todo-signup", follow(page, page.get_by_role("link", name="Sign up").click)
    username.fill(USERNAME + " smith")  # no spaces in names
    password.fill("1234")  # too short, all digits (and in Django, common)
    password_again.fill("1234")
    refused = follow(page, lambda: password_again.press("Enter"))
    expect(page.locator(".field-error")).to_have_count(2)
    yield "todo-signup-refused", refused
    username.fill(USERNAME)
    password.fill(PASSWORD)
    password_again.fill(PASSWORD)
    signed_up = follow(page, lambda: password_again.press("Enter"))
    expect(page.locator(".account")).to_contain_text(f"Logged in as {USERNAME}")
    yield "todo-empty", signed_up
    new_todo = page.get_by_label("New todo")
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
    page.goto(url)
    new_todo.fill("Buy bread")
    page.context.clear_cookies()  # as when the session has expired: the form's token is stale
    yield "todo-403", follow(page, lambda: new_todo.press("Enter"))


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
