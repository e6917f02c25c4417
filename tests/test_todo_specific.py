"""What only one framework's To Do app has: Django's admin, and each framework's way of
counting the queries behind the list page (which must not grow with the list)."""

import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from helpers import (
    NOT_ON_WINDOWS,
    PASSWORD,
    USERNAME,
    count_queries,
    database,
    fill,
    logged_in,
    owners,
)
from pages import Browser

# Django's admin

FULL = "The list is full (500 todos): clear completed ones or delete some first."

# The Django To Do app with debug off (conftest.py's `todo`), served each way.
ON_EACH_SERVER = pytest.mark.parametrize(
    "todo",
    [
        pytest.param(("django", "python"), id="development server"),
        pytest.param(("django", "gunicorn"), id="gunicorn", marks=NOT_ON_WINDOWS),
        pytest.param(("django", "waitress"), id="waitress"),
    ],
    indirect=True,
)


def log_in_to_the_admin(user, username, password):
    page = user.get("/admin/login/?next=/admin/")
    page = user.submit(page.form("/admin/login/"), username=username, password=password)
    assert urlsplit(page.response.url).path == "/admin/", page.text(class_="errornote")


@ON_EACH_SERVER
def test_a_todo_changed_in_the_admin_shows_the_change_in_the_app(todo, superuser):
    todo.empty()
    user = todo.browser()
    page = user.get("/")
    user.submit(page.form("/add"), title="Buy milk")
    (todo_id,) = [t.id for t in todo.stored() if t.title == "Buy milk"]

    admin = Browser(todo.url)  # the superuser, in a browser of their own
    log_in_to_the_admin(admin, *superuser)
    page = admin.get("/admin/todo/todo/")
    assert page.response.status_code == 200
    assert urlsplit(page.links["Buy milk"]).path == f"/admin/todo/todo/{todo_id}/change/"
    (row,) = [row for row in page.find_all("tr") if "Buy milk" in row.text]
    assert USERNAME in row.text, "each todo with its owner"
    filters = {text: href for text, href in page.links.items() if "user__id__exact" in href}
    assert USERNAME in filters, "todos filtered by owner"
    page = admin.get("/admin/todo/todo/" + filters[USERNAME])
    assert "Buy milk" in page.links

    page = admin.get(f"/admin/todo/todo/{todo_id}/change/")
    assert page.response.status_code == 200
    (form,) = [form for form in page.forms if "title" in form.inputs]
    assert form.fields["title"] == "Buy milk"
    assert "done" in form.inputs
    page = admin.submit(form, title="Buy oat milk", _save="Save")
    assert page.response.status_code == 200
    assert urlsplit(page.response.url).path == "/admin/todo/todo/"
    assert "Buy oat milk" in page.links

    page = user.get("/")
    assert [item.title for item in page.items] == ["Buy oat milk"]


@pytest.mark.parametrize("todo", ["django", "django+postgres"], indirect=True)
def test_the_admin_list_takes_its_own_filters_only(todo, superuser):
    """The list's own filters and search work; a lookup the admin offers nowhere (a regular
    expression the database cannot compile, say) is refused with 400, never sent on."""
    admin = Browser(todo.url)
    log_in_to_the_admin(admin, *superuser)
    for query in ["?done__exact=1", "?user__id__exact=1", "?q=milk", "?o=2", "?p=1"]:
        assert admin.get("/admin/todo/todo/" + query).response.status_code == 200, query
    for query in ["?title__regex=(", "?title__iregex=[", "?user__password__startswith=p"]:
        page = admin.get("/admin/todo/todo/" + query)
        assert page.response.status_code == 400, query
    assert "Traceback" not in todo.output()


@pytest.mark.parametrize("todo", ["django", "django+postgres"], indirect=True)
def test_deleting_a_user_in_the_admin_deletes_their_todos(todo, superuser):
    todo.empty()
    leaving = logged_in(todo.url, "leaving", PASSWORD)
    staying = todo.browser()
    for user, title in [(leaving, "Mine"), (staying, "Theirs")]:
        user.submit(user.get("/").form("/add"), title=title)
    admin = Browser(todo.url)
    log_in_to_the_admin(admin, *superuser)
    page = admin.get("/admin/auth/user/")
    user_page = admin.get(page.links["leaving"])
    page = admin.get(user_page.links["Delete"])
    assert "Todo: Mine" in page.text("main") or "Mine" in page.text("main"), "it says what goes"
    (form,) = [form for form in page.forms if "post" in form.fields]
    admin.submit(form)
    assert [t.title for t in todo.stored()] == ["Theirs"]
    assert leaving.get("/").h1 == "Log in", "the account is gone"


def admin_form(page):
    """The admin's form for a todo, on its add or change page."""
    (form,) = [form for form in page.forms if "title" in form.inputs]
    return form


