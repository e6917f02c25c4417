"""In a real browser: Chromium, driven by Playwright, goes through every app as a person would.

The To Do flow runs twice per framework: once with JavaScript on and the mouse, once with
JavaScript off and the keyboard alone, where every control is reached with Tab and each
element that takes the focus must show it. Each starts as a new visitor, who signs up. The
accounts (signing up, logging out and in again) are also gone through with the keyboard
alone, with JavaScript on and off, and their refusals read as a screen reader reads them.
Each test makes accounts of its own, with names no other test uses.
"""

import re

import pytest
from helpers import FRAMEWORKS, PASSWORD, USERNAME, new_name
from helpers import accounts as stored_accounts
from playwright.sync_api import expect

MAX_TABS = 30  # more than any page here has controls
BAD_LOGIN = (
    "Please enter a correct username and password. Note that both fields may be case-sensitive."
)


@pytest.fixture
def new_page(browser):
    """Open a new tab in a fresh browser profile (no cookies): `new_page()`, or
    `new_page(java_script_enabled=False)` with Playwright's other context options."""
    contexts = []

    def new_page(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1].new_page()

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A new tab in a fresh browser profile (no cookies)."""
    return new_page()


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

    def use(self, control, key="Enter"):
        """Click the control, or Tab to it and press the key (Enter, or Space for a button);
        wait for the page it leads to.

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
                self.page.keyboard.press(key)
            else:
                control.click()

    def type(self, field, text):
        """Type into the field, which must have the focus already, then press Enter."""
        expect(field).to_be_focused()
        assert field.evaluate(FOCUS)["shown"], "the focus does not show on the field"
        self.page.keyboard.type(text)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def fill_in(self, form, submit):
        """Fill in a form, {field: text} in the order of the page, and send it; wait for the
        page it leads to. With the mouse: click each field, type, click the `submit` button.
        With the keyboard: type into the first field, which must have the focus already (it
        is autofocused), Tab to each next one, type, and press Enter in the last."""
        for number, (field, text) in enumerate(form.items()):
            if not self.keyboard_only:
                field.click()
            elif number:
                self.page.keyboard.press("Tab")
            expect(field).to_be_focused()
            assert field.evaluate(FOCUS)["shown"], "the focus does not show on the field"
            self.page.keyboard.type(text)
        with self.page.expect_navigation():
            if self.keyboard_only:
                self.page.keyboard.press("Enter")
            else:
                submit.click()


@pytest.fixture(params=[True, False], ids=["js-mouse", "no-js-keyboard"])
def user(request, new_page):
    """Someone with JavaScript on who uses the mouse, or with it off who uses the keyboard."""
    return User(new_page(java_script_enabled=request.param), keyboard_only=not request.param)


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def keyboard_user(request, new_page):
    """Someone who uses the keyboard alone, with JavaScript on, or off."""
    return User(new_page(java_script_enabled=request.param), keyboard_only=True)


class Accounts:
    """What a user finds on the To Do app's pages for accounts: the log-in and sign-up
    forms, and the account bar above the list."""

    def __init__(self, page):
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.username = page.get_by_label("Username")
        self.password = page.get_by_label("Password", exact=True)
        self.password_again = page.get_by_label("Password confirmation")  # on the sign-up page
        self.logged_in_as = page.locator(".account p")

    def button(self, name):
        return self.page.get_by_role("button", name=name, exact=True)

    def link(self, name):
        return self.page.get_by_role("link", name=name, exact=True)

    def sign_up(self, user, username, password=PASSWORD, again=None):
        """On the sign-up page, sign up as `user` does it (mouse or keyboard)."""
        expect(self.heading).to_have_text("Sign up")
        again = password if again is None else again
        form = {self.username: username, self.password: password, self.password_again: again}
        user.fill_in(form, self.button("Sign up"))

    def log_in(self, user, username, password=PASSWORD):
        """On the login page, log in as `user` does it (mouse or keyboard)."""
        expect(self.heading).to_have_text("Log in")
        user.fill_in({self.username: username, self.password: password}, self.button("Log in"))


