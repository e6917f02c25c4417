# /// script
# requires-python = ">=3.10"
# dependencies = ["flask>=3.1"]
# ///
"""A To Do list in Flask: a database, forms, validation, CSRF, redirects and messages.

Run it:   python todo_flask.py             then open http://127.0.0.1:5000/
     or:  uv run todo_flask.py             (uv installs Flask first: no other step)
     or:  flask --app todo_flask run --debug
Another port:  PORT=5001 python todo_flask.py   (macOS's AirPlay Receiver holds port 5000)
Serve it: gunicorn todo_flask:app
     or:  waitress-serve --listen=127.0.0.1:8000 todo_flask:app

The todos live in the SQLite file todo_flask.sqlite3 beside this script (or wherever TODO_DB
says), created on first use. Delete the file to start afresh.
"""

import hmac
import os
import re
import secrets
import sqlite3
import sys
import unicodedata
from contextlib import closing
from pathlib import Path

from flask import Flask, abort, flash, g, redirect, render_template, request, session, url_for
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

# Configuration ------------------------------------------------------------------------

app = Flask(__name__)
# Debug mode (reloader, debugger) when run directly or by `flask run --debug`; off under a
# WSGI server or a plain `flask run`. DEBUG=1 or DEBUG=0 overrides.
FLASK_RUN_DEBUG = "FLASK_RUN_FROM_CLI" in os.environ and app.debug  # Flask reads FLASK_DEBUG
DEBUG = os.environ.get("DEBUG", "1" if __name__ == "__main__" or FLASK_RUN_DEBUG else "0") == "1"

app.config.update(
    DEBUG=DEBUG,
    # Signs the session cookie, which holds the CSRF token and the flashed messages. In debug
    # mode a fixed development key will do; in production it must be a secret of your own.
    SECRET_KEY=os.environ.get("SECRET_KEY") or ("development-only-not-secret" if DEBUG else ""),
    DATABASE=os.environ.get("TODO_DB", Path(__file__).with_name("todo_flask.sqlite3")),
)

# Production (skip it on a first read) -------------------------------------------------
#
# What only running it safely for others needs: HTTPS, hosts, security headers, limits,
# SQLite under several workers, error pages and logs, refusing to start on what cannot work.
# The app above and below is complete without it.

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
    TRUSTED_HOSTS=os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(","),
    SESSION_COOKIE_SAMESITE="Lax",  # not sent with other sites' POSTs (HttpOnly by default)
    SESSION_COOKIE_SECURE=HTTPS_ONLY,
    MAX_CONTENT_LENGTH=64 * 1024,  # refuse request bodies over 64 KiB (413)
)
if HTTPS_ONLY:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)  # trust the proxy's X-Forwarded-Proto


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
    if HTTPS_ONLY and not request.is_secure:
        return redirect(request.url.replace("http://", "https://", 1), 301)


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


def refuse_to_start(reason):
    """Stop here with one line and no traceback; exit status 3 tells gunicorn not to retry."""
    print(f"todo_flask: {reason}", file=sys.stderr)
    sys.exit(3)


def prepare():
    """Refuse to start on what cannot work (quiet when all is well)."""
    if not Path(__file__).with_name("templates").joinpath("flask").is_dir():
        refuse_to_start("copy the templates/ folder beside this script: its pages are there.")
    key = app.config["SECRET_KEY"]
    # What Django's `check --deploy` calls weak: under 50 characters, or under 5 different.
    if not DEBUG and (len(key) < 50 or len(set(key)) < 5):
        refuse_to_start("set SECRET_KEY to a long random string (or DEBUG=1).")
    try:
        with closing(sqlite3.connect(app.config["DATABASE"], timeout=10)) as db:
            # Write-ahead logging: readers do not wait for a writer, nor a writer for
            # readers, which matters when several server processes share the file. (The
            # file keeps it.)
            db.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:  # not an SQLite file, or one we may not open or write
        refuse_to_start(f"cannot use the database {app.config['DATABASE']}: {error}.")


prepare()  # refuse to start on what cannot work


