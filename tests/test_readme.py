"""What the README's Deploying section says is true: its deploy commands work exactly as
printed, and every statement of its table of environment variables holds for the scripts
the table names. The commands, the table and its "used by" cells are read from README.md
itself, so the README cannot drift from what the scripts do."""

import ast
import re
import shlex
import shutil
import socket

import pytest
import requests
from helpers import NOT_ON_WINDOWS, ROOT, SCRIPTS, SECRET_KEY, framework, run

README = (ROOT / "README.md").read_text(encoding="utf-8")
NO_KEY_MESSAGE = "{app}: set SECRET_KEY to a long random string (or DEBUG=1)."

# Reading the README


def section(title):
    """The text of the README's section `## title`, up to the next section."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert found, f"README.md has no section {title!r}"
    return found.group(1)


DEPLOYING = section("Deploying")


def cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def variables():
    """The Deploying section's table: {variable: {"used by": ..., "default": ..., ...}}."""
    lines = [line for line in DEPLOYING.splitlines() if line.startswith("|")]
    header = cells(lines[0])
    rows = [dict(zip(header, cells(line), strict=True)) for line in lines[2:]]
    return {row["variable"].strip("`"): row for row in rows}


TABLE = variables()
# The words a "used by" cell may use, besides a script's own name.
GROUPS = {
    "all six": SCRIPTS,
    "hello": ["hello_flask", "hello_django"],
    "site": ["site_flask", "site_django"],
    "to do": ["todo_flask", "todo_django"],
    "flask scripts": [script for script in SCRIPTS if framework(script) == "flask"],
    "django scripts": [script for script in SCRIPTS if framework(script) == "django"],
}


def used_by(variable):
    """The scripts the table says read this variable, in SCRIPTS order."""
    named = set()
    for part in TABLE[variable]["used by"].split(","):
        name = part.strip().strip("`")
        if name not in SCRIPTS and name.lower() not in GROUPS:
            raise LookupError(f"README.md: {variable} is used by {name!r}: which scripts?")
        named.update([name] if name in SCRIPTS else GROUPS[name.lower()])
    return [script for script in SCRIPTS if script in named]


def shell_block(text, first):
    """The one ```sh block of `text` that has a line starting with `first`."""
    blocks = re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S)
    (block,) = [b for b in blocks if any(line.startswith(first) for line in b.splitlines())]
    return block


DEPLOY_BLOCK = shell_block(DEPLOYING, "export ")
# `SECRET_KEY=$(python -c "...") gunicorn ...`: production settings on one's own machine.
TRY_OUT = re.compile(r'SECRET_KEY=\$\(python -c "([^"]+)"\) (.+)')
TRY_OUT_COMMANDS = [
    TRY_OUT.fullmatch(line).groups()
    for line in shell_block(DEPLOYING, "SECRET_KEY=$(").splitlines()
    if line.strip()
]
# `export SECRET_KEY=... ALLOWED_HOSTS=todo.example.com HTTPS_ONLY=1`: the environment.
(EXPORT,) = [line for line in DEPLOY_BLOCK.splitlines() if line.startswith("export ")]
README_ENV = dict(word.split("=", 1) for word in shlex.split(EXPORT)[1:])
HOST = README_ENV["ALLOWED_HOSTS"].split(",")[0]  # the Host header the proxy passes on
SERVER_MODULE = {"gunicorn": "gunicorn", "waitress-serve": "waitress"}
DEPLOY_COMMANDS = [
    tuple(shlex.split(line, comments=True))
    for line in DEPLOY_BLOCK.splitlines()
    if line.split(" ", 1)[0] in SERVER_MODULE
]


# Flask's callable is `app`, Django's `application`, as the README's commands name them.
README_CALLABLE = {
    framework(cmd[-1].split(":")[0]): cmd[-1].split(":")[1] for cmd in DEPLOY_COMMANDS
}


def readme_target(script):
    """What a WSGI server imports, with the callable the README gives the script's framework."""
    return f"{script}:{README_CALLABLE[framework(script)]}"


