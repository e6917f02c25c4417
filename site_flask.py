"""A personal website in Flask: routes, templates, a shared layout, links by route name.

Run it:   python site_flask.py             then open http://127.0.0.1:5000/
     or:  flask --app site_flask run
Port 5000 taken (macOS AirPlay uses it)?   PORT=5001 python site_flask.py
Serve it: gunicorn site_flask:app          or  waitress-serve site_flask:app

The pages are Jinja templates in templates/flask/; they extend templates/flask/base.html.
"""

import os
import sys

from flask import Flask, render_template

# Templates are looked up in templates/ beside this file (Flask's default folder);
# the Flask ones sit in its flask/ subfolder, next to the Django ones.
app = Flask(__name__)


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


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    try:
        # Debug mode (reloader, debugger) unless DEBUG=0.
        app.run(port=port, debug=os.environ.get("DEBUG", "1") == "1")
    except SystemExit as error:
        if error.code == 1:  # Werkzeug has just said the port is taken.
            sys.exit(f"Pick another port: PORT={port + 1} python {sys.argv[0]}")
        raise
