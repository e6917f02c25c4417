# /// script
# requires-python = ">=3.10"
# dependencies = ["django>=5.2"]
# ///
"""A personal website in Django: routes, templates, a shared layout, links by route name.

Run it:   python site_django.py            then open http://127.0.0.1:8000/
     or:  uv run site_django.py            (uv installs Django first: no other step)
     or:  python site_django.py runserver 8001   (any management command works: check, shell, ...)
Another port:  PORT=8001 python site_django.py
Serve it: gunicorn site_django:application
     or:  waitress-serve --listen=127.0.0.1:8000 site_django:application

The pages are Django templates in templates/django/; they extend templates/django/base.html.
"""

import codecs
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.handlers.wsgi import WSGIRequest
from django.core.management import execute_from_command_line
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

# Configuration ------------------------------------------------------------------------

# Debug pages and autoreload when run directly; off when a WSGI server imports this
# file. DEBUG=1 or DEBUG=0 overrides. (With debug on, an unknown path shows Django's own
# "Page not found" page instead of ours.)
DEBUG = os.environ.get("DEBUG", "1" if __name__ == "__main__" else "0") == "1"

# Django reads its settings once, from settings.configure() (at the top of Views): here they
# are gathered in a dict, which Production adds to, as a settings/production.py would.
SETTINGS = dict(
    DEBUG=DEBUG,
    # This site signs nothing, so it needs no secret key of its own; Django's debug
    # pages want one all the same. (Add sessions or logins and set SECRET_KEY.)
    SECRET_KEY=os.environ.get("SECRET_KEY", "development only" if DEBUG else ""),
    ROOT_URLCONF=__name__,  # the URL patterns are in this very file
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],  # redirects /about to /about/
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            # The templates/ folder beside this file, shared with the Flask scripts.
            "DIRS": [Path(__file__).resolve().parent / "templates"],
        }
    ],
)

# Production (skip it on a first read) -------------------------------------------------
#
# What only running it safely for others needs: HTTPS, hosts, security headers, a limit on
# request bodies, refusing to start on what cannot work. The app above and below is complete
# without it.

# HTTPS_ONLY=1 when a proxy in front terminates TLS and sets X-Forwarded-Proto: plain HTTP
# is then redirected, and browsers are told to come back over HTTPS only.
HTTPS_ONLY = os.environ.get("HTTPS_ONLY") == "1"
# Our pages run no script and load nothing from other sites; the stylesheet is inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

SETTINGS.update(
    WSGI_APPLICATION=f"{__name__}.application",  # runserver serves it too (see Routes)
    # The host names this site answers to; with debug off Django refuses any other (400).
    ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(","),
    SECURE_SSL_REDIRECT=HTTPS_ONLY,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https") if HTTPS_ONLY else None,
    SECURE_HSTS_SECONDS=31536000 if HTTPS_ONLY else 0,
    # Server errors (500) with their traceback on stderr, under any server, debug or not;
    # what Django's security checks refuse (a Host outside ALLOWED_HOSTS, say), answered 400,
    # quietly.
    LOGGING={
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {
            "stderr": {"class": "logging.StreamHandler"},
            "null": {"class": "logging.NullHandler"},
        },
        "loggers": {
            "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
            "django.security": {"handlers": ["null"], "propagate": False},
        },
    },
    DATA_UPLOAD_MAX_MEMORY_SIZE=64 * 1024,  # refuse request bodies over 64 KiB (413)
)
SETTINGS["MIDDLEWARE"] = [
    # X-Content-Type-Options, Referrer-Policy, and the HTTPS redirect and HSTS.
    "django.middleware.security.SecurityMiddleware",
    f"{__name__}.content_security_policy",  # below
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # X-Frame-Options
    f"{__name__}.refuse_unreadable",  # below
    f"{__name__}.limit_request_body",  # below
    *SETTINGS["MIDDLEWARE"],
]


def content_security_policy(get_response):
    """Middleware that adds the Content-Security-Policy header to every response."""

    def middleware(request):
        response = get_response(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    return middleware


class Request(WSGIRequest):
    """Django's request, but one whose Content-Type names a charset other than UTF-8 (one
    Python does not know, or a codec that is no text encoding, such as rot13) is read as if
    it had no body, and refused by refuse_unreadable. Django would fail building it, before
    any middleware, and the server would answer with its own bare 500."""

    def __init__(self, environ):
        try:
            super().__init__(environ)
            charset = codecs.lookup(self.content_params.get("charset", "utf-8")).name
            self.unreadable = charset not in ("utf-8", "ascii")
        except (ValueError, LookupError, BadRequest):  # Django's words for it vary by version
            self.unreadable = True
        if self.unreadable:
            super().__init__({**environ, "CONTENT_TYPE": "", "QUERY_STRING": ""})


def refuse_unreadable(get_response):
    """Middleware: a request in a charset other than UTF-8 gets the 400 page."""

    def middleware(request):
        if getattr(request, "unreadable", False):
            raise BadRequest("A Content-Type with a charset other than UTF-8.")
        return get_response(request)

    return middleware


def limit_request_body(get_response):
    """Middleware that refuses a request body over 64 KiB (413), whatever its type, before
    Django reads it (DATA_UPLOAD_MAX_MEMORY_SIZE alone counts no uploaded file). Django reads
    no body without a Content-Length: one sent in chunks is refused (400), not ignored."""

    def middleware(request):
        length = request.META.get("CONTENT_LENGTH", "")
        if length.isdecimal() and int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return request_too_large(request)
        if not length and "Transfer-Encoding" in request.headers:
            raise BadRequest("a body without a Content-Length, which Django would not read")
        return get_response(request)

    return middleware


def request_too_large(request):
    """A request body over 64 KiB: a 413 page (limit_request_body's answer)."""
    return render(request, "django/413.html", status=413)


def refuse_to_start(reason):
    """Stop here with one line and no traceback; exit status 3 tells gunicorn not to retry."""
    print(f"site_django: {reason}", file=sys.stderr)
    sys.exit(3)


def prepare():
    """Refuse to start on what cannot work (quiet when all is well)."""
    if not Path(__file__).with_name("templates").joinpath("django").is_dir():
        refuse_to_start("copy the templates/ folder beside this script: its pages are there.")


prepare()  # refuse to start on what cannot work


# Views --------------------------------------------------------------------------------

settings.configure(**SETTINGS)  # Django takes the settings gathered above, once and for all


def home(request):
    """The home page."""
    return render(request, "django/home.html")


def about(request):
    """The about page."""
    return render(request, "django/about.html")


def robots_txt(request):
    """For search engines' crawlers: every page of the site is theirs to read."""
    return HttpResponse("User-agent: *\nAllow: /\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    """Any unknown path: a 404 page in the site's layout (when DEBUG is off)."""
    return render(request, "django/404.html", status=404)


# Routes -------------------------------------------------------------------------------

urlpatterns = [
    path("", home, name="home"),
    path("about/", about, name="about"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
handler404 = page_not_found

application = get_wsgi_application()
application.request_class = Request  # (Production) a Content-Type Django cannot read: 400

# Entry point --------------------------------------------------------------------------

if __name__ == "__main__":
    # With no arguments, run the development server (on PORT, if set); like Flask's, it
    # reloads on changes only in debug mode.
    runserver = ["runserver", os.environ.get("PORT", "8000"), *([] if DEBUG else ["--noreload"])]
    args = sys.argv[1:] or runserver
    execute_from_command_line([sys.argv[0], *args])
