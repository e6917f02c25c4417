# /// script
# requires-python = ">=3.10"
# dependencies = ["flask>=3.1"]
# ///
"""Hello World in Flask: the smallest app Flask allows, in one file.

Run it:   python hello_flask.py             then open http://127.0.0.1:5000/
     or:  uv run hello_flask.py             (uv installs Flask first: no other step)
     or:  flask --app hello_flask run --debug
Another port:  PORT=5001 python hello_flask.py   (macOS's AirPlay Receiver holds port 5000)
Serve it: gunicorn hello_flask:app
     or:  waitress-serve --listen=127.0.0.1:8000 hello_flask:app
"""

import os

from flask import Flask

# Configuration ------------------------------------------------------------------------

app = Flask(__name__)

# Views --------------------------------------------------------------------------------


@app.route("/")
def hello_world():
    return "<p>Hello, World!</p>"


# Routes -------------------------------------------------------------------------------

# In Flask each view carries its route: the @app.route line above.

# Entry point --------------------------------------------------------------------------

if __name__ == "__main__":
    # Debug mode (reloader, debugger) unless DEBUG=0; a WSGI server never runs this line.
    app.run(port=int(os.environ.get("PORT", "5000")), debug=os.environ.get("DEBUG", "1") == "1")
