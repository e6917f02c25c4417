# /// script
# requires-python = ">=3.10"
# dependencies = ["flask>=3.1"]
# ///
"""A To Do list in Flask: a database, forms, validation, CSRF, redirects, messages and
accounts (each visitor signs up, logs in and keeps a list of their own).

Run it:   python todo_flask.py             then open http://127.0.0.1:5000/ and sign up
     or:  uv run todo_flask.py             (uv installs Flask first: no other step)
     or:  flask --app todo_flask run --debug
Another port:  PORT=5001 python todo_flask.py   (macOS's AirPlay Receiver holds port 5000)
Serve it: gunicorn todo_flask:app
     or:  waitress-serve --listen=127.0.0.1:8000 todo_flask:app

The users and their todos live in the SQLite file todo_flask.sqlite3 beside this script (or
wherever TODO_DB says), created on first use. Delete the file to start afresh.
"""

import codecs
import functools
import hmac
import os
import re
import secrets
import sqlite3
import sys
import unicodedata
from contextlib import closing
from datetime import timedelta
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, abort, flash, g, redirect, render_template, request, session, url_for
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from werkzeug.security import check_password_hash, generate_password_hash

# Configuration ------------------------------------------------------------------------

app = Flask(__name__)
# Debug mode (reloader, debugger) when run directly; off when a WSGI server imports this
# file. DEBUG=1 or DEBUG=0 overrides; `flask run --debug` turns it on too (see Production).
DEBUG = os.environ.get("DEBUG", "1" if __name__ == "__main__" else "0") == "1"

app.config.update(
    DEBUG=DEBUG,
    # Signs the session cookie, which holds who is logged in, the CSRF token and the flashed
    # messages. In debug mode a fixed development key will do; in production it must be a
    # secret of your own.
    SECRET_KEY=os.environ.get("SECRET_KEY") or ("development-only-not-secret" if DEBUG else ""),
    PERMANENT_SESSION_LIFETIME=timedelta(weeks=2),  # a login lasts two weeks, as in Django
    DATABASE=os.environ.get("TODO_DB", Path(__file__).with_name("todo_flask.sqlite3")),
)

# Production (skip it on a first read) -------------------------------------------------
#
# What a first reading can skip: what running it safely for others needs (HTTPS, hosts,
# security headers, limits, SQLite under several workers, error pages and logs, refusing to
# start on what cannot work), `flask run --debug`, and titles no one could read. The app
# above and below reads complete without it.

# `flask run --debug` sets FLASK_DEBUG, and Flask's run command sets FLASK_RUN_FROM_CLI: then
# debug mode is on, as when run directly, unless DEBUG=0. (A WSGI server ignores FLASK_DEBUG.)
FLASK_DEBUG = os.environ.get("FLASK_DEBUG", "").lower() not in ("", "0", "false", "no")
if FLASK_DEBUG and "FLASK_RUN_FROM_CLI" in os.environ and "DEBUG" not in os.environ:
    DEBUG = app.config["DEBUG"] = True
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or "development-only-not-secret"

# HTTPS_ONLY=1 when a proxy in front terminates TLS and sets X-Forwarded-Proto: plain HTTP
# is then redirected, cookies are sent over HTTPS only, and browsers are told to come
# back over HTTPS only.
HTTPS_ONLY = os.environ.get("HTTPS_ONLY") == "1"
# Our pages run no script and load nothing from other sites; the stylesheet is inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

app.config.update(
    # The host names this site answers to (Django's ALLOWED_HOSTS); any other gets 400.
    TRUSTED_HOSTS=os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").lower().split(","),
    SESSION_COOKIE_SAMESITE="Lax",  # not sent with other sites' POSTs (HttpOnly by default)
    SESSION_COOKIE_SECURE=HTTPS_ONLY,
    MAX_CONTENT_LENGTH=64 * 1024,  # refuse request bodies over 64 KiB (413)
)
if HTTPS_ONLY:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)  # trust the proxy's X-Forwarded-Proto


