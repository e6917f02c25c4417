"""The harness, once: the scripts and how to serve them, a server started the way the README
starts it, a To Do app's database, a program run to its end. The tests use it (their fixtures
are in conftest.py), and so do benchmarks/run.py and docs/screenshots.py, which put this
folder on their import path.

pytest can configure Django only once per process, and each script configures its own
framework, so nothing here imports a script: a Server runs one as a real process on a free
port on 127.0.0.1, waits until it answers, and stops it.
"""

import contextlib
import http.client
import itertools
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import weakref
from collections import namedtuple
from datetime import datetime, timedelta
from pathlib import Path

import psutil
import pytest
from pages import Browser

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ["hello_flask", "hello_django", "site_flask", "site_django", "todo_flask", "todo_django"]
FRAMEWORKS = ["flask", "django"]
CALLABLE = {"flask": "app", "django": "application"}  # each framework's WSGI callable
NOT_ON_WINDOWS = pytest.mark.skipif(
    sys.platform == "win32", reason="gunicorn runs only on Unix-like systems"
)
# Every server gets one, long and varied enough for the To Do apps with debug off.
SECRET_KEY = "a-secret-for-the-tests-only-" * 2
ADMIN = ("admin", "correct horse battery staple")  # the Django admin's superuser, when made
# The user a To Do test acts as (TodoServer.browser()), and a password every app accepts.
USERNAME, PASSWORD = "ann", "plum tree by the river"
STYLESHEET = (ROOT / "templates" / "style.css").read_text(encoding="utf-8")
STARTUP_SECONDS = 30
# The headers that ask a browser to be strict: every response of an app sends the same ones,
# an error page or robots.txt as much as a page.
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Cross-Origin-Embedder-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "X-XSS-Protection",
]


def framework(script):
    """The framework of a script: "flask" for "todo_flask", "django" for "todo_django"."""
    return script.rsplit("_", 1)[1]


def wsgi_target(script):
    """What a WSGI server imports: "todo_flask:app", "todo_django:application"."""
    return f"{script}:{CALLABLE[framework(script)]}"


def server_command(script, how="python", workers=4, target=None):
    """What follows `python` to serve a script: run directly ("python"), or its WSGI callable
    (or `target`) under "gunicorn" (with `workers` workers) or "waitress", on 127.0.0.1 at
    the {port}."""
    target = target or wsgi_target(script)
    if how == "python":
        return [f"{script}.py"]
    if how == "gunicorn":
        return ["-m", "gunicorn", f"--workers={workers}", "--bind=127.0.0.1:{port}", target]
    if how == "waitress":
        return ["-m", "waitress", "--listen=127.0.0.1:{port}", target]
    raise ValueError(f"serve with python, gunicorn or waitress, not {how!r}")


def security_headers(response):
    """{header: its value, or None} for each of SECURITY_HEADERS in an HTTP response."""
    return {header: response.headers.get(header) for header in SECURITY_HEADERS}


def environment(env=None):
    """os.environ with `env` applied, where None removes a variable."""
    merged = {**os.environ, **(env or {})}
    return {name: value for name, value in merged.items() if value is not None}


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kill(process):
    """Kill a process and its children (a development server's reloader starts one), and
    wait for it."""
    try:
        parent = psutil.Process(process.pid)
        family = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    for member in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.kill()
    process.wait(timeout=10)


