"""Measure the six apps in one run: cold start, throughput and latency, queries, memory, size,
and what one log-in costs.

Run it from the repository's root, in the dev virtualenv, on Linux or macOS:

    sudo apt-get install wrk        # the load generator (macOS: brew install wrk)
    python benchmarks/run.py        # 3 to 4 minutes
    python benchmarks/run.py --seconds 1 --rounds 1 --runs 1     # a quick look, 1 to 2 minutes

It writes docs/benchmark.md (every table) and docs/benchmark.svg (a chart), prints the
Markdown, and rewrites the table between the "benchmark" markers in README.md. Every server
it starts listens on 127.0.0.1 only and is stopped at the end, even on Ctrl+C or an error.
Throughput is measured under gunicorn with 2 sync workers, loaded by wrk with 1 thread and
4 connections on the same machine, so wrk and the server share the CPUs: compare the ratios
(to a bare WSGI function served the same way in the same run) more than the raw numbers.
The To Do apps are loaded as a user who signed up through the app's own form, with the
cookies a browser then sends; their login page as a first visit, with none.

Where PostgreSQL's server programs and psycopg are installed (requirements-postgres.txt), it
also serves todo_django.py on PostgreSQL, a throwaway server of its own on 127.0.0.1, beside
the SQLite apps; elsewhere the report says that PostgreSQL was not measured, and why.
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # the tests' helpers: servers started alike
from helpers import (  # noqa: E402
    PASSWORD,
    ROOT,
    SCRIPTS,
    USERNAME,
    PostgresServer,
    Server,
    count_queries,
    database,
    on_postgres,
    postgres_binaries,
    seed,
    server_command,
    stored,
    users_table,
)
from pages import Browser, Page  # noqa: E402
from report import PG_APP, Report, script  # noqa: E402

SITE_PAGES = {"flask": ["/", "/about"], "django": ["/", "/about/"]}
# The cookies a logged-in user's browser sends to each To Do app.
COOKIES = {"flask": ["session"], "django": ["csrftoken", "sessionid"]}
FULL = 500  # the most todos a list holds: one more add is refused (400) and stores nothing
SIZES = [10, 100, FULL]  # todos on the list page
EMPTY_AT, JANITOR_SECONDS = 100, 0.01  # while adds are loaded, every todo is deleted once
# the list holds EMPTY_AT, which is looked at every JANITOR_SECONDS
SETTINGS = {"DEBUG": "0", "SECRET_KEY": "benchmark-only-not-secret-" * 2}  # for every app
LOGINS_WARM_UP = 2  # log-ins not measured, before the --logins measured in each To Do app


# Servers: helpers.Server starts and stops each, as in the tests --------------------------


def app_env(db):
    """The environment every app is served with: SETTINGS and a database of its own, an SQLite
    file or (for PG_APP) a DATABASE_URL."""
    if on_postgres(db):
        return {**SETTINGS, "DATABASE_URL": db}
    return {**SETTINGS, "TODO_DB": str(db), "DATABASE_URL": None}


def postgres_server(stack):
    """Start a PostgreSQL server for this run, stopped when `stack` closes (even on an error
    or Ctrl+C): (the PostgresServer, its version), or (None, why this machine cannot)."""
    binaries = postgres_binaries()
    if binaries is None:
        return None, "no PostgreSQL server programs (initdb, pg_ctl) were found on this machine"
    if not find_spec("psycopg"):
        return None, "psycopg is not installed (pip install -r requirements-postgres.txt)"
    server = PostgresServer(binaries, fsync=True)  # its commits wait for the disk, as SQLite's
    stack.callback(server.stop)  # registered first: a start() that fails half-way, too
    server.start()
    import psycopg

    with psycopg.connect(server.url()) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0].split()[0]
    return server, f"PostgreSQL {version}"


def postgres_cpu(postgres, since=None, skip=None):
    """CPU seconds used so far by each process of the PostgreSQL server: {pid: seconds}; or,
    `since` such an earlier answer, the seconds they used since then, all together, less the
    process `skip` (one that ended in between is not counted)."""
    pid = int((postgres.data / "postmaster.pid").read_text().split()[0])
    used = {}
    with contextlib.suppress(psutil.NoSuchProcess):
        postmaster = psutil.Process(pid)
        for process in [postmaster, *postmaster.children()]:
            with contextlib.suppress(psutil.NoSuchProcess):
                used[process.pid] = sum(process.cpu_times()[:2])
    if since is None:
        return used
    return sum(seconds - since.get(pid, 0) for pid, seconds in used.items() if pid != skip)


def request(port, method="GET", path="/", body=None, headers=None):
    """One HTTP request: the status, the response's headers and its text."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode()
    finally:
        connection.close()


