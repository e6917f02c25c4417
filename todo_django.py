# /// script
# requires-python = ">=3.10"
# dependencies = ["django>=5.2"]
# ///
"""A To Do list in Django: a model, a form, validation, CSRF, redirects, messages, accounts
(each visitor signs up, logs in and keeps a list of their own) and the admin.

Run it:   python todo_django.py            then open http://127.0.0.1:8000/ and sign up
     or:  uv run todo_django.py            (uv installs Django first: no other step)
     or:  python todo_django.py runserver 8001   (any management command works: check, shell, ...)
Another port:  PORT=8001 python todo_django.py
The admin:     python todo_django.py createsuperuser, then open http://127.0.0.1:8000/admin/
Serve it: gunicorn todo_django:application
     or:  waitress-serve --listen=127.0.0.1:8000 todo_django:application

The users and their todos live in the SQLite file todo_django.sqlite3 beside this script (or
wherever TODO_DB says), created with all its tables on first run. Delete the file to start
afresh. Or in PostgreSQL: DATABASE_URL=postgres://user:password@host:5432/name (pip install
psycopg).
"""

import codecs
import os
import re
import sqlite3
import sys
import time
import unicodedata
from contextlib import closing
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote, urlsplit

import django
from django import forms
from django.apps import AppConfig
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import BadRequest, ValidationError
from django.core.handlers.wsgi import WSGIRequest
from django.core.management import call_command, execute_from_command_line
from django.core.validators import RegexValidator
from django.core.wsgi import get_wsgi_application
from django.db import (
    DatabaseError,
    IntegrityError,
    OperationalError,
    connection,
    models,
    transaction,
)
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.static import serve

# Configuration ------------------------------------------------------------------------

# Debug pages and autoreload when run directly; off when a WSGI server imports this
# file. DEBUG=1 or DEBUG=0 overrides. (With debug on, an unknown path shows Django's own
# "Page not found" page instead of ours.)
DEBUG = os.environ.get("DEBUG", "1" if __name__ == "__main__" else "0") == "1"


# Django reads its settings once, from settings.configure() (in Data, below): here they are
# gathered in a dict, which Production adds to, as a settings/production.py would.
SETTINGS = dict(
    DEBUG=DEBUG,
    # Signs the messages cookie and what else Django signs. In debug mode a fixed
    # development key will do; in production it must be a secret of your own.
    SECRET_KEY=os.environ.get("SECRET_KEY") or ("development-only-not-secret" if DEBUG else ""),
    ROOT_URLCONF=__name__,  # the URL patterns are in this very file
    INSTALLED_APPS=[
        "django.contrib.admin",
        "django.contrib.auth",  # users, passwords, logging in and out
        "django.contrib.contenttypes",
        "django.contrib.sessions",  # who is logged in, kept in the database
        "django.contrib.messages",
        "django.contrib.staticfiles",  # the admin's CSS and JavaScript
        "todo_django.TodoConfig",  # this file (see Production)
    ],
    MIDDLEWARE=[
        "django.middleware.common.CommonMiddleware",  # /admin -> /admin/
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",  # a CSRF token on every POST
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            # The templates/ folder beside this file, shared with the Flask scripts.
            "DIRS": [Path(__file__).resolve().parent / "templates"],
            "APP_DIRS": True,  # the admin's own templates
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ],
            },
        }
    ],
    # The SQLite file TODO_DB (or PostgreSQL: DATABASE_URL, in Production).
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("TODO_DB", Path(__file__).with_name("todo_django.sqlite3")),
        }
    },
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    LOGIN_URL="login",  # where login_required sends a visitor who is not logged in
    LOGIN_REDIRECT_URL="home",  # after logging in, when the login page has no `next`
    LOGOUT_REDIRECT_URL="login",
    # Sign-up refuses passwords that are like the name, short, common or all digits.
    AUTH_PASSWORD_VALIDATORS=[  # as `django-admin startproject` writes them
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ],
    STATIC_URL="static/",
)