# Data ---------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE IF NOT EXISTS todo (
    id      INTEGER PRIMARY KEY,
    title   TEXT    NOT NULL,
    done    INTEGER NOT NULL DEFAULT 0,
    created TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
)
"""
TITLE_MAX_LENGTH = 200
LIST_MAX_LENGTH = 500  # so that every page stays small and fast, whoever adds to the list
LIST_FULL = "The list is full (500 todos): clear completed ones or delete some first."
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What shows nothing: spaces, format characters (zero-width space, word joiner, byte-order
# mark, soft hyphen), combining marks on their own, and Unicode's blank letters.
INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"}
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"


def get_db():
    """This request's database connection: opened on first use, closed at teardown."""
    if "db" not in g:
        # Waits up to 10 s for another process's write to finish ("database is locked").
        g.db = sqlite3.connect(app.config["DATABASE"], timeout=10)
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close_db(exception):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def create_tables():
    """Create the tables if any is missing, so that the first run needs no set-up step."""
    with closing(sqlite3.connect(app.config["DATABASE"], timeout=10)) as db:
        db.execute(SCHEMA)


def get_todo(todo_id):
    """The todo with this id, or a 404 page."""
    try:
        todo = get_db().execute("SELECT * FROM todo WHERE id = ?", (todo_id,)).fetchone()
    except OverflowError:  # an id beyond SQLite's 64-bit integers
        todo = None
    if todo is None:
        abort(404)
    return todo


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
    if "\ufffd" in title:  # what bytes that are not UTF-8 decode to
        return title, "The title is not valid UTF-8 text."
    if all(unicodedata.category(c) in INVISIBLE_CATEGORIES or c in BLANK_LETTERS for c in title):
        return title, "Please enter a title."
    return title, None


create_tables()  # the first run needs no set-up step


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
            abort(403, "The form has expired or did not come from this site. Reload and retry.")


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
        "SELECT id, title, done FROM todo WHERE done IN (?, ?) ORDER BY created, id",
        LISTS[show],
    ).fetchall()
    total, done = db.execute("SELECT COUNT(*), COALESCE(SUM(done), 0) FROM todo").fetchone()
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
def todo_list(show):
    """All todos, or only the active or the completed ones."""
    return render_list(show)


@app.post("/add")
def add():
    """Create a todo from the form's title."""
    typed = request.form.get("title", "")
    title, error = validate_title(typed)
    if not error:
        db = get_db()
        with db:
            db.execute("BEGIN IMMEDIATE")  # no other request adds one in between
            if db.execute("SELECT COUNT(*) FROM todo").fetchone()[0] < LIST_MAX_LENGTH:
                db.execute("INSERT INTO todo (title) VALUES (?)", (title,))
                flash(f"Added “{title}”.")
                return back_to_list()
        error = LIST_FULL
    return render_list(next_list(), typed, error)


@app.post("/<int:todo_id>/toggle")
def toggle(todo_id):
    """Mark one todo done, or not done again."""
    todo = get_todo(todo_id)
    done = not todo["done"]
    db = get_db()
    with db:
        cursor = db.execute("UPDATE todo SET done = ? WHERE id = ?", (done, todo_id))
    if not cursor.rowcount:  # another request deleted it meanwhile
        abort(404)
    flash(f"Marked “{todo['title']}” as {'done' if done else 'not done'}.")
    return back_to_list()


@app.route("/<int:todo_id>/edit", methods=["GET", "POST"])
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
def delete(todo_id):
    """Delete one todo."""
    todo = get_todo(todo_id)
    db = get_db()
    with db:
        db.execute("DELETE FROM todo WHERE id = ?", (todo_id,))
    flash(f"Deleted “{todo['title']}”.")
    return back_to_list()


@app.post("/toggle-all")
def toggle_all():
    """If any todo is active, mark them all done; otherwise mark them all active."""
    db = get_db()
    with db:
        db.execute("BEGIN IMMEDIATE")  # no other request changes the list in between
        any_active = db.execute("SELECT EXISTS (SELECT 1 FROM todo WHERE done = 0)").fetchone()[0]
        db.execute("UPDATE todo SET done = ?", (any_active,))
    flash(f"Marked all todos as {'done' if any_active else 'not done'}.")
    return back_to_list()


@app.post("/clear-completed")
def clear_completed():
    """Delete every todo that is done."""
    db = get_db()
    with db:
        cleared = db.execute("DELETE FROM todo WHERE done = 1").rowcount
    flash(f"Cleared {cleared} completed todo{'' if cleared == 1 else 's'}.")
    return back_to_list()


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
