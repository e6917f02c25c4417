"""The live-server fixture: every script runs as a real process, the way the README runs it.

pytest can configure Django only once per process, and each script configures its own
framework, so no test imports a script: each starts it as a server on a free port,
waits until it answers, talks HTTP to it and stops it. A failing test shows the output
of every server that was running.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
# The scripts run in processes of their own, out of reach of pytest's filterwarnings: make
# warnings errors there too, so that a deprecation shows up in a failing test.
os.environ.setdefault("PYTHONWARNINGS", "error")
STARTUP_SECONDS = 30
SERVERS = []  # servers running now or stopped during the current test, for the failure report


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A command that serves HTTP on 127.0.0.1, run from the repository's root.

    `command` is what follows `python`; "{port}" in it is replaced by the port, which
    is also given to the process as the PORT environment variable, beside a SECRET_KEY
    (the To Do apps need one with debug off) and whatever `env` adds or overrides
    (None removes a variable). Use it as a context manager: it waits until the server
    answers, and stops it afterwards.
    """

    def __init__(self, *command, env=None):
        self._command = command
        self._env = env or {}
        self.process = None
        self._log = Path(tempfile.mkdtemp()) / "output.log"
        self._use_port(free_port())

    def _use_port(self, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.command = [sys.executable, *(part.format(port=port) for part in self._command)]
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "PORT": str(port),
            "SECRET_KEY": "a-secret-for-the-tests-only-" * 2,
            **self._env,
        }
        self.env = {name: value for name, value in env.items() if value is not None}

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
        for _attempt in range(3):
            if self._start():
                return
            self._use_port(free_port())
        pytest.fail(f"{self.name} found no free port:\n{self.output()}")

    def _start(self):
        """Start the process; True once it answers, False if its port was taken."""
        printed = len(self.output())
        with self._log.open("ab") as log:  # the process keeps its own handle
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        if self not in SERVERS:
            SERVERS.append(self)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "in use" in self.output()[printed:]:
                    return False
                pytest.fail(f"{self.name} exited with {self.process.returncode}:\n{self.output()}")
            try:
                requests.get(self.url + "/", timeout=2, allow_redirects=False)
                return True
            except (requests.ConnectionError, requests.Timeout):  # not listening, or booting
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"{self.name} did not answer within {STARTUP_SECONDS} s:\n{self.output()}")

    def stop(self):
        """Kill the process and its children (the development servers' reloaders start one)."""
        if self.process.poll() is not None:
            return
        try:
            parent = psutil.Process(self.process.pid)
            family = [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            family = []
        for process in family:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        self.process.wait(timeout=10)

    def output(self):
        """Everything the process printed so far (across restarts)."""
        return self._log.read_text(errors="replace") if self._log.exists() else ""

    @property
    def name(self):
        return " ".join(["python", *self.command[1:]])


@pytest.fixture(scope="session")
def serve():
    """Start a server: `with serve("site_flask.py") as server: requests.get(server.url)`."""
    return Server


def cannot_run(reason):
    """Skip a test that needs a program this machine lacks; in CI (CI=true), fail instead."""
    if os.environ.get("CI", "") not in ("", "false"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


# Debian's Chromium, run by the tests: no sandbox (CI runs as root), and nothing that
# talks to the internet on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session, driven by Playwright.

    It is the CHROMIUM program if set, else `chromium` on the PATH; Playwright never
    downloads a browser of its own here.
    """
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        cannot_run(
            "no Chromium for the browser tests: apt-get install chromium, "
            "or set CHROMIUM=/path/to/chrome"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        for server in SERVERS:
            report.sections.append((f"output of {server.name}", server.output()))
    if call.when == "teardown":
        for server in [server for server in SERVERS if server.process.poll() is not None]:
            shutil.rmtree(server._log.parent, ignore_errors=True)
            SERVERS.remove(server)
    return report