# Production (skip it on a first read) -------------------------------------------------
#
# What a first reading can skip: what running it safely for others needs (HTTPS, hosts,
# security headers, limits, SQLite under several workers, error pages and logs, refusing to
# start on what cannot work), PostgreSQL, titles no one could read, and what lets a Django
# app live in one file. The app above and below reads complete without it.

# HTTPS_ONLY=1 when a proxy in front terminates TLS and sets X-Forwarded-Proto: plain HTTP
# is then redirected, cookies are sent over HTTPS only, and browsers are told to come
# back over HTTPS only.
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
    SESSION_COOKIE_SECURE=HTTPS_ONLY,
    CSRF_COOKIE_SECURE=HTTPS_ONLY,
    CSRF_COOKIE_HTTPONLY=True,  # no script of ours reads it (the session cookie's is default)
    DATA_UPLOAD_MAX_MEMORY_SIZE=64 * 1024,  # refuse request bodies over 64 KiB (413)
    CSRF_FAILURE_VIEW=f"{__name__}.csrf_failure",  # our 403 page (below), not Django's
    # Server errors (500) with their traceback on stderr, under any server, debug or not;
    # what Django's security checks refuse (a Host outside ALLOWED_HOSTS, a path outside the
    # admin's files, a form without its CSRF token), answered 400 or 403, quietly.
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
)
SETTINGS["MIDDLEWARE"] = [
    # X-Content-Type-Options, Referrer-Policy, and the HTTPS redirect and HSTS.
    "django.middleware.security.SecurityMiddleware",
    f"{__name__}.content_security_policy",  # below
    f"{__name__}.DatabaseBusy",  # below
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # X-Frame-Options
    f"{__name__}.refuse_unreadable",  # below
    f"{__name__}.limit_request_body",  # below
    *SETTINGS["MIDDLEWARE"],
]
if os.environ.get("DATABASE_URL"):  # postgres://user:password@host:port/name
    url = urlsplit(os.environ["DATABASE_URL"])
    SETTINGS["DATABASES"]["default"] = {
        "ENGINE": "django.db.backends.postgresql",  # pip install psycopg
        "NAME": unquote(url.path.lstrip("/")),
        "USER": unquote(url.username or ""),
        "PASSWORD": unquote(url.password or ""),
        "HOST": url.hostname or "",
        "PORT": url.port or "",
    }
