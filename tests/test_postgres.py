"""Past one machine: the Django To Do app on PostgreSQL, with two app servers (two gunicorn
processes on two ports, standing for two hosts) sharing one database. The contract itself
runs on PostgreSQL in test_todo.py; here, what only several app servers can show. One user
logs in on the first server; each server gets a copy of that browser's cookies. Then what
only a PostgreSQL server can show: a lock held too long, every connection slot taken."""

import contextlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from helpers import NOT_ON_WINDOWS, USERNAME, free_port, logged_in, run, stored
from pages import Browser


@pytest.fixture
def two_app_servers(postgres, serve_todo):
    """Two gunicorns (four workers each) serving todo_django.py on one new database."""
    db = postgres.database()
    with (
        serve_todo("django", db, "gunicorn") as first,
        serve_todo("django", db, "gunicorn") as second,
    ):
        yield db, [first, second]


def browsers(servers):
    """One browser for each server, all logged in as one user, on the first server."""
    user = logged_in(servers[0].url)
    return [Browser(server.url, cookies=user.session.cookies.copy()) for server in servers]


def adder(user, client):
    """A user who opened the list; add(n) adds "client <client> todo <n>": its status."""
    form = user.get("/").form("/add")

    def add(number):
        title = f"client {client} todo {number}"
        return title, user.submit(form, title=title, follow=False).response.status_code

    return add


@NOT_ON_WINDOWS  # gunicorn
def test_logged_in_on_one_app_server_is_logged_in_on_the_other(two_app_servers):
    db, servers = two_app_servers
    first, second = browsers(servers)
    page = second.get("/")
    assert page.response.status_code == 200
    assert page.text(class_="account") == f"Logged in as {USERNAME} Log out"
    second.submit(page.form("/add"), title="Buy milk")
    assert [item.title for item in first.get("/").items] == ["Buy milk"]
    page = second.submit(second.get("/").form("/logout"))
    assert page.h1 == "Log in"
    assert first.get("/").h1 == "Log in", "logged out of every server"


