"""Hello World in Django: the smallest app Django allows, in one file.

Run it:   python hello_django.py           then open http://127.0.0.1:8000/
Another port:  PORT=8001 python hello_django.py   (or: python hello_django.py runserver 8001)
Any management command works: python hello_django.py check
Serve it: gunicorn hello_django:application  or  waitress-serve hello_django:application
"""

import os
import sys

from django.conf import settings
from django.core.management import execute_from_command_line
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=True,  # development mode: also lets the server answer on localhost
    SECRET_KEY="development only",  # Django's debug pages want one; this app signs nothing
    ROOT_URLCONF=__name__,  # the URL patterns are in this very file
)


def hello_world(request):
    return HttpResponse("Hello, Django!")


urlpatterns = [path("", hello_world)]

application = get_wsgi_application()

if __name__ == "__main__":
    # With no arguments, run the development server (on PORT, if set).
    args = sys.argv[1:] or ["runserver", os.environ.get("PORT", "8000")]
    execute_from_command_line([sys.argv[0], *args])
