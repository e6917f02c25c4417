"""`uv run <script>.py`: the README's way to run a script with no set-up step. uv reads the
script's inline metadata (PEP 723), installs Flask or Django into a cache of its own, not
into the test's environment, and runs the script."""

import pytest
import requests


@pytest.mark.parametrize(
    "script, shows",
    [("hello_flask", "<p>Hello, World!</p>"), ("todo_django", "<h1>Log in</h1>")],
)
def test_uv_run_serves_the_script_with_nothing_installed_beforehand(serve, script, shows, tmp_path):
    env = {"TODO_DB": str(tmp_path / "todo.sqlite3"), "UV_PYTHON_DOWNLOADS": "never"}
    with serve("-m", "uv", "run", "--quiet", f"{script}.py", env=env) as server:
        response = requests.get(server.url + "/")  # the To Do app: its login page
        assert response.status_code == 200
        assert shows in response.text