def first_page(app):
    """The page a first visitor gets: the home page, or for a To Do app the login page (its
    home page sends a visitor who is not logged in there)."""
    return "/login" if app.startswith("todo") else "/"


def answers_200(server, app):
    """Check that the server answers its first page (first_page) with 200."""
    status, _, page = request(server.port, path=first_page(app))
    if status != 200:
        raise RuntimeError(f"{server.name} answered {status}:\n{page[-2000:]}\n{server.output()}")


def cold_starts(dbs, runs):
    """Seconds from launching `python <script>.py` to its first answer on `/` (a 200, or for
    a To Do app the 302 to its login page, which then answers 200): for each app of `dbs`
    ({app: its database}), one per run. The apps take turns, so that a slow spell of the
    machine hits them all."""
    times = {app: [] for app in dbs}
    for run in range(runs + 1):  # run 0 warms up: .pyc files, OS caches, the databases
        for app, db in dbs.items():
            with Server(*server_command(script(app)), env=app_env(db)) as server:
                answers_200(server, app)
                if run:
                    times[app].append(server.started_in)
    return times


def connect(db):
    """A connection to a To Do app's database (an SQLite file or a DATABASE_URL) that commits
    each statement on its own."""
    if on_postgres(db):
        import psycopg

        return psycopg.connect(db, autocommit=True, connect_timeout=10)
    return sqlite3.connect(db, timeout=10, isolation_level=None)


class Janitor(threading.Thread):
    """Keeps the list far below FULL while wrk loads POST /add, so that every add is a real
    one (stored, 303) and none is refused: every JANITOR_SECONDS, counts the todos and, from
    EMPTY_AT on, deletes them all, straight in the database and from this process (the
    workers' CPU time is the adds' alone, and so is PostgreSQL's less its `backend`, the
    process that serves the janitor; counting does not hold the adds up, deleting does so
    about once every EMPTY_AT adds). `with Janitor(db) as janitor:` runs it; janitor.check()
    checks."""

    def __init__(self, db):
        super().__init__(daemon=True)
        self.db, self.deleted, self.most, self.error, self.backend = db, 0, 0, None, None
        self.stopping = threading.Event()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exception):
        self.stopping.set()
        self.join()

    def run(self):
        try:
            with contextlib.closing(connect(self.db)) as connection:
                if on_postgres(self.db):
                    self.backend = connection.info.backend_pid
                while not self.stopping.wait(JANITOR_SECONDS):
                    count = connection.execute("SELECT COUNT(*) FROM todo").fetchone()[0]
                    if count >= EMPTY_AT:
                        count = connection.execute("DELETE FROM todo").rowcount
                        self.deleted += count
                    self.most = max(self.most, count)
        except Exception as error:  # sqlite3's or psycopg's: check() reports it
            self.error = error

    def check(self, stats, label):
        """Fail unless the adds stored one todo per 303 (and, in flight when wrk stopped,
        up to one more per connection). Returns the most todos seen in the list."""
        if self.error:
            raise RuntimeError(f"{label}: could not empty the list: {self.error}")
        left = len(stored(self.db))
        added, answered = self.deleted + left, stats["requests"]
        if not answered <= added <= answered + stats["connections"] + stats["socket_errors"]:
            raise RuntimeError(f"{label}: {answered:,} answers 303 but {added:,} todos stored")
        return max(self.most, left)


