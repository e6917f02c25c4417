"""Measure the six apps in one run: cold start, throughput and latency, queries, memory, size.

Run it from the repository's root, in the dev virtualenv, on Linux or macOS:

    sudo apt-get install wrk        # the load generator (macOS: brew install wrk)
    python benchmarks/run.py        # 2 to 3 minutes
    python benchmarks/run.py --seconds 1 --rounds 1 --runs 1     # a quick look, about 1 minute

It writes docs/benchmark.md (every table) and docs/benchmark.svg (a chart), prints the
Markdown, and rewrites the table between the "benchmark" markers in README.md. Every server
it starts listens on 127.0.0.1 only and is stopped at the end, even on Ctrl+C or an error.
Throughput is measured under gunicorn with 2 sync workers, loaded by wrk with 1 thread and
4 connections on the same machine, so wrk and the server share the CPUs: compare the ratios
(to a bare WSGI function served the same way in the same run) more than the raw numbers.
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode

import psutil
from report import Report

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCRIPTS = ["hello_flask", "hello_django", "site_flask", "site_django", "todo_flask", "todo_django"]
CALLABLE = {"flask": "app", "django": "application"}
SITE_PAGES = {"flask": ["/", "/about"], "django": ["/", "/about/"]}
CSRF = {"flask": ("session", "csrf_token"), "django": ("csrftoken", "csrfmiddlewaretoken")}
FULL = 500  # the most todos a list holds: one more add is refused (400) and stores nothing
SIZES = [10, 100, FULL]  # todos on the list page
EMPTY_AT, JANITOR_SECONDS = 100, 0.01  # while adds are loaded, every todo is deleted once
# the list holds EMPTY_AT, which is looked at every JANITOR_SECONDS
SETTINGS = {"DEBUG": "0", "SECRET_KEY": "benchmark-only-not-secret-" * 2}  # for every app
RUNNING = []  # every process started and not yet stopped
ITEM = '<li class="todo'  # how a todo starts on the list page, in both frameworks


# Servers ------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(port, tmp, module):
    return {**os.environ, **SETTINGS, "PORT": str(port), "TODO_DB": str(tmp / f"{module}.sqlite3")}


def start(command, env, log, cwd=ROOT):
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    RUNNING.append(process)
    return process


def stop(process):
    """Stop a process and its children (gunicorn's workers, runserver's reloaded child):
    ask them all to end, so that gunicorn reaps its workers; kill any still there at 5 s."""
    with contextlib.suppress(psutil.NoSuchProcess):
        parent = psutil.Process(process.pid)
        family = [*parent.children(recursive=True), parent]
        for member in family:
            with contextlib.suppress(psutil.NoSuchProcess):
                member.terminate()
        for member in psutil.wait_procs(family, timeout=5)[1]:
            with contextlib.suppress(psutil.NoSuchProcess):
                member.kill()
    process.wait(timeout=10)
    RUNNING.remove(process)


def request(port, method="GET", path="/", body=None, headers=None):
    """One HTTP request: the status, the response's headers and its text."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode()
    finally:
        connection.close()


def wait_for_200(port, process, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError):
            if request(port)[0] == 200:
                return
        time.sleep(0.005)
    log.seek(0)
    raise RuntimeError(f"{process.args} did not answer 200:\n{log.read().decode()[-3000:]}")


def cold_starts(tmp, runs):
    """Seconds from launching `python <script>.py` to its first 200: for each script, one
    per run. The scripts take turns, so that a slow spell of the machine hits them all."""
    times = {script: [] for script in SCRIPTS}
    with tempfile.TemporaryFile() as log:
        for run in range(runs + 1):  # run 0 warms up: .pyc files, OS caches, the databases
            for script in SCRIPTS:
                port = free_port()
                began = time.perf_counter()
                process = start([sys.executable, f"{script}.py"], app_env(port, tmp, script), log)
                try:
                    wait_for_200(port, process, log)
                    if run:
                        times[script].append(time.perf_counter() - began)
                finally:
                    stop(process)
    return times


