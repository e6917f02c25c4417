"""Accounts in the To Do app: the contract, written once and run against the Flask and the
Django version (and the Django version on PostgreSQL).

Each visitor signs up, logs in and keeps a list of their own. Every test acts like a user,
with the app's own forms, and makes the accounts it needs under names of its own (hashing a
password is slow on purpose, so each test makes as few as it can). Where "nothing changed"
matters, the test reads the database too.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import (
    FRAMEWORKS,
    NAMES,
    PASSWORD,
    SECRET_KEY,
    accounts,
    fill,
    logged_in,
    new_name,
    owners,
    run,
)
from pages import Browser

TODO_APPS = [*FRAMEWORKS, "django+postgres"]
REQUIRED = "This field is required."
TAKEN = "A user with that username already exists."
BAD_LOGIN = (
    "Please enter a correct username and password. Note that both fields may be case-sensitive."
)


def new_user(todo, stem="user"):
    """A browser logged in as a new user of the served app: (the browser, the name)."""
    name = new_name(stem)
    return logged_in(todo.url, name, PASSWORD), name


def redirect_target(response):
    """Where a redirect sends the browser: (path, query)."""
    assert response.status_code in (302, 303), response.status_code
    url = urlsplit(response.headers["Location"])
    return url.path, parse_qs(url.query)


def csrf_field(form):
    """The name of the form's hidden CSRF input (Flask and Django name it differently)."""
    (name,) = [name for name in form.fields if "csrf" in name]
    return name


# Not logged in


@pytest.mark.parametrize("path", ["/", "/active", "/completed", "/{id}/edit"])
def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(todo, path):
    owner, _ = new_user(todo)
    owner.submit(owner.get("/").form("/add"), title="Secret plan")
    path = path.format(id=owner.get("/").item("Secret plan").id)

    visitor = Browser(todo.url)
    response = visitor.get(path, allow_redirects=False).response
    assert redirect_target(response) == ("/login", {"next": [path]})
    page = visitor.get(response.headers["Location"])
    assert page.response.status_code == 200
    assert page.h1 == "Log in"
    assert page.form("/login").fields["next"] == path
    assert "Secret plan" not in page.response.text


@pytest.mark.parametrize(
    "action",
    ["/add", "/{id}/toggle", "/{id}/edit", "/{id}/delete", "/toggle-all", "/clear-completed"],
)
def test_a_visitor_who_is_not_logged_in_changes_nothing(todo, action):
    owner, _ = new_user(todo)
    owner.submit(owner.get("/").form("/add"), title="Secret plan")
    path = action.format(id=owner.get("/").item("Secret plan").id)
    before = todo.stored()

    visitor = Browser(todo.url)
    form = visitor.get("/login").form("/login")  # a CSRF token of the visitor's own
    token = {csrf_field(form): form.fields[csrf_field(form)]}
    without = visitor.post(path, {"title": "Hacked"}, follow=False).response
    assert without.status_code == 403
    with_token = visitor.post(path, {**token, "title": "Hacked"}, follow=False).response
    assert redirect_target(with_token)[0] == "/login"
    assert todo.stored() == before


# Signing up


def test_a_new_visitor_signs_up_and_sees_an_empty_list_of_their_own(todo):
    visitor = Browser(todo.url)
    page = visitor.get("/login")
    assert page.links["Sign up"] == "/signup"
    page = visitor.get("/signup")
    assert page.response.status_code == 200
    assert page.title == page.h1 == "Sign up"
    form = page.form("/signup")
    assert form.method == "post"
    assert {
        name: page.labels[form.inputs[name]["id"]] for name in form.inputs if "csrf" not in name
    } == {
        "username": "Username",
        "password1": "Password",
        "password2": "Password confirmation",
    }
    assert form.inputs["username"]["autocomplete"] == "username"
    assert "autofocus" in form.inputs["username"]
    for name in ("password1", "password2"):
        assert form.inputs[name]["type"] == "password"
        assert form.inputs[name]["autocomplete"] == "new-password"
    assert page.links["Log in"] == "/login"

    name = new_name("newcomer")
    response = visitor.submit(
        form, follow=False, username=name, password1=PASSWORD, password2=PASSWORD
    ).response
    assert redirect_target(response) == ("/", {})
    page = visitor.get("/")
    assert page.response.status_code == 200
    assert page.h1 == "To Do"
    assert page.text(class_="account") == f"Logged in as {name} Log out"
    assert page.form("/logout").method == "post"
    assert page.items == []
    assert name in accounts(todo.db)


