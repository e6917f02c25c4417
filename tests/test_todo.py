"""The To Do app: the contract, written once and run against the Flask and the Django version
(and the Django version on PostgreSQL).

Each framework's app runs as one real server for the whole module, on its own database;
every test starts from an empty list and acts like a user: it opens pages, fills in and
submits their forms (CSRF token included), and reads what comes back. Where "nothing
changed" matters, the test also reads the database file itself.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import FRAMEWORKS, PASSWORD, STYLESHEET, USERNAME, fill, security_headers
from pages import Browser

BLANK = "Please enter a title."
TOO_LONG = "Keep the title to 200 characters or fewer (this one has 201)."
CONTROL = "The title cannot contain control characters."
UNSHOWN = "The title has characters that cannot be shown."
FULL = "The list is full (500 todos): clear completed ones or delete some first."
# The contract holds for each framework on SQLite, and for Django on PostgreSQL too: the
# same model, form and views, another database (DATABASE_URL; conftest.py's `postgres`).
TODO_APPS = [*FRAMEWORKS, "django+postgres"]


@pytest.fixture
def user(todo):
    """A user with a fresh browser, logged in, in front of an empty list (`todo`:
    conftest.py's)."""
    todo.empty()
    return todo.browser()


def given(user, *titles, done=()):
    """Add these todos through the app, mark the `done` ones done; the list page afterwards."""
    page = user.get("/")
    for title in titles:
        page = user.submit(page.form("/add"), title=title)
    for title in done:
        page = user.submit(page.item(title).forms["toggle"])
    return page


def titles(page):
    return [item.title for item in page.items]


def redirect_path(response):
    """The path a successful POST sends the browser to (303 See Other)."""
    assert response.status_code == 303, response.text
    return urlsplit(response.headers["Location"]).path


def csrf_field(form):
    """The name of the form's hidden CSRF input (Flask and Django name it differently)."""
    hidden = [name for name, attrs in form.inputs.items() if attrs.get("type") == "hidden"]
    (name,) = [name for name in hidden if name != "next"]
    return name


def assert_empty_state(page):
    assert "Nothing to do yet." in page.text(class_="empty-state")
    assert page.find("ul", "todo-list") is None
    assert page.find(class_="todo-footer") is None
    assert page.texts("todo-count") == []
    assert "/toggle-all" not in page.actions
    assert "/clear-completed" not in page.actions


# The lists


def test_an_empty_list_invites_you_to_add_a_todo(user):
    page = user.get("/")
    assert page.response.status_code == 200
    assert page.response.headers["Content-Type"].startswith("text/html")
    assert page.title == "To Do"
    assert page.h1 == "To Do"
    assert STYLESHEET in page.response.text
    assert_empty_state(page)
    form = page.form("/add")
    assert form.method == "post"
    assert "Add" in form.buttons
    title = form.inputs["title"]
    assert page.labels[title["id"]] == "New todo"
    assert "autofocus" in title
    assert title.get("maxlength") == "200"
    assert form.fields["next"] == "/"


def test_adding_a_todo_confirms_it_and_lists_it(todo, user):
    page = user.get("/")
    response = user.submit(page.form("/add"), title="Buy milk", follow=False).response
    assert redirect_path(response) == "/"

    page = user.get("/")
    assert page.texts("message") == ["Added “Buy milk”."]
    assert titles(page) == ["Buy milk"]
    assert not page.item("Buy milk").done
    assert page.texts("todo-count") == ["1 item left"]
    assert [(t.title, t.done) for t in todo.stored()] == [("Buy milk", False)]

    page = user.get("/")
    assert page.texts("message") == [], "a message is shown once"
    assert titles(page) == ["Buy milk"]


def test_every_control_of_a_todo_names_the_todo(user):
    item = given(user, "Buy milk").item("Buy milk")
    assert "Mark “Buy milk” as done" in item.forms["toggle"].buttons[0]
    assert "Delete “Buy milk”" in item.forms["delete"].buttons[0]
    assert any("Edit “Buy milk”" in text for text in item.links)
    assert urlsplit(item.edit_url).path == f"/{item.id}/edit"


def test_the_list_shows_the_oldest_todo_first(user):
    page = given(user, "Walk dog", "Buy milk", "Read book")
    assert titles(page) == ["Walk dog", "Buy milk", "Read book"]


def test_the_counter_says_how_many_todos_are_left(user):
    page = given(user, "Walk dog", "Buy milk")
    assert page.texts("todo-count") == ["2 items left"]
    page = user.submit(page.item("Walk dog").forms["toggle"])
    assert page.texts("todo-count") == ["1 item left"]
    page = user.submit(page.item("Buy milk").forms["toggle"])
    assert page.texts("todo-count") == ["0 items left"]


def test_toggling_marks_a_todo_done_and_back(todo, user):
    page = given(user, "Buy milk")
    response = user.submit(page.item("Buy milk").forms["toggle"], follow=False).response
    assert redirect_path(response) == "/"
    page = user.get("/")
    assert page.texts("message") == ["Marked “Buy milk” as done."]
    item = page.item("Buy milk")
    assert item.done
    assert "Mark “Buy milk” as not done" in item.forms["toggle"].buttons[0]
    assert todo.stored()[0].done is True

    page = user.submit(item.forms["toggle"])
    assert page.texts("message") == ["Marked “Buy milk” as not done."]
    assert not page.item("Buy milk").done
    assert todo.stored()[0].done is False


def test_the_edit_page_shows_the_title_and_saving_changes_it(todo, user):
    item = given(user, "Walk dog", "Buy milk", done=["Buy milk"]).item("Buy milk")
    page = user.get(item.edit_url)
    assert page.response.status_code == 200
    assert page.title == "Edit “Buy milk”"
    assert page.h1 == "Edit todo"
    assert STYLESHEET in page.response.text
    form = page.form(f"/{item.id}/edit")
    assert form.method == "post"
    assert form.fields["title"] == "Buy milk"
    assert page.labels[form.inputs["title"]["id"]] == "Title"
    assert "Save" in form.buttons
    assert page.links["Cancel"] == "/"

    response = user.submit(form, title="Buy oat milk", follow=False).response
    assert redirect_path(response) == "/"
    page = user.get("/")
    assert page.texts("message") == ["Saved “Buy oat milk”."]
    assert titles(page) == ["Walk dog", "Buy oat milk"]
    assert page.item("Buy oat milk").done, "editing the title keeps the todo done"
    assert (item.id, "Buy oat milk", True) in todo.stored()


def test_deleting_removes_the_todo(todo, user):
    page = given(user, "Walk dog", "Buy milk")
    response = user.submit(page.item("Buy milk").forms["delete"], follow=False).response
    assert redirect_path(response) == "/"
    page = user.get("/")
    assert page.texts("message") == ["Deleted “Buy milk”."]
    assert titles(page) == ["Walk dog"]
    assert [t.title for t in todo.stored()] == ["Walk dog"]

    page = user.submit(page.item("Walk dog").forms["delete"])
    assert page.texts("message") == ["Deleted “Walk dog”."]
    assert_empty_state(page)
    assert todo.stored() == []


def test_toggle_all_marks_every_todo_done_then_every_todo_active(todo, user):
    page = given(user, "Walk dog", "Buy milk", done=["Buy milk"])
    assert "Toggle all" in page.form("/toggle-all").buttons
    response = user.submit(page.form("/toggle-all"), follow=False).response
    assert redirect_path(response) == "/"
    page = user.get("/")
    assert page.texts("message") == ["Marked all todos as done."]
    assert [item.done for item in page.items] == [True, True]
    assert page.texts("todo-count") == ["0 items left"]
    assert [t.done for t in todo.stored()] == [True, True]

    page = user.submit(page.form("/toggle-all"))
    assert page.texts("message") == ["Marked all todos as not done."]
    assert [item.done for item in page.items] == [False, False]
    assert page.texts("todo-count") == ["2 items left"]
    assert [t.done for t in todo.stored()] == [False, False]


def test_clear_completed_deletes_the_done_todos_and_only_shows_when_some_are_done(todo, user):
    page = given(user, "Walk dog", "Buy milk", "Read book", done=["Buy milk", "Read book"])
    assert "Clear completed" in page.form("/clear-completed").buttons
    response = user.submit(page.form("/clear-completed"), follow=False).response
    assert redirect_path(response) == "/"
    page = user.get("/")
    assert page.texts("message") == ["Cleared 2 completed todos."]
    assert titles(page) == ["Walk dog"]
    assert [t.title for t in todo.stored()] == ["Walk dog"]
    assert "/clear-completed" not in page.actions
    assert "/toggle-all" in page.actions

    page = user.submit(page.item("Walk dog").forms["toggle"])
    page = user.submit(page.form("/clear-completed"))
    assert page.texts("message") == ["Cleared 1 completed todo."]
    assert_empty_state(page)


def test_robots_txt_keeps_every_crawler_out_and_needs_no_login(todo):
    """The lists are private: robots.txt asks crawlers to stay out of the whole app."""
    visitor = Browser(todo.url)  # not logged in
    response = visitor.get("/robots.txt", allow_redirects=False).response
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == "User-agent: *\nDisallow: /\n"
    assert security_headers(response) == security_headers(visitor.get("/login").response)


# Filters and the way back


@pytest.mark.parametrize(
    "path, link, shown",
    [
        ("/", "All", ["Walk dog", "Buy milk", "Read book"]),
        ("/active", "Active", ["Walk dog", "Read book"]),
        ("/completed", "Completed", ["Buy milk"]),
    ],
)
def test_a_filter_shows_its_todos_and_survives_a_reload(user, path, link, shown):
    given(user, "Walk dog", "Buy milk", "Read book", done=["Buy milk"])
    for _ in range(2):  # open it, then reload it
        page = user.get(path)
        assert page.response.status_code == 200
        assert titles(page) == shown
        assert page.current_links == [link]
        assert {text: page.links[text] for text in ("All", "Active", "Completed")} == {
            "All": "/",
            "Active": "/active",
            "Completed": "/completed",
        }
        assert page.texts("todo-count") == ["2 items left"], "the counter counts the whole list"
        assert page.form("/add").fields["next"] == path


@pytest.mark.parametrize(
    "path, says", [("/active", "No active todos."), ("/completed", "No completed todos.")]
)
def test_a_filter_that_matches_nothing_says_so(user, path, says):
    page = given(user, "Buy milk")
    if path == "/active":
        user.submit(page.item("Buy milk").forms["toggle"])
    page = user.get(path)
    assert page.texts("empty-filter") == [says]
    assert page.find("ul", "todo-list") is None
    assert page.find(class_="todo-footer") is not None


@pytest.mark.parametrize("action", ["add", "toggle", "delete", "toggle-all", "clear-completed"])
@pytest.mark.parametrize("path", ["/active", "/completed"])
def test_every_button_brings_you_back_to_the_list_you_came_from(user, path, action):
    given(user, "Walk dog", "Buy milk", done=["Buy milk"])
    page = user.get(path)
    if action in ("toggle", "delete"):
        form = page.items[0].forms[action]
    else:
        form = page.form(f"/{action}")
    assert form.fields["next"] == path
    typed = {"title": "Read book"} if action == "add" else {}
    response = user.submit(form, follow=False, **typed).response
    assert redirect_path(response) == path
    page = user.get(response.headers["Location"])
    assert page.current_links == [{"/active": "Active", "/completed": "Completed"}[path]]


def test_editing_from_a_filtered_list_returns_to_it(user):
    given(user, "Walk dog", "Buy milk", done=["Buy milk"])
    page = user.get("/completed")
    item = page.item("Buy milk")
    assert parse_qs(urlsplit(item.edit_url).query)["next"] == ["/completed"]

    page = user.get(item.edit_url)
    form = page.form(f"/{item.id}/edit")
    assert form.fields["next"] == "/completed"
    assert page.links["Cancel"] == "/completed"
    response = user.submit(form, title="Buy oat milk", follow=False).response
    assert redirect_path(response) == "/completed"
    page = user.get(response.headers["Location"])
    assert titles(page) == ["Buy oat milk"]


@pytest.mark.parametrize(
    "next_", ["https://evil.example/", "//evil.example", "/\\evil.example", "/admin/"]
)
@pytest.mark.parametrize("action", ["add", "toggle", "edit"])
def test_next_cannot_send_you_anywhere_but_a_list(todo, user, action, next_):
    page = given(user, "Buy milk")
    item = page.item("Buy milk")
    if action == "edit":
        edit_page = user.get(item.edit_url)
        form = edit_page.form(f"/{item.id}/edit")
    else:
        form = page.form("/add") if action == "add" else item.forms["toggle"]
    typed = {"title": "Walk dog"} if "title" in form.inputs else {}
    response = user.submit(form, next=next_, follow=False, **typed).response
    assert redirect_path(response) == "/"
    assert urlsplit(response.headers["Location"]).netloc in ("", urlsplit(todo.url).netloc)


# Titles


@pytest.mark.parametrize("action", ["add", "edit"])
def test_titles_are_trimmed(todo, user, action):
    if action == "add":
        page = user.get("/")
        page = user.submit(page.form("/add"), title="  Buy milk   ")
    else:
        item = given(user, "Walk dog").item("Walk dog")
        page = user.get(item.edit_url)
        page = user.submit(page.form(f"/{item.id}/edit"), title="  Buy milk   ")
    assert page.texts("message") == [f"{'Added' if action == 'add' else 'Saved'} “Buy milk”."]
    assert titles(page) == ["Buy milk"]
    assert [t.title for t in todo.stored()] == ["Buy milk"]


@pytest.mark.parametrize(
    "typed, title",
    [
        pytest.param("a" * 200, "a" * 200, id="200-chars"),
        pytest.param("😀" * 200, "😀" * 200, id="200-emoji"),
        pytest.param("  " + "a" * 200 + "  ", "a" * 200, id="200-chars-after-trimming"),
    ],
)
def test_a_title_of_200_characters_is_fine(todo, user, typed, title):
    page = user.get("/")
    page = user.submit(page.form("/add"), title=typed)
    assert page.response.status_code == 200
    assert titles(page) == [title]
    assert [t.title for t in todo.stored()] == [title]
    item = page.item(title)
    page = user.get(item.edit_url)
    assert page.form(f"/{item.id}/edit").fields["title"] == title


def test_titles_are_escaped_never_run_as_html(user):
    script = "<script>alert(1)</script>"
    page = user.get("/")
    page = user.submit(page.form("/add"), title=script)
    assert titles(page) == [script]
    assert page.texts("message") == [f"Added “{script}”."]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.response.text
    assert script not in page.response.text

    item = page.item(script)
    page = user.get(item.edit_url)
    assert page.title == f"Edit “{script}”"
    assert page.form(f"/{item.id}/edit").fields["title"] == script
    assert script not in page.response.text


# Bad input: a clear answer, and nothing changes

BAD_TITLES = [
    pytest.param("", BLANK, "", id="empty"),
    pytest.param("   ", BLANK, "", id="whitespace-only"),
    pytest.param("a" * 201, TOO_LONG, "a" * 201, id="201-chars"),
    pytest.param("😀" * 201, TOO_LONG, "😀" * 201, id="201-emoji"),
    pytest.param("Buy\x00milk", CONTROL, "Buymilk", id="NUL"),
    pytest.param("Buy\x01milk", CONTROL, "Buymilk", id="SOH"),
    pytest.param("\x1b[31mBuy milk", CONTROL, "[31mBuy milk", id="ESC"),
    pytest.param("Buy milk\x7f", CONTROL, "Buy milk", id="DEL"),
    pytest.param("\x01", CONTROL, "", id="SOH-only"),
    # No visible character at all: as blank as a title of spaces.
    pytest.param("\u200b", BLANK, "\u200b", id="zero-width-space"),
    pytest.param("\ufeff\u2060", BLANK, "\ufeff\u2060", id="byte-order-mark-word-joiner"),
    pytest.param("\u00ad\u200b \u200d", BLANK, "\u00ad\u200b \u200d", id="soft-hyphen-and-joiners"),
    pytest.param("\u3164\u2800", BLANK, "\u3164\u2800", id="hangul-filler-braille-blank"),
    # Characters no font draws, alone or among others: a box or nothing in their place.
    pytest.param("Buy \ufffc", UNSHOWN, "Buy \ufffc", id="object-replacement"),
    pytest.param("\U000e0080", UNSHOWN, "\U000e0080", id="unassigned"),
    pytest.param("Buy milk\uffff", UNSHOWN, "Buy milk\uffff", id="noncharacter"),
    pytest.param("\ufdd0 milk", UNSHOWN, "\ufdd0 milk", id="noncharacter-fdd0"),
    pytest.param("Buy \ue000", UNSHOWN, "Buy \ue000", id="private-use"),
    pytest.param("\U000f0000", UNSHOWN, "\U000f0000", id="private-use-plane-15"),
]


@pytest.mark.parametrize("typed, message, kept", BAD_TITLES)
def test_adding_a_bad_title_explains_why_and_keeps_what_you_typed(todo, user, typed, message, kept):
    page = given(user, "Walk dog")
    before = todo.stored()
    page = user.submit(page.form("/add"), title=typed)
    assert page.response.status_code == 400
    assert page.h1 == "To Do"
    assert titles(page) == ["Walk dog"]
    assert page.texts("field-error") == [message]
    title = page.form("/add").inputs["title"]
    assert (title.get("value") or "").strip() == kept
    assert title.get("aria-invalid") == "true"
    assert page.find(class_="field-error").attrs.get("id") == title.get("aria-describedby")
    assert todo.stored() == before


@pytest.mark.parametrize("typed, message, kept", BAD_TITLES)
def test_saving_a_bad_title_explains_why_and_keeps_what_you_typed(todo, user, typed, message, kept):
    item = given(user, "Buy milk").item("Buy milk")
    before = todo.stored()
    page = user.get(item.edit_url)
    page = user.submit(page.form(f"/{item.id}/edit"), title=typed)
    assert page.response.status_code == 400
    assert page.h1 == "Edit todo"
    assert page.title == "Edit “Buy milk”", "the page names the todo as it is saved"
    assert page.texts("field-error") == [message]
    title = page.form(f"/{item.id}/edit").inputs["title"]
    assert (title.get("value") or "").strip() == kept
    assert title.get("aria-invalid") == "true"
    assert page.find(class_="field-error").attrs.get("id") == title.get("aria-describedby")
    assert todo.stored() == before


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/999999/edit"),
        ("POST", "/999999/edit"),
        ("POST", "/999999/toggle"),
        ("POST", "/999999/delete"),
        ("GET", "/abc/edit"),
        ("POST", "/abc/toggle"),
        ("GET", "/99999999999999999999999/edit"),
        ("POST", "/99999999999999999999999/toggle"),
        ("GET", "/no/such/page"),
    ],
)
def test_an_unknown_todo_gets_the_404_page(todo, user, method, path):
    page = given(user, "Buy milk")
    before = todo.stored()
    if method == "GET":
        page = user.get(path)
    else:  # a valid CSRF token, so that only the id is wrong
        page = user.post(path, {**page.form("/add").fields, "title": "Walk dog"})
    assert page.response.status_code == 404
    assert page.h1 == "Page not found"
    assert STYLESHEET in page.response.text
    assert todo.stored() == before