class Janitor(threading.Thread):
    """Keeps the list far below FULL while wrk loads POST /add, so that every add is a real
    one (stored, 303) and none is refused: every JANITOR_SECONDS, counts the todos and, from
    EMPTY_AT on, deletes them all, straight in SQLite and from this process (the workers' CPU
    time is the adds' alone; counting does not hold the adds up, deleting does so about once
    every EMPTY_AT adds). `with Janitor(db) as janitor:` runs it; janitor.check() checks."""

    def __init__(self, db):
        super().__init__(daemon=True)
        self.db, self.deleted, self.most, self.error = db, 0, 0, None
        self.stopping = threading.Event()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exception):
        self.stopping.set()
        self.join()

    def run(self):
        try:
            with contextlib.closing(sqlite3.connect(self.db, timeout=10)) as connection:
                while not self.stopping.wait(JANITOR_SECONDS):
                    count = connection.execute("SELECT COUNT(*) FROM todo").fetchone()[0]
                    if count >= EMPTY_AT:
                        with connection:
                            count = connection.execute("DELETE FROM todo").rowcount
                        self.deleted += count
                    self.most = max(self.most, count)
        except sqlite3.Error as error:
            self.error = error

    def check(self, stats, label):
        """Fail unless the adds stored one todo per 303 (and, in flight when wrk stopped,
        up to one more per connection). Returns the most todos seen in the list."""
        if self.error:
            raise RuntimeError(f"{label}: could not empty the list: {self.error}")
        left = todo_count(self.db)
        stored, answered = self.deleted + left, stats["requests"]
        if not answered <= stored <= answered + stats["connections"] + stats["socket_errors"]:
            raise RuntimeError(f"{label}: {answered:,} answers 303 but {stored:,} todos stored")
        return max(self.most, left)