def as_the_tests_run_it(command, script):
    """What follows `python` to run a README command: `-m gunicorn` or `-m waitress` (the
    same programs as the `gunicorn` and `waitress-serve` scripts, on every system) and the
    command's arguments as printed, but for port 8000 (the test's free port) and the WSGI
    target (`script`, with the callable the README gives its framework)."""
    program, *options, _target = command
    options = [option.replace("127.0.0.1:8000", "127.0.0.1:{port}") for option in options]
    assert sum("{port}" in option for option in options) == 1, command
    return ["-m", SERVER_MODULE[program], *options, readme_target(script)]


def deployments():
    """Each README deploy command with each script of its framework: "The same commands
    serve the other scripts"."""
    params = []
    for command in DEPLOY_COMMANDS:
        program, target = command[0], command[-1]
        for script in SCRIPTS:
            if framework(script) == framework(target.split(":")[0]):
                marks = [NOT_ON_WINDOWS] if program == "gunicorn" else []
                params.append(
                    pytest.param((command, script), id=f"{program}-{script}", marks=marks)
                )
    return params


DEPLOYMENTS = deployments()
WAITRESS_DEPLOYMENTS = [param for param in DEPLOYMENTS if param.id.startswith("waitress-serve")]


# Running things


@pytest.fixture(autouse=True)
def nothing_from_the_shell(monkeypatch):
    """Each test sets what it needs: none of the variables the scripts read comes from the
    shell that runs the tests."""
    for name in [*TABLE, "FLASK_DEBUG"]:
        monkeypatch.delenv(name, raising=False)


def get(server, path=None, host=HOST, proxied=True):
    """GET as the TLS proxy in front passes it on (proxied), or as plain HTTP; by default the
    page any visitor may open: "/", or a To Do app's login page (its lists need a login)."""
    if path is None:
        path = "/login" if any("todo_" in part for part in server.command) else "/"
    headers = {"Host": host, **({"X-Forwarded-Proto": "https"} if proxied else {})}
    return requests.get(server.url + path, headers=headers, allow_redirects=False, timeout=30)


def debug_404_page(server):
    """Whether an unknown path gets Django's "Page not found" page for developers."""
    response = get(server, "/no/such/page", host=f"127.0.0.1:{server.port}", proxied=False)
    assert response.status_code == 404
    return "DEBUG = True" in response.text


# Deploying: the README's commands, as printed


def test_the_readme_prints_a_gunicorn_and_a_waitress_command_for_each_framework():
    printed = {(command[0], framework(command[-1].split(":")[0])) for command in DEPLOY_COMMANDS}
    assert printed == {(program, name) for program in SERVER_MODULE for name in ("flask", "django")}


@pytest.fixture(scope="module", params=DEPLOYMENTS)
def deployed(request, serve, tmp_path_factory):
    """A README deploy command serving `script`, with the README's environment."""
    command, script = request.param
    env = {
        **README_ENV,
        "SECRET_KEY": SECRET_KEY,  # what `export SECRET_KEY=...` stands for
        "TODO_DB": str(tmp_path_factory.mktemp(script) / "todo.sqlite3"),
        "DEBUG": None,  # module-scoped: set up before nothing_from_the_shell
        "FLASK_DEBUG": None,
    }
    with serve(*as_the_tests_run_it(command, script), env=env) as server:
        server.script = script
        yield server