def user_id(db, username):
    with database(db) as (cursor, mark):
        cursor.execute(f"SELECT id FROM auth_user WHERE username = {mark}", (username,))
        return str(cursor.fetchone()[0])


@pytest.mark.parametrize("todo", ["django", "django+postgres"], indirect=True)
def test_the_admin_keeps_each_list_to_500_todos(todo, superuser):
    """In the admin too, a full list takes no other todo: neither a new one nor one given to
    its owner from another list; the admin says why, with the list's own message."""
    todo.empty()
    todo.browser()  # USERNAME's account
    other = logged_in(todo.url, "bob", PASSWORD)
    other.submit(other.get("/").form("/add"), title="Bob's")
    fill(todo.db, 500)  # USERNAME's list is full
    before, owned = todo.stored(), owners(todo.db)
    (bobs,) = [t.id for t in before if t.title == "Bob's"]
    full = user_id(todo.db, USERNAME)
    admin = Browser(todo.url)
    log_in_to_the_admin(admin, *superuser)

    form = admin_form(admin.get("/admin/todo/todo/add/"))
    page = admin.submit(form, title="One too many", user=full, _save="Save")
    assert page.response.status_code == 200
    assert page.text(class_="errorlist") == FULL
    form = admin_form(admin.get(f"/admin/todo/todo/{bobs}/change/"))
    page = admin.submit(form, user=full, _save="Save")
    assert page.response.status_code == 200
    assert page.text(class_="errorlist") == FULL
    assert (todo.stored(), owners(todo.db)) == (before, owned)

    form = admin_form(admin.get(f"/admin/todo/todo/{bobs}/change/"))
    page = admin.submit(form, title="Bob's, renamed", _save="Save")  # the same owner: fine
    assert urlsplit(page.response.url).path == "/admin/todo/todo/"
    assert "Bob's, renamed" in page.links


def waiting_for_a_lock(db, count):
    """Wait until `count` connections to the PostgreSQL database `db` wait for a lock."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with database(db) as (cursor, _):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.05)
    raise AssertionError(f"{count} connections did not come to wait for a lock")


@pytest.mark.parametrize("todo", ["django+postgres"], indirect=True)
def test_saving_in_the_admin_never_brings_back_a_todo_deleted_meanwhile(todo, superuser):
    """The superuser saves a todo's change form while a visitor's delete of it is under way:
    here a transaction of the test's own, which has deleted the row and not yet committed.
    Once it commits, the todo stays deleted, and the admin says it is gone (404)."""
    todo.empty()
    user = todo.browser()
    user.submit(user.get("/").form("/add"), title="Buy milk")
    (todo_id,) = [t.id for t in todo.stored()]
    admin = Browser(todo.url)
    log_in_to_the_admin(admin, *superuser)
    form = admin_form(admin.get(f"/admin/todo/todo/{todo_id}/change/"))
    with database(todo.db) as (visitor, mark), ThreadPoolExecutor(max_workers=1) as pool:
        visitor.execute(f"DELETE FROM todo WHERE id = {mark}", (todo_id,))
        saving = pool.submit(admin.submit, form, title="Buy oat milk", _save="Save")
        waiting_for_a_lock(todo.db, 1)  # the admin's save waits for the delete
        visitor.connection.commit()
        page = saving.result()
    assert todo.stored() == []
    assert page.response.status_code == 404


@ON_EACH_SERVER
def test_the_admin_pages_have_their_stylesheets_with_debug_off(todo):
    user = Browser(todo.url)
    page = user.get("/admin/login/")
    links = page.find_all("link")
    stylesheets = [link.attrs["href"] for link in links if link.attrs.get("rel") == "stylesheet"]
    assert stylesheets
    for href in stylesheets:
        response = user.get(href).response
        assert response.status_code == 200, href
        assert response.headers["Content-Type"].startswith("text/css"), href


# The list page's queries do not grow with the list: each framework counts its own way, for
# a first-time visitor, in a process of its own (count_queries.py).


def check_the_list_page_runs_as_many_queries_for_50_todos_as_for_1(framework, tmp_path):
    (one, shown_one), (fifty, shown_fifty) = count_queries(
        framework, tmp_path / "todo.sqlite3", [1, 50]
    )
    assert (shown_one, shown_fifty) == (1, 50)
    assert one > 0
    assert fifty == one


def test_flask_list_page_runs_as_many_queries_for_50_todos_as_for_1(tmp_path):
    check_the_list_page_runs_as_many_queries_for_50_todos_as_for_1("flask", tmp_path)


def test_django_list_page_runs_as_many_queries_for_50_todos_as_for_1(tmp_path):
    check_the_list_page_runs_as_many_queries_for_50_todos_as_for_1("django", tmp_path)