class PeakMemory(threading.Thread):
    """Samples a server's RSS: the peak of master + workers, and of the largest worker."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.total, self.worker = pid, 0, 0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(0.25):
            with contextlib.suppress(psutil.NoSuchProcess):
                master = psutil.Process(self.pid)
                workers = [worker.memory_info().rss for worker in master.children()]
                self.total = max(self.total, master.memory_info().rss + sum(workers))
                self.worker = max([self.worker, *workers])


@contextlib.contextmanager
def gunicorn(module, tmp, cwd=ROOT):
    """Serve a module with gunicorn and 2 sync workers; yields its port and its PeakMemory."""
    port = free_port()
    target = f"{module}:{CALLABLE.get(module.split('_')[-1], 'application')}"
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", target]
    with tempfile.TemporaryFile() as log:
        process = start(command, app_env(port, tmp, module), log, cwd)
        memory = PeakMemory(process.pid)
        memory.start()
        try:
            wait_for_200(port, process, log)
            yield port, memory
        finally:
            memory.stopping.set()
            memory.join()
            stop(process)


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
    """One wrk run (benchmarks/wrk.lua prints its numbers as JSON), plus requests/s."""
    script, url = str(HERE / "wrk.lua"), f"http://127.0.0.1:{port}{path}"
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script]
    command.append(url)
    env = {**os.environ, **({"WRK_BODY": body, "WRK_COOKIE": cookie} if body else {})}
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    stats = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    if stats["bad_status"]:  # a POST /add refused with 400 (the list full) comes here too
        raise RuntimeError(f"{url}: {stats['bad_status']:,} answers not 2xx or 3xx\n{output}")
    return {**stats, "rps": stats["requests"] / stats["seconds"], "connections": connections}


def form_for_add(port, framework, db):
    """From a first GET, a valid POST /add: its body and its Cookie header. On the way,
    checks the limit that the benchmark relies on: with FULL todos, the add is refused (400)
    and stores nothing; with none, it is answered 303 and stores one."""
    cookie_name, field = CSRF[framework]
    _, headers, page = request(port)
    cookies = [value.split(";")[0] for name, value in headers if name == "Set-Cookie"]
    cookie = next(c for c in cookies if c.startswith(cookie_name + "="))
    token = re.search(f'name="{field}" value="([^"]+)"', page)[1]
    body = urlencode({field: token, "next": "/", "title": "Benchmark todo"})
    form = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    for todos, expected in [(FULL, (400, FULL)), (0, (303, 1))]:
        seed(db, todos)
        status, _, page = request(port, "POST", "/add", body, form)
        if (status, todo_count(db)) != expected:
            raise RuntimeError(
                f"{db.stem}: POST /add to a list of {todos} todos answered {status} and left"
                f" {todo_count(db)} todos, not {expected[0]} and {expected[1]}: does a list"
                f" still hold at most {FULL} todos (FULL in benchmarks/run.py)?\n{page[-2000:]}"
            )
    return body, cookie


def seed(db, count):
    """Make the todo table hold `count` todos, oldest first, every third one done."""
    first = datetime(2025, 1, 1)
    rows = [
        (f"Todo number {n}", n % 3 == 0, f"{first + timedelta(seconds=n):%Y-%m-%d %H:%M:%S.%f}")
        for n in range(1, count + 1)
    ]
    with contextlib.closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("DELETE FROM todo")
        connection.executemany("INSERT INTO todo (title, done, created) VALUES (?, ?, ?)", rows)


def todo_count(db):
    with contextlib.closing(sqlite3.connect(db, timeout=10)) as connection:
        return connection.execute("SELECT COUNT(*) FROM todo").fetchone()[0]


def flask_queries(db, counts):
    """SQL statements behind one list page, first visit, for each count of todos: traced
    in this very process, on every connection the app opens (even one it keeps open)."""
    os.environ.update(SETTINGS, TODO_DB=str(db))  # read when todo_flask is imported
    sys.path.insert(0, str(ROOT))
    statements, connect, queries = [], sqlite3.connect, {}

    def traced_connect(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    sqlite3.connect = traced_connect
    try:
        import todo_flask

        for count in counts:
            seed(db, count)
            todo_flask.app.test_client().get("/")
            statements.clear()
            response = todo_flask.app.test_client().get("/")  # a new client: no cookies
            assert response.status_code == 200 and response.text.count(ITEM) == count
            queries[count] = len(statements)
    finally:
        sqlite3.connect = connect
    return queries


DJANGO_QUERIES = f"""
import todo_django
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

Client(HTTP_HOST="localhost").get("/")
with CaptureQueriesContext(connection) as queries:
    response = Client(HTTP_HOST="localhost").get("/")  # a new client: no cookies