def test_passwords_are_stored_only_as_hashes(todo):
    _, name = new_user(todo)
    kept = accounts(todo.db)[name]
    assert PASSWORD not in kept
    # Each framework's default: Werkzeug's scrypt, Django's PBKDF2.
    assert kept.startswith({"flask": "scrypt:", "django": "pbkdf2_sha256$"}[todo.framework])


LONG = "a" * 151
REFUSED = [
    # (what, username, password1, password2, field, messages)
    ("taken", "{taken}", PASSWORD, PASSWORD, "username", [TAKEN]),
    ("taken, other case", "{TAKEN}", PASSWORD, PASSWORD, "username", [TAKEN]),
    ("empty name", "", PASSWORD, PASSWORD, "username", [REQUIRED]),
    ("blank name", "   ", PASSWORD, PASSWORD, "username", [REQUIRED]),
    (
        "151 characters",
        LONG,
        PASSWORD,
        PASSWORD,
        "username",
        ["Ensure this value has at most 150 characters (it has 151)."],
    ),
    *[
        (
            f"name with {what}",
            name,
            PASSWORD,
            PASSWORD,
            "username",
            [
                "Enter a valid username. This value may contain only letters, numbers, and "
                "@/./+/-/_ characters."
            ],
        )
        for what, name in [("a space", "ann smith"), ("!", "ann!"), ("a slash", "ann/bob")]
    ],
    ("no password", "{new}", "", PASSWORD, "password1", [REQUIRED]),
    ("passwords differ", "{new}", PASSWORD, PASSWORD + "!", "password2", [
        "The two password fields didn’t match."
    ]),
    ("short", "{new}", "tree7", "tree7", "password2", [
        "This password is too short. It must contain at least 8 characters."
    ]),
    ("all digits", "{new}", "80613374925", "80613374925", "password2", [
        "This password is entirely numeric."
    ]),
    ("like the name", "riverbank{n}", "riverbank{n}x", "riverbank{n}x", "password2", [
        "The password is too similar to the username."
    ]),
]  # fmt: skip


@pytest.mark.parametrize(
    "username, password1, password2, field, messages",
    [pytest.param(*case[1:], id=case[0]) for case in REFUSED],
)
def test_a_sign_up_that_is_refused_says_why_beside_the_field_and_creates_nothing(
    todo, username, password1, password2, field, messages
):
    _, taken = new_user(todo, "Taken")
    number = next(NAMES)
    username = username.format(taken=taken, TAKEN=taken.upper(), new=f"new{number}", n=number)
    password1, password2 = (p.format(n=number) for p in (password1, password2))
    before = accounts(todo.db)

    visitor = Browser(todo.url)
    page = visitor.sign_up(username, password1, password2)
    assert page.response.status_code == 400
    assert page.h1 == "Sign up"
    error = page.find(class_="field-error")
    assert [e.text for e in page.find_all(class_="field-error")] == [" ".join(messages)]
    field_input = page.form("/signup").inputs[field]
    assert field_input.get("aria-invalid") == "true"
    assert error.attrs["id"] in field_input["aria-describedby"].split()
    if field != "username" and username.strip():
        assert page.form("/signup").fields["username"] == username, "the name is kept"
    assert page.form("/signup").fields["password1"] == "", "passwords are never sent back"
    assert accounts(todo.db) == before
    assert visitor.get("/", allow_redirects=False).response.status_code == 302, "not logged in"


def test_only_django_refuses_the_most_common_passwords(todo):
    """Django's CommonPasswordValidator knows 20,000 of them; Flask has no such list."""
    name = new_name("common")
    page = Browser(todo.url).sign_up(name, "password123")
    if todo.framework == "django":
        assert page.response.status_code == 400
        assert page.texts("field-error") == ["This password is too common."]
        assert name not in accounts(todo.db)
    else:
        assert page.response.status_code == 200
        assert name in accounts(todo.db)


def test_a_name_is_written_one_way_and_trimmed(todo):
    """As Django's form does: spaces around it go, look-alike letters are written one way
    (NFKC: "ｆｕｌｌ" is "full")."""
    page = Browser(todo.url).sign_up("  ｆｕｌｌwidth  ", PASSWORD)
    assert page.text(class_="account") == "Logged in as fullwidth Log out"
    assert "fullwidth" in accounts(todo.db)
    page = Browser(todo.url).sign_up("FULLWIDTH", PASSWORD)
    assert page.texts("field-error") == [TAKEN]


