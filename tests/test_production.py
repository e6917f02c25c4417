"""In production: configuration from the environment, security headers and cookies, many
clients at once, a crash, and hostile input. Each app runs as a real process."""

import contextlib
import http.client
import os
import re
import shutil
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from helpers import (
    FRAMEWORKS,
    NOT_ON_WINDOWS,
    PASSWORD,
    ROOT,
    USERNAME,
    logged_in,
    run,
    server_command,
    stored,
)
from pages import Browser

STRONG_KEY = "Kx8v3-production-like-secret-key-for-the-tests-only-4fQ9zL2mWp7sRt"
# The ways to serve a script: helpers.server_command's `how`.
PYTHON_OR_GUNICORN = ["python", pytest.param("gunicorn", marks=NOT_ON_WINDOWS)]
EVERY_WAY = [*PYTHON_OR_GUNICORN, "waitress"]


def titles_and_done(db):
    """(title, done) of every todo in the database file, in id order."""
    return [(todo.title, todo.done) for todo in stored(db)]


# Configuration: DEBUG, SECRET_KEY, HTTPS_ONLY


@pytest.mark.parametrize("how", EVERY_WAY)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_todo_app_with_debug_off_and_no_secret_key_refuses_to_start(framework, how, tmp_path):
    env = {"DEBUG": "0", "SECRET_KEY": None, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    command = [part.format(port=0) for part in server_command(f"todo_{framework}", how)]
    result = run(*command, env=env)
    assert result.returncode != 0
    message = f"todo_{framework}: set SECRET_KEY to a long random string (or DEBUG=1)."
    assert message in result.stderr.splitlines()
    assert f"todo_{framework}.py" not in result.stderr, "no traceback through our code"
    if command[0] != "-m":
        assert result.stderr.strip() == message, "one line, nothing else"
    elif "waitress" in command:
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("...", id="3-characters"),
        pytest.param("a-secret-key-of-49-characters-".ljust(49, "x"), id="49-characters"),
        pytest.param("abcd" * 20, id="4-different-characters"),
        # What `django-admin startproject` writes into settings.py, for development only.
        pytest.param(
            "django-insecure-" + "k3j4h5g6f7d8s9a0qwertyuiopzxcvbnm1234567890ASDFGH",
            id="django-insecure",
        ),
    ],
)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_todo_app_with_debug_off_refuses_a_weak_secret_key(framework, key, tmp_path):
    """What Django's `check --deploy` calls weak; the README's way makes a strong one."""
    env = {"DEBUG": "0", "SECRET_KEY": key, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    check = ["check"] if framework == "django" else []  # else it would serve, and time out
    result = run(f"todo_{framework}.py", *check, env={**env, "PORT": "0"})
    assert result.returncode == 3
    message = f"todo_{framework}: set SECRET_KEY to a long random string (or DEBUG=1)."
    assert result.stderr.strip() == message
    assert not (tmp_path / "todo.sqlite3").exists()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_todo_app_with_debug_off_takes_a_key_of_50_characters_and_5_different(
    serve, framework, tmp_path
):
    env = {"DEBUG": "0", "SECRET_KEY": "abcde" * 10, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(f"todo_{framework}.py", env=env) as server:
        assert requests.get(server.url + "/").status_code == 200


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_debug_is_on_when_run_directly_so_no_secret_key_is_needed(serve, framework, tmp_path):
    env = {"DEBUG": None, "SECRET_KEY": None, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(f"todo_{framework}.py", env=env) as server:
        assert requests.get(server.url + "/").status_code == 200


@NOT_ON_WINDOWS
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_debug_1_overrides_the_wsgi_servers_default(serve, framework, tmp_path):
    env = {"DEBUG": "1", "SECRET_KEY": None, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(*server_command(f"todo_{framework}", "gunicorn", workers=1), env=env) as server:
        assert requests.get(server.url + "/").status_code == 200


@pytest.mark.parametrize("app", ["hello", "site"])
def test_django_shows_its_debug_404_page_only_in_debug_mode(serve, app):
    with serve(f"{app}_django.py", env={"DEBUG": None}) as server:  # run directly: debug on
        assert "DEBUG = True" in requests.get(server.url + "/nowhere").text
    with serve(*server_command(f"{app}_django", "waitress"), env={"DEBUG": None}) as server:
        page = requests.get(server.url + "/nowhere")  # imported by a WSGI server: debug off
        assert page.status_code == 404
        assert "<h1>Not Found</h1>" in page.text or "<h1>Page not found</h1>" in page.text
        assert "DEBUG = True" not in page.text
        assert "urlpatterns" not in page.text.lower()


# Security headers and cookies

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


@pytest.fixture(
    scope="module",
    params=["site_flask", "site_django", "todo_flask", "todo_django"],
)
def app(request, serve, tmp_path_factory):
    db = tmp_path_factory.mktemp(request.param) / "todo.sqlite3"
    with serve(f"{request.param}.py", env={"DEBUG": "0", "TODO_DB": str(db)}) as server:
        server.app = request.param
        yield server


def check_security_headers(response):
    for header, value in HEADERS.items():
        assert response.headers.get(header) == value, (response.url, header)
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"  # so no script, from anywhere
    assert "script-src" not in directives
    assert directives["frame-ancestors"] == "'none'"
    assert all("http" not in value and "*" not in value for value in directives.values())


def test_every_response_carries_the_security_headers(app):
    user = logged_in(app.url) if app.app.startswith("todo") else Browser(app.url)
    responses = [user.get("/").response, user.get("/no/such/page").response]
    if app.app.startswith("site"):
        responses.append(requests.get(app.url + ("/about" if "flask" in app.app else "/about/")))
    else:
        responses.append(requests.get(app.url + "/add"))  # 405
        responses.append(requests.post(app.url + "/add", data={"title": "x"}))  # 403
        page = user.get("/")
        responses.append(
            user.submit(page.form("/add"), title="Buy milk", follow=False).response
        )  # 303
        responses.append(user.submit(page.form("/add"), title=" ", follow=False).response)  # 400
    assert {response.status_code for response in responses} >= {200, 404}
    for response in responses:
        check_security_headers(response)


def set_cookies(response):
    """Every Set-Cookie header of the response, as sent."""
    return response.raw.headers.getlist("Set-Cookie")


def cookies_of_a_visit(url, behind_tls_proxy=False):
    """The Set-Cookie headers a visitor gets: open the sign-up page, sign up, open the list,
    add a todo."""
    user = Browser(url, behind_tls_proxy)
    signup = user.get("/signup")
    typed = {"username": USERNAME, "password1": PASSWORD, "password2": PASSWORD}
    signed_up = user.submit(signup.form("/signup"), follow=False, **typed).response
    page = user.get("/")
    added = user.submit(page.form("/add"), title="Buy milk", follow=False).response
    assert added.status_code == 303
    responses = [signup.response, signed_up, page.response, added]
    return [cookie for response in responses for cookie in set_cookies(response)]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_cookies_are_http_only_and_same_site(serve, framework, tmp_path):
    env = {"DEBUG": "0", "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(f"todo_{framework}.py", env=env) as server:
        cookies = cookies_of_a_visit(server.url)
    assert cookies
    for cookie in cookies:
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Secure" not in cookie


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_https_switch_redirects_to_https_and_secures_cookies(serve, framework, tmp_path):
    env = {"DEBUG": "0", "HTTPS_ONLY": "1", "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(f"todo_{framework}.py", env=env) as server:
        plain = requests.get(server.url + "/active", allow_redirects=False)
        assert plain.status_code == 301
        assert plain.headers["Location"] == f"https://127.0.0.1:{server.port}/active"
        # A forwarded scheme that is not "https" leaves the request plain HTTP: the redirect
        # is built from the host and the path, never from the header's words.
        for forged in ["https://evil.example", "http", "HTTPS, http"]:
            response = requests.get(
                server.url + "/active?x=1",
                headers={"Host": "localhost", "X-Forwarded-Proto": forged},
                allow_redirects=False,
            )
            assert response.status_code == 301, forged
            assert response.headers["Location"] == "https://localhost/active?x=1", forged

        page = Browser(server.url, behind_tls_proxy=True).get("/login")
        assert page.response.status_code == 200
        assert page.response.headers["Strict-Transport-Security"].startswith("max-age=")
        cookies = cookies_of_a_visit(server.url, behind_tls_proxy=True)
    assert cookies
    for cookie in cookies:
        assert "Secure" in cookie
        assert "HttpOnly" in cookie


def test_django_deploy_check_reports_only_what_the_readme_explains(tmp_path):
    env = {
        "DEBUG": "0",
        "HTTPS_ONLY": "1",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "todo.example.com",
        "TODO_DB": str(tmp_path / "todo.sqlite3"),
    }
    result = run("todo_django.py", "check", "--deploy", env=env)
    assert result.returncode == 0, result.stderr
    reported = set(re.findall(r"\((security\.\w+)\)", result.stdout + result.stderr))
    assert reported == {"security.W005", "security.W021"}  # HSTS for subdomains, preload


# Many clients at once, and a crash


def add_todos(user, client, count):
    """A client, a logged-in browser, adds `count` todos; the status of each add."""
    page = user.get("/")
    form = page.form("/add")
    titles = [f"client {client} todo {number}" for number in range(count)]
    return [
        (title, user.submit(form, title=title, follow=False).response.status_code)
        for title in titles
    ]


@pytest.mark.parametrize(
    "how",
    ["development server", pytest.param("gunicorn -w 4", marks=NOT_ON_WINDOWS)],
)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_eight_clients_adding_at_once_all_succeed(serve, framework, how, tmp_path):
    db = tmp_path / "todo.sqlite3"
    command = server_command(
        f"todo_{framework}", "python" if how == "development server" else "gunicorn"
    )
    with (
        serve(*command, env={"DEBUG": "0", "TODO_DB": str(db)}) as server,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        owner = logged_in(server.url)  # eight browsers, one user
        clients = pool.map(lambda client: add_todos(owner.copy(), client, 25), range(8))
        results = [result for client in clients for result in client]
    assert [status for _, status in results] == [303] * 200
    assert sorted(todo.title for todo in stored(db)) == sorted(title for title, _ in results)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_acknowledged_todo_survives_a_hard_kill(serve, framework, tmp_path):
    db = tmp_path / "todo.sqlite3"
    acknowledged = []
    server = serve(f"todo_{framework}.py", env={"DEBUG": "0", "TODO_DB": str(db)})
    server.start()
    owner = logged_in(server.url)  # four browsers, one user

    def keep_adding(client):
        user = owner.copy()
        page = user.get("/")
        form = page.form("/add")
        for number in range(200):  # bounded: the kill comes long before
            title = f"client {client} todo {number}"
            try:
                response = user.submit(form, title=title, follow=False).response
            except requests.ConnectionError:
                return
            if response.status_code == 303:
                acknowledged.append(title)

    clients = [threading.Thread(target=keep_adding, args=(c,)) for c in range(4)]
    for client in clients:
        client.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.stop()  # kills the process and its children: no clean shutdown
    for client in clients:
        client.join(timeout=30)
    assert len(acknowledged) >= 40

    with serve(f"todo_{framework}.py", env={"DEBUG": "0", "TODO_DB": str(db)}) as server:
        assert requests.get(server.url + "/").status_code == 200
        with closing(sqlite3.connect(db)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        titles = [todo.title for todo in stored(db)]
    assert set(acknowledged) <= set(titles)
    assert len(titles) == len(set(titles)), "each todo once"


# Hostile input: each gets a 4xx, or the right 2xx/3xx, and never a 500


@pytest.fixture
def visitor(todo):
    """A visitor who has opened the list page of conftest.py's `todo`, emptied but for one
    todo it added, "Keep me": its cookies and the add form's fields."""
    todo.empty()
    user = todo.browser()
    page = user.get("/")
    user.add_form = page.form("/add")
    add(user, "Keep me")
    return user


def add(user, title):
    response = user.submit(user.add_form, title=title, follow=False).response
    assert response.status_code == 303


def exchange(server, user, method, path, body=b"", headers=None):
    """Send exactly this request (no URL clean-up), with the visitor's cookies (a header
    given as None is left out); the status, headers and text of the answer."""
    cookies = "; ".join(f"{c.name}={c.value}" for c in user.session.cookies)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        sent = {"Cookie": cookies, "Content-Length": str(len(body)), **(headers or {})}
        for name, value in sent.items():
            if value is not None:
                connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()


def raw(server, user, method, path, body=b"", headers=None):
    """Send exactly this request, as exchange() does; the status and text of the answer."""
    status, _, text = exchange(server, user, method, path, body, headers)
    return status, text


def form_body(user, **fields):
    """The add form's fields (CSRF token included) but its title, and these, URL-encoded."""
    sent = {name: value for name, value in user.add_form.fields.items() if name != "title"}
    return urlencode({**sent, **fields}).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}
TEXT = {"Content-Type": "text/plain"}


@pytest.mark.parametrize(
    ("what", "method", "path", "body", "headers", "statuses"),
    [
        ("a very long URL", "GET", "/" + "a" * 8000, None, {}, {404, 414}),
        ("a huge URL", "GET", "/" + "a" * 70000, None, {}, {400, 404, 414}),
        ("dot segments", "GET", "/../../etc/passwd", None, {}, {400, 404}),
        ("encoded dot segments", "GET", "/%2e%2e/%2e%2e/etc/passwd", None, {}, {400, 404}),
        ("encoded slashes", "POST", "/add%2F..%2F..%2Fetc%2Fpasswd", "form", FORM, {404}),
        ("outside static", "GET", "/static/admin/..%2F..%2F__init__.py", None, {}, {400, 404}),
        ("a static name too long", "GET", "/static/admin/" + "a" * 256, None, {}, {404}),
        ("a static name of 256 bytes", "GET", "/static/admin/" + "%C3%A9" * 128, None, {}, {404}),
        ("a static path too long", "GET", "/static/admin/" + "a/" * 2100, None, {}, {404, 414}),
        # Django's CSRF middleware refuses, as unsafe, any method it does not know (403).
        ("an unknown method", "BREW", "/", None, {}, {403, 405}),
        ("an unknown method on a form path", "PROPFIND", "/add", None, {}, {403, 405}),
        ("malformed encoding and no token", "POST", "/add", b"%%%&&==title=%ZZ", FORM, {403}),
        ("JSON, not a form", "POST", "/add", b'{"title": "x"}', JSON, {403}),
        ("a form as text/plain", "POST", "/add", "form", TEXT, {403}),
        ("a body longer than said", "POST", "/add", "form", {**FORM, "Content-Length": "3"}, {403}),
    ],
)
@pytest.mark.parametrize(  # each app under each server: never a 5xx from any
    "todo",
    [
        *FRAMEWORKS,
        *(
            pytest.param((f, "gunicorn"), marks=NOT_ON_WINDOWS, id=f"{f}-gunicorn")
            for f in FRAMEWORKS
        ),
        *(pytest.param((f, "waitress"), id=f"{f}-waitress") for f in FRAMEWORKS),
    ],
    indirect=True,
    scope="module",
)
def test_hostile_requests_change_nothing(
    todo, visitor, what, method, path, body, headers, statuses
):
    before = todo.stored()
    if body == "form":
        body = form_body(visitor, title="Sneaky")
    elif body and body.startswith(b"&"):
        body = form_body(visitor) + body
    status, _ = raw(todo, visitor, method, path, body or b"", headers)
    assert status in statuses, what
    assert todo.stored() == before, what


@pytest.mark.parametrize(
    "content_type",
    [
        pytest.param(f"application/x-www-form-urlencoded; charset={charset}", id=charset)
        for charset in ["utf-16", "utf-32", "latin-1", "ascii", "cp037", "rot13", "base64", "zlib"]
    ]
    + [
        pytest.param("application/x-www-form-urlencoded; charset=no-such-codec", id="unknown"),
        pytest.param("application/x-www-form-urlencoded; charset=", id="empty"),
        pytest.param('application/x-www-form-urlencoded; charset="utf-8', id="unclosed-quote"),
        pytest.param("application/x-www-form-urlencoded; charset=utf-8;;;", id="stray-semicolons"),
        pytest.param("application/x-www-form-urlencoded; charset*=utf-8''x", id="rfc2231"),
        pytest.param("multipart/form-data; boundary=x; charset=no-such-codec", id="multipart"),
        pytest.param("multipart/form-data", id="multipart-without-boundary"),
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_form_in_a_charset_the_app_cannot_read_is_never_a_server_error(
    todo, visitor, content_type, encoding
):
    """Refused with 400 (Django refuses any form that is not UTF-8), or read as UTF-8
    (Werkzeug ignores the charset): never a 5xx, always our own page and headers."""
    before = todo.stored()
    fields = {**visitor.add_form.fields, "title": "Sneaky é"}
    body = urlencode(fields, encoding=encoding).encode()
    status, page = raw(todo, visitor, "POST", "/add", body, {"Content-Type": content_type})
    after = todo.stored()
    if status == 303:
        assert after[:-1] == before
        assert (after[-1].title, after[-1].done) == ("Sneaky é", False)
    else:
        assert status in {400, 403}, page
        assert after == before
    assert "Traceback" not in todo.output()


# A Content-Type whose charset no one can read: Django fails building the request, before
# any middleware, unless the script sees to it.
UNREADABLE = {
    "rfc2231-unknown": "text/plain; charset*=bogus''x",
    "rot13": "text/plain; charset=rot13",
    "hex": "application/x-www-form-urlencoded; charset=hex",
    "unknown": "text/plain; charset=no-such-codec",
}


def test_a_content_type_no_one_can_read_gets_400_with_the_usual_headers(app):
    for name, content_type in UNREADABLE.items():
        response = requests.get(
            app.url + "/?a=b", headers={"Content-Type": content_type}, allow_redirects=False
        )
        assert response.status_code == 400, name
        check_security_headers(response)
    assert "Traceback" not in app.output()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_hello_never_fails_on_a_content_type_no_one_can_read(serve, framework):
    with serve(f"hello_{framework}.py", env={"DEBUG": "0"}) as server:
        for name, content_type in UNREADABLE.items():
            headers = {"Content-Type": content_type}
            response = requests.get(server.url + "/?a=b", headers=headers)
            # Where Django cannot build such a request (which depends on its version), its
            # hello answers 400; Flask reads it.
            assert response.status_code in ((200, 400) if framework == "django" else (200,)), name
        assert "Traceback" not in server.output()


@pytest.mark.parametrize("how", EVERY_WAY)
@pytest.mark.parametrize("script", ["hello_django", "site_django", "todo_django"])
def test_django_builds_no_request_it_cannot_read_under_any_server(serve, script, how, tmp_path):
    """Django fails building such a request before any middleware: the server itself
    would answer, with a bare 500 and none of the script's headers."""
    env = {"DEBUG": "0", "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(*server_command(script, how, workers=1), env=env) as server:
        for name in ["rfc2231-unknown", "rot13"]:
            headers = {"Content-Type": UNREADABLE[name]}
            response = requests.get(server.url + "/?a=b", headers=headers, allow_redirects=False)
            if script == "hello_django":  # 400 where this Django cannot build it, else 200
                assert response.status_code in (200, 400), name
                continue  # and the hello apps set no headers of their own
            assert response.status_code == 400, name
            check_security_headers(response)
        assert "Traceback" not in server.output()


@pytest.mark.parametrize("charset", ["hex", "rot13", "utf-7", "latin-1"])
def test_a_multipart_form_in_a_charset_other_than_utf8_is_refused(todo, visitor, charset):
    """utf-7 would turn "+2AA-" into a lone surrogate, which no database stores."""
    before = todo.stored()
    body, content_type = multipart({**visitor.add_form.fields, "title": "+2AA-"}, {})
    headers = {"Content-Type": f"{content_type}; charset={charset}"}  # its fields are UTF-8
    status, _ = raw(todo, visitor, "POST", "/add", body, headers)
    assert status == 400
    assert todo.stored() == before
    assert "Traceback" not in todo.output()


@pytest.mark.parametrize("title", [b"%FF%FEbad", b"\xff\xfe"], ids=["percent-encoded", "raw"])
def test_bytes_that_are_not_utf8_never_store_garbled_text(todo, visitor, title):
    """Refused (400, or 403 where the form cannot be read at all), or kept as the text sent:
    Werkzeug keeps "%FF" as those three characters; Django reads raw bytes as Latin-1."""
    before = todo.stored()
    status, _ = raw(todo, visitor, "POST", "/add", form_body(visitor) + b"&title=" + title, FORM)
    after = todo.stored()
    if status == 303:
        assert after[: len(before)] == before and len(after) == len(before) + 1
        assert "\ufffd" not in after[-1].title
    else:
        assert status in {400, 403}
        assert after == before


def test_a_title_sent_twice_adds_one_todo(todo, visitor):
    status, _ = raw(
        todo, visitor, "POST", "/add", form_body(visitor) + b"&title=One&title=Two", FORM
    )
    assert status == 303
    titles = [t.title for t in todo.stored()]
    assert titles[:1] == ["Keep me"] and len(titles) == 2 and titles[1] in {"One", "Two"}


def test_malformed_percent_encoding_is_kept_as_text(todo, visitor):
    status, _ = raw(todo, visitor, "POST", "/add", form_body(visitor) + b"&title=100%ZZ", FORM)
    assert status == 303
    last = todo.stored()[-1]
    assert (last.title, last.done) == ("100%ZZ", False)


def test_an_sql_looking_title_is_stored_as_text(todo, visitor):
    title = "Robert'); DROP TABLE todo;--"
    add(visitor, title)
    assert [t.title for t in todo.stored()] == ["Keep me", title]


@pytest.mark.parametrize("title, accepted", [("🙂" * 200, True), ("🙂" * 201, False)])
def test_200_emoji_are_a_title_and_201_are_not(todo, visitor, title, accepted):
    page = visitor.submit(visitor.add_form, title=title, follow=False)
    assert page.response.status_code == (303 if accepted else 400)
    assert [t.title for t in todo.stored()] == ["Keep me", title] if accepted else ["Keep me"]


def test_a_forged_session_is_a_new_visitor_who_cannot_post(todo, visitor):
    before = todo.stored()
    for cookie in visitor.session.cookies:
        cookie.value = cookie.value[:-4] + ("AAAA" if not cookie.value.endswith("AAAA") else "BBBB")
    response = visitor.submit(visitor.add_form, title="Forged", follow=False).response
    assert response.status_code == 403
    page = visitor.get("/")
    assert page.response.status_code == 200
    assert todo.stored() == before


def test_a_session_signed_with_an_old_secret_key(serve, todo, visitor):
    """After the key is rotated, no session signed with the old one logs anyone in. Flask
    keeps the CSRF token in the signed session cookie, so an old page's form is refused;
    Django's CSRF token does not depend on the key, so the form is sent to the login page."""
    framework = todo.framework
    env = {"DEBUG": "0", "TODO_DB": str(todo.db), "SECRET_KEY": "another-secret-entirely-" * 3}
    before = todo.stored()
    with serve(f"todo_{framework}.py", env=env) as other:
        user = Browser(other.url)
        user.session.cookies.update(visitor.session.cookies)
        fields = {**visitor.add_form.fields, "title": "Old key"}
        response = user.post("/add", data=fields, follow=False).response
    if framework == "flask":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/login"
    assert todo.stored() == before


# Request bodies: at most 64 KiB, whatever their type and however they are sent

# The To Do app of each framework under each server. (Run directly, it is the `todo` the
# tests above use.)
ON_EVERY_SERVER = [
    pytest.param(app, id=f"{app[0]}-{app[1]}" if isinstance(app, tuple) else app, marks=marks)
    for app, marks in [
        ("flask", ()),
        ("django", ()),
        (("flask", "gunicorn"), NOT_ON_WINDOWS),
        (("django", "gunicorn"), NOT_ON_WINDOWS),
        (("flask", "waitress"), ()),
        (("django", "waitress"), ()),
    ]
]
CHUNKED = {"Content-Length": None, "Transfer-Encoding": "chunked"}
OVER_64_KIB = 70_000


def chunked(body, size=4096):
    """The body in HTTP's chunked transfer coding, `size` bytes a chunk."""
    chunks = [body[start : start + size] for start in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"


def multipart(fields, files):
    """A multipart/form-data body with these fields and files ({name: bytes}), and its
    Content-Type."""
    boundary = "----a-boundary-for-the-tests"
    parts = [
        f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode()
        for name, value in fields.items()
    ] + [
        f'Content-Disposition: form-data; name="{name}"; filename="{name}.bin"\r\n'.encode()
        + b"Content-Type: application/octet-stream\r\n\r\n"
        + content
        for name, content in files.items()
    ]
    body = b"".join(b"--%s\r\n%s\r\n" % (boundary.encode(), part) for part in parts)
    return body + b"--%s--\r\n" % boundary.encode(), f"multipart/form-data; boundary={boundary}"


def how_served(server):
    """How a TodoServer or Server runs its script: "python", "gunicorn" or "waitress"."""
    return next((how for how in ["gunicorn", "waitress"] if how in server.command), "python")


def check_too_large_page(status, headers, page):
    """The app's own 413 page, in the site's layout, with the security headers."""
    assert status == 413, page
    assert "<h1>Request too large</h1>" in page
    assert "</style>" in page, "the layout, with its stylesheet"
    for header, value in HEADERS.items():
        assert headers[header] == value, header
    assert "default-src 'none'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("todo", ON_EVERY_SERVER, indirect=True)
def test_a_body_over_64_kib_is_refused_whatever_its_type(todo, visitor):
    """Refused (413) before anything reads it: a form with a file (which Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE does not count), and any body, even on a page that reads none.
    The Content-Length says how long it is."""
    before = todo.stored()
    fields = {**visitor.add_form.fields, "title": "Sneaky"}
    with_a_file, content_type = multipart(fields, {"upload": b"x" * OVER_64_KIB})
    octets = {"Content-Type": "application/octet-stream"}
    for method, path, body, headers in [
        ("POST", "/add", with_a_file, {"Content-Type": content_type}),
        ("POST", "/add", form_body(visitor, title="Sneaky", padding="x" * OVER_64_KIB), FORM),
        ("GET", "/", b"x" * OVER_64_KIB, octets),
    ]:
        check_too_large_page(*exchange(todo, visitor, method, path, body, headers))
    assert todo.stored() == before
    assert "Traceback" not in todo.output()


@pytest.mark.parametrize("todo", ON_EVERY_SERVER, indirect=True)
def test_a_chunked_body_over_64_kib_is_refused_not_cut_short(todo, visitor):
    """A body sent in chunks says not how long it is. Flask reads it, up to 64 KiB, and
    refuses it there (413), where it used to read the first 64 KiB as the whole form. Django
    reads no body without a Content-Length: it refuses one sent in chunks (400), unless the
    server gives it a Content-Length (waitress reads the chunks first), and then 413."""
    django_without_length = todo.framework == "django" and how_served(todo) != "waitress"
    before = todo.stored()
    padded = form_body(visitor, title="Sneaky", padding="x" * OVER_64_KIB)
    status, headers, page = exchange(
        todo, visitor, "POST", "/add", chunked(padded), {**FORM, **CHUNKED}
    )
    if django_without_length:
        assert status == 400, page
    else:
        check_too_large_page(status, headers, page)
    assert todo.stored() == before

    small = chunked(form_body(visitor, title="Sent in chunks"))
    status, page = raw(todo, visitor, "POST", "/add", small, {**FORM, **CHUNKED})
    after = todo.stored()
    if django_without_length:
        assert status == 400, page
        assert after == before
    else:
        assert status == 303, page
        assert after[:-1] == before
        assert (after[-1].title, after[-1].done) == ("Sent in chunks", False)
    assert "Traceback" not in todo.output()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(lambda form: b"zz\r\n" + form + b"\r\n0\r\n\r\n", id="size-not-hex"),
        pytest.param(lambda form: b"-%x\r\n%s\r\n0\r\n\r\n" % (len(form), form), id="negative"),
        pytest.param(lambda form: b"%x\r\n%sXX0\r\n\r\n" % (len(form), form), id="bad-terminator"),
    ],
)
@pytest.mark.parametrize("todo", ON_EVERY_SERVER, indirect=True)
def test_a_malformed_chunked_body_gets_400_under_every_server(todo, visitor, body):
    """A valid form in broken chunks: 400 (gunicorn used to give Flask an error of its own,
    which became a 500), and nothing stored."""
    before = todo.stored()
    form = form_body(visitor, title="Sneaky")
    status, page = raw(todo, visitor, "POST", "/add", body(form), {**FORM, **CHUNKED})
    assert status == 400, page
    assert todo.stored() == before
    assert "Traceback" not in todo.output()


@pytest.mark.parametrize("how", EVERY_WAY)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_site_refuses_a_body_over_64_kib(serve, framework, how):
    """The site reads no body, and refuses one over 64 KiB all the same (413), whatever its
    type and however it is sent (a chunked one: see the To Do app's test above)."""
    with serve(*server_command(f"site_{framework}", how), env={"DEBUG": "0"}) as server:
        visitor = Browser(server.url)
        octets = {"Content-Type": "application/octet-stream"}
        big = b"x" * OVER_64_KIB
        for method in ["GET", "POST"]:
            check_too_large_page(*exchange(server, visitor, method, "/", big, octets))
        status, headers, page = exchange(server, visitor, "GET", "/", chunked(big), CHUNKED)
        if framework == "django" and how != "waitress":
            assert status == 400, page
        else:
            check_too_large_page(status, headers, page)
        broken = b"zz\r\n" + big[:100] + b"\r\n0\r\n\r\n"
        assert raw(server, visitor, "GET", "/", broken, CHUNKED)[0] == 400
        assert raw(server, visitor, "GET", "/", b"x" * 100, octets)[0] == 200
        assert "Traceback" not in server.output()


def test_no_request_made_the_server_fail(todo):
    """The server's own log shows no 500 and no traceback for all of the above."""
    output = todo.output()
    assert "Traceback" not in output
    assert not re.search(r'" 5\d\d ', output)


# A Host outside ALLOWED_HOSTS


@pytest.mark.parametrize("https_only", [None, "1"], ids=["http", "https-only"])
@pytest.mark.parametrize("app", ["site", "todo"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_host_outside_allowed_hosts_gets_400(serve, framework, app, https_only, tmp_path):
    env = {"DEBUG": "0", "HTTPS_ONLY": https_only, "TODO_DB": str(tmp_path / "todo.sqlite3")}
    with serve(f"{app}_{framework}.py", env=env) as server:
        for proto in ["http", "https"]:
            forged = requests.get(
                server.url + "/",
                headers={"Host": "evil.example", "X-Forwarded-Proto": proto},
                allow_redirects=False,
            )
            assert forged.status_code == 400, proto
            assert "Location" not in forged.headers
        proxied = {"X-Forwarded-Proto": "https"}
        # Django's rules: a host name in any case, with or without a dot at its end.
        names = ["localhost", "LOCALHOST", "LocalHost.", "localhost.:80"]
        for host in [*names, f"127.0.0.1:{server.port}", f"127.0.0.1.:{server.port}"]:
            response = requests.get(server.url + "/", headers={"Host": host, **proxied})
            assert response.status_code == 200, host


# Server errors: rare, logged, and never a database left half-written


@pytest.mark.parametrize("how", EVERY_WAY)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_server_error_is_logged_with_its_traceback(serve, framework, how, tmp_path):
    db = tmp_path / "todo.sqlite3"
    command = server_command(f"todo_{framework}", how, workers=1)
    with serve(*command, env={"DEBUG": "0", "TODO_DB": str(db)}) as server:
        user = logged_in(server.url)
        with closing(sqlite3.connect(db)) as connection, connection:
            connection.execute("DROP TABLE todo")  # what no visitor can do
        response = user.get("/").response
        assert response.status_code == 500
        output = server.wait_for_output("no such table")
    assert "Traceback (most recent call last)" in output
    assert "no such table: todo" in output


def not_sqlite(path):
    path.write_text("These are my notes, not a database.\n" * 100)
    return path


def read_only(path):
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    path.chmod(0o444)
    return path


@pytest.mark.parametrize(
    "database",
    [
        pytest.param(not_sqlite, id="not-sqlite"),
        pytest.param(lambda path: path.parent / "no such folder" / "todo.sqlite3", id="no-folder"),
        pytest.param(
            read_only,
            id="read-only",
            marks=pytest.mark.skipif(
                hasattr(os, "geteuid") and os.geteuid() == 0,
                reason="run as root, who may write even a read-only file: the no-folder case"
                " checks the same refusal",
            ),
        ),
    ],
)
@pytest.mark.parametrize("how", PYTHON_OR_GUNICORN)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_database_the_app_cannot_use_stops_it_with_one_line(framework, how, database, tmp_path):
    db = database(tmp_path / "todo.sqlite3")
    env = {"DEBUG": "0", "SECRET_KEY": STRONG_KEY, "TODO_DB": str(db)}
    command = [part.format(port=0) for part in server_command(f"todo_{framework}", how)]
    result = run(*command, env=env)
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if line.startswith(f"todo_{framework}:")]
    assert ours, result.stderr
    assert all(line.startswith(f"todo_{framework}: cannot use the database ") for line in ours)
    assert f"todo_{framework}.py" not in result.stderr, "no traceback through our code"
    if command[0] != "-m":  # gunicorn adds lines of its own, a traceback too
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_write_that_waits_out_the_lock_says_try_again(serve_todo, tmp_path):
    """Another process holds the write lock past the apps' 10 s timeout: 503, nothing
    stored, and the next add works. Both frameworks at once, so that the wait is 10 s."""
    servers = {}
    with contextlib.ExitStack() as stack:
        for framework in FRAMEWORKS:
            db = tmp_path / f"{framework}.sqlite3"
            servers[framework] = stack.enter_context(serve_todo(framework, db))
        users = {framework: server.browser() for framework, server in servers.items()}
        forms = {framework: user.get("/").form("/add") for framework, user in users.items()}
        locks = [sqlite3.connect(server.db, isolation_level=None) for server in servers.values()]
        for lock in locks:
            lock.execute("BEGIN IMMEDIATE")
        try:
            with ThreadPoolExecutor(max_workers=2) as pool:
                adding = {
                    fw: pool.submit(users[fw].submit, forms[fw], title="Buy milk", follow=False)
                    for fw in FRAMEWORKS
                }
                answers = {fw: future.result() for fw, future in adding.items()}
        finally:
            for lock in locks:
                lock.execute("ROLLBACK")
                lock.close()
        for framework, page in answers.items():
            assert page.response.status_code == 503, framework
            assert page.h1 == "Busy, try again"
            assert "try again" in page.text("p")
            check_security_headers(page.response)
            assert servers[framework].stored() == []
            response = users[framework].submit(forms[framework], title="Buy milk").response
            assert response.status_code == 200
            assert [(t.title, t.done) for t in servers[framework].stored()] == [("Buy milk", False)]


# Copied alone


@pytest.mark.parametrize("command", PYTHON_OR_GUNICORN)
@pytest.mark.parametrize("script", ["site_flask", "site_django", "todo_flask", "todo_django"])
def test_a_script_copied_without_templates_says_so_and_creates_nothing(script, command, tmp_path):
    shutil.copy(ROOT / f"{script}.py", tmp_path)
    argv = [part.format(port=0) for part in server_command(script, command)]
    result = run(*argv, env={"TODO_DB": None, "DEBUG": None}, cwd=tmp_path)
    assert result.returncode != 0
    message = f"{script}: copy the templates/ folder beside this script: its pages are there."
    assert message in result.stderr.splitlines()
    assert f"{script}.py" not in result.stderr, "no traceback through our code"
    if command == "python":
        assert result.stderr.strip() == message
    made = {path.name for path in tmp_path.iterdir()} - {f"{script}.py", "__pycache__"}
    assert not made, "nothing but Python's own bytecode cache"


# The Django admin's passwords


def test_django_admin_refuses_weak_passwords(tmp_path):
    """The four validators Django's startproject sets: similar to the user, too short,
    too common, all digits."""
    code = (
        "from django.contrib.auth.models import User\n"
        "from django.contrib.auth.password_validation import validate_password\n"
        "from django.core.exceptions import ValidationError\n"
        "for password in ['admin', '12345678', 'correct horse battery']:\n"
        "    try:\n"
        "        validate_password(password, User(username='admin'))\n"
        "        print(password, 'ok')\n"
        "    except ValidationError as error:\n"
        "        print(password, [e.code for e in error.error_list])\n"
    )
    result = run("todo_django.py", "shell", "-c", code, env={"TODO_DB": str(tmp_path / "t.db")})
    assert result.returncode == 0, result.stderr
    said = dict(line.split(" ", 1) for line in result.stdout.splitlines() if line)
    assert said["admin"] == "['password_too_similar', 'password_too_short', 'password_too_common']"
    assert said["12345678"] == "['password_too_common', 'password_entirely_numeric']"
    assert said["correct"] == "horse battery ok"
