# /// script
# requires-python = ">=3.10"
# dependencies = ["django>=5.2"]
# ///
"""Hello World in Django: the smallest app Django allows, in one file.

Run it:   python hello_django.py            then open http://127.0.0.1:8000/
     or:  uv run hello_django.py            (uv installs Django first: no other step)
     or:  python hello_django.py runserver 8001   (any management command works: check, shell, ...)
Another port:  PORT=8001 python hello_django.py
Serve it: gunicorn hello_django:application
     or:  waitress-serve --listen=127.0.0.1:8000 hello_django:application
"""

import os
import sys

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.management import execute_from_command_line
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

# Configuration ------------------------------------------------------------------------

# Debug pages when run directly; off when a WSGI server imports this file.
DEBUG = os.environ.get("DEBUG", "1" if __name__ == "__main__" else "0") == "1"

settings.configure(
    DEBUG=DEBUG,
    # Django's debug pages want a key; this app signs nothing, so it needs none of its own.
    SECRET_KEY=os.environ.get("SECRET_KEY", "development only" if DEBUG else ""),
    # The host names this site answers to; with debug off Django refuses any other (400).
    ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(","),
    # What Django's security checks refuse (a Host outside ALLOWED_HOSTS), which it would log
    # as an error with a traceback, is answered (400) quietly; so is any answer under 500.
    LOGGING={
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"null": {"class": "logging.NullHandler"}},
        "loggers": {
            "django.security": {"handlers": ["null"], "propagate": False},
            "django.request": {"level": "ERROR"},
        },
    },
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],  # checks the Host header
    ROOT_URLCONF=__name__,  # the URL patterns are in this very file
    WSGI_APPLICATION=f"{__name__}.application",  # runserver serves it too (see Routes)
)


# Views --------------------------------------------------------------------------------


def hello_world(request):
    return HttpResponse("Hello, Django!")


# Routes -------------------------------------------------------------------------------

urlpatterns = [path("", hello_world)]

django_application = get_wsgi_application()


def application(environ, start_response):
    """Django's WSGI application; but a request Django cannot even build (a Content-Type
    whose charset Python does not know) gets 400, not the server's bare 500."""
    try:
        return django_application(environ, start_response)
    except (ValueError, LookupError, BadRequest):  # its words for it vary by version
        start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Bad Request (400)"]


# Entry point --------------------------------------------------------------------------

if __name__ == "__main__":
    # With no arguments, run the development server (on PORT, if set).
    args = sys.argv[1:] or ["runserver", os.environ.get("PORT", "8000")]
    execute_from_command_line([sys.argv[0], *args])