def host_names_as_django_reads_them(wsgi_app):
    """WSGI middleware: a host name is the same in any case, and with a dot at its end
    ("LocalHost." is localhost), before Flask checks it against ALLOWED_HOSTS."""

    def middleware(environ, start_response):
        if "HTTP_HOST" in environ:  # the final dot, before a port or not
            environ["HTTP_HOST"] = re.sub(r"\.(?=(:\d*)?$)", "", environ["HTTP_HOST"].lower())
        return wsgi_app(environ, start_response)

    return middleware


app.wsgi_app = host_names_as_django_reads_them(app.wsgi_app)


class AsciiIntegerConverter(IntegerConverter):
    """`<int:...>` in our routes: ASCII digits only (Werkzeug's `\\d` takes any script's)."""

    regex = "[0-9]+"


app.url_map.converters["int"] = AsciiIntegerConverter


@app.before_request
def check_host():
    """Answer 400 to a Host header outside ALLOWED_HOSTS."""
    request.host  # noqa: B018 (reading it raises the 400 for an untrusted host)


@app.before_request
def redirect_to_https():
    """With HTTPS_ONLY=1, send plain-HTTP requests to the same address over HTTPS."""
    if HTTPS_ONLY and not request.is_secure:  # built from the host and path, as Django does
        return redirect(f"https://{request.host}{request.full_path.removesuffix('?')}", 301)


@app.after_request
def set_security_headers(response):
    """Ask browsers to be strict with every response (Django has middleware for this)."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if HTTPS_ONLY:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


@app.before_request
def refuse_unreadable():
    """A request whose Content-Type names a charset other than UTF-8 (one Python does not
    know, or a codec that is no text encoding, such as rot13) gets the 400 page, as in
    Django: Werkzeug would read it as UTF-8 all the same."""
    try:
        charset = codecs.lookup(request.mimetype_params.get("charset", "utf-8")).name
    except LookupError:
        charset = None
    if charset not in ("utf-8", "ascii"):
        abort(400)


@app.before_request
def limit_request_body():
    """Refuse a request body over 64 KiB (413), whatever its type, before a view reads it.
    A body sent in chunks gives no size first: read it, and refuse it if it fills 64 KiB."""
    if request.content_length is None:  # sent in chunks (or no body)
        try:
            body = request.get_data()  # Werkzeug reads MAX_CONTENT_LENGTH of it at most
        except Exception:  # chunks the server cannot read (gunicorn raises its own errors)
            abort(400)
        if len(body) >= app.config["MAX_CONTENT_LENGTH"]:
            abort(413)
    elif request.content_length > app.config["MAX_CONTENT_LENGTH"]:
        abort(413)


@app.errorhandler(sqlite3.OperationalError)
def database_busy(error):
    """Another process held the database past the 10 s timeout: say to try again (503)."""
    if "locked" not in str(error):
        raise error
    return render_template("flask/503.html"), 503


@app.errorhandler(400)
def bad_request(error):
    """A request the app cannot read (an unknown host, a malformed form): a 400 page."""
    return render_template("flask/400.html"), 400


@app.errorhandler(403)
def csrf_failure(error):
    """A form without this session's CSRF token (a page from before the last login, a form
    from another site): a 403 page that says to reload the page and send the form again."""
    return render_template("flask/403.html"), 403


@app.errorhandler(413)
def request_too_large(error):
    """A request body over 64 KiB: a 413 page."""
    return render_template("flask/413.html"), 413


# What shows nothing: spaces, format characters (zero-width space, word joiner, byte-order
# mark, soft hyphen), combining marks on their own, and Unicode's blank letters.
INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"}
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"


# What no font draws: unassigned code points (noncharacters among them), private-use ones,
# surrogates, and the object replacement character, a placeholder.
UNSHOWN_CATEGORIES = {"Cn", "Co", "Cs"}
UNSHOWN = "The title has characters that cannot be shown."


def unreadable(title):
    """What makes a title one no one could read, the message for it (None when it is fine)."""
    if "\ufffd" in title:  # what bytes that are not UTF-8 decode to
        return "The title is not valid UTF-8 text."
    if any(unicodedata.category(c) in UNSHOWN_CATEGORIES or c == "\ufffc" for c in title):
        return UNSHOWN
    if all(unicodedata.category(c) in INVISIBLE_CATEGORIES or c in BLANK_LETTERS for c in title):
        return "Please enter a title."  # as if it were blank
    return None


def refuse_to_start(reason):
    """Stop here with one line and no traceback; exit status 3 tells gunicorn not to retry."""
    print(f"todo_flask: {reason}", file=sys.stderr)
    sys.exit(3)


def prepare():
    """Refuse to start on what cannot work (quiet when all is well)."""
    if not Path(__file__).with_name("templates").joinpath("flask").is_dir():
        refuse_to_start("copy the templates/ folder beside this script: its pages are there.")
    key = app.config["SECRET_KEY"]
    # What Django's `check --deploy` calls weak: under 50 characters, under 5 different, or
    # the development key `startproject` makes.
    if not DEBUG and (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")):
        refuse_to_start("set SECRET_KEY to a long random string (or DEBUG=1).")
    try:
        with closing(sqlite3.connect(app.config["DATABASE"], timeout=10)) as db:
            # A file made before accounts has todos without an owner: leave it as it is.
            columns = [row[1] for row in db.execute("PRAGMA table_info(todo)")]
            if columns and "user_id" not in columns:
                refuse_to_start(
                    f"{app.config['DATABASE']} holds todos from before accounts, which have no "
                    "owner: move it away, or set TODO_DB to another database, to start afresh."
                )
            # Write-ahead logging: readers do not wait for a writer, nor a writer for
            # readers, which matters when several server processes share the file. (The
            # file keeps it.)
            db.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:  # not an SQLite file, or one we may not open or write
        refuse_to_start(f"cannot use the database {app.config['DATABASE']}: {error}.")


prepare()  # refuse to start on what cannot work


# Data ---------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE IF NOT EXISTS user (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,  -- "Ann" and "ann" are one name
    password_hash TEXT    NOT NULL,
    session_token TEXT    NOT NULL  -- in every session of this user; logging out changes it
);
CREATE TABLE IF NOT EXISTS todo (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user (id) ON DELETE CASCADE,
    title   TEXT    NOT NULL,
    done    INTEGER NOT NULL DEFAULT 0,
    created TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX IF NOT EXISTS todo_user ON todo (user_id, created);
"""
TITLE_MAX_LENGTH = 200
LIST_MAX_LENGTH = 500  # per user, so that every page stays small and fast
LIST_FULL = "The list is full (500 todos): clear completed ones or delete some first."
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def validate_title(title):
    """The title trimmed, and what is wrong with it (None when it is fine)."""
    title = title.strip()
    if not title:
        return title, "Please enter a title."
    if len(title) > TITLE_MAX_LENGTH:
        return title, (
            f"Keep the title to {TITLE_MAX_LENGTH} characters or fewer (this one has {len(title)})."
        )
    if CONTROL_CHARACTERS.search(title):
        return title, "The title cannot contain control characters."
    return title, unreadable(title)  # (Production) not UTF-8, or nothing visible