@pytest.mark.parametrize(
    "path", ["/add", "/{id}/toggle", "/{id}/delete", "/toggle-all", "/clear-completed"]
)
def test_get_on_a_post_only_path_is_not_allowed(todo, user, path):
    item = given(user, "Buy milk", done=["Buy milk"]).item("Buy milk")
    before = todo.stored()
    response = user.get(path.format(id=item.id), allow_redirects=False).response
    assert response.status_code == 405
    assert todo.stored() == before


@pytest.mark.parametrize("token", ["missing", "wrong"])
@pytest.mark.parametrize(
    "action",
    ["/add", "/{id}/toggle", "/{id}/edit", "/{id}/delete", "/toggle-all", "/clear-completed"],
)
def test_a_post_without_a_valid_csrf_token_is_forbidden_and_changes_nothing(
    todo, user, action, token
):
    page = given(user, "Walk dog", "Buy milk", done=["Buy milk"])
    item = page.item("Buy milk")
    if action == "/{id}/edit":
        page = user.get(item.edit_url)
    form = page.form(action.format(id=item.id))
    before = todo.stored()
    name = csrf_field(form)
    typed = {"title": "Hacked"} if "title" in form.inputs else {}
    typed[name] = None if token == "missing" else "x" * len(form.fields[name])
    response = user.submit(form, follow=False, **typed).response
    assert response.status_code == 403
    assert todo.stored() == before