def run(*command, env=None, cwd=ROOT, timeout=60):
    """Run `python *command` to its end, from the repository's root (or `cwd`), with
    environment(env); a CompletedProcess with what it printed, as text. Should it still run
    after `timeout` seconds, it is killed, its children too, and that is an error."""
    process = subprocess.Popen(
        [sys.executable, *command],
        cwd=cwd,
        env=environment(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(process)
        output = "".join(process.communicate())
        raise RuntimeError(f"python {' '.join(command)} kept running:\n{output}") from None
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def answers(port):
    """Whether something answers HTTP on the port (with any status)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):  # not listening yet, or still booting
        return False
    finally:
        connection.close()


class Server:
    """A command that serves HTTP on 127.0.0.1, run from the repository's root (or `cwd`).

    `command` is what follows `python`; "{port}" in it is replaced by the port, which is also
    given to the process as the PORT environment variable, beside SECRET_KEY and whatever
    `env` adds or overrides (None removes a variable). Use it as a context manager: it waits
    until the server answers, and stops it afterwards. What the process prints is kept, for
    output(), until the Server is gone.
    """

    def __init__(self, *command, env=None, cwd=ROOT):
        self._command = command
        self._env = env or {}
        self.cwd = cwd
        self.process = None
        self.started_in = None  # seconds from the launch to the first answer
        folder = tempfile.mkdtemp(prefix="server-")
        weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
        self._log = Path(folder) / "output.log"
        self._use_port(free_port())

    def _use_port(self, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.command = [sys.executable, *(part.format(port=port) for part in self._command)]
        self.env = environment(
            {"PYTHONUNBUFFERED": "1", "PORT": str(port), "SECRET_KEY": SECRET_KEY, **self._env}
        )

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        """Start the process and wait until it answers HTTP (any status).

        Tests run in parallel: if another process took the port in the meantime, the
        server says so and exits, and it is started again on another port.
        """
        try:
            for _attempt in range(3):
                if self._start():
                    return
                self._use_port(free_port())
            raise RuntimeError(f"{self.name} found no free port:\n{self.output()}")
        except BaseException:  # a failure, or Ctrl+C: leave no server behind
            self.stop()
            raise

    def _start(self):
        """Start the process; True once it answers, False if its port was taken."""
        printed = len(self.output())
        with self._log.open("ab") as log:  # the process keeps its own handle
            began = time.perf_counter()
            self.process = subprocess.Popen(
                self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "in use" in self.output()[printed:]:
                    return False
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}:\n{self.output()}"
                )
            if answers(self.port):
                self.started_in = time.perf_counter() - began
                return True
            time.sleep(0.005)
        raise RuntimeError(
            f"{self.name} did not answer within {STARTUP_SECONDS} s:\n{self.output()}"
        )

    def stop(self):
        """Kill the process and its children (the development servers' reloaders start one)."""
        if self.process is not None and self.process.poll() is None:
            kill(self.process)

    def running(self):
        return self.process is not None and self.process.poll() is None

    def output(self):
        """Everything the process printed so far (across restarts)."""
        return self._log.read_text(errors="replace") if self._log.exists() else ""

    def wait_for_output(self, text, seconds=10):
        """What the process printed, once it contains `text` (or the deadline passed)."""
        deadline = time.monotonic() + seconds
        while text not in self.output() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.output()

    @property
    def name(self):
        return " ".join(["python", *self.command[1:]])


# A To Do app's database

Todo = namedtuple("Todo", "id title done")


def on_postgres(db):
    """Whether `db` names a PostgreSQL database (a DATABASE_URL) rather than an SQLite file."""
    return str(db).startswith(("postgres://", "postgresql://"))


@contextlib.contextmanager
def database(db):
    """A cursor on a To Do app's database, an SQLite file or a DATABASE_URL, and the mark of
    a parameter in its SQL; committed and closed at the end."""
    if on_postgres(db):
        import psycopg  # requirements-postgres.txt

        with psycopg.connect(db, connect_timeout=10) as connection:
            yield connection.cursor(), "%s"
    else:
        with contextlib.closing(sqlite3.connect(db, timeout=10)) as connection, connection:
            yield connection.cursor(), "?"


def users_table(cursor):
    """The name of a To Do database's table of users: Django's auth_user (always, on
    PostgreSQL), or Flask's user."""
    if not isinstance(cursor, sqlite3.Cursor):
        return "auth_user"
    django = cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'auth_user'").fetchone()
    return "auth_user" if django else "user"


def stored(db):
    """What a To Do app saved, read from its database: a Todo(id, title, done) for each row,
    in id order, whoever it belongs to."""
    with database(db) as (cursor, _):
        rows = cursor.execute("SELECT id, title, done FROM todo ORDER BY id").fetchall()
    return [Todo(todo_id, title, bool(done)) for todo_id, title, done in rows]


def owners(db):
    """Who owns each todo: {todo id: username}."""
    with database(db) as (cursor, _):
        users = users_table(cursor)
        rows = cursor.execute(
            f'SELECT todo.id, "{users}".username FROM todo JOIN "{users}"'
            f' ON todo.user_id = "{users}".id'
        ).fetchall()
    return dict(rows)


NAMES = itertools.count(1)


def new_name(stem="user"):
    """A user name no other test in this process uses: "kim3"."""
    return f"{stem}{next(NAMES)}"


def accounts(db):
    """The users a To Do app stored: {username: what it keeps of the password}."""
    with database(db) as (cursor, _):
        users = users_table(cursor)
        password = "password" if users == "auth_user" else "password_hash"
        rows = cursor.execute(f'SELECT username, {password} FROM "{users}"').fetchall()
    return dict(rows)


def empty(db):
    """Delete every todo, everyone's, straight in the database."""
    with database(db) as (cursor, _):
        cursor.execute("DELETE FROM todo")


def fill(db, count, done=False, username=USERNAME):
    """Put `count` todos straight into the database, "Todo 1" first, as if the user
    `username` (who must exist) had added them one by one a second apart. `done` says which
    are done: True, False, or a function of the number."""
    first = datetime(2025, 1, 1)
    rows = [
        (
            f"Todo {n}",
            done(n) if callable(done) else done,
            f"{first + timedelta(seconds=n):%Y-%m-%d %H:%M:%S.%f}",
        )
        for n in range(1, count + 1)
    ]
    with database(db) as (cursor, mark):
        users = users_table(cursor)
        cursor.execute(f'SELECT id FROM "{users}" WHERE username = {mark}', (username,))
        (user_id,) = cursor.fetchone()
        marks = ", ".join([mark] * 4)
        sql = f"INSERT INTO todo (user_id, title, done, created) VALUES ({marks})"
        cursor.executemany(sql, [(user_id, *row) for row in rows])


def seed(db, count, username=USERNAME):
    """Make the list of `username` hold `count` todos, every third one done, as a list in use
    might (after deleting every todo)."""
    empty(db)
    fill(db, count, done=lambda n: n % 3 == 0, username=username)


def logged_in(url, username=USERNAME, password=PASSWORD, behind_tls_proxy=False):
    """A browser on the To Do app at `url`, logged in as `username`: signed up with the app's
    own form if the name is new, else logged in."""
    user = Browser(url, behind_tls_proxy)
    page = user.sign_up(username, password)
    if page.response.status_code == 400:  # the name is taken: the account exists
        page = user.log_in(username, password)
    assert "/logout" in page.actions, page.response.text
    return user


class TodoServer(Server):
    """A To Do app served with debug off on a database of its own (an SQLite file, or for
    Django a PostgreSQL DATABASE_URL): its `framework`, its `db`, what it stored(), and
    empty() to delete every todo. `how`: see server_command.

    browser() is a user's browser, logged in as USERNAME: the account is made and logged in
    once per server (hashing a password is slow on purpose), and each browser gets a copy of
    its cookies. A test that logs out makes an account of its own: in Flask, logging out
    logs that user out of every browser."""

    def __init__(self, framework, db, how="python", env=None):
        self.framework, self.db = framework, db if on_postgres(db) else Path(db)
        where = {"DATABASE_URL": db} if on_postgres(db) else {"TODO_DB": str(db)}
        env = {"DEBUG": "0", **where, **(env or {})}
        super().__init__(*server_command(f"todo_{framework}", how), env=env)
        self._logged_in = None

    def browser(self):
        """A new browser, logged in as USERNAME (signed up on the first call)."""
        if self._logged_in is None:
            self._logged_in = logged_in(self.url)
        return self._logged_in.copy()

    def stored(self):
        return stored(self.db)

    def empty(self):
        empty(self.db)

    def create_superuser(self, username=ADMIN[0], password=ADMIN[1]):
        """Give the Django app's admin a superuser; its (username, password)."""
        created = run(
            "todo_django.py",
            "createsuperuser",
            "--noinput",
            f"--username={username}",
            "--email=admin@example.com",
            env={**self.env, "DJANGO_SUPERUSER_PASSWORD": password},
        )
        assert created.returncode == 0, created.stdout + created.stderr
        return username, password


def count_queries(framework, db, counts):
    """The SQL queries behind the To Do list page for a logged-in user, with each count of
    their todos: [[queries, todos shown], ...]. count_queries.py counts them in a process of its
    own (Django can be configured only once per process), on the database file `db`."""
    env = {"DEBUG": "0", "SECRET_KEY": SECRET_KEY, "TODO_DB": str(db)}
    script = Path(__file__).with_name("count_queries.py")
    result = run(str(script), framework, *map(str, counts), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.splitlines()[-1])


# A PostgreSQL server of the tests' own


def postgres_binaries():
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), or None: where Debian
    keeps them (the newest version), where `pg_config --bindir` says, or on the PATH."""
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda initdb: [int(part) for part in initdb.parts[-3].split(".") if part.isdigit()],
    )  # by version: 9.6 before 15
    if debian:
        return debian[-1].parent
    with contextlib.suppress(OSError):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if (Path(found.stdout.strip()) / "initdb").exists():
            return Path(found.stdout.strip())
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresServer:
    """A throwaway PostgreSQL server on 127.0.0.1 at a free port, in a folder of its own,
    with trust authentication for the user "postgres": start() it, database() makes a new
    database and returns its DATABASE_URL, restart() and stop() it. initdb refuses to run
    as root, so as root every program runs as the "postgres" user."""

    def __init__(self, binaries, fsync=False):
        self.binaries = binaries
        self.fsync = fsync  # off for the tests: nothing here needs to survive a power cut
        self.folder = Path(tempfile.mkdtemp(prefix="postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.databases = 0

    def _run(self, program, *args):
        command = [str(self.binaries / program), *args]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError(f"{program} failed:\n{result.stdout}{result.stderr}")
        return result

    def start(self):
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            shutil.chown(self.folder, user="postgres")
        if not self.data.exists():
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--no-sync",
            )  # fmt: skip
        # -l: the server writes its log there, not to our pipe (or run() would wait for it).
        fsync = "on" if self.fsync else "off"
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync={fsync}"
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        return self

    def restart(self):
        """Stop the server as an administrator would (fast: clients are disconnected), and
        start it again on the same port."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.start()

    def stop(self):
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, name="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def database(self):
        """A new, empty database: its DATABASE_URL."""
        import psycopg

        self.databases += 1
        name = f"todo{self.databases}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)


# What a machine may lack

# Debian's Chromium, run by the browser tests and the screenshots: no sandbox (CI runs as
# root), and nothing that talks to the internet on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium():
    """The Chromium to drive: the CHROMIUM program if set, else `chromium` on the PATH (None
    if neither). Playwright never downloads a browser of its own here."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


def cannot_run(reason):
    """Skip a test that needs a program this machine lacks; in CI (CI=true), fail instead."""
    if os.environ.get("CI", "") not in ("", "false"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)
