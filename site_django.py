"""A personal website in Django: routes, templates, a shared layout, links by route name.

Run it:   python site_django.py            then open http://127.0.0.1:8000/
Another port:  PORT=8001 python site_django.py   (or: python site_django.py runserver 8001)
Any management command works: python site_django.py check
Serve it: gunicorn site_django:application  or  waitress-serve site_django:application

The pages are Django templates in templates/django/; they extend templates/django/base.html.
"""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import execute_from_command_line
from django.core.wsgi import get_wsgi_application
from django.shortcuts import render
from django.urls import path

settings.configure(
    # Debug pages and autoreload when run directly; off when a WSGI server imports
    # this file. DEBUG=1 or DEBUG=0 overrides. (With debug on, an unknown path shows
    # Django's own "Page not found" page instead of ours.)
    DEBUG=os.environ.get("DEBUG", "1" if __name__ == "__main__" else "0") == "1",
    # The host names this site answers to; with debug off Django refuses any other.
    ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(","),
    ROOT_URLCONF=__name__,  # the URL patterns are in this very file
    # CommonMiddleware redirects /about to /about/ (APPEND_SLASH).
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            # The templates/ folder beside this file, shared with the Flask scripts.
            "DIRS": [Path(__file__).resolve().parent / "templates"],
        }
    ],
)


def home(request):
    """The home page."""
    return render(request, "django/home.html")


def about(request):
    """The about page."""
    return render(request, "django/about.html")


def page_not_found(request, exception):
    """Any unknown path: a 404 page in the site's layout (when DEBUG is off)."""
    return render(request, "django/404.html", status=404)


urlpatterns = [
    path("", home, name="home"),
    path("about/", about, name="about"),
]
handler404 = page_not_found

application = get_wsgi_application()

if __name__ == "__main__":
    # With no arguments, run the development server (on PORT, if set).
    args = sys.argv[1:] or ["runserver", os.environ.get("PORT", "8000")]
    execute_from_command_line([sys.argv[0], *args])