def test_a_form_with_a_stale_token_gets_a_403_page_that_says_what_to_do(todo, user):
    """A token that is not this session's (a page kept open across a new login, say): the
    403 page in the site's layout, with the headers of every other page."""
    page = given(user, "Walk dog")
    form = page.form("/add")
    stale = Browser(todo.url).get("/login").form("/login")  # another session's token
    before = todo.stored()
    name = csrf_field(form)
    refused = user.submit(form, follow=False, title="Buy milk", **{name: stale.fields[name]})
    assert refused.response.status_code == 403
    assert refused.response.headers["Content-Type"].startswith("text/html")
    assert refused.title == refused.h1 == "Form expired"
    assert "nothing was changed" in refused.text("p")
    assert "Reload the page and send the form again." in refused.text("p")
    assert refused.links["Back to the list"] == "/"
    assert STYLESHEET in refused.response.text
    assert security_headers(refused.response) == security_headers(page.response)
    assert todo.stored() == before


def test_an_oversized_request_body_is_refused_and_nothing_is_stored(todo, user):
    page = given(user, "Walk dog")
    before = todo.stored()
    # A valid todo, padded past 64 KiB with a field the app ignores.
    response = user.submit(page.form("/add"), title="Buy milk", padding="x" * 70_000).response
    assert response.status_code in (413, 400)
    assert todo.stored() == before