class PeakMemory(threading.Thread):
    """Samples a server's RSS every `every` seconds: the peak of master + workers, and of the
    largest worker. restart() forgets the peaks seen so far."""

    def __init__(self, pid, every=0.25):
        super().__init__(daemon=True)
        self.pid, self.every, self.total, self.worker = pid, every, 0, 0
        self.stopping, self.restarting = threading.Event(), threading.Event()

    def restart(self):
        self.restarting.set()

    def run(self):
        while not self.stopping.wait(self.every):
            if self.restarting.is_set():
                self.restarting.clear()
                self.total = self.worker = 0
            with contextlib.suppress(psutil.NoSuchProcess):
                master = psutil.Process(self.pid)
                workers = [worker.memory_info().rss for worker in master.children()]
                self.total = max(self.total, master.memory_info().rss + sum(workers))
                self.worker = max([self.worker, *workers])


@contextlib.contextmanager
def gunicorn(app, db):
    """Serve an app (or raw_wsgi) with gunicorn and 2 sync workers, on its database `db`;
    yields its port and its PeakMemory."""
    if app == "raw_wsgi":
        command = server_command(app, "gunicorn", workers=2, target="raw_wsgi:application")
    else:
        command = server_command(script(app), "gunicorn", workers=2)
    cwd = HERE if app == "raw_wsgi" else ROOT
    with Server(*command, env=app_env(db), cwd=cwd) as server:
        memory = PeakMemory(server.process.pid)
        memory.start()
        try:
            answers_200(server, app)
            yield server.port, memory
        finally:
            memory.stopping.set()
            memory.join()


def worker_cpu(pid):
    """CPU seconds used so far by the workers of the gunicorn whose master is `pid`."""
    return sum(sum(worker.cpu_times()[:2]) for worker in psutil.Process(pid).children())


def wait_until_idle(pid, seconds=60):
    """Wait for the workers to finish the requests that wrk left behind when it stopped."""
    deadline, used = time.monotonic() + seconds, worker_cpu(pid)
    while time.monotonic() < deadline:
        time.sleep(0.1)
        used, before = worker_cpu(pid), used
        if used - before < 0.005:
            return


# Load, queries ------------------------------------------------------------------------


def wrk(port, path, seconds, connections, body=None, cookie=None):
    """One wrk run (benchmarks/wrk.lua prints its numbers as JSON), plus requests/s: a GET,
    or a form POST of `body`; with the Cookie header `cookie`, if any."""
    script, url = str(HERE / "wrk.lua"), f"http://127.0.0.1:{port}{path}"
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script]
    command.append(url)
    sent = {"WRK_BODY": body, "WRK_COOKIE": cookie}
    env = {**os.environ, **{name: value for name, value in sent.items() if value}}
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    stats = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    if stats["bad_status"]:  # a POST /add refused with 400 (the list full) comes here too
        raise RuntimeError(f"{url}: {stats['bad_status']:,} answers not 2xx or 3xx\n{output}")
    return {**stats, "rps": stats["requests"] / stats["seconds"], "connections": connections}


def sign_up(port, app):
    """Sign USERNAME up through the app's own form, as a browser does (which logs them in,
    and follows the redirect to the list): the Cookie header that browser sends from then
    on (COOKIES), and the list page it got."""
    user, expected = Browser(f"http://127.0.0.1:{port}"), COOKIES[app.split("_")[1]]
    page = user.sign_up(USERNAME, PASSWORD)
    cookies = {cookie.name: cookie.value for cookie in user.session.cookies}
    if "/logout" not in page.actions or sorted(cookies) != expected:
        raise RuntimeError(
            f"{app}: signing up {USERNAME} ended on {page.url} ({page.response.status_code})"
            f" with the cookies {sorted(cookies)}, not on the list, logged in, with {expected}"
            f"\n{page.response.text[-2000:]}"
        )
    return "; ".join(f"{name}={value}" for name, value in cookies.items()), page


def form_for_add(port, app, db, cookie, page):
    """The list `page` of the user logged in with `cookie`: a valid POST /add, with the CSRF
    token of that session, its body. On the way, checks the limit that the benchmark relies
    on: with FULL todos, the add is refused (400) and stores nothing; with none, it is
    answered 303 and stores one."""
    body = urlencode({**page.form("/add").fields, "next": "/", "title": "Benchmark todo"})
    form = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    for todos, expected in [(FULL, (400, FULL)), (0, (303, 1))]:
        seed(db, todos)
        status, _, page = request(port, "POST", "/add", body, form)
        if (status, len(stored(db))) != expected:
            raise RuntimeError(
                f"{app}: POST /add to a list of {todos} todos answered {status} and left"
                f" {len(stored(db))} todos, not {expected[0]} and {expected[1]}: does a list"
                f" still hold at most {FULL} todos (FULL in benchmarks/run.py)?\n{page[-2000:]}"
            )
    return body