@pytest.mark.parametrize(
    "key_code, command",
    [
        pytest.param(*line, id=line[1].split()[0], marks=[NOT_ON_WINDOWS] * ("gunicorn" in line[1]))
        for line in TRY_OUT_COMMANDS
    ],
)
def test_readme_try_out_line_serves_the_to_do_app_on_127_0_0_1(key_code, command, serve, tmp_path):
    """The README's one line to try production settings locally: open http://127.0.0.1:8000/
    and get the login page, debug off, no HTTPS redirect, no refused host."""
    command = shlex.split(command)
    assert command[-1].startswith("todo_"), "the lines start the To Do app"
    key = run("-c", key_code).stdout.strip()
    env = {"SECRET_KEY": key, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(*as_the_tests_run_it(command, command[-1].split(":")[0]), env=env) as server:
        plain = {"host": f"127.0.0.1:{server.port}", "proxied": False}
        home = get(server, "/", **plain)
        assert (home.status_code, home.headers["Location"]) == (302, "/login?next=/")
        assert get(server, "/login", **plain).status_code == 200
        if "django" in command[-1]:
            assert not debug_404_page(server)


def test_readme_deploy_command_serves_what_the_tls_proxy_passes_on(deployed):
    response = get(deployed)
    assert response.status_code == 200, response.text
    if deployed.script in used_by("HTTPS_ONLY"):
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_https_only_redirects_plain_http_under_the_readme_commands(deployed):
    # HTTPS_ONLY's 301, and its cookies and HSTS on the development server: test_production's
    # test_https_switch_redirects_to_https_and_secures_cookies. Its default, off: every other
    # test talks plain HTTP.
    response = get(deployed, "/", proxied=False)
    if deployed.script in used_by("HTTPS_ONLY"):
        assert response.status_code == 301
        assert response.headers["Location"] == f"https://{HOST}/"
    else:
        assert response.status_code == 200


def test_allowed_hosts_refuses_other_hosts_under_the_readme_commands(deployed):
    response = get(deployed, host="evil.example.com")
    assert response.status_code == (400 if deployed.script in used_by("ALLOWED_HOSTS") else 200)


def test_debug_is_off_under_the_readme_commands(deployed):
    # Flask's debug mode shows nothing here; the To Do app's refusal to start without a key,
    # under gunicorn and waitress, is test_production's
    # test_todo_app_with_debug_off_and_no_secret_key_refuses_to_start.
    response = get(deployed, "/no/such/page")
    assert response.status_code == 404
    assert "DEBUG = True" not in response.text  # Django's "Page not found" for developers


@pytest.mark.parametrize("deployed", WAITRESS_DEPLOYMENTS, indirect=True)
def test_readme_waitress_command_refuses_a_body_over_64_kib_itself(deployed):
    response = requests.post(
        deployed.url + "/",
        data=b"x" * 70_000,
        headers={"Host": HOST, "X-Forwarded-Proto": "https"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 413
    assert "(generated by waitress)" in response.text, "waitress's answer, not the app's"


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_docstring_serves_with_waitress_on_127_0_0_1_only(script):
    """A bare `waitress-serve module:app` listens on every interface, on port 8080."""
    docstring = ast.get_docstring(ast.parse((ROOT / f"{script}.py").read_text(encoding="utf-8")))
    commands = re.findall(r"waitress-serve((?:\s+--\S+)*)\s+(\S+)", docstring)
    assert commands, "no waitress-serve command"
    for options, target in commands:
        assert target.startswith(f"{script}:")
        assert "--listen=127.0.0.1:" in options, f"waitress-serve{options} {target}"


# The table: PORT


DEFAULT_PORT = {
    name.lower(): int(port)
    for port, name in re.findall(r"(\d+) \((\w+)\)", TABLE["PORT"]["default"])
}


# PORT set: test_serving's test_python_script_with_no_arguments_serves_and_prints_its_url runs
# each of the six on the PORT it sets.
@pytest.mark.parametrize("script", used_by("PORT"))
def test_port_unset_is_the_default_port(serve, script, tmp_path):
    port = DEFAULT_PORT[framework(script)]
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            pytest.skip(f"another program listens on port {port}, the default one")
    env = {"PORT": None, "DEBUG": "0", "TODO_DB": str(tmp_path / "todo.sqlite3")}
    server = serve(f"{script}.py", env=env)
    server.port, server.url = port, f"http://127.0.0.1:{port}"  # where it should answer
    with server:
        assert get(server, host=f"127.0.0.1:{port}", proxied=False).status_code == 200
        assert f"http://127.0.0.1:{port}" in server.output()


# The table: DEBUG

FLASK = [script for script in used_by("DEBUG") if framework(script) == "flask"]
DJANGO = [script for script in used_by("DEBUG") if framework(script) == "django"]
FLASK_RUNS = {  # what follows `python`, DEBUG, what Flask's banner says
    "python": (["{script}.py"], None, "on"),
    "python, DEBUG=0": (["{script}.py"], "0", "off"),
    "flask run": (["-m", "flask", "--app", "{script}", "run", "--port={port}"], None, "off"),
    "flask run --debug": (
        ["-m", "flask", "--app", "{script}", "run", "--port={port}", "--debug"],
        None,
        "on",
    ),
}


@pytest.mark.parametrize("how", FLASK_RUNS)
@pytest.mark.parametrize("script", FLASK)
def test_debug_of_the_flask_scripts_shows_in_flasks_banner(serve, script, how, tmp_path):
    # Under a WSGI server Flask's debug mode shows only in todo_flask's key: off, FLASK_DEBUG
    # or not, in test_secret_key_missing_with_debug_off_is_refused; on with DEBUG=1, in
    # test_production's test_debug_1_overrides_the_wsgi_servers_default.
    command, debug, banner = FLASK_RUNS[how]
    env = {"DEBUG": debug, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(*(part.replace("{script}", script) for part in command), env=env) as server:
        assert f" * Debug mode: {banner}\n" in server.output()


DJANGO_RUNS = {  # what follows `python`, DEBUG, whether debug is on
    "python": (["{script}.py"], None, True),
    "a management command": (["{script}.py", "runserver", "{port}"], None, True),
    "python, DEBUG=0": (["{script}.py"], "0", False),
    "waitress, DEBUG=1": (
        ["-m", "waitress", "--listen=127.0.0.1:{port}", "{target}"],
        "1",
        True,
    ),
}


@pytest.mark.parametrize(
    ("script", "how"),
    [
        (script, how)
        for script in DJANGO
        for how in DJANGO_RUNS
        # hello_django and site_django run directly: test_production's
        # test_django_shows_its_debug_404_page_only_in_debug_mode.
        if how != "python" or script == "todo_django"
    ],
)
def test_debug_of_the_django_scripts_shows_in_their_404_page(serve, script, how, tmp_path):
    # Under gunicorn and waitress, debug off: test_debug_is_off_under_the_readme_commands.
    command, debug, on = DJANGO_RUNS[how]
    command = [part.replace("{script}", script) for part in command]
    command = [part.replace("{target}", readme_target(script)) for part in command]
    env = {"DEBUG": debug, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(*command, env=env) as server:
        assert debug_404_page(server) is on


# The table: SECRET_KEY (To Do)


# Run directly, and DEBUG=1 under gunicorn: test_production's
# test_debug_is_on_when_run_directly_so_no_secret_key_is_needed and
# test_debug_1_overrides_the_wsgi_servers_default.
@pytest.mark.parametrize(
    ("command", "debug"),
    [
        (["-m", "flask", "--app", "todo_flask", "run", "--port={port}", "--debug"], None),
        (["-m", "flask", "--app", "todo_flask", "run", "--port={port}"], "1"),
        (["todo_django.py", "runserver", "{port}"], None),
    ],
    ids=["flask run --debug", "flask run, DEBUG=1", "a management command"],
)
def test_secret_key_with_debug_on_is_not_needed(serve, command, debug, tmp_path):
    env = {"SECRET_KEY": None, "DEBUG": debug, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(*command, env=env) as server:
        assert get(server, host=f"127.0.0.1:{server.port}", proxied=False).status_code == 200


# Missing, run directly or under gunicorn or waitress with debug off: test_production's
# test_todo_app_with_debug_off_and_no_secret_key_refuses_to_start.
@pytest.mark.parametrize(
    ("app", "command", "env"),
    [
        ("todo_flask", ["-m", "flask", "--app", "todo_flask", "run", "--port=0"], {}),
        (
            "todo_flask",
            ["-m", "flask", "--app", "todo_flask", "run", "--port=0", "--debug"],
            {"DEBUG": "0"},
        ),
        # FLASK_DEBUG is the flask command's: a WSGI server imports the app with debug off.
        (
            "todo_flask",
            ["-m", "waitress", "--listen=127.0.0.1:0", "todo_flask:app"],
            {"FLASK_DEBUG": "1"},
        ),
        ("todo_django", ["todo_django.py", "check"], {"DEBUG": "0"}),
    ],
    ids=[
        "flask run",
        "flask run --debug, DEBUG=0",
        "waitress, FLASK_DEBUG=1",
        "a management command, DEBUG=0",
    ],
)
def test_secret_key_missing_with_debug_off_is_refused(app, command, env, tmp_path):
    env = {**env, "SECRET_KEY": None, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    result = run(*command, env=env, timeout=30)  # should it serve: killed, and an error
    assert (result.returncode, result.stderr.strip()) == (3, NO_KEY_MESSAGE.format(app=app))


# Weak (3 or 49 characters, 4 different ones) and just strong enough (50 characters, 5
# different): test_production's test_todo_app_with_debug_off_refuses_a_weak_secret_key and
# test_todo_app_with_debug_off_takes_a_key_of_50_characters_and_5_different.


def key_made_the_readmes_way():
    """Run the README's `python -c ...` that makes a secret key, as printed."""
    (printed,) = re.findall(r"`(python -c [^`]+)`", DEPLOYING)
    _python, *args = shlex.split(printed)
    made = run(*args)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


@pytest.mark.parametrize("script", used_by("SECRET_KEY"))
def test_secret_key_made_the_readmes_way_is_accepted_with_debug_off(serve, script, tmp_path):
    env = {"SECRET_KEY": key_made_the_readmes_way(), "TODO_DB": str(tmp_path / "todo.sqlite3")}
    command = ["-m", "waitress", "--listen=127.0.0.1:{port}", readme_target(script)]
    with serve(*command, env=env) as server:
        assert get(server, host=f"127.0.0.1:{server.port}", proxied=False).status_code == 200


# The table: TODO_DB (To Do)

DEFAULT_DB = {
    name.split(".")[0]: name for name in re.findall(r"`([^`]+)`", TABLE["TODO_DB"]["default"])
}


@pytest.mark.parametrize("where", ["default", "TODO_DB"])
@pytest.mark.parametrize("script", used_by("TODO_DB"))
def test_todo_db_is_the_file_created_else_beside_the_script(serve, script, where, tmp_path):
    """The default sits "beside the script": run a copy, so that its database lands in tmp_path."""
    assert TABLE["TODO_DB"]["default"].endswith("beside the script")
    shutil.copy(ROOT / f"{script}.py", tmp_path)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    default, chosen = tmp_path / DEFAULT_DB[script], tmp_path / "elsewhere" / "todos.sqlite3"
    chosen.parent.mkdir()
    env = {"DEBUG": "0", "TODO_DB": str(chosen) if where == "TODO_DB" else None}
    with serve(str(tmp_path / f"{script}.py"), env=env) as server:
        assert get(server, host=f"127.0.0.1:{server.port}", proxied=False).status_code == 200
    created, not_created = (chosen, default) if where == "TODO_DB" else (default, chosen)
    assert created.is_file()
    assert not not_created.exists()


# The table: ALLOWED_HOSTS. Any other host gets 400: with the README's value,
# test_allowed_hosts_refuses_other_hosts_under_the_readme_commands; with the default, for the
# site and To Do apps, test_production's test_a_host_outside_allowed_hosts_gets_400.


@pytest.mark.parametrize("script", used_by("ALLOWED_HOSTS"))
def test_allowed_hosts_unset_is_the_local_names(serve, script, tmp_path):
    hosts = TABLE["ALLOWED_HOSTS"]["default"].strip("`").split(",")
    env = {"DEBUG": "0", "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(f"{script}.py", env=env) as server:
        for host in hosts:
            response = get(server, host=f"{host}:{server.port}", proxied=False)
            assert response.status_code == 200, host
