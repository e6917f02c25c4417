"""Every script runs the ways the README says: directly, with its framework's tools,
and under the WSGI servers waitress and gunicorn."""

import socket

import pytest
import requests
from helpers import NOT_ON_WINDOWS, SCRIPTS, run, server_command


def env_for(script, tmp_path):
    """The To Do apps' database out of the checkout; no SECRET_KEY for the others."""
    if script.startswith("todo"):
        return {"TODO_DB": str(tmp_path / "todo.sqlite3")}
    return {"SECRET_KEY": None}


def home_page(server):
    response = requests.get(server.url + "/")
    assert response.status_code == 200, response.text
    return response


@pytest.mark.parametrize("script", SCRIPTS)
def test_python_script_with_no_arguments_serves_and_prints_its_url(serve, script, tmp_path):
    env = env_for(script, tmp_path)
    with serve(f"{script}.py", env=env) as server:
        home_page(server)
        assert f"http://127.0.0.1:{server.port}" in server.wait_for_output(server.url)


@pytest.mark.parametrize("script", SCRIPTS)
def test_waitress_serves_the_wsgi_callable(serve, script, tmp_path):
    env = env_for(script, tmp_path)
    with serve(*server_command(script, "waitress"), env=env) as server:
        home_page(server)


@NOT_ON_WINDOWS
@pytest.mark.parametrize("script", SCRIPTS)
def test_gunicorn_with_four_workers_serves_the_wsgi_callable(serve, script, tmp_path):
    env = env_for(script, tmp_path)
    with serve(*server_command(script, "gunicorn", workers=4), env=env) as server:
        home_page(server)


@pytest.mark.parametrize("script", ["hello_flask", "site_flask", "todo_flask"])
def test_flask_command_runs_the_flask_scripts(serve, script, tmp_path):
    env = env_for(script, tmp_path)
    with serve("-m", "flask", "--app", script, "run", "--port={port}", env=env) as server:
        home_page(server)


@pytest.mark.parametrize("script", ["hello_django", "site_django", "todo_django"])
def test_django_scripts_take_management_commands(serve, script, tmp_path):
    env = env_for(script, tmp_path)
    check = run(f"{script}.py", "check", env=env)
    assert check.returncode == 0, check.stderr
    assert "System check identified no issues (0 silenced)" in check.stdout

    with serve(f"{script}.py", "runserver", "{port}", env={"PORT": "1", **env}) as server:
        home_page(server)


def test_todo_django_migrate_and_createsuperuser_work(tmp_path):
    env = env_for("todo_django", tmp_path)

    def manage(*args):
        managed = run(
            "todo_django.py", *args, env={**env, "DJANGO_SUPERUSER_PASSWORD": "a long pass phrase"}
        )
        assert managed.returncode == 0, managed.stderr
        return managed.stdout

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
        refused = run(f"{script}.py", env={**env, "PORT": str(port)}, timeout=30)
    assert refused.returncode != 0
    assert f"PORT={port + 1} python {script}.py" in refused.stderr


@pytest.mark.parametrize(
    "how", ["python", "waitress", pytest.param("gunicorn", marks=NOT_ON_WINDOWS)]
)
@pytest.mark.parametrize("script", SCRIPTS)
def test_a_host_outside_allowed_hosts_is_one_line_at_most_in_the_log(serve, script, how, tmp_path):
    """A refused host is answered (400), not a server error: the server's log shows at most
    one line for it, never a traceback. (A server error keeps its traceback: see
    test_production.py.)"""
    env = env_for(script, tmp_path)
    with serve(*server_command(script, how, workers=1), env=env) as server:
        printed = len(server.output())
        response = requests.get(server.url + "/refused", headers={"Host": "evil.example"})
        output = server.output()[printed:]
    assert response.status_code < 500
    # A development server may log the request that saw it up (GET /) only now.
    about = [line for line in output.splitlines() if '"GET / HTTP' not in line]
    assert len(about) <= 1, output
    assert "Traceback" not in output