def get_db():
    """This request's database connection: opened on first use, closed at teardown."""
    if "db" not in g:
        # Waits up to 10 s for another process's write to finish ("database is locked").
        g.db = sqlite3.connect(app.config["DATABASE"], timeout=10)
        g.db.row_factory = sqlite3.Row
        g.db.execute("PRAGMA foreign_keys = ON")  # SQLite checks REFERENCES only when asked
    return g.db


@app.teardown_appcontext
def close_db(exception):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def create_tables():
    """Create the tables if any is missing, so that the first run needs no set-up step."""
    with closing(sqlite3.connect(app.config["DATABASE"], timeout=10)) as db:
        db.executescript(SCHEMA)


def get_todo(todo_id):
    """The logged-in user's todo with this id, or a 404 page (also for another user's)."""
    try:
        todo = (
            get_db()
            .execute("SELECT * FROM todo WHERE id = ? AND user_id = ?", (todo_id, g.user["id"]))
            .fetchone()
        )
    except OverflowError:  # an id beyond SQLite's 64-bit integers
        todo = None
    if todo is None:
        abort(404)
    return todo


create_tables()  # the first run needs no set-up step


# Accounts -----------------------------------------------------------------------------
#
# Flask brings password hashing (Werkzeug's) and a signed session cookie; the rest of
# accounts is ours to write: the user table above, the checks Django's sign-up form makes,
# the current user, login_required, and signing up, logging in and out.

