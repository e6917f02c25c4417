"""A personal website in Flask: routes, templates, a shared layout, links by route name.

Run it:   python site_flask.py             then open http://127.0.0.1:5000/
     or:  flask --app site_flask run
Port 5000 taken (macOS AirPlay uses it)?   PORT=5001 python site_flask.py
Serve it: gunicorn site_flask:app          or  waitress-serve site_flask:app

The pages are Jinja templates in templates/flask/; they extend templates/flask/base.html.
"""

import os
import sys

from flask import Flask, redirect, render_template, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Configuration ------------------------------------------------------------------------

# Debug mode (reloader, debugger) when run directly; off when a WSGI server imports
# this file. DEBUG=1 or DEBUG=0 overrides.
DEBUG = os.environ.get("DEBUG", "1" if __name__ == "__main__" else "0") == "1"
# HTTPS_ONLY=1 when a proxy in front terminates TLS and sets X-Forwarded-Proto: plain HTTP
# is then redirected, and browsers are told to come back over HTTPS only.
HTTPS_ONLY = os.environ.get("HTTPS_ONLY") == "1"
# Our pages run no script and load nothing from other sites; the stylesheet is inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

# Templates are looked up in templates/ beside this file (Flask's default folder);
# the Flask ones sit in its flask/ subfolder, next to the Django ones.
app = Flask(__name__)
app.config["DEBUG"] = DEBUG
if HTTPS_ONLY:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)  # trust the proxy's X-Forwarded-Proto


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
    if HTTPS_ONLY:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


# Views --------------------------------------------------------------------------------


@app.route("/")
def home():
    """The home page."""
    return render_template("flask/home.html")


@app.route("/about")
def about():
    """The about page."""
    return render_template("flask/about.html")


@app.errorhandler(404)
def page_not_found(error):
    """Any unknown path: a 404 page in the site's layout."""
    return render_template("flask/404.html"), 404


# Entry point --------------------------------------------------------------------------

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    try:
        app.run(port=port, debug=DEBUG)
    except SystemExit as error:
        if error.code == 1:  # Werkzeug has just said the port is taken.
            sys.exit(f"Pick another port: PORT={port + 1} python {sys.argv[0]}")
        raise
