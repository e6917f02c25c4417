"""The SQL queries behind the To Do list page for a first-time visitor (no cookies), each
framework counted its own way: Flask's with sqlite3's trace callback (on every connection the
app opens, even one it keeps open) and its test client, Django's with CaptureQueriesContext
and its test client.

    TODO_DB=... DEBUG=0 SECRET_KEY=... python tests/count_queries.py django 10 500

For each number of todos, it seeds the database with that many, opens the list page once
(what is built on first use, is built then) and counts the queries behind the next opening;
it prints [[queries, todos shown], ...] as JSON. A process of its own: Django can be configured
only once per process. helpers.count_queries() runs it, for the tests and the benchmark.
"""

import importlib
import json
import os
import sqlite3
import sys

from helpers import ROOT, seed
from pages import Page

sys.path.insert(0, str(ROOT))  # where the scripts are


def flask_list_page():
    """A function that opens the list page: (queries, the page's HTML)."""
    statements, connect = [], sqlite3.connect

    def traced_connect(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    sqlite3.connect = traced_connect  # before the app opens its first connection
    import todo_flask

    def list_page():
        statements.clear()
        response = todo_flask.app.test_client().get("/")  # a new client: no cookies
        assert response.status_code == 200, response.status_code
        return len(statements), response.get_data(as_text=True)

    return list_page


def django_list_page():
    """The same for Django."""
    importlib.import_module("todo_django")  # configures Django: first
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def list_page():
        with CaptureQueriesContext(connection) as queries:
            response = Client(HTTP_HOST="localhost").get("/")  # a new client: no cookies
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