USERNAME = re.compile(r"[\w.@+-]+")  # letters, digits and @ . + - _ (Django's rule)
USERNAME_MAX_LENGTH = 150
PASSWORD_MIN_LENGTH = 8
BAD_LOGIN = (
    "Please enter a correct username and password. Note that both fields may be case-sensitive."
)


@functools.cache
def dummy_password_hash():
    """A hash to check a password against when no user has the name, so that an unknown
    name takes as long to refuse as a wrong password (made once, on first use)."""
    return generate_password_hash(secrets.token_urlsafe())


def log_in(user):
    """Start a new session for this user: nothing from before (a CSRF token) carries over."""
    session.clear()
    session.permanent = True  # kept for PERMANENT_SESSION_LIFETIME (two weeks)
    session["user_id"] = user["id"]
    session["session_token"] = user["session_token"]


@app.before_request
def load_logged_in_user():
    """g.user: the logged-in user, or None (also for a session that was logged out)."""
    user_id = session.get("user_id")
    g.user = None
    if user_id is not None:
        g.user = (
            get_db()
            .execute(
                "SELECT id, username FROM user WHERE id = ? AND session_token = ?",
                (user_id, session.get("session_token")),
            )
            .fetchone()
        )


def login_required(view):
    """Send a visitor who is not logged in to the login page, and back here after it."""

    @functools.wraps(view)
    def wrapped_view(**kwargs):
        if g.user is None:
            return redirect(url_for("login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped_view


def signup_errors(username, password1, password2):
    """What is wrong with a sign-up, field by field, in the words of Django's form."""
    errors = {"username": [], "password1": [], "password2": []}
    required = "This field is required."
    if not username:
        errors["username"].append(required)
    elif len(username) > USERNAME_MAX_LENGTH:
        errors["username"].append(
            f"Ensure this value has at most {USERNAME_MAX_LENGTH} characters"
            f" (it has {len(username)})."
        )
    elif not USERNAME.fullmatch(username):
        errors["username"].append(
            "Enter a valid username. This value may contain only letters, numbers, "
            "and @/./+/-/_ characters."
        )
    elif get_db().execute("SELECT 1 FROM user WHERE username = ?", (username,)).fetchone():
        # (= ignores case here: the column is COLLATE NOCASE)
        errors["username"].append("A user with that username already exists.")
    if not password1:
        errors["password1"].append(required)
    if not password2:
        errors["password2"].append(required)
    elif password1 and password1 != password2:
        errors["password2"].append("The two password fields didn’t match.")
    elif password1:  # measured against the name only when the name is fine, as in Django
        errors["password2"] += password_problems(password1, "" if errors["username"] else username)
    return {field: messages for field, messages in errors.items() if messages}


def password_problems(password, username):
    """Django's password validators, by hand: too like the name, too short, all digits."""
    problems = []
    lowered = password.lower()
    for part in {username.lower(), *re.split(r"\W+", username.lower())} - {""}:
        if SequenceMatcher(a=lowered, b=part).quick_ratio() >= 0.7:
            problems.append("The password is too similar to the username.")
            break
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(
            "This password is too short."
            f" It must contain at least {PASSWORD_MIN_LENGTH} characters."
        )
    if password.isdigit():
        problems.append("This password is entirely numeric.")
    return problems


def safe_next(target):
    """Where to go after logging in: `target` if it is a path of this site, else the list
    (never "//evil.example", "/\\evil.example", "https://evil.example" or "javascript:")."""
    url = urlsplit(target.replace("\\", "/"))
    if target.startswith("/") and target.isprintable() and not url.scheme and not url.netloc:
        return target
    return url_for("home")


@app.route("/signup", methods=["GET", "POST"])
def signup():
    """A form to make an account; once made, the new user is logged in."""
    username, errors = "", {}
    if request.method == "POST":
        # Django's form trims the name and writes look-alike letters one way (NFKC).
        username = unicodedata.normalize("NFKC", request.form.get("username", "").strip())
        password = request.form.get("password1", "")
        errors = signup_errors(username, password, request.form.get("password2", ""))
        if not errors:
            db = get_db()
            try:
                with db:
                    cursor = db.execute(
                        "INSERT INTO user (username, password_hash, session_token)"
                        " VALUES (?, ?, ?)",
                        (username, generate_password_hash(password), secrets.token_urlsafe()),
                    )
            except sqlite3.IntegrityError:  # another sign-up took the name since we looked
                errors = {"username": ["A user with that username already exists."]}
            else:
                log_in(
                    db.execute("SELECT * FROM user WHERE id = ?", (cursor.lastrowid,)).fetchone()
                )
                return redirect(url_for("home"))
    page = render_template("flask/signup.html", username=username, errors=errors)
    return page, 400 if errors else 200


@app.route("/login", methods=["GET", "POST"])
def login():
    """A form to log in; then on to the page that asked for it (`next`), or the list."""
    username, error = "", None
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        user = (
            get_db()
            .execute(
                "SELECT * FROM user WHERE username = ? COLLATE BINARY",
                (username,),  # exactly
            )
            .fetchone()
        )
        if user is not None and check_password_hash(user["password_hash"], password):
            log_in(user)
            return redirect(safe_next(request.form.get("next", "")))
        if user is None:
            check_password_hash(dummy_password_hash(), password)  # as long as a wrong password
        error = BAD_LOGIN
    next_ = request.values.get("next", "")
    return render_template("flask/login.html", username=username, error=error, next=next_)


@app.post("/logout")
def logout():
    """Log out, here and in every other browser: the token each session holds changes."""
    if g.user is not None:
        db = get_db()
        with db:
            db.execute(
                "UPDATE user SET session_token = ? WHERE id = ?",
                (secrets.token_urlsafe(), g.user["id"]),
            )
    session.clear()
    return redirect(url_for("login"))


# Views --------------------------------------------------------------------------------

# CSRF: every form carries a random token kept in the signed session cookie; a POST
# without the same token is refused. (Django's CsrfViewMiddleware does this built in.)


@app.before_request
def check_csrf_token():
    """Refuse any POST whose form does not carry this session's CSRF token."""
    if request.method == "POST":
        expected = session.get("csrf_token", "")
        sent = request.form.get("csrf_token", "")
        if not expected or not hmac.compare_digest(expected.encode(), sent.encode()):
            abort(403)  # the 403 page: csrf_failure, in Production


@app.context_processor
def csrf_token():
    """Give every template this session's CSRF token, creating it on first use."""
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return {"csrf_token": session["csrf_token"]}


# The three lists by route name, with the `done` values each shows: `done IN (?, ?)`.
LISTS = {"home": (0, 1), "active": (0, 0), "completed": (1, 1)}


def next_list():
    """The name of the list the form came from (`next`): one of ours, never another site."""
    target = request.values.get("next", "")
    return next((name for name in LISTS if url_for(name) == target), "home")


def back_to_list():
    """303 See Other: after a POST, the browser GETs the list the form came from."""
    return redirect(url_for(next_list()), 303)


def render_list(show, title="", error=None):
    """The list named `show`; with a rejected title, the same page and the message (400)."""
    db = get_db()
    todos = db.execute(
        "SELECT id, title, done FROM todo WHERE user_id = ? AND done IN (?, ?)"
        " ORDER BY created, id",
        (g.user["id"], *LISTS[show]),
    ).fetchall()
    total, done = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(done), 0) FROM todo WHERE user_id = ?", (g.user["id"],)
    ).fetchone()
    page = render_template(
        "flask/todo_list.html",
        todos=todos,
        show=show,
        here=url_for(show),
        total=total,
        done_count=done,
        active_count=total - done,
        title=CONTROL_CHARACTERS.sub("", title),
        error=error,
    )
    return page, 400 if error else 200