def queries(app, db):
    """SQL statements behind one list page of a logged-in user, for the fewest and the most
    todos loaded: {todos: statements}, counted as the tests count them (helpers.count_queries,
    which signs USERNAME up in `db`, a database of its own, and whose process finds a
    DATABASE_URL in the environment it inherits)."""
    counts = [SIZES[0], SIZES[-1]]
    with mock.patch.dict(os.environ, {"DATABASE_URL": db} if on_postgres(db) else {}):
        found = count_queries(app.split("_")[1], db, counts)
    for count, (_, shown) in zip(counts, found, strict=True):
        assert shown == count, (app, shown, count)
    return {count: statements for count, (statements, _) in zip(counts, found, strict=True)}


def password_hasher(db):
    """How the app stored USERNAME's password: the hash's method and parameters, without
    the salt and the hash itself ("scrypt:32768:8:1", "pbkdf2_sha256$1000000")."""
    with database(db) as (cursor, mark):
        users = users_table(cursor)
        column = "password" if users == "auth_user" else "password_hash"  # Django's, Flask's
        cursor.execute(f'SELECT {column} FROM "{users}" WHERE username = {mark}', (USERNAME,))
        return cursor.fetchone()[0].rsplit("$", 2)[0]


def login_cost(app, port, pid, logins, postgres=None):
    """CPU time of one successful POST /login, USERNAME with the right password: the
    workers' (of the gunicorn whose master is `pid`) over `logins` log-ins one after the
    other, after LOGINS_WARM_UP not measured, each sending a login form of its own, fetched
    before (a first visit, not measured). `postgres`: the PostgresServer, whose CPU time is
    then measured too. Returns the workers' CPU ms and PostgreSQL's (or None) per log-in,
    and the peak RSS of the largest worker meanwhile, sampled every 5 ms (a hash takes
    longer)."""
    forms = []
    for _ in range(LOGINS_WARM_UP + logins):
        user = Browser(f"http://127.0.0.1:{port}")
        forms.append((user, user.get("/login").form("/login")))

    def log_in(user, form):
        page = user.submit(form, False, username=USERNAME, password=PASSWORD)
        status, where = page.response.status_code, page.response.headers.get("Location")
        if (status, where) != (302, "/"):
            raise RuntimeError(
                f"{app}: POST /login answered {status} to {where}, not 302 to /: not logged in"
                f"\n{page.response.text[-2000:]}"
            )

    for user, form in forms[:LOGINS_WARM_UP]:
        log_in(user, form)
    wait_until_idle(pid)
    memory = PeakMemory(pid, every=0.005)
    memory.start()
    cpu, db_cpu = worker_cpu(pid), postgres_cpu(postgres) if postgres else None
    for user, form in forms[LOGINS_WARM_UP:]:
        log_in(user, form)
    wait_until_idle(pid)
    cpu = worker_cpu(pid) - cpu
    if db_cpu is not None:
        db_cpu = 1000 * postgres_cpu(postgres, db_cpu) / logins
    memory.stopping.set()
    memory.join()
    return 1000 * cpu / logins, db_cpu, memory.worker


def load_jobs(servers, dbs):
    """Every request to load: (app, label, port, path, todos to seed, POST body, cookie). A
    To Do app's list and adds as the user USERNAME, signed up here; its login page as a
    first visit, with no cookie."""
    jobs = []
    for app, (port, _) in servers.items():
        framework = app.split("_")[1]
        if app.startswith("todo"):
            cookie, page = sign_up(port, app)
            jobs += [(app, f"/ ({n:,} todos)", port, "/", n, None, cookie) for n in SIZES]
            body = form_for_add(port, app, dbs[app], cookie, page)
            jobs.append((app, "POST /add", port, "/add", 0, body, cookie))
            jobs.append((app, "/login", port, "/login", None, None, None))
        else:
            paths = SITE_PAGES[framework] if app.startswith("site") else ["/"]
            jobs += [(app, path, port, path, None, None, None) for path in paths]
    return jobs


