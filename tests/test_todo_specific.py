"""What only one framework's To Do app has: Django's admin, and each framework's way of
counting the queries behind the list page (which must not grow with the list)."""

import importlib
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pages import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


# Django's admin


SERVERS = {
    "development server": ["todo_django.py"],
    "gunicorn": [
        "-m",
        "gunicorn",
        "--workers=4",
        "--bind=127.0.0.1:{port}",
        "todo_django:application",
    ],
    "waitress": ["-m", "waitress", "--listen=127.0.0.1:{port}", "todo_django:application"],
}
GUNICORN_ON_WINDOWS = pytest.mark.skipif(
    sys.platform == "win32", reason="gunicorn runs only on Unix-like systems"
)


@pytest.fixture(
    scope="module",
    params=[
        "development server",
        pytest.param("gunicorn", marks=GUNICORN_ON_WINDOWS),
        "waitress",
    ],
)
def django_app(request, serve, tmp_path_factory):
    """The Django app with debug off, served on a database that has a superuser "admin"."""
    db = tmp_path_factory.mktemp("todo_admin") / "todo.sqlite3"
    env = {"DEBUG": "0", "TODO_DB": str(db), "SECRET_KEY": "a-secret-for-the-tests-only-" * 2}
    created = subprocess.run(
        [sys.executable, "todo_django.py", "createsuperuser", "--noinput"]
        + ["--username", "admin", "--email", "a@example.com"],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    with serve(*SERVERS[request.param], env=env) as server:
        server.db = db
        yield server


def log_in_to_the_admin(user):
    _, page = user.get("/admin/login/?next=/admin/")
    response, page = user.submit(page.form("/admin/login/"), username="admin", password=PASSWORD)
    assert urlsplit(response.url).path == "/admin/", page.text(class_="errornote")


def test_a_todo_changed_in_the_admin_shows_the_change_in_the_app(django_app):
    user = Browser(django_app.url)
    _, page = user.get("/")
    user.submit(page.form("/add"), title="Buy milk")
    with closing(sqlite3.connect(django_app.db)) as db:
        ((todo_id,),) = db.execute("SELECT id FROM todo WHERE title = 'Buy milk'").fetchall()

    log_in_to_the_admin(user)
    response, page = user.get("/admin/todo/todo/")
    assert response.status_code == 200
    assert urlsplit(page.links["Buy milk"]).path == f"/admin/todo/todo/{todo_id}/change/"

    response, page = user.get(f"/admin/todo/todo/{todo_id}/change/")
    assert response.status_code == 200
    (form,) = [form for form in page.forms if "title" in form.inputs]
    assert form.fields["title"] == "Buy milk"
    assert "done" in form.inputs
    response, page = user.submit(form, title="Buy oat milk", _save="Save")
    assert response.status_code == 200
    assert urlsplit(response.url).path == "/admin/todo/todo/"
    assert "Buy oat milk" in page.links

    _, page = user.get("/")
    assert [item.title for item in page.items] == ["Buy oat milk"]


def test_the_admin_pages_have_their_stylesheets_with_debug_off(django_app):
    user = Browser(django_app.url)
    _, page = user.get("/admin/login/")
    links = page.find_all("link")
    stylesheets = [link.attrs["href"] for link in links if link.attrs.get("rel") == "stylesheet"]
    assert stylesheets
    for href in stylesheets:
        response, _ = user.get(href)
        assert response.status_code == 200, href
        assert response.headers["Content-Type"].startswith("text/css"), href


# The list page's queries do not grow with the list


def test_flask_list_page_runs_as_many_queries_for_50_todos_as_for_1(monkeypatch, tmp_path):
    monkeypatch.setenv("TODO_DB", str(tmp_path / "todo.sqlite3"))
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "a-secret-for-the-tests-only-" * 2)
    statements = []
    connect = sqlite3.connect

    def traced_connect(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(sqlite3, "connect", traced_connect)
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.delitem(sys.modules, "todo_flask", raising=False)
    client = importlib.import_module("todo_flask").app.test_client()

    def add(count):
        form = Page(client.get("/").get_data(as_text=True)).form("/add")
        for number in range(count):
            response = client.post("/add", data={**form.fields, "title": f"Todo {number}"})
            assert response.status_code == 303

    def statements_behind_the_list_page():
        client.get("/")  # shows (and so clears) the pending messages
        statements.clear()
        response = client.get("/")
        assert response.status_code == 200
        return len(statements), len(Page(response.get_data(as_text=True)).items)

    add(1)
    one, shown = statements_behind_the_list_page()
    assert shown == 1
    add(49)
    fifty, shown = statements_behind_the_list_page()
    assert shown == 50
    assert one > 0
    assert fifty == one


DJANGO_QUERY_COUNT = """
import json

import todo_django
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

client = Client(HTTP_HOST="localhost")


def add(count):
    for number in range(count):
        response = client.post("/add", {"title": f"Todo {number}", "next": "/"})
        assert response.status_code == 303, response.status_code


def queries_behind_the_list_page():
    client.get("/")  # shows (and so clears) the pending messages
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200, response.status_code
    return len(queries), response.content.decode()


add(1)
one = queries_behind_the_list_page()
add(49)
fifty = queries_behind_the_list_page()
print(json.dumps({"one": one, "fifty": fifty}))
"""


def test_django_list_page_runs_as_many_queries_for_50_todos_as_for_1(tmp_path):
    # Django can be configured once per process: count in a process of its own.
    env = {
        **os.environ,
        "TODO_DB": str(tmp_path / "todo.sqlite3"),
        "DEBUG": "0",
        "SECRET_KEY": "a-secret-for-the-tests-only-" * 2,
    }
    result = subprocess.run(
        [sys.executable, "-c", DJANGO_QUERY_COUNT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    counts = json.loads(result.stdout.splitlines()[-1])
    (one, page_one), (fifty, page_fifty) = counts["one"], counts["fifty"]
    assert (len(Page(page_one).items), len(Page(page_fifty).items)) == (1, 50)
    assert one > 0
    assert fifty == one