def test_the_admin_is_django_only(todo, user):
    page = user.get("/admin/", allow_redirects=False)
    if todo.framework == "django":
        assert page.response.status_code == 302
        assert urlsplit(page.response.headers["Location"]).path == "/admin/login/"
    else:
        assert page.response.status_code == 404
        assert page.h1 == "Page not found"


@pytest.mark.parametrize(
    "digits",
    [
        pytest.param(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"), id="arabic-indic"),
        pytest.param(str.maketrans("0123456789", "０１２３４５６７８９"), id="full-width"),
    ],
)
def test_only_ascii_digits_are_ids(todo, user, digits):
    page = given(user, "Buy milk")
    item = page.item("Buy milk")
    other_id = str(item.id).translate(digits)
    assert other_id != str(item.id)
    before = todo.stored()
    page = user.get(f"/{other_id}/edit")
    assert page.response.status_code == 404
    assert page.h1 == "Page not found"
    for action in ("toggle", "edit", "delete"):
        fields = {**item.forms["toggle"].fields, "title": "Walk dog"}
        response = user.post(f"/{other_id}/{action}", fields, follow=False).response
        assert response.status_code == 404, action
    assert todo.stored() == before


def test_a_list_of_500_todos_is_full_and_says_so(todo, user):
    fill(todo.db, 499)
    page = user.get("/")
    page = user.submit(page.form("/add"), title="The 500th")
    assert page.response.status_code == 200
    assert page.texts("message") == ["Added “The 500th”."]
    assert len(page.items) == 500
    before = todo.stored()

    page = user.submit(page.form("/add"), title="One too many")
    assert page.response.status_code == 400
    assert page.texts("field-error") == [FULL]
    assert page.form("/add").inputs["title"].get("value") == "One too many"
    assert todo.stored() == before

    page = user.submit(page.item("The 500th").forms["delete"])
    page = user.submit(page.form("/add"), title="One too many")
    assert page.texts("message") == ["Added “One too many”."]
    assert len(todo.stored()) == 500


def test_a_full_list_refuses_the_next_todo_from_every_list(todo, user):
    fill(todo.db, 500, done=True)
    page = user.get("/completed")
    before = todo.stored()
    page = user.submit(page.form("/add"), title="Buy milk")
    assert page.response.status_code == 400
    assert page.current_links == ["Completed"]
    assert page.texts("field-error") == [FULL]
    assert todo.stored() == before
    page = user.submit(page.form("/clear-completed"))
    assert page.texts("message") == ["Cleared 500 completed todos."]
    page = user.submit(page.form("/add"), title="Buy milk")
    assert page.texts("message") == ["Added “Buy milk”."]
    assert [t.title for t in todo.stored()] == ["Buy milk"]


def test_adds_sent_at_once_to_an_almost_full_list_stop_at_500(todo, user):
    """Ten adds at the same moment to a list of 495: five are added, five refused."""
    fill(todo.db, 495)
    form = user.get("/").form("/add")
    users = [user.copy() for _ in range(10)]
    adds = [
        lambda user=user, title=f"At once {number}": user.submit(form, title=title, follow=False)
        for number, user in enumerate(users)
    ]
    statuses = [page.response.status_code for page in race(*adds)]
    assert len(todo.stored()) == 500
    assert sorted(statuses) == [303] * 5 + [400] * 5


# Two visitors at once


def race(*requests):
    """Send the requests at the same moment; the response of each."""
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        start = threading.Barrier(len(requests))

        def send(request):
            start.wait(timeout=10)
            return request()

        return list(pool.map(send, requests))


@pytest.mark.parametrize("action", ["edit", "toggle"])
def test_a_todo_deleted_meanwhile_stays_deleted(todo, user, action):
    """One visitor edits or toggles a todo while another deletes it: whichever comes
    second, the todo is gone at the end, and the edit or toggle answers 303 or 404."""
    other = todo.browser()
    deadline = time.monotonic() + 15
    rounds = 0
    while rounds < 30 and time.monotonic() < deadline:
        rounds += 1
        title = f"Race {rounds}"
        item = given(user, title).item(title)
        edit_page = user.get(item.edit_url)
        other_page = other.get("/")
        change = edit_page.form(f"/{item.id}/edit") if action == "edit" else item.forms["toggle"]
        delete = other_page.item(title).forms["delete"]
        changed, deleted = race(
            lambda change=change: user.submit(change, follow=False, title="Edited").response,
            lambda delete=delete: other.submit(delete, follow=False).response,
        )
        assert deleted.status_code == 303
        assert changed.status_code in (303, 404), changed.text
        assert item.id not in [t.id for t in todo.stored()], f"round {rounds}"
    assert rounds >= 10
    assert todo.stored() == []


def test_an_edit_at_the_moment_of_a_toggle_loses_neither(todo, user):
    """One visitor renames a todo while another ticks it off: both answered 303, the todo
    ends with the new title and ticked (an edit saves the title only)."""
    other = todo.browser()
    for rounds in range(1, 11):
        title = f"Race {rounds}"
        item = given(user, title).item(title)
        edit = user.get(item.edit_url).form(f"/{item.id}/edit")
        toggle = other.get("/").item(title).forms["toggle"]
        edited, toggled = race(
            lambda edit=edit, new=f"Edited {rounds}": (
                user.submit(edit, follow=False, title=new).response
            ),
            lambda toggle=toggle: other.submit(toggle, follow=False).response,
        )
        assert (edited.status_code, toggled.status_code) == (303, 303)
        [stored] = [t for t in todo.stored() if t.id == item.id]
        assert (stored.title, stored.done) == (f"Edited {rounds}", True), f"round {rounds}"


def test_six_toggles_at_once_each_count(todo, user):
    """Six visitors tick the same todo at the same moment: each toggle answered 303 counts,
    so after an even number it is as it was (one atomic change each, none lost)."""
    others = [todo.browser() for _ in range(6)]
    for rounds in range(1, 6):
        title = f"Toggled {rounds}"
        item = given(user, title).item(title)
        forms = [other.get("/").item(title).forms["toggle"] for other in others]
        toggles = [
            lambda other=other, form=form: other.submit(form, follow=False).response
            for other, form in zip(others, forms, strict=True)
        ]
        assert [response.status_code for response in race(*toggles)] == [303] * 6
        [stored] = [t for t in todo.stored() if t.id == item.id]
        assert stored.done is False, f"round {rounds}: six toggles left it done"


# The database file


def test_todos_and_open_pages_survive_a_restart(todo, user):
    page = given(user, "Walk dog", "Buy milk", done=["Buy milk"])
    todo.stop()
    todo.start()
    after = user.get("/")
    assert [(item.title, item.done) for item in after.items] == [
        ("Walk dog", False),
        ("Buy milk", True),
    ]
    # A page opened before the restart still works: its CSRF token and cookies are still good.
    after = user.submit(page.form("/add"), title="Read book")
    assert after.response.status_code == 200
    assert after.texts("message") == ["Added “Read book”."]
    assert titles(after) == ["Walk dog", "Buy milk", "Read book"]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_first_start_creates_the_database(serve, tmp_path, framework):
    db = tmp_path / "todo.sqlite3"
    assert not db.exists()
    with serve(f"todo_{framework}.py", env={"DEBUG": "0", "TODO_DB": str(db)}) as server:
        user = Browser(server.url)
        page = user.sign_up(USERNAME, PASSWORD)
        assert page.response.status_code == 200
        assert_empty_state(page)
        page = user.submit(page.form("/add"), title="Buy milk")
        assert page.texts("message") == ["Added “Buy milk”."]
        assert titles(page) == ["Buy milk"]
    assert db.exists()
