"""The fixtures: a server started from a script, a served To Do app, a headless Chromium.

The plain helpers behind them (ROOT, Server, stored(), ...) are in helpers.py: a test module
imports from there, never from conftest. A failing test shows the output of every server
that was running.
"""

import os

import pytest
from helpers import (
    CHROMIUM_ARGS,
    FRAMEWORKS,
    PostgresServer,
    Server,
    TodoServer,
    cannot_run,
    chromium,
    postgres_binaries,
)

# The scripts run in processes of their own, out of reach of pytest's filterwarnings: make
# warnings errors there too, so that a deprecation shows up in a failing test.
os.environ.setdefault("PYTHONWARNINGS", "error")
SERVERS = []  # servers made for the current test (or its module), for the failure report


def reported(server):
    """The server, whose output a failing test shows."""
    SERVERS.append(server)
    return server


@pytest.fixture(scope="session")
def serve():
    """Start a server: `with serve("site_flask.py") as server: requests.get(server.url)`.
    Its arguments are helpers.Server's: what follows `python`, then `env=`."""

    def serve(*command, env=None):
        return reported(Server(*command, env=env))

    return serve


@pytest.fixture(scope="session")
def serve_todo():
    """Serve a To Do app: `with serve_todo("django", db, "gunicorn") as server:`, with the
    arguments of a helpers.TodoServer."""

    def serve_todo(framework, db, how="python", env=None):
        return reported(TodoServer(framework, db, how, env=env))

    return serve_todo


@pytest.fixture(scope="module")
def todo(request, tmp_path_factory):
    """The To Do app of one framework, served with debug off for the whole module, on a
    database of its own: `todo.framework`, `todo.db`, `todo.stored()` (Todo named tuples),
    `todo.empty()`, and a helpers.Server's url, port, output(), stop() and start().

    It runs as `python todo_<framework>.py`, once per framework (see pytest_generate_tests
    below). Parametrize it indirectly with a framework, or "django+postgres" for Django on
    PostgreSQL, or with (framework, "gunicorn") or (framework, "waitress") to serve it so."""
    app, how = request.param if isinstance(request.param, tuple) else (request.param, "python")
    framework, _, on = app.partition("+")
    if on == "postgres":
        db = request.getfixturevalue("postgres").database()
    else:
        db = tmp_path_factory.mktemp(f"todo_{framework}") / "todo.sqlite3"
    with reported(TodoServer(framework, db, how)) as server:
        yield server


def pytest_generate_tests(metafunc):
    """A test that uses `todo` runs once per framework, unless it parametrizes `todo` itself;
    a module's TODO_APPS can name more (test_todo.py adds "django+postgres")."""
    own = [mark.args[0] for mark in metafunc.definition.iter_markers("parametrize")]
    own = {
        name.strip()
        for names in own
        for name in (names.split(",") if isinstance(names, str) else names)
    }
    if "todo" in metafunc.fixturenames and "todo" not in own:
        apps = getattr(metafunc.module, "TODO_APPS", FRAMEWORKS)
        metafunc.parametrize("todo", apps, indirect=True, scope="module")


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server of the session's own (helpers.PostgresServer), from the server
    programs on this machine; stopped at the end."""
    binaries = postgres_binaries()
    if binaries is None:
        cannot_run("no PostgreSQL server programs (initdb, pg_ctl): apt-get install postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        cannot_run("no psycopg: python -m pip install -r requirements-postgres.txt")
    server = PostgresServer(binaries).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def superuser(todo):
    """The served Django To Do app's admin has a superuser: its (username, password)."""
    return todo.create_superuser()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    executable = chromium()
    if not executable:
        cannot_run(
            "no Chromium for the browser tests: apt-get install chromium, "
            "or set CHROMIUM=/path/to/chrome"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        for server in SERVERS:
            if server.process is not None:
                report.sections.append((f"output of {server.name}", server.output()))
    if call.when == "teardown":  # forget the stopped ones: their output goes with them
        SERVERS[:] = [server for server in SERVERS if server.running()]
    return report