@app.get("/", endpoint="home", defaults={"show": "home"})
@app.get("/active", endpoint="active", defaults={"show": "active"})
@app.get("/completed", endpoint="completed", defaults={"show": "completed"})
@login_required
def todo_list(show):
    """All todos, or only the active or the completed ones."""
    return render_list(show)


@app.post("/add")
@login_required
def add():
    """Create a todo from the form's title."""
    typed = request.form.get("title", "")
    title, error = validate_title(typed)
    if not error:
        db = get_db()
        with db:
            db.execute("BEGIN IMMEDIATE")  # no other request adds one in between
            count = "SELECT COUNT(*) FROM todo WHERE user_id = ?"
            if db.execute(count, (g.user["id"],)).fetchone()[0] < LIST_MAX_LENGTH:
                db.execute("INSERT INTO todo (user_id, title) VALUES (?, ?)", (g.user["id"], title))
                flash(f"Added “{title}”.")
                return back_to_list()
        error = LIST_FULL
    return render_list(next_list(), typed, error)


@app.post("/<int:todo_id>/toggle")
@login_required
def toggle(todo_id):
    """Mark one todo done, or not done again."""
    db = get_db()
    with db:
        db.execute("BEGIN IMMEDIATE")  # locked, so that no other request changes it in between
        todo = get_todo(todo_id)
        done = not todo["done"]
        db.execute("UPDATE todo SET done = ? WHERE id = ?", (done, todo_id))
    flash(f"Marked “{todo['title']}” as {'done' if done else 'not done'}.")
    return back_to_list()