assert response.status_code == 200, response.status_code
print(len(queries), response.content.decode().count({ITEM!r}))
"""


def django_queries(db, counts):
    """The same for Django, in a child process: Django is configured once per process."""
    queries = {}
    for count in counts:
        seed(db, count)
        env = {**os.environ, **SETTINGS, "TODO_DB": str(db)}
        command = [sys.executable, "-c", DJANGO_QUERIES]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        queries[count], shown = map(int, result.stdout.split())
        assert shown == count, (shown, count)
    return queries


def load_jobs(servers, tmp):
    """Every request to load: (app, label, port, path, todos to seed, POST body, cookie)."""
    jobs = []
    for app, (port, _) in servers.items():
        framework, db = app.split("_")[-1], tmp / f"{app}.sqlite3"
        if app.startswith("todo"):
            jobs += [(app, f"/ ({n:,} todos)", port, "/", n, None, None) for n in SIZES]
            form = form_for_add(port, framework, db)
            jobs.append((app, "POST /add", port, "/add", 0, *form))
        else:
            paths = SITE_PAGES[framework] if app.startswith("site") else ["/"]
            jobs += [(app, path, port, path, None, None, None) for path in paths]
    return jobs


def measure(args, tmp):
    results = {"load": [], "memory": {}, "cold": {}, "queries": {}, "add_list_most": {}}
    results["lines"] = {script: lines_of_code(script) for script in SCRIPTS}
    results["about"] = {**vars(args), "stamp": stamp(), "cpus": os.cpu_count()}
    results["about"].update(sizes=SIZES, full=FULL, site_pages=SITE_PAGES)
    results["about"].update(empty_at=EMPTY_AT, janitor_ms=round(JANITOR_SECONDS * 1000))
    results["cold"] = cold_starts(tmp, args.runs)
    for script, times in results["cold"].items():
        say(f"cold start, {script}: {statistics.median(times):.2f} s")
    for framework, count_queries in [("flask", flask_queries), ("django", django_queries)]:
        db = tmp / f"todo_{framework}.sqlite3"
        results["queries"][framework] = count_queries(db, [SIZES[0], SIZES[-1]])
        say(f"SQL queries, todo_{framework}: {results['queries'][framework]}")
    with contextlib.ExitStack() as stack:
        servers = {
            app: stack.enter_context(gunicorn(app, tmp, HERE if app == "raw_wsgi" else ROOT))
            for app in ["raw_wsgi", *SCRIPTS]
        }
        jobs = load_jobs(servers, tmp)
        runs = {job[:2]: [] for job in jobs}
        # Round 0 warms up (1 s each). Then every request is loaded in turn, round after
        # round, so that a slow spell of a shared machine spreads over all of them.
        for round_ in range(args.rounds + 1):
            for app, label, port, path, todos, body, cookie in jobs:
                db, pid = tmp / f"{app}.sqlite3", servers[app][1].pid
                if todos is not None:
                    seed(db, todos)  # the list's todos; none before the adds
                if not round_ and not body:
                    status, _, page = request(port, "GET", path)
                    assert status == 200 and page.count(ITEM) == (todos or 0), (app, label)
                # The adds: a Janitor keeps the list short. The rest: nothing to do.
                with Janitor(db) if body else contextlib.nullcontext() as janitor:
                    seconds, cpu = args.seconds if round_ else 1, worker_cpu(pid)
                    stats = wrk(port, path, seconds, args.connections, body, cookie)
                    if round_:
                        cpu = worker_cpu(pid) - cpu
                        runs[app, label].append({**stats, "cpu": cpu})
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
        results["memory"] = {
            app: (memory.total, memory.worker) for app, (_, memory) in servers.items()
        }
    for (app, label), stats in runs.items():
        requests, seconds = sum(s["requests"] for s in stats), sum(s["seconds"] for s in stats)
        if not requests:
            raise RuntimeError(f"{app} {label}: no answer in {seconds:.0f} s; try more --seconds")
        p50, p95 = (statistics.median(s[key] for s in stats) for key in ("p50_ms", "p95_ms"))
        cpu_ms = 1000 * sum(s["cpu"] for s in stats) / requests
        row = dict(app=app, page=label, rps=requests / seconds, p50_ms=p50, p95_ms=p95)
        results["load"].append({**row, "cpu_ms": cpu_ms})
    return results


# Helpers, main -------------------------------------------------------------------------


def say(message):
    print(message, file=sys.stderr, flush=True)


def stamp():
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    return (
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · Python {platform.python_version()}"
        f" · Flask {metadata.version('flask')} · Django {metadata.version('django')}"
        f" · gunicorn {metadata.version('gunicorn')} · wrk {wrk_version}"
        f" · {os.cpu_count()} CPUs ({platform.system()} {platform.machine()})"
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
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where to write (docs/)")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md alone")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit(
            "This needs wrk, the load generator: sudo apt-get install wrk (or brew install wrk)"
        )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers when killed, too
    began = time.monotonic()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results = measure(args, Path(tmp))
    finally:
        for process in list(RUNNING):
            with contextlib.suppress(Exception):
                stop(process)
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