def test_two_sign_ups_racing_for_one_name_make_one_account(todo):
    name = new_name("racer")
    start = threading.Barrier(6)

    def sign_up(_):
        visitor = Browser(todo.url)
        form = visitor.get("/signup").form("/signup")
        start.wait(timeout=30)
        typed = {"username": name, "password1": PASSWORD, "password2": PASSWORD}
        return visitor.submit(form, follow=False, **typed)

    with ThreadPoolExecutor(max_workers=6) as pool:
        pages = list(pool.map(sign_up, range(6)))
    statuses = sorted(page.response.status_code for page in pages)
    assert statuses == [302] + [400] * 5, statuses
    for page in pages:
        if page.response.status_code == 400:
            assert page.texts("field-error") == [TAKEN]
    assert [n for n in accounts(todo.db) if n == name] == [name]


# Logging in


def test_the_login_page_has_what_a_password_manager_needs(todo):
    page = Browser(todo.url).get("/login")
    assert page.response.status_code == 200
    assert page.title == page.h1 == "Log in"
    form = page.form("/login")
    assert form.inputs["username"]["autocomplete"] == "username"
    assert page.labels[form.inputs["username"]["id"]] == "Username"
    assert form.inputs["password"]["autocomplete"] == "current-password"
    assert form.inputs["password"]["type"] == "password"
    assert page.labels[form.inputs["password"]["id"]] == "Password"
    assert "Log in" in form.buttons


def test_logging_in_shows_your_list(todo):
    user, name = new_user(todo)
    user.submit(user.get("/").form("/add"), title="Buy milk")
    visitor = Browser(todo.url)
    response = visitor.log_in(name, PASSWORD, follow=False).response
    assert redirect_target(response) == ("/", {})
    page = visitor.get("/")
    assert page.text(class_="account") == f"Logged in as {name} Log out"
    assert [item.title for item in page.items] == ["Buy milk"]


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer_in_about_the_same_time(todo):
    _, name = new_user(todo)
    tries = {"wrong password": (name, "not the password"), "unknown name": ("nobody", PASSWORD)}
    answers, seconds = {}, {what: [] for what in tries}
    for round_ in range(5):
        order = list(tries.items()) if round_ % 2 else list(tries.items())[::-1]
        for what, (username, password) in order:
            visitor = Browser(todo.url)
            form = visitor.get("/login").form("/login")
            began = time.perf_counter()
            page = visitor.submit(form, username=username, password=password)
            seconds[what].append(time.perf_counter() - began)
            answers[what] = (page.response.status_code, page.texts("form-error"), page.h1)
            assert visitor.get("/", allow_redirects=False).response.status_code == 302
    assert answers["wrong password"] == answers["unknown name"] == (200, [BAD_LOGIN], "Log in")
    # The quickest of each: what the work costs, least disturbed by what else the machine runs.
    wrong, unknown = (min(seconds[what]) for what in tries)
    assert 0.5 < wrong / unknown < 2, seconds


def test_names_are_matched_exactly(todo):
    _, name = new_user(todo, "Casey")
    page = Browser(todo.url).log_in(name.lower(), PASSWORD)
    assert page.texts("form-error") == [BAD_LOGIN]
    page = Browser(todo.url).log_in(name, PASSWORD)
    assert page.text(class_="account") == f"Logged in as {name} Log out"


def test_logging_in_starts_a_new_session(todo):
    """A CSRF token from a page opened before the login does not work after it."""
    _, name = new_user(todo)
    visitor = Browser(todo.url)
    old_form = visitor.get("/login").form("/login")
    page = visitor.submit(old_form, username=name, password=PASSWORD)
    assert page.text(class_="account") == f"Logged in as {name} Log out"
    stale = {
        **page.form("/add").fields,
        csrf_field(old_form): old_form.fields[csrf_field(old_form)],
    }
    stored = todo.stored()
    response = visitor.post("/add", {**stale, "title": "Stale token"}, follow=False).response
    assert response.status_code == 403
    assert todo.stored() == stored


