"""What only one framework's To Do app has: Django's admin, and each framework's way of
counting the queries behind the list page (which must not grow with the list)."""

from urllib.parse import urlsplit

import pytest
from helpers import NOT_ON_WINDOWS, PASSWORD, USERNAME, count_queries, logged_in
from pages import Browser

# Django's admin

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