@app.route("/<int:todo_id>/edit", methods=["GET", "POST"])
@login_required
def edit(todo_id):
    """A form to change a todo's title, and saving it."""
    todo = get_todo(todo_id)
    typed, error = todo["title"], None
    if request.method == "POST":
        typed = request.form.get("title", "")
        title, error = validate_title(typed)
        if not error:
            db = get_db()
            with db:
                cursor = db.execute("UPDATE todo SET title = ? WHERE id = ?", (title, todo_id))
            if not cursor.rowcount:  # another request deleted it meanwhile
                abort(404)
            flash(f"Saved “{title}”.")
            return back_to_list()
    page = render_template(
        "flask/todo_edit.html",
        todo=todo,
        title=CONTROL_CHARACTERS.sub("", typed),
        error=error,
        back=url_for(next_list()),
    )
    return page, 400 if error else 200


@app.post("/<int:todo_id>/delete")
@login_required
def delete(todo_id):
    """Delete one todo."""
    todo = get_todo(todo_id)
    db = get_db()
    with db:
        db.execute("DELETE FROM todo WHERE id = ?", (todo_id,))
    flash(f"Deleted “{todo['title']}”.")
    return back_to_list()


@app.post("/toggle-all")
@login_required
def toggle_all():
    """If any todo is active, mark them all done; otherwise mark them all active."""
    db, user_id = get_db(), g.user["id"]
    with db:
        db.execute("BEGIN IMMEDIATE")  # no other request changes the list in between
        any_active = db.execute(
            "SELECT EXISTS (SELECT 1 FROM todo WHERE user_id = ? AND done = 0)", (user_id,)
        ).fetchone()[0]
        db.execute("UPDATE todo SET done = ? WHERE user_id = ?", (any_active, user_id))
    flash(f"Marked all todos as {'done' if any_active else 'not done'}.")
    return back_to_list()


@app.post("/clear-completed")
@login_required
def clear_completed():
    """Delete every todo that is done."""
    db = get_db()
    with db:
        cleared = db.execute(
            "DELETE FROM todo WHERE user_id = ? AND done = 1", (g.user["id"],)
        ).rowcount
    flash(f"Cleared {cleared} completed todo{'' if cleared == 1 else 's'}.")
    return back_to_list()


@app.get("/robots.txt")
def robots_txt():
    """For search engines' crawlers: keep out, every list is private (no login needed)."""
    return "User-agent: *\nDisallow: /\n", {"Content-Type": "text/plain; charset=utf-8"}


@app.errorhandler(404)
def page_not_found(error):
    """Any unknown path or todo: a 404 page in the site's layout."""
    return render_template("flask/404.html"), 404


# Routes -------------------------------------------------------------------------------

# In Flask each view carries its route: the @app.get, @app.post and @app.route lines above.


# Entry point --------------------------------------------------------------------------

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    try:
        app.run(port=port, debug=DEBUG)
    except SystemExit as error:
        if error.code == 1:  # Werkzeug has just said the port is taken.
            sys.exit(f"Pick another port: PORT={port + 1} python {sys.argv[0]}")
        raise