def at_the_login_page(page, url, next_=None):
    """Check that the page is the login page, asked for by the path `next_` if given (in the
    query, each "/" as it is or as %2F)."""
    query = "" if next_ is None else r"\?next=" + re.escape(next_).replace("/", "(/|%2F)")
    expect(page).to_have_url(re.compile(re.escape(url + "/login") + query + "$"))
    expect(page).to_have_title("Log in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_todo_flow(todo, user):
    page = user.page
    accounts = Accounts(page)
    new_todo = page.get_by_label("New todo")
    message = page.get_by_role("status")
    counter = page.locator(".todo-count")
    titles = page.locator(".todo .title")

    def button(name):
        return page.get_by_role("button", name=name, exact=True)

    def link(name):
        return page.get_by_role("link", name=name, exact=True)

    page.goto(todo.url)  # a new visitor: to the login page, and on to sign up
    at_the_login_page(page, todo.url, next_="/")
    user.use(link("Sign up"))
    name = new_name("flow")
    accounts.sign_up(user, name)
    expect(page).to_have_url(todo.url + "/")
    expect(accounts.logged_in_as).to_have_text(f"Logged in as {name}")
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


def test_sign_up_log_out_and_in_again_with_the_keyboard_alone(todo, keyboard_user):
    """A new visitor signs up, adds a todo, logs out and in again: Tab, type, Enter, Space."""
    user, page = keyboard_user, keyboard_user.page
    accounts = Accounts(page)
    new_todo = page.get_by_label("New todo")
    titles = page.locator(".todo .title")
    name, password = new_name("kim"), "a walk in the hills at dawn"

    page.goto(todo.url)
    at_the_login_page(page, todo.url, next_="/")
    expect(accounts.username).to_be_focused()  # autofocus: ready to type
    user.use(accounts.link("Sign up"))
    expect(page).to_have_url(todo.url + "/signup")
    expect(page).to_have_title("Sign up")
    expect(accounts.username).to_be_focused()
    accounts.sign_up(user, name, password)
    expect(page).to_have_url(todo.url + "/")
    expect(accounts.logged_in_as).to_have_text(f"Logged in as {name}")
    assert name in stored_accounts(todo.db)
    user.type(new_todo, "Water the plants")
    expect(titles).to_have_text(["Water the plants"])

    user.use(accounts.button("Log out"), key="Space")
    at_the_login_page(page, todo.url)
    expect(accounts.logged_in_as).to_have_count(0)
    page.goto(todo.url + "/active")  # logged out: the list is no longer shown
    at_the_login_page(page, todo.url, next_="/active")
    accounts.log_in(user, name, password)
    expect(page).to_have_url(todo.url + "/active")  # where the login page was asked for
    expect(accounts.logged_in_as).to_have_text(f"Logged in as {name}")
    expect(titles).to_have_text(["Water the plants"])

    user.use(accounts.button("Log out"))  # Enter works as well as Space
    at_the_login_page(page, todo.url)
    accounts.log_in(user, name, password)  # no `next`: the list
    expect(page).to_have_url(todo.url + "/")
    expect(accounts.logged_in_as).to_have_text(f"Logged in as {name}")
    expect(titles).to_have_text(["Water the plants"])


def test_a_refused_sign_up_or_login_says_why_beside_the_field(todo, page):
    """The messages show under the fields they are about, which are marked invalid and
    described by them, as a screen reader reads them; nothing is created."""
    accounts = Accounts(page)
    mouse = User(page, keyboard_only=False)
    name = new_name("lee")
    page.goto(todo.url + "/signup")
    accounts.sign_up(mouse, f"{name} smith", again=PASSWORD + "!")  # a space in the name
    expect(page).to_have_url(todo.url + "/signup")
    refusals = {  # field: its help, then why it was refused
        accounts.username: (
            "150 characters or fewer: letters, digits and @ . + - _ only.",
            "Enter a valid username. This value may contain only letters, numbers, "
            "and @/./+/-/_ characters.",
        ),
        accounts.password_again: (
            "Enter the same password as before, for verification.",
            "The two password fields didn’t match.",
        ),
    }
    for field, (help_text, error) in refusals.items():
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(f"{help_text} {error}")
        shown = page.locator(".field-error", has_text=error)
        expect(shown).to_have_text(error)
        field_box, error_box = field.bounding_box(), shown.bounding_box()
        assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 100  # below it
    expect(accounts.password).not_to_have_attribute("aria-invalid", "true")
    expect(accounts.username).to_have_value(f"{name} smith")  # kept, to correct it
    expect(accounts.password).to_have_value("")  # passwords are never sent back
    assert not {f"{name} smith", name} & stored_accounts(todo.db).keys()
    page.set_viewport_size({"width": 320, "height": 640})  # the messages fit a small phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 720})

    todo.browser()  # USERNAME has an account
    page.goto(todo.url + "/login")
    error = page.locator(".form-error")
    for username, password in [(USERNAME, PASSWORD + "!"), (name, PASSWORD)]:  # unknown name
        accounts.log_in(mouse, username, password)
        at_the_login_page(page, todo.url)
        expect(error).to_have_text(BAD_LOGIN)
        for field in [accounts.username, accounts.password]:
            expect(field).to_have_attribute("aria-invalid", "true")
            expect(field).to_have_accessible_description(BAD_LOGIN)
        expect(accounts.username).to_have_value(username)
        expect(accounts.password).to_have_value("")
        expect(accounts.logged_in_as).to_have_count(0)
        accounts.username.clear()


def test_a_title_of_stacked_accents_stays_inside_its_row(todo, page):
    """A letter and 199 combining accents stack far above and below the line: they must not
    draw over the heading, the field or the title above, from the message or the new row."""
    accounts, mouse = Accounts(page), User(page, keyboard_only=False)
    page.goto(todo.url + "/signup")
    accounts.sign_up(mouse, new_name("accents"))
    new_todo = page.get_by_label("New todo")
    for title in ["Walk the dog", "Buy milk"]:
        mouse.type(new_todo, title)
    around = {  # what is near the message and the new row, as it looks before
        "heading": page.get_by_role("heading", level=1),
        "field": new_todo,
        "title above": page.locator(".todo .title").nth(1),
    }
    page.mouse.move(0, 0)  # no hover anywhere
    before = {name: part.screenshot(animations="disabled") for name, part in around.items()}
    mouse.type(new_todo, "a" + "\u0301" * 199)
    expect(page.locator(".todo")).to_have_count(3)
    page.mouse.move(0, 0)  # no hover anywhere
    after = {name: part.screenshot(animations="disabled") for name, part in around.items()}
    changed = [name for name in around if after[name] != before[name]]

    assert not changed, f"the accents draw over the {' and the '.join(changed)}"


@pytest.mark.parametrize("todo", ["django"], indirect=True)
def test_django_admin_shows_and_adds_todos_with_their_owner(todo, superuser, page, new_page):
    name = new_name("sam")
    accounts = Accounts(page)
    page.goto(todo.url + "/signup")
    accounts.sign_up(User(page, keyboard_only=False), name)
    page.get_by_label("New todo").fill("Buy milk")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("status")).to_have_text("Added “Buy milk”.")

    admin = new_page()  # the administrator, in a browser of their own
    username, password = superuser
    admin.goto(todo.url + "/admin/")
    admin.get_by_label("Username").fill(username)
    admin.get_by_label("Password").fill(password)
    admin.get_by_role("button", name="Log in").click()
    admin.get_by_role("link", name="Todos").click()
    admin.locator("#changelist-filter").get_by_role("link", name=name, exact=True).click()
    todos = admin.locator("#result_list tbody tr")
    expect(todos).to_have_count(1)  # only the user's
    expect(todos.get_by_role("link", name="Buy milk")).to_be_visible()
    expect(todos.get_by_role("cell", name=name, exact=True)).to_be_visible()  # the owner

    admin.get_by_role("link", name="Add todo").click()
    admin.get_by_label("Title").fill("Call mum")
    admin.get_by_label("User").select_option(label=name)
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator("#result_list").get_by_role("link", name="Call mum")).to_be_visible()

    page.reload()
    expect(page.locator(".todo .title")).to_have_text(["Buy milk", "Call mum"])
    admin.goto(todo.url)  # the administrator's own list is theirs alone
    expect(Accounts(admin).logged_in_as).to_have_text(f"Logged in as {username}")
    expect(admin.get_by_text("Nothing to do yet.")).to_be_visible()