def measure(args, tmp, postgres, postgres_about):
    """Every number of the report. `postgres`: a running PostgresServer, or None; then
    `postgres_about` says why, else which PostgreSQL it is."""
    results = {"load": [], "memory": {}, "cold": {}, "queries": {}, "add_list_most": {}}
    results["logins"] = {}
    results["lines"] = {script: lines_of_code(script) for script in SCRIPTS}
    results["about"] = {**vars(args), "cpus": os.cpu_count(), "postgres": None}
    results["about"].update(sizes=SIZES, full=FULL, site_pages=SITE_PAGES)
    results["about"].update(empty_at=EMPTY_AT, janitor_ms=round(JANITOR_SECONDS * 1000))
    results["about"]["logins_warm_up"] = LOGINS_WARM_UP
    dbs = {app: tmp / f"{app}.sqlite3" for app in ["raw_wsgi", *SCRIPTS]}
    # The queries are counted on databases of their own: count_queries signs USERNAME up.
    query_dbs = {app: tmp / f"{app}-queries.sqlite3" for app in SCRIPTS if app.startswith("todo")}
    if postgres:
        dbs[PG_APP], query_dbs[PG_APP] = postgres.database(), postgres.database()
        results["about"].update(postgres=postgres_about, psycopg=metadata.version("psycopg"))
    else:
        results["about"]["no_postgres"] = postgres_about
        say(f"PostgreSQL not measured: {postgres_about}.")
    results["about"]["stamp"] = stamp(results["about"]["postgres"])
    results["cold"] = cold_starts(
        {app: db for app, db in dbs.items() if app != "raw_wsgi"}, args.runs
    )
    for app, times in results["cold"].items():
        say(f"cold start, {app}: {statistics.median(times):.2f} s")
    for app, db in query_dbs.items():
        results["queries"][app] = queries(app, db)
        say(f"SQL queries, {app}: {results['queries'][app]}")
    with contextlib.ExitStack() as stack:
        servers = {app: stack.enter_context(gunicorn(app, db)) for app, db in dbs.items()}
        jobs = load_jobs(servers, dbs)
        for _, memory in servers.values():  # the peaks under the loads, not the sign-ups'
            memory.restart()
        runs = {job[:2]: [] for job in jobs}
        # Round 0 warms up (1 s each). Then every request is loaded in turn, round after
        # round, so that a slow spell of a shared machine spreads over all of them.
        for round_ in range(args.rounds + 1):
            for app, label, port, path, todos, body, cookie in jobs:
                db, pid = dbs[app], servers[app][1].pid
                if todos is not None:
                    seed(db, todos)  # the list's todos; none before the adds
                if not round_ and not body:  # the page wrk will load, logged in if it is
                    sent = {"Cookie": cookie} if cookie else {}
                    status, _, page = request(port, "GET", path, headers=sent)
                    assert status == 200 and len(Page(page).items) == (todos or 0), (app, label)
                    assert bool(cookie) == ("/logout" in Page(page).actions), (app, label)
                # The adds: a Janitor keeps the list short. The rest: nothing to do.
                with Janitor(db) if body else contextlib.nullcontext() as janitor:
                    seconds, cpu = args.seconds if round_ else 1, worker_cpu(pid)
                    db_cpu = postgres_cpu(postgres) if on_postgres(db) else None
                    stats = wrk(port, path, seconds, args.connections, body, cookie)
                    if round_:
                        cpu = worker_cpu(pid) - cpu
                        if db_cpu is not None:  # PostgreSQL's, but the janitor's
                            db_cpu = postgres_cpu(postgres, db_cpu, janitor and janitor.backend)
                        runs[app, label].append({**stats, "cpu": cpu, "db_cpu": db_cpu})
                        cpu_ms = 1000 * cpu / max(stats["requests"], 1)
                        say(
                            f"round {round_}, {app} {label}: {stats['rps']:,.0f} requests/s,"
                            f" median {stats['p50_ms']:.1f} ms, {cpu_ms:.2f} CPU ms"
                        )
                    wait_until_idle(pid)
                if janitor:
                    most = janitor.check(stats, f"{app} {label}")
                    previous = results["add_list_most"].get(app, 0)
                    results["add_list_most"][app] = max(previous, most)
        for _, memory in servers.values():  # the peaks under the loads, not the log-ins'
            memory.stopping.set()
            memory.join()
        results["memory"] = {
            app: (memory.total, memory.worker) for app, (_, memory) in servers.items()
        }
        # What one log-in costs, once the loads are over: password hashing is slow on purpose.
        for app in [app for app in dbs if app.startswith("todo")]:
            port, pid = servers[app][0], servers[app][1].pid
            on_pg = postgres if on_postgres(dbs[app]) else None
            cpu_ms, db_cpu_ms, worker = login_cost(app, port, pid, args.logins, on_pg)
            hasher = password_hasher(dbs[app])
            results["logins"][app] = dict(cpu_ms=cpu_ms, db_cpu_ms=db_cpu_ms, worker=worker)
            results["logins"][app]["hasher"] = hasher
            say(f"log-in, {app}: {cpu_ms:.1f} CPU ms, worker {worker / 2**20:.0f} MiB ({hasher})")
    for (app, label), stats in runs.items():
        requests, seconds = sum(s["requests"] for s in stats), sum(s["seconds"] for s in stats)
        if not requests:
            raise RuntimeError(f"{app} {label}: no answer in {seconds:.0f} s; try more --seconds")
        p50, p95 = (statistics.median(s[key] for s in stats) for key in ("p50_ms", "p95_ms"))
        cpu_ms = 1000 * sum(s["cpu"] for s in stats) / requests
        db_cpu = [s["db_cpu"] for s in stats]
        db_cpu_ms = None if None in db_cpu else 1000 * sum(db_cpu) / requests
        row = dict(app=app, page=label, rps=requests / seconds, p50_ms=p50, p95_ms=p95)
        results["load"].append({**row, "cpu_ms": cpu_ms, "db_cpu_ms": db_cpu_ms})
    return results


