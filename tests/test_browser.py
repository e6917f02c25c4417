"""In a real browser: Chromium, driven by Playwright, goes through every app as a person would.

The To Do flow runs twice per framework: once with JavaScript on and the mouse, once with
JavaScript off and the keyboard alone, where every control is reached with Tab and each
element that takes the focus must show it.
"""

import re

import pytest
from helpers import FRAMEWORKS
from playwright.sync_api import expect

MAX_TABS = 30  # more than any page here has controls


@pytest.fixture
def page(browser):
    """A new tab in a fresh browser profile (no cookies)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(
    "framework, greeting", [("flask", "Hello, World!"), ("django", "Hello, Django!")]
)
def test_hello_shows_the_greeting(serve, page, framework, greeting):
    with serve(f"hello_{framework}.py") as server:
        page.goto(server.url)
        expect(page.get_by_text(greeting)).to_be_visible()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_site_about_me_and_home_links_and_the_404_page(serve, page, framework):
    with serve(f"site_{framework}.py", env={"DEBUG": "0"}) as server:
        heading = page.get_by_role("heading", level=1)
        page.goto(server.url)
        page.get_by_role("link", name="About Me").click()
        expect(page).to_have_title("About Me")
        expect(heading).to_have_text("About Me")
        expect(page.get_by_text("This is my personal website.")).to_be_visible()
        page.get_by_role("link", name="Home").click()
        expect(page).to_have_title("Personal Website")
        expect(heading).to_have_text("Welcome to My Website")

        response = page.goto(server.url + "/no/such/page")
        assert response.status == 404
        expect(heading).to_have_text("Page not found")
        expect(page.get_by_role("contentinfo")).to_have_text(f"Made with {framework.title()}")
        expect(page.locator("main")).to_have_css("max-width", re.compile(r"\d+px"))  # the layout
        page.get_by_role("link", name="Home").click()
        expect(heading).to_have_text("Welcome to My Website")


# Whether the control has the focus, and whether what has it shows it with an outline or a
# shadow (the page itself, between the last control and the first, needs not).
FOCUS = """(control) => {
    const focused = document.activeElement;
    const style = getComputedStyle(focused);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
        reached: focused === control,
        html: focused.outerHTML,
        shown: focused === document.body || outline || style.boxShadow !== "none",
    };
}"""


class User:
    """Someone using a page with the mouse, or with the keyboard alone."""

    def __init__(self, page, keyboard_only):
        self.page = page
        self.keyboard_only = keyboard_only

    def use(self, control):
        """Click the control, or Tab to it and press Enter; wait for the page it leads to.

        On the way with Tab, every element that takes the focus must show it.
        """
        if self.keyboard_only:
            target = control.element_handle()
            for _ in range(MAX_TABS):
                self.page.keyboard.press("Tab")
                focus = target.evaluate(FOCUS)
                assert focus["shown"], f"the focus does not show on {focus['html']}"
                if focus["reached"]:
                    break
            else:
                pytest.fail(f"Tab never reached {control}")
        with self.page.expect_navigation():
            if self.keyboard_only:
                self.page.keyboard.press("Enter")
            else:
                control.click()

    def type(self, field, text):
        """Type into the field, which must have the focus already, then press Enter."""
        expect(field).to_be_focused()
        assert field.evaluate(FOCUS)["shown"], "the focus does not show on the field"
        self.page.keyboard.type(text)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


@pytest.fixture(params=[True, False], ids=["js-mouse", "no-js-keyboard"])
def user(request, browser):
    """Someone with JavaScript on who uses the mouse, or with it off who uses the keyboard."""
    context = browser.new_context(java_script_enabled=request.param)
    yield User(context.new_page(), keyboard_only=not request.param)
    context.close()


def test_todo_flow(todo, user):
    todo.empty()
    page = user.page
    new_todo = page.get_by_label("New todo")
    message = page.get_by_role("status")
    counter = page.locator(".todo-count")
    titles = page.locator(".todo .title")

    def button(name):
        return page.get_by_role("button", name=name, exact=True)

    def link(name):
        return page.get_by_role("link", name=name, exact=True)

    page.goto(todo.url)
    expect(page.get_by_text("Nothing to do yet.")).to_be_visible()
    for title in ["Buy milk", "Walk the dog", "Read a book"]:
        user.type(new_todo, title)
        expect(message).to_have_text(f"Added “{title}”.")
    expect(titles).to_have_text(["Buy milk", "Walk the dog", "Read a book"])
    expect(counter).to_have_text("3 items left")

    user.use(button("Mark “Walk the dog” as done"))
    expect(message).to_have_text("Marked “Walk the dog” as done.")
    expect(counter).to_have_text("2 items left")
    expect(page.locator(".todo.done .title")).to_have_text(["Walk the dog"])

    user.use(link("Active"))
    expect(page).to_have_url(todo.url + "/active")
    expect(titles).to_have_text(["Buy milk", "Read a book"])
    expect(link("Active")).to_have_attribute("aria-current", "page")
    user.use(link("Completed"))
    expect(titles).to_have_text(["Walk the dog"])
    page.reload()
    expect(page).to_have_url(todo.url + "/completed")
    expect(titles).to_have_text(["Walk the dog"])
    expect(link("Completed")).to_have_attribute("aria-current", "page")
    page.go_back()
    expect(page).to_have_url(todo.url + "/active")
    expect(titles).to_have_text(["Buy milk", "Read a book"])

    user.use(link("Edit “Buy milk”"))
    title_field = page.get_by_label("Title")
    expect(title_field).to_have_value("Buy milk")
    expect(title_field).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    user.type(title_field, "Buy oat milk")
    expect(message).to_have_text("Saved “Buy oat milk”.")
    expect(page).to_have_url(todo.url + "/active")  # back to the list it came from
    expect(titles).to_have_text(["Buy oat milk", "Read a book"])

    user.use(button("Delete “Read a book”"))
    expect(message).to_have_text("Deleted “Read a book”.")
    expect(titles).to_have_text(["Buy oat milk"])
    expect(counter).to_have_text("1 item left")

    user.use(link("All"))
    user.use(button("Toggle all"))
    expect(message).to_have_text("Marked all todos as done.")
    expect(counter).to_have_text("0 items left")
    expect(page.locator(".todo.done")).to_have_count(2)
    user.use(button("Toggle all"))
    expect(message).to_have_text("Marked all todos as not done.")
    expect(counter).to_have_text("2 items left")
    expect(button("Clear completed")).to_have_count(0)

    user.use(button("Mark “Buy oat milk” as done"))
    expect(counter).to_have_text("1 item left")
    user.use(button("Clear completed"))
    expect(message).to_have_text("Cleared 1 completed todo.")
    expect(titles).to_have_text(["Walk the dog"])
    expect(button("Clear completed")).to_have_count(0)

    user.type(new_todo, "   ")
    error = page.locator(".field-error")
    expect(error).to_have_text("Please enter a title.")
    expect(new_todo).to_have_accessible_description("Please enter a title.")
    expect(new_todo).to_have_attribute("aria-invalid", "true")
    field_box, error_box = new_todo.bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 50  # right below it
    user.type(new_todo, "Call mum")  # the field kept the focus
    expect(message).to_have_text("Added “Call mum”.")
    expect(titles).to_have_text(["Walk the dog", "Call mum"])

    page.set_viewport_size({"width": 320, "height": 640})  # a small phone: nothing sticks out
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("todo", ["django"], indirect=True)
def test_django_admin_shows_and_adds_todos(todo, superuser, page):
    todo.empty()
    username, password = superuser
    page.goto(todo.url)
    page.get_by_label("New todo").fill("Buy milk")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("status")).to_have_text("Added “Buy milk”.")

    page.goto(todo.url + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Todos").click()
    todos = page.locator("#result_list")
    expect(todos.get_by_role("link", name="Buy milk")).to_be_visible()

    page.get_by_role("link", name="Add todo").click()
    page.get_by_label("Title").fill("Call mum")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(todos.get_by_role("link", name="Call mum")).to_be_visible()

    page.goto(todo.url)
    expect(page.locator(".todo .title")).to_have_text(["Buy milk", "Call mum"])
