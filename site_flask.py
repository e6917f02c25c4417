# /// script
# requires-python = ">=3.10"
# dependencies = ["flask>=3.1"]
# ///
"""A personal website in Flask: routes, templates, a shared layout, links by route name.

Run it:   python site_flask.py             then open http://127.0.0.1:5000/
     or:  uv run site_flask.py             (uv installs Flask first: no other step)
     or:  flask --app site_flask run --debug
Another port:  PORT=5001 python site_flask.py   (macOS's AirPlay Receiver holds port 5000)
Serve it: gunicorn site_flask:app
     or:  waitress-serve --listen=127.0.0.1:8000 site_flask:app

The pages are Jinja templates in templates/flask/; they extend templates/flask/base.html.
"""

import codecs
import os
import re
import sys
from pathlib import Path

from flask import Flask, abort, redirect, render_template, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Configuration ------------------------------------------------------------------------

# Templates are looked up in templates/ beside this file (Flask's default folder);
# the Flask ones sit in its flask/ subfolder, next to the Django ones.
app = Flask(__name__)
# Debug mode (reloader, debugger) when run directly; off when a WSGI server imports this
# file. DEBUG=1 or DEBUG=0 overrides; `flask run --debug` turns it on too (see Production).
DEBUG = os.environ.get("DEBUG", "1" if __name__ == "__main__" else "0") == "1"
app.config.update(DEBUG=DEBUG)

# Production (skip it on a first read) -------------------------------------------------
#
# What only running it safely for others needs: HTTPS, hosts, security headers, a limit on
# request bodies, refusing to start on what cannot work; and `flask run --debug`. The app
# above and below is complete without it.

# `flask run --debug` sets FLASK_DEBUG, and Flask's run command sets FLASK_RUN_FROM_CLI: then
# debug mode is on, as when run directly, unless DEBUG=0. (A WSGI server ignores FLASK_DEBUG.)
FLASK_DEBUG = os.environ.get("FLASK_DEBUG", "").lower() not in ("", "0", "false", "no")
if FLASK_DEBUG and "FLASK_RUN_FROM_CLI" in os.environ and "DEBUG" not in os.environ:
    DEBUG = app.config["DEBUG"] = True

# HTTPS_ONLY=1 when a proxy in front terminates TLS and sets X-Forwarded-Proto: plain HTTP
# is then redirected, and browsers are told to come back over HTTPS only.
HTTPS_ONLY = os.environ.get("HTTPS_ONLY") == "1"
# Our pages run no script and load nothing from other sites; the stylesheet is inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

app.config.update(
    # The host names this site answers to (Django's ALLOWED_HOSTS); any other gets 400.
    TRUSTED_HOSTS=os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").lower().split(","),
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


@app.errorhandler(413)
def request_too_large(error):
    """A request body over 64 KiB: a 413 page."""
    return render_template("flask/413.html"), 413


def refuse_to_start(reason):
    """Stop here with one line and no traceback; exit status 3 tells gunicorn not to retry."""
    print(f"site_flask: {reason}", file=sys.stderr)
    sys.exit(3)


def prepare():
    """Refuse to start on what cannot work (quiet when all is well)."""
    if not Path(__file__).with_name("templates").joinpath("flask").is_dir():
        refuse_to_start("copy the templates/ folder beside this script: its pages are there.")


prepare()  # refuse to start on what cannot work


# Views --------------------------------------------------------------------------------


@app.route("/")
def home():
    """The home page."""
    return render_template("flask/home.html")


@app.route("/about")
def about():
    """The about page."""
    return render_template("flask/about.html")


@app.get("/robots.txt")
def robots_txt():
    """For search engines' crawlers: every page of the site is theirs to read."""
    return "User-agent: *\nAllow: /\n", {"Content-Type": "text/plain; charset=utf-8"}


@app.errorhandler(404)
def page_not_found(error):
    """Any unknown path: a 404 page in the site's layout."""
    return render_template("flask/404.html"), 404


# Routes -------------------------------------------------------------------------------

# In Flask each view carries its route: the @app.route lines above.


# Entry point --------------------------------------------------------------------------

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    try:
        app.run(port=port, debug=DEBUG)
    except SystemExit as error:
        if error.code == 1:  # Werkzeug has just said the port is taken.
            sys.exit(f"Pick another port: PORT={port + 1} python {sys.argv[0]}")
        raise