# Helpers, main -------------------------------------------------------------------------


def say(message):
    print(message, file=sys.stderr, flush=True)


def stamp(postgres=None):
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    return (
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · Python {platform.python_version()}"
        f" · Flask {metadata.version('flask')} · Django {metadata.version('django')}"
        f" · gunicorn {metadata.version('gunicorn')} · wrk {wrk_version}"
        + (f" · {postgres}" if postgres else "")
        + f" · {os.cpu_count()} CPUs ({platform.system()} {platform.machine()})"
    )


def lines_of_code(script):
    lines = (ROOT / f"{script}.py").read_text(encoding="utf-8").splitlines()
    code = [line for line in lines if line.strip() and not line.strip().startswith("#")]
    return len(code), len(lines)


def update_readme(text):
    """Put `text` between the benchmark markers of README.md, if it has them."""
    readme, begin, end = ROOT / "README.md", "<!-- benchmark:begin -->", "<!-- benchmark:end -->"
    old = readme.read_text(encoding="utf-8")
    if begin not in old or end not in old:
        return False
    head, rest = old.split(begin, 1)
    readme.write_text(f"{head}{begin}\n{text}\n{end}{rest.split(end, 1)[1]}", encoding="utf-8")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=2, help="per request and round (2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of load (3)")
    parser.add_argument("--connections", type=int, default=4, help="wrk's connections (4)")
    parser.add_argument("--runs", type=int, default=5, help="cold starts per script (5)")
    parser.add_argument("--logins", type=int, default=20, help="log-ins per To Do app (20)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where to write (docs/)")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md alone")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit(
            "This needs wrk, the load generator: sudo apt-get install wrk (or brew install wrk)"
        )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers when killed, too
    began = time.monotonic()
    # Every server stops on the way out, PostgreSQL last.
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        results = measure(args, Path(tmp), *postgres_server(stack))
    report = Report(results)
    args.out.mkdir(exist_ok=True)
    (args.out / "benchmark.md").write_text(report.markdown(), encoding="utf-8")
    (args.out / "benchmark.svg").write_text(report.svg(), encoding="utf-8")
    print(report.markdown())
    if not args.no_readme and update_readme(report.readme()):
        say("Updated the table in README.md.")
    say(f"Wrote {args.out}/benchmark.md and benchmark.svg in {time.monotonic() - began:.0f} s.")


if __name__ == "__main__":
    main()