DATABASE = SETTINGS["DATABASES"]["default"]
# Under a WSGI server, keep the connection open from one request to the next, and check
# it before each request, so that a database restart costs no request an error. (The
# development server starts a thread per request: there it would only leave one
# connection open per request.)
DATABASE.update(CONN_MAX_AGE=0 if __name__ == "__main__" else None, CONN_HEALTH_CHECKS=True)
if DATABASE["ENGINE"].endswith("sqlite3"):
    DATABASE["OPTIONS"] = {
        # Wait up to 10 s for another process's write ("database is locked"), and take
        # the write lock when a transaction starts, not halfway.
        "timeout": 10,
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASE["OPTIONS"] = {
        "connect_timeout": 5,  # a server that does not answer: say so
        # Wait up to 10 s, as on SQLite, for a lock another connection holds (a row, the
        # table), then give up ("canceling statement due to lock timeout").
        "options": "-c lock_timeout=10s",
    }


def content_security_policy(get_response):
    """Middleware that adds the Content-Security-Policy header to our own pages."""

    def middleware(request):
        response = get_response(request)
        if not request.path_info.startswith("/admin/"):  # the admin runs its own scripts
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


class DatabaseBusy:
    """Middleware: the database stayed busy past the 10 s timeout, or had no connection
    left for this request: say to try again (503)."""

    # SQLite's "database is locked"; PostgreSQL's "canceling statement due to lock timeout",
    # and, with every connection slot taken, "sorry, too many clients already", "remaining
    # connection slots are reserved ..." or "too many connections for role ...".
    BUSY = re.compile(r"locked|lock timeout|too many (clients|connections)|connection slots")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and self.BUSY.search(str(exception)):
            return render(request, "django/503.html", status=503)
        return None


def bad_request(request, exception):
    """A request the app cannot read (an unknown host, a form in another charset): 400.

    Django's own 400 view checks the CSRF token again, which reads the unreadable form
    again and fails with a 500; this one reads nothing.
    """
    return render(request, "django/400.html", status=400)


handler400 = bad_request  # Django looks for it in ROOT_URLCONF: this module


def csrf_failure(request, reason=""):
    """A form without this session's CSRF token (a page from before the last login, a form
    from another site): a 403 page that says to reload the page and send the form again."""
    return render(request, "django/403.html", status=403)


def admin_static(request, path):
    """The admin's CSS and JavaScript, from Django's serve view (see Routes); a name too long
    for the file system is a 404, not a 500."""
    try:
        return serve(request, path, document_root=Path(admin.__file__).parent / "static/admin")
    except OSError:  # "File name too long", and its kin
        raise Http404(path) from None


def list_is_full(user):
    """Whether the user's list holds 500 todos. Call it in a transaction: the user stays
    locked until it ends, so that no other add to their list comes in between."""
    get_user_model().objects.select_for_update().get(pk=user.pk)
    return user.todo_set.count() >= LIST_MAX_LENGTH


class TodoAdminForm(forms.ModelForm):
    """The admin's form: a todo added, or given to another user, must fit in their list.
    (The admin validates and saves a form in one transaction.)"""

    def clean(self):
        cleaned_data = super().clean()
        user = cleaned_data.get("user")
        if user and "user" in self.changed_data and list_is_full(user):
            self.add_error("user", LIST_FULL)
        return cleaned_data


class GuardedAdmin(admin.ModelAdmin):
    """The admin as Django makes it, held to the app's rules: the 500-todo limit (the form
    above), the list's own filters only (another lookup in the address, ?title__regex=(, is
    a 400), and a save that never brings back a todo a visitor deleted meanwhile."""

    form = TodoAdminForm

    def lookup_allowed(self, lookup, value, request=None):
        own = lookup.split("__")[0] in self.list_filter
        return own and super().lookup_allowed(lookup, value, request)

    def save_model(self, request, obj, form, change):
        if change:  # locked, or a 404: Django's save makes the row again if its UPDATE misses
            get_object_or_404(type(obj).objects.select_for_update(), pk=obj.pk)
        super().save_model(request, obj, form, change)


def request_too_large(request):
    """A request body over 64 KiB: a 413 page (limit_request_body's answer)."""
    return render(request, "django/413.html", status=413)


# What shows nothing: spaces, format characters (zero-width space, word joiner, byte-order
# mark, soft hyphen), combining marks on their own, and Unicode's blank letters.
INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"}
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"


# What no font draws: unassigned code points (noncharacters among them), private-use ones,
# surrogates, and the object replacement character, a placeholder.
UNSHOWN_CATEGORIES = {"Cn", "Co", "Cs"}
UNSHOWN = "The title has characters that cannot be shown."


def readable(title):
    """Validator: refuse a title no one could read."""
    if "\ufffd" in title:  # what bytes that are not UTF-8 decode to
        raise ValidationError("The title is not valid UTF-8 text.")
    if any(unicodedata.category(c) in UNSHOWN_CATEGORIES or c == "\ufffc" for c in title):
        raise ValidationError(UNSHOWN)
    if all(unicodedata.category(c) in INVISIBLE_CATEGORIES or c in BLANK_LETTERS for c in title):
        raise ValidationError("Please enter a title.", code="required")  # as if it were blank


def refuse_to_start(reason):
    """Stop here with one line and no traceback; exit status 3 tells gunicorn not to retry."""
    print(f"todo_django: {reason.strip().splitlines()[0]}", file=sys.stderr)
    sys.exit(3)


def prepare():
    """Refuse to start on what cannot work (quiet when all is well)."""
    if not Path(__file__).with_name("templates").joinpath("django").is_dir():
        refuse_to_start("copy the templates/ folder beside this script: its pages are there.")
    key = SETTINGS["SECRET_KEY"]
    # What Django's `check --deploy` calls weak: under 50 characters, under 5 different, or
    # the development key `startproject` makes.
    if not DEBUG and (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")):
        refuse_to_start("set SECRET_KEY to a long random string (or DEBUG=1).")
    url = os.environ.get("DATABASE_URL")
    if url and urlsplit(url).scheme not in ("postgres", "postgresql"):
        refuse_to_start("DATABASE_URL must look like postgres://user:password@host:5432/name.")
    if url and not (find_spec("psycopg") or find_spec("psycopg2")):
        refuse_to_start("install psycopg: python -m pip install -r requirements-postgres.txt")
    if not url:
        try:
            with closing(sqlite3.connect(DATABASE["NAME"], timeout=10)) as db:
                # Write-ahead logging: readers do not wait for a writer, nor a writer for
                # readers, which matters when several server processes share the file. (The
                # file keeps it.)
                db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as error:  # not an SQLite file, or one we may not open or write
            refuse_to_start(f"cannot use the database {DATABASE['NAME']}: {error}.")


prepare()  # refuse to start on what cannot work


# Django in one file. Django finds models through installed apps, which it imports by
# module name, and makes their tables from migrations. So this file gives itself its own
# name (run as a script it is "__main__"), is the app "todo" however it was started
# (python todo_django.py, gunicorn, a test), and, having no migrations folder, has its
# table made from the model itself (create_tables, below, called at the end of Data).
sys.modules.setdefault("todo_django", sys.modules[__name__])


class TodoConfig(AppConfig):
    name = "todo_django"
    label = "todo"
    verbose_name = "To Do"

    def import_models(self):
        super().import_models()
        self.models_module = self.module  # the models are here, not in a models.py


SETTINGS["MIGRATION_MODULES"] = {"todo": None}


def create_tables():
    """Create the tables if any is missing, so that the first run needs no set-up step."""
    where = "{HOST}:{PORT}/{NAME}" if connection.vendor == "postgresql" else "{NAME}"
    where = where.format(**connection.settings_dict)
    # Server processes starting together on a new database (gunicorn -w 4) can race to
    # create them, and a database server may be restarting as a worker starts. A failed
    # attempt leaves no half-made table (each migration runs in one transaction), so look
    # again, for up to 10 seconds.
    deadline = time.monotonic() + 10
    try:
        while True:
            try:
                tables = set(connection.introspection.table_names())
                if "todo" in tables and "user_id" not in todo_columns():
                    setting = "DATABASE_URL" if connection.vendor == "postgresql" else "TODO_DB"
                    refuse_to_start(
                        f"{where} holds todos from before accounts, which have no owner: move "
                        f"it away, or set {setting} to another database, to start afresh."
                    )
                if tables >= set(connection.introspection.django_table_names()):
                    break
                # Django's own apps (users, sessions, ...) from their migrations, then the
                # todo table, which refers to the users', from the model.
                call_command("migrate", verbosity=0)
                call_command("migrate", run_syncdb=True, verbosity=0)
            except DatabaseError as error:  # no server there, one we may not write, ...
                if time.monotonic() > deadline:
                    refuse_to_start(f"cannot use the database {where}: {error}")
                connection.close()
                time.sleep(0.5)
    finally:
        connection.close()  # also when refusing to start


def todo_columns():
    """The names of the todo table's columns, as the database has them."""
    with connection.cursor() as cursor:
        return [
            column.name for column in connection.introspection.get_table_description(cursor, "todo")
        ]


# Data ---------------------------------------------------------------------------------

settings.configure(**SETTINGS)  # the settings gathered above, once: models need them
django.setup()


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "The title cannot contain control characters."
NO_CONTROL_CHARACTERS = RegexValidator(CONTROL_CHARACTERS, CONTROL_MESSAGE, inverse_match=True)
LIST_MAX_LENGTH = 500  # per user, so that every page stays small and fast
LIST_FULL = "The list is full (500 todos): clear completed ones or delete some first."


class Todo(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)  # its owner
    title = models.CharField(
        max_length=200,
        validators=[NO_CONTROL_CHARACTERS, readable],  # readable: in Production
    )
    done = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "todo"
        db_table = "todo"
        ordering = ["created", "id"]

    def __str__(self):
        return self.title


@admin.register(Todo)
class TodoAdmin(GuardedAdmin):  # (Production) admin.ModelAdmin, with the app's limits
    list_display = ["title", "done", "user", "created"]
    list_filter = ["done", "user"]
    search_fields = ["title"]


class TodoForm(forms.ModelForm):
    """The title, trimmed (Django's default), 1 to 200 characters, no control characters."""

    class Meta:
        model = Todo
        fields = ["title"]
        error_messages = {
            "title": {
                "required": "Please enter a title.",
                "max_length": "Keep the title to %(limit_value)d characters or fewer"
                " (this one has %(show_value)d).",
                "null_characters_not_allowed": CONTROL_MESSAGE,
            }
        }

    def printable_title(self):
        """The title as typed, without control characters, to show it again."""
        return CONTROL_CHARACTERS.sub("", self["title"].value() or "")


create_tables()  # the first run needs no set-up step (create_tables: in Production)


# Accounts -----------------------------------------------------------------------------
#
# Django brings users, password hashing, sessions, the login and logout views and
# login_required (django.contrib.auth, in INSTALLED_APPS; its views are in Routes, below).
# Only signing up is ours to write, with Django's form for it.

# (The forms and views of django.contrib.auth load the User model: after django.setup().)
from django.contrib.auth import login  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.contrib.auth.forms import UserCreationForm  # noqa: E402


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    """A form to make an account; once made, the new user is logged in."""
    if request.method == "POST":
        form = UserCreationForm(request.POST)
        if form.is_valid():
            try:
                user = form.save()
            except IntegrityError:  # another sign-up took the name since the form looked
                form.validate_unique()  # looks again, and says so beside the field
            else:
                login(request, user)
                return redirect("home")
    else:
        form = UserCreationForm()
    return render(request, "django/signup.html", {"form": form}, status=400 if form.errors else 200)


# Logging in and out: Django's own views, as they are (their routes are in Routes, below).
from django.contrib.auth.views import LoginView, LogoutView  # noqa: E402

# Views --------------------------------------------------------------------------------

# The three lists by URL name, with the todos each shows.
LISTS = {"home": {}, "active": {"done": False}, "completed": {"done": True}}


def next_list(request):
    """The name of the list the form came from (`next`): one of ours, never another site."""
    target = request.POST.get("next") or request.GET.get("next", "")
    return next((name for name in LISTS if reverse(name) == target), "home")


def back_to_list(request):
    """303 See Other: after a POST, the browser GETs the list the form came from."""
    return HttpResponseRedirect(reverse(next_list(request)), status=303)


def render_list(request, show, form):
    """The list named `show`; with a rejected title, the same page and the message (400)."""
    todos = request.user.todo_set.filter(**LISTS[show])
    counts = request.user.todo_set.aggregate(
        total=models.Count("id"), done_count=models.Count("id", filter=models.Q(done=True))
    )
    context = {"todos": todos, "show": show, "here": reverse(show), "form": form, **counts}
    context["active_count"] = counts["total"] - counts["done_count"]
    return render(request, "django/todo_list.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def todo_list(request, show):
    """All todos, or only the active or the completed ones."""
    return render_list(request, show, TodoForm())


@require_POST
@login_required
def add(request):
    """Create a todo from the form's title."""
    form = TodoForm(request.POST, instance=Todo(user=request.user))
    if form.is_valid():
        with transaction.atomic():  # no other request adds one in between
            if not list_is_full(request.user):  # (Production) one add at a time per user
                todo = form.save()
                messages.success(request, f"Added “{todo.title}”.")
                return back_to_list(request)
        form.add_error("title", LIST_FULL)
    return render_list(request, next_list(request), form)


@require_POST
@login_required
def toggle(request, todo_id):
    """Mark one todo done, or not done again."""
    with transaction.atomic():  # locked, so that no other request deletes it in between
        todo = get_object_or_404(request.user.todo_set.select_for_update(), id=todo_id)
        todo.done = not todo.done
        todo.save(update_fields=["done"])
    messages.success(request, f"Marked “{todo.title}” as {'done' if todo.done else 'not done'}.")
    return back_to_list(request)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit(request, todo_id):
    """A form to change a todo's title, and saving it."""
    todo = get_object_or_404(request.user.todo_set, id=todo_id)
    saved_title = todo.title
    if request.method == "POST":
        form = TodoForm(request.POST, instance=todo)
        if form.is_valid():
            with transaction.atomic():  # locked, so that no other request deletes it in between
                get_object_or_404(request.user.todo_set.select_for_update(), id=todo_id)
                todo.save(update_fields=["title"])  # the title only: a toggle meanwhile stays
            messages.success(request, f"Saved “{todo.title}”.")
            return back_to_list(request)
        todo.title = saved_title  # the form wrote the rejected title into it
    else:
        form = TodoForm(instance=todo)
    context = {"todo": todo, "form": form, "back": reverse(next_list(request))}
    return render(request, "django/todo_edit.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def delete(request, todo_id):
    """Delete one todo."""
    todo = get_object_or_404(request.user.todo_set, id=todo_id)
    todo.delete()
    messages.success(request, f"Deleted “{todo.title}”.")
    return back_to_list(request)


@require_POST
@login_required
def toggle_all(request):
    """If any todo is active, mark them all done; otherwise mark them all active."""
    todos = request.user.todo_set
    with transaction.atomic():  # no other request changes the list in between
        any_active = todos.filter(done=False).exists()
        todos.update(done=any_active)
    messages.success(request, f"Marked all todos as {'done' if any_active else 'not done'}.")
    return back_to_list(request)


@require_POST
@login_required
def clear_completed(request):
    """Delete every todo that is done."""
    cleared, _ = request.user.todo_set.filter(done=True).delete()
    messages.success(request, f"Cleared {cleared} completed todo{'' if cleared == 1 else 's'}.")
    return back_to_list(request)


@require_safe
def robots_txt(request):
    """For search engines' crawlers: keep out, every list is private (no login needed)."""
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    """Any unknown path or todo: a 404 page in the site's layout (when DEBUG is off)."""
    return render(request, "django/404.html", status=404)


# Routes -------------------------------------------------------------------------------

urlpatterns = [
    path("signup", signup, name="signup"),
    path("login", LoginView.as_view(template_name="django/login.html"), name="login"),
    path("logout", LogoutView.as_view(), name="logout"),
    path("", todo_list, {"show": "home"}, name="home"),
    path("active", todo_list, {"show": "active"}, name="active"),
    path("completed", todo_list, {"show": "completed"}, name="completed"),
    path("add", add, name="add"),
    path("<int:todo_id>/toggle", toggle, name="toggle"),
    path("<int:todo_id>/edit", edit, name="edit"),
    path("<int:todo_id>/delete", delete, name="delete"),
    path("toggle-all", toggle_all, name="toggle_all"),
    path("clear-completed", clear_completed, name="clear_completed"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("admin/", admin.site.urls),
    # The admin's CSS and JavaScript. Django's development server serves static files
    # only in debug mode, and gunicorn or waitress not at all: this route serves the
    # admin's own files in every mode, so that the admin keeps its looks.
    path("static/admin/<path:path>", admin_static),  # Django's serve view (see Production)
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