@NOT_ON_WINDOWS  # gunicorn
def test_eight_clients_on_two_app_servers_store_every_todo_once(two_app_servers):
    db, servers = two_app_servers
    users = browsers(servers)

    def client(number):
        add = adder(users[number % 2].copy(), number)
        return [add(n) for n in range(25)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [result for answers in pool.map(client, range(8)) for result in answers]
    assert [status for _, status in results] == [303] * 200
    titles = [todo.title for todo in stored(db)]
    assert sorted(titles) == sorted(title for title, _ in results)
    assert len(set(titles)) == 200, "each todo once"
    for user in users:  # each server shows what the other stored
        assert len(user.get("/").items) == 200


@NOT_ON_WINDOWS
def test_an_app_server_killed_mid_burst_loses_no_answered_todo(two_app_servers):
    db, (doomed, survivor) = two_app_servers
    users = browsers([doomed, survivor])
    answered = []

    def keep_adding(user, client):
        add = adder(user.copy(), client)
        for number in range(200):  # bounded: the kill comes long before
            try:
                title, status = add(number)
            except requests.ConnectionError:
                return
            if status == 303:
                answered.append(title)

    clients = [
        threading.Thread(target=keep_adding, args=(user, number))
        for number, user in enumerate(users * 2)
    ]
    for client in clients:
        client.start()
    deadline = time.monotonic() + 30
    while len(answered) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    doomed.stop()  # kill -9: the master and its workers, in the middle of the burst
    for client in clients:
        client.join(timeout=60)
    assert len(answered) >= 40
    assert survivor.running() and users[1].get("/").response.status_code == 200
    titles = [todo.title for todo in stored(db)]
    assert set(answered) <= set(titles), "every add that was answered is stored"
    assert len(titles) == len(set(titles)), "each todo once"


@NOT_ON_WINDOWS
def test_app_servers_serve_on_after_a_database_restart(postgres, two_app_servers):
    """Every worker of both app servers holds a connection from before the restart; each
    checks it before its next request (CONN_HEALTH_CHECKS) and opens a new one, so not one
    request fails once the database is back."""
    db, servers = two_app_servers
    adds = [adder(user, number) for number, user in enumerate(browsers(servers))]
    for add in adds:  # every worker opens its connection
        assert [add(n)[1] for n in range(8)] == [303] * 8
    postgres.restart()
    restarted = time.monotonic()
    for add in adds:
        assert [add(n)[1] for n in range(8, 20)] == [303] * 12
    assert time.monotonic() - restarted < 10
    assert len(stored(db)) == 2 * 20


@pytest.fixture
def app_server(postgres, serve_todo):
    """One todo_django.py (its development server) on a new database."""
    with serve_todo("django", postgres.database()) as server:
        yield server


def assert_busy_page(page):
    assert page.response.status_code == 503
    assert page.h1 == "Busy, try again"


def test_a_lock_held_past_10_s_gets_the_busy_page_and_changes_nothing(app_server):
    """Another connection holds the todo table (a migration, an administrator's LOCK): the
    app waits for it as long as on SQLite, 10 s, then says to try again (503)."""
    import psycopg  # requirements-postgres.txt (the `postgres` fixture checks)

    user = app_server.browser()
    form = user.get("/").form("/add")
    with psycopg.connect(app_server.db) as holder, ThreadPoolExecutor(max_workers=2) as pool:
        holder.execute("LOCK TABLE todo IN ACCESS EXCLUSIVE MODE")
        began = time.monotonic()
        listing = pool.submit(user.copy().get, "/")
        adding = pool.submit(user.copy().submit, form, title="Buy milk", follow=False)
        pages = [listing.result(), adding.result()]
        waited = time.monotonic() - began
        holder.rollback()
    for page in pages:
        assert_busy_page(page)
    assert 9 < waited < 20
    assert app_server.stored() == []
    page = user.submit(form, title="Buy milk")
    assert page.texts("message") == ["Added “Buy milk”."]


def test_with_every_connection_slot_taken_a_request_gets_the_busy_page(postgres, app_server):
    """The server has no connection left (max_connections): 503 at once, not a 500."""
    import psycopg

    user = app_server.browser()
    held = []
    try:
        with contextlib.suppress(psycopg.OperationalError):
            for _ in range(1000):  # far more than any server's default max_connections
                held.append(psycopg.connect(postgres.url()))
        assert len(held) < 1000, "every slot taken"
        page = user.get("/")
    finally:
        for connection in held:
            connection.close()
    assert_busy_page(page)
    assert user.get("/").response.status_code == 200


NO_DRIVER = """
import runpy, sys
sys.modules["psycopg"] = sys.modules["psycopg2"] = None  # as if neither were installed
sys.argv = ["todo_django.py", "check"]
runpy.run_path("todo_django.py", run_name="__main__")
"""


@pytest.mark.parametrize(
    "url, command, says",
    [
        pytest.param(
            "postgres://todo@127.0.0.1:{port}/todo",
            ["todo_django.py", "check"],
            "cannot use the database 127.0.0.1:{port}/todo: connection failed: connection to "
            'server at "127.0.0.1", port {port} failed: Connection refused',
            id="no-server-there",
        ),
        pytest.param(
            "postgres://todo@127.0.0.1:5432/todo",
            ["-c", NO_DRIVER],
            "install psycopg: python -m pip install -r requirements-postgres.txt",
            id="no-psycopg",
        ),
        pytest.param(
            "mysql://todo@127.0.0.1/todo",
            ["todo_django.py", "check"],
            "DATABASE_URL must look like postgres://user:password@host:5432/name.",
            id="not-postgres",
        ),
    ],
)
def test_a_database_url_that_cannot_work_stops_the_app_with_one_line(url, command, says):
    port = free_port()  # nothing listens there
    result = run(*command, env={"DATABASE_URL": url.format(port=port)}, timeout=60)
    assert result.returncode == 3
    assert result.stderr.strip() == f"todo_django: {says.format(port=port)}"