def test_a_login_lasts_two_weeks(todo):
    _, name = new_user(todo)
    visitor = Browser(todo.url)
    visitor.log_in(name, PASSWORD)
    session = {"flask": "session", "django": "sessionid"}[todo.framework]
    (cookie,) = [cookie for cookie in visitor.session.cookies if cookie.name == session]
    expires = datetime.fromtimestamp(cookie.expires, timezone.utc)
    two_weeks = datetime.now(timezone.utc) + timedelta(weeks=2)
    assert abs(expires - two_weeks) < timedelta(minutes=5)


SAFE_NEXT = ["/active", "/completed", "/{id}/edit?next=/completed"]
UNSAFE_NEXT = [
    "//evil.example/",
    "https://evil.example/",
    "http://evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    "javascript:alert(1)",
    "",
]


@pytest.mark.parametrize("next_", SAFE_NEXT + UNSAFE_NEXT)
def test_after_logging_in_next_leads_only_to_a_page_of_this_site(todo, next_):
    user, name = new_user(todo)
    user.submit(user.get("/").form("/add"), title="Buy milk")
    sent = next_.format(id=user.get("/").item("Buy milk").id)
    response = Browser(todo.url).log_in(name, PASSWORD, follow=False, next=sent).response
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", urlsplit(todo.url).netloc)
    if next_ in SAFE_NEXT:
        assert response.headers["Location"].endswith(sent)
    else:
        assert location.path == "/" and not location.query


def test_next_survives_the_way_to_the_login_page_and_back(todo):
    user, name = new_user(todo)
    visitor = Browser(todo.url)
    page = visitor.get("/completed")  # sent to the login page
    page = visitor.submit(page.form("/login"), username=name, password=PASSWORD)
    assert urlsplit(page.response.url).path == "/completed"
    assert page.form("/add").fields["next"] == "/completed"


# Logging out


def test_logging_out_ends_the_session_even_for_a_copy_of_its_cookie(todo):
    user, name = new_user(todo)
    copy = user.copy()  # what someone who stole the cookie would hold
    assert user.get("/").response.status_code == 200
    response = user.submit(user.get("/").form("/logout"), follow=False).response
    assert redirect_target(response) == ("/login", {})
    assert user.get("/").h1 == "Log in"
    assert copy.get("/", allow_redirects=False).response.status_code == 302, "replayed"
    stored = todo.stored()
    form = copy.get("/login").form("/login")
    fields = {csrf_field(form): form.fields[csrf_field(form)], "title": "Replayed"}
    copy.post("/add", fields, follow=False)
    assert todo.stored() == stored


def test_logging_out_needs_a_post(todo):
    user, _ = new_user(todo)
    response = user.get("/logout", allow_redirects=False).response
    assert response.status_code == 405
    assert user.get("/").h1 == "To Do", "still logged in"


def test_logging_out_in_flask_logs_that_user_out_everywhere(todo):
    """Flask's session is a cookie the server cannot take back: logging out changes the
    token kept in the user's row, which every session of theirs carries. Django keeps
    sessions on the server and ends only the one that logs out."""
    phone, name = new_user(todo)
    laptop = logged_in(todo.url, name, PASSWORD)
    phone.log_out()
    still_in = laptop.get("/").h1 == "To Do"
    assert still_in == (todo.framework == "django")


@pytest.mark.parametrize("form_path", ["/signup", "/login", "/logout"])
@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_every_account_form_needs_its_csrf_token(todo, form_path, token):
    user, name = new_user(todo)
    visitor = user if form_path == "/logout" else Browser(todo.url)
    page = visitor.get("/" if form_path == "/logout" else form_path)
    form = page.form(form_path)
    typed = {
        "/signup": {"username": new_name(), "password1": PASSWORD, "password2": PASSWORD},
        "/login": {"username": name, "password": PASSWORD},
        "/logout": {},
    }[form_path]
    name_of_token = csrf_field(form)
    typed[name_of_token] = None if token == "missing" else "x" * len(form.fields[name_of_token])
    before = accounts(todo.db)
    response = visitor.submit(form, follow=False, **typed).response
    assert response.status_code == 403
    assert accounts(todo.db) == before
    if form_path == "/logout":
        assert user.get("/").h1 == "To Do", "still logged in"
    else:
        assert visitor.get("/", allow_redirects=False).response.status_code == 302


# Each user's own list


