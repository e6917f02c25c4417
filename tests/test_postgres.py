"""Past one machine: the Django To Do app on PostgreSQL, with two app servers (two gunicorn
processes on two ports, standing for two hosts) sharing one database. The contract itself
runs on PostgreSQL in test_todo.py; here, what only several app servers can show."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from helpers import NOT_ON_WINDOWS, free_port, run, stored
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


def adder(url, client):
    """A visitor who opened the list; add(n) adds "client <client> todo <n>": its status."""
    user = Browser(url)
    form = user.get("/").form("/add")

    def add(number):
        title = f"client {client} todo {number}"
        return title, user.submit(form, title=title, follow=False).response.status_code

    return add


@NOT_ON_WINDOWS  # gunicorn
def test_eight_clients_on_two_app_servers_store_every_todo_once(two_app_servers):
    db, servers = two_app_servers

    def client(number):
        add = adder(servers[number % 2].url, number)
        return [add(n) for n in range(25)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [result for answers in pool.map(client, range(8)) for result in answers]
    assert [status for _, status in results] == [303] * 200
    titles = [todo.title for todo in stored(db)]
    assert sorted(titles) == sorted(title for title, _ in results)
    assert len(set(titles)) == 200, "each todo once"
    for server in servers:  # each server shows what the other stored
        assert len(Browser(server.url).get("/").items) == 200


@NOT_ON_WINDOWS
def test_an_app_server_killed_mid_burst_loses_no_answered_todo(two_app_servers):
    db, (doomed, survivor) = two_app_servers
    answered = []

    def keep_adding(url, client):
        add = adder(url, client)
        for number in range(200):  # bounded: the kill comes long before
            try:
                title, status = add(number)
            except requests.ConnectionError:
                return
            if status == 303:
                answered.append(title)

    clients = [
        threading.Thread(target=keep_adding, args=(server.url, number))
        for number, server in enumerate([doomed, survivor] * 2)
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
    assert survivor.running() and requests.get(survivor.url + "/").status_code == 200
    titles = [todo.title for todo in stored(db)]
    assert set(answered) <= set(titles), "every add that was answered is stored"
    assert len(titles) == len(set(titles)), "each todo once"


@NOT_ON_WINDOWS
def test_app_servers_serve_on_after_a_database_restart(postgres, two_app_servers):
    """Every worker of both app servers holds a connection from before the restart; each
    checks it before its next request (CONN_HEALTH_CHECKS) and opens a new one, so not one
    request fails once the database is back."""
    db, servers = two_app_servers
    adds = [adder(server.url, number) for number, server in enumerate(servers)]
    for add in adds:  # every worker opens its connection
        assert [add(n)[1] for n in range(8)] == [303] * 8
    postgres.restart()
    restarted = time.monotonic()
    for add in adds:
        assert [add(n)[1] for n in range(8, 20)] == [303] * 12
    assert time.monotonic() - restarted < 10
    assert len(stored(db)) == 2 * 20


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
