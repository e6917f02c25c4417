"""The SQL queries behind the To Do list page for a logged-in user, each framework counted
its own way: Flask's with sqlite3's trace callback (on every connection the
app opens, even one it keeps open) and its test client, Django's with CaptureQueriesContext
and its test client.

    TODO_DB=... DEBUG=0 SECRET_KEY=... python tests/count_queries.py django 10 500

It signs up USERNAME with the app's own form (which logs them in), then, for each number of
todos, seeds that user's list with that many, opens the list page once (what is built on
first use, is built then) and counts the queries behind the next opening;
it prints [[queries, todos shown], ...] as JSON. A process of its own: Django can be configured
only once per process. helpers.count_queries() runs it, for the tests and the benchmark.
"""

import importlib
import json
import os
import sqlite3
import sys

from helpers import PASSWORD, ROOT, USERNAME, seed
from pages import Page

sys.path.insert(0, str(ROOT))  # where the scripts are


SIGN_UP = {"username": USERNAME, "password1": PASSWORD, "password2": PASSWORD}


def flask_list_page():
    """A function that opens the list page as a logged-in user: (queries, the page's HTML)."""
    statements, connect = [], sqlite3.connect

    def traced_connect(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    sqlite3.connect = traced_connect  # before the app opens its first connection
    import todo_flask

    client = todo_flask.app.test_client()  # keeps its cookies, as a browser does
    form = Page(client.get("/signup").get_data(as_text=True)).form("/signup")
    signed_up = client.post("/signup", data={**form.fields, **SIGN_UP})
    assert signed_up.status_code == 302, signed_up.get_data(as_text=True)

    def list_page():
        statements.clear()
        response = client.get("/")
        assert response.status_code == 200, response.status_code
        return len(statements), response.get_data(as_text=True)

    return list_page


def django_list_page():
    """The same for Django."""
    importlib.import_module("todo_django")  # configures Django: first
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")  # keeps its cookies; checks no CSRF token
    signed_up = client.post("/signup", SIGN_UP)
    assert signed_up.status_code == 302, signed_up.content.decode()

    def list_page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200, response.status_code
        return len(queries), response.content.decode()

    return list_page


def main():
    framework, *counts = sys.argv[1:]
    list_page = {"flask": flask_list_page, "django": django_list_page}[framework]()
    db, found = os.environ["TODO_DB"], []
    for count in map(int, counts):
        seed(db, count)
        list_page()
        queries, html = list_page()
        found.append([queries, len(Page(html).items)])
    print(json.dumps(found))


if __name__ == "__main__":
    main()
