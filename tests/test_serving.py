"""Every script runs the ways the README says: directly, with its framework's tools,
and under the WSGI servers waitress and gunicorn."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent

SCRIPTS = ["hello_flask", "hello_django", "site_flask", "site_django", "todo_flask", "todo_django"]
WSGI_CALLABLE = {"flask": "app", "django": "application"}


def env_for(script, tmp_path):
    """The To Do apps' database out of the checkout; no SECRET_KEY for the others."""
    if script.startswith("todo"):
        return {"TODO_DB": str(tmp_path / "todo.sqlite3")}
    return {"SECRET_KEY": None}


def environ(env):
    """os.environ with `env` applied (None removes a variable), for subprocess.run."""
    merged = {**os.environ, **env}
    return {name: value for name, value in merged.items() if value is not None}


def wsgi_target(script):
    return f"{script}:{WSGI_CALLABLE[script.rsplit('_', 1)[1]]}"


def home_page(server):
    response = requests.get(server.url + "/")
    assert response.status_code == 200, response.text
    return response


def wait_for_output(server, text, seconds=10):
    """The server's output, once it contains `text` (polling with a deadline)."""
    deadline = time.monotonic() + seconds
    while text not in server.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    return server.output()


@pytest.mark.parametrize("script", SCRIPTS)
def test_python_script_with_no_arguments_serves_and_prints_its_url(serve, script, tmp_path):
    env = env_for(script, tmp_path)
    with serve(f"{script}.py", env=env) as server:
        home_page(server)
        assert f"http://127.0.0.1:{server.port}" in wait_for_output(server, server.url)


@pytest.mark.parametrize("script", SCRIPTS)
def test_waitress_serves_the_wsgi_callable(serve, script, tmp_path):
    env = env_for(script, tmp_path)
    command = ["-m", "waitress", "--listen=127.0.0.1:{port}", wsgi_target(script)]
    with serve(*command, env=env) as server:
        home_page(server)


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn runs only on Unix-like systems")
@pytest.mark.parametrize("script", SCRIPTS)
def test_gunicorn_with_four_workers_serves_the_wsgi_callable(serve, script, tmp_path):
    env = env_for(script, tmp_path)
    command = ["-m", "gunicorn", "--workers=4", "--bind=127.0.0.1:{port}", wsgi_target(script)]
    with serve(*command, env=env) as server:
        home_page(server)


@pytest.mark.parametrize("script", ["hello_flask", "site_flask", "todo_flask"])
def test_flask_command_runs_the_flask_scripts(serve, script, tmp_path):
    env = env_for(script, tmp_path)
    with serve("-m", "flask", "--app", script, "run", "--port={port}", env=env) as server:
        home_page(server)


@pytest.mark.parametrize("script", ["hello_django", "site_django", "todo_django"])
def test_django_scripts_take_management_commands(serve, script, tmp_path):
    env = env_for(script, tmp_path)
    check = subprocess.run(
        [sys.executable, f"{script}.py", "check"],
        cwd=ROOT,
        env=environ(env),
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert "System check identified no issues (0 silenced)" in check.stdout

    with serve(f"{script}.py", "runserver", "{port}", env={"PORT": "1", **env}) as server:
        home_page(server)


def test_todo_django_migrate_and_createsuperuser_work(tmp_path):
    env = env_for("todo_django", tmp_path)

    def manage(*args):
        run = subprocess.run(
            [sys.executable, "todo_django.py", *args],
            cwd=ROOT,
            env=environ({**env, "DJANGO_SUPERUSER_PASSWORD": "a long pass phrase"}),
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout

    assert "No migrations to apply." in manage("migrate")
    assert "Superuser created successfully." in manage(
        "createsuperuser", "--noinput", "--username=admin", "--email=admin@example.com"
    )


@pytest.mark.parametrize("script", ["site_flask", "todo_flask"])
def test_flask_says_how_to_pick_another_port_when_its_port_is_taken(script, tmp_path):
    env = env_for(script, tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, f"{script}.py"],
            cwd=ROOT,
            env=environ({**env, "PORT": str(port)}),
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert run.returncode != 0
    assert f"PORT={port + 1} python {script}.py" in run.stderr