def test_two_users_never_see_or_touch_each_others_todos(todo):
    ann, ann_name = new_user(todo, "ann")
    bob, _ = new_user(todo, "bob")
    page = ann.get("/")
    for title in ["Ann's first", "Ann's second"]:
        page = ann.submit(page.form("/add"), title=title)
    page = ann.submit(page.item("Ann's second").forms["toggle"])
    theirs = page.item("Ann's first")
    page = bob.submit(bob.get("/").form("/add"), title="Bob's")
    page = bob.submit(page.item("Bob's").forms["toggle"])
    before = todo.stored()

    for path in ["/", "/active", "/completed"]:
        page = bob.get(path)
        assert "Ann" not in page.response.text
    assert bob.get("/").texts("todo-count") == ["0 items left"]
    assert ann.get("/").texts("todo-count") == ["1 item left"]

    # Bob sends Ann's todo id with his own valid forms: 404, as for a todo that is not there.
    fields = bob.get("/").form("/add").fields
    assert bob.get(f"/{theirs.id}/edit").response.status_code == 404
    for action in ["toggle", "edit", "delete"]:
        page = bob.post(f"/{theirs.id}/{action}", {**fields, "title": "Bob was here"})
        assert page.response.status_code == 404, action
        assert page.h1 == "Page not found"
    assert todo.stored() == before

    page = bob.submit(bob.get("/").form("/toggle-all"))  # Bob's one todo: done -> not done
    page = bob.submit(page.form("/toggle-all"))
    page = bob.submit(page.form("/clear-completed"))
    assert page.texts("message") == ["Cleared 1 completed todo."]
    page = ann.get("/")
    assert [(item.title, item.done) for item in page.items] == [
        ("Ann's first", False),
        ("Ann's second", True),
    ]
    anns = {t.id for t in before if t.title.startswith("Ann")}
    assert {owners(todo.db)[todo_id] for todo_id in anns} == {ann_name}


def test_the_500_todo_limit_is_per_user(todo):
    full, full_name = new_user(todo, "busy")
    fill(todo.db, 500, username=full_name)
    page = full.submit(full.get("/").form("/add"), title="One too many")
    assert page.response.status_code == 400
    assert page.texts("field-error") == [
        "The list is full (500 todos): clear completed ones or delete some first."
    ]
    other, _ = new_user(todo)
    page = other.submit(other.get("/").form("/add"), title="Buy milk")
    assert page.texts("message") == ["Added “Buy milk”."]
    todo.empty()


# A database from before accounts


OLD_FLASK_SCHEMA = """
CREATE TABLE todo (
    id      INTEGER PRIMARY KEY,
    title   TEXT    NOT NULL,
    done    INTEGER NOT NULL DEFAULT 0,
    created TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
INSERT INTO todo (title) VALUES ('Buy milk');
"""
OLD_DJANGO_TODO = """
DROP TABLE todo;
CREATE TABLE todo (
    id      integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    title   varchar(200) NOT NULL,
    done    bool NOT NULL,
    created datetime NOT NULL
);
INSERT INTO todo (title, done, created) VALUES ('Buy milk', 0, '2025-01-01 00:00:00');
"""


def old_database(framework, path):
    """A database as the To Do apps made it before accounts: its todos have no owner."""
    import sqlite3
    from contextlib import closing

    if framework == "django":  # Django's own tables, then the todo table of before
        made = run("todo_django.py", "check", env={"TODO_DB": str(path), "DEBUG": "1"})
        assert made.returncode == 0, made.stderr
    with closing(sqlite3.connect(path)) as db:
        db.executescript(OLD_DJANGO_TODO if framework == "django" else OLD_FLASK_SCHEMA)
        db.execute("PRAGMA journal_mode = WAL")  # as the apps of before left it


@pytest.mark.parametrize(
    "framework, command",
    [("flask", ["{script}.py"]), ("django", ["{script}.py"]), ("django", ["{script}.py", "check"])],
)
def test_a_database_from_before_accounts_stops_the_app_with_one_line_and_is_left_as_it_was(
    framework, command, tmp_path
):
    script = f"todo_{framework}"
    db = tmp_path / "old.sqlite3"
    old_database(framework, db)
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    result = run(
        *(part.format(script=script) for part in command),
        env={"TODO_DB": str(db), "DEBUG": "0", "PORT": "0", "SECRET_KEY": SECRET_KEY},
    )
    assert result.returncode == 3
    assert result.stderr.strip() == (
        f"{script}: {db} holds todos from before accounts, which have no owner: move it away, "
        "or set TODO_DB to another database, to start afresh."
    )
    after = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert after == before, "byte for byte"
