"""The sentences of docs/side-by-side.html, one per section: what differs between the frameworks.

Written by people, read by docs/side_by_side.py. Keys are the sections' ids without the stage:
the scripts' sections (metadata, docstring, imports, configuration, production, data,
accounts, views, routes, entry-point), then the stage's templates by file name. A section
without its sentence, or a sentence without its section, stops the generator. `backticks`
mark code.
"""

NOTES = {
    "hello": {
        "metadata": "Identical but for the one dependency, `flask>=3.1` or `django>=5.2`: that is"
        " all `uv run` needs to install.",
        "docstring": "The same commands, but Flask's file can also be started by the `flask`"
        " command, while Django's file is its own command line (`runserver 8001`, `check`,"
        " `shell`).",
        "imports": "Flask needs one name, `Flask`; Django needs five from five modules: the"
        " settings, the command line, the WSGI handler, `HttpResponse` and `path`.",
        "configuration": "Flask's whole configuration is `app = Flask(__name__)`; Django has no"
        " app object, so the file calls `settings.configure()` with a secret key, the allowed"
        " hosts, `LOGGING` that keeps a refused host out of the log (Flask logs none), one"
        " middleware and `ROOT_URLCONF` pointing at this very file.",
        "views": "The same one-line function: Flask's is registered by its `@app.route` decorator"
        " and returns a string, Django's receives the `request` and returns an `HttpResponse`.",
        "routes": "Flask has nothing left to do here; Django maps the empty path to the view in"
        " `urlpatterns` and builds the WSGI `application` that a server imports.",
        "entry-point": "`app.run()` starts Flask's development server; Django passes the command"
        " line to `execute_from_command_line`, with `runserver` when there is none.",
    },
    "site": {
        "metadata": "As in Hello World: only the dependency line differs.",
        "docstring": "The same wording; each names its own template folder, `templates/flask/` or"
        " `templates/django/`.",
        "imports": "Flask's four names come from `flask` (plus Werkzeug's `ProxyFix` for"
        " Production); Django's five come from five modules, and `render` is its"
        " `render_template`.",
        "configuration": "Flask finds `templates/` beside the file by default and only sets"
        " `DEBUG`; Django gathers its settings in a dict and must be told where the templates"
        " are, which module holds the URLs and which middleware to run.",
        "production": "The same protections: Flask writes them as `before_request` and"
        " `after_request` hooks plus `TRUSTED_HOSTS` and `MAX_CONTENT_LENGTH`, Django switches"
        " them on with `SECURE_*` settings and its security and clickjacking middleware, adding"
        " small middlewares of its own (the Content-Security-Policy, the 64 KiB limit on"
        " request bodies, a charset it cannot read) and a `LOGGING` setting that keeps a"
        " refused host out of the log, as Flask does by itself.",
        "views": "The same four functions: Flask registers them with `@app.route`, `@app.get`"
        " and `@app.errorhandler(404)` and answers robots.txt with a string and its"
        " Content-Type; Django's take the `request` and call `render()` or build an"
        " `HttpResponse`, after the file hands its settings to `settings.configure()`.",
        "routes": 'Flask\'s routes are the decorators above; Django maps `""`, `"about/"` and'
        ' `"robots.txt"` to the views by name in `urlpatterns` (so its about page is `/about/`)'
        " and names its 404 view in `handler404`.",
        "entry-point": "Both start the development server on `PORT`; Flask's turns “port in"
        " use” into a hint to pick another, Django's drops the autoreloader when `DEBUG` is off.",
        "base.html": "Identical but for the footer: both engines have `{% block %}` and"
        ' `{% include "style.css" %}`, so the layout reads the same.',
        "home.html": "What differs between the two template languages: the layout named in"
        " `{% extends %}`, and the link built from the route's name, `{{ url_for('about') }}` in"
        " Jinja, `{% url 'about' %}` in Django.",
        "about.html": "As home.html: the layout it extends, and the link home built by"
        " `url_for('home')` or `{% url 'home' %}`.",
        "404.html": "The same page: only the layout it extends and the syntax of its link home"
        " differ.",
        "413.html": "Only the layout it extends differs.",
    },
    "todo": {
        "metadata": "Identical but for the dependency: the Flask app needs nothing else (its"
        " database is the standard library's `sqlite3`), the Django app nothing but Django.",
        "docstring": "Both say where the SQLite file lives and how to start afresh; Django's adds"
        " how to reach the admin (`createsuperuser`, then `/admin/`), which Flask has no"
        " counterpart for.",
        "imports": "Flask's list is mostly the standard library (`sqlite3`, `hmac` and `secrets`"
        " for the tokens, `difflib` to compare a password with the name) plus Werkzeug's password"
        " hashing; Django's is nearly all Django: models, forms, transactions, messages, the"
        " admin, decorators for HTTP methods (what accounts take is imported in Accounts).",
        "configuration": "Flask sets its secret key, a two-week session and its database file in"
        " `app.config`; Django also lists its installed apps (the admin, users, sessions,"
        " messages, this file), the middleware for sessions, CSRF, users and messages, the"
        " templates' context processors, `DATABASES`, where logging in and out leads, and the"
        " password validators.",
        "production": "Flask writes its protections as hooks and settings (host check, HTTPS"
        " redirect, headers, a 64 KiB body limit, an ASCII-only `<int:>` converter, the 400,"
        " 403, 413 and 503 pages); Django mostly switches on settings and middleware it already"
        " has, adds small middlewares of its own, and names its 400 and 403 views in"
        " `handler400` and `CSRF_FAILURE_VIEW`. Both also keep here what a first reading can"
        " skip: the rules for titles no one could read, Flask's `flask run --debug`, and"
        " Django's PostgreSQL settings and what lets an app, its model and its tables live in"
        " one file.",
        "data": "Flask writes its two tables in SQL, users and their todos, a `get_db()` that"
        " keeps one connection per request on `g`, and a `validate_title()`; Django calls"
        " `settings.configure()` here, since models need settings, then declares a `Todo` model"
        " with validators and a foreign key to Django's own users, a `ModelForm` and the admin;"
        " each calls its `create_tables()` last.",
        "accounts": "Django brings users, password hashing, sessions, `login()`,"
        " `login_required`, the `UserCreationForm` and the `LoginView` and `LogoutView`"
        " (routed in Routes): four imports, and only the `signup` view is ours; Flask brings"
        " Werkzeug's password hashing and a signed session"
        " cookie, and the rest is written by hand: the checks of Django's sign-up form in its"
        " wording, `g.user` loaded before each request, `login_required`, a `safe_next()` for"
        " after logging in, a dummy hash so that an unknown name takes as long to refuse as a"
        " wrong password, and a per-user token that logging out changes, since the server"
        " cannot take back a signed cookie.",
        "views": "The same view names, each todo view behind `@login_required` and touching only"
        " the user's todos: Flask runs SQL with `?` placeholders and `user_id = ?`, checks its own"
        " CSRF token and calls `flash()`; Django goes through `request.user.todo_set` and"
        " `get_object_or_404()`, gets CSRF from its middleware, calls `messages.success()`, and"
        " restricts methods with decorators such as `@require_POST`. `robots_txt` needs no login:"
        " a string and its Content-Type in Flask, an `HttpResponse` in Django.",
        "routes": "Flask's routes are the `@app.get`, `@app.post` and `@app.route` decorators on"
        " the views; Django names every path in `urlpatterns`, including its own login and"
        " logout views, the admin, and a route that serves the admin's CSS and JavaScript in"
        " every mode.",
        "entry-point": "As in the personal website: Flask suggests another port when its own is"
        " taken, Django's `runserver` reloads on changes only in debug mode.",
        "signup.html": "The same form and help texts (Django's adds that a common password will"
        " not do: Flask has no list of them); the typed name and each field's errors come from"
        " the view's `username` and `errors` (Flask) or from the `UserCreationForm` (Django).",
        "login.html": "The same form, with a hidden field or `{% csrf_token %}` and addresses from"
        " `url_for()` or `{% url %}`; Flask's view hands it the typed `username` and one `error`,"
        " Django's `LoginView` a `form`, whose refusal is a non-field error.",
        "todo_list.html": "Who is logged in is `g.user` in Flask, `user` in Django; Flask reads"
        " `get_flashed_messages()` and writes the CSRF token into a hidden field itself, Django"
        " has `messages` and `{% csrf_token %}`; the error comes from the view's `error` or the"
        " form's `form.title.errors`, the plural from an `if` expression or the `pluralize`"
        " filter.",
        "todo_edit.html": "The same form: a hidden field or `{% csrf_token %}`, the address from"
        " `url_for('edit', todo_id=todo.id)` or `{% url 'edit' todo.id %}`, and the typed title"
        " and its error from the view (Flask) or from the form (Django).",
        "400.html": "Only the layout it extends differs.",
        "503.html": "The layout it extends and the link back to the list, `url_for('home')` or"
        " `{% url 'home' %}`.",
        "403.html": "As 503.html: the layout it extends and the link back to the list.",
    },
}

STYLESHEET = (
    "One file for both frameworks: each `base.html` includes it inline with"
    ' `{% include "style.css" %}`, a tag Jinja and Django share, so no page loads anything else.'
)

# Blocks that do the same job under different names, (Flask's name, Django's), within a
# section: each pair is shown in one row. Blocks of the same name pair by themselves, unless
# the name is in this table.
COUNTERPARTS = {
    "hello": [("app", "settings.configure()")],
    "site": [
        ("app.config.update()", "SETTINGS"),
        ("app.config.update()", "SETTINGS.update()"),
        ("set_security_headers", "content_security_policy"),
    ],
    "todo": [
        ("app.config.update()", "SETTINGS"),
        ("app.config.update()", "SETTINGS.update()"),
        ("set_security_headers", "content_security_policy"),
        ("database_busy", "DatabaseBusy"),
        ("SCHEMA", "Todo"),
        ("validate_title", "TodoForm"),
        ("unreadable", "readable"),
        ("log_in", "login"),
        ("signup_errors", "UserCreationForm"),
        ("password_problems", "UserCreationForm"),
        ("login", "LoginView"),
        ("logout", "LogoutView"),
    ],
}

# A block with no twin: the sentence shown beside it, in the other framework's column, on where
# that framework does the block's job (or that it needs nothing there); by the block's name,
# under the side the block is on.
ALONE = {
    "hello": {
        "django": {
            "DEBUG": "`app.run(debug=...)` in the [Entry point](#hello-entry-point); a"
            " WSGI server never runs it, so debug is off there.",
            "urlpatterns": 'The `@app.route("/")` line on the view, in [Views](#hello-views).',
            "django_application": "`app` itself is the WSGI application a server imports.",
            "application": "Nothing to do: Werkzeug answers 400 to a request it cannot read.",
        },
    },
    "site": {
        "flask": {
            "FLASK_DEBUG": "Nothing to do: `DEBUG` alone decides, however the app is started.",
            "host_names_as_django_reads_them": "Nothing to do: Django reads a host name in any"
            " case, a dot at its end aside, before it checks `ALLOWED_HOSTS`.",
            "app.wsgi_app": "Nothing to do (as above).",
            "check_host": "`ALLOWED_HOSTS` in the settings beside (and"
            " `CommonMiddleware`) answer 400 to any other host.",
            "redirect_to_https": "`SECURE_SSL_REDIRECT` in the settings above, done by"
            " `SecurityMiddleware`.",
        },
        "django": {
            "Request": "Nothing to do: Werkzeug builds a request whatever its Content-Type"
            " names; `refuse_unreadable`, below, refuses the charsets Django cannot read.",
            "settings.configure()": "Nothing to do; `app` took its settings as it was"
            " made, in [Configuration](#site-configuration).",
            "urlpatterns": "The `@app.route`, `@app.get` and `@app.errorhandler(404)` lines on"
            " the views, in [Views](#site-views).",
            "application": "`app` itself is the WSGI application a server imports.",
        },
    },
    "todo": {
        "flask": {
            "AsciiIntegerConverter": "Nothing to do; its `<int:>` path converter takes"
            " ASCII digits only.",
            "app.url_map.converters['int']": "Nothing to do (as above).",
            "host_names_as_django_reads_them": "Nothing to do: Django reads a host name in any"
            " case, a dot at its end aside, before it checks `ALLOWED_HOSTS`.",
            "app.wsgi_app": "Nothing to do (as above).",
            "check_host": "`ALLOWED_HOSTS` in the settings above answers 400 to any other host.",
            "redirect_to_https": "`SECURE_SSL_REDIRECT` in the settings above, done by"
            " `SecurityMiddleware`.",
            "FLASK_DEBUG": "Nothing to do: `DEBUG` alone decides, however the app is started.",
            "create_tables": "`create_tables()` is in [Production](#todo-production): Django's"
            " `migrate`, retried while the database starts, after a check for a database from"
            " before accounts.",
            "get_db": "The ORM opens a connection when a query needs one;"
            " `CONN_MAX_AGE` (in [Production](#todo-production)) says how long it lives.",
            "close_db": "Closes or keeps its connections itself at the end of each request.",
            "get_todo": "`get_object_or_404(request.user.todo_set, id=todo_id)`, in each view.",
            "USERNAME": "The `User` model's `username` field, the validators in"
            " `AUTH_PASSWORD_VALIDATORS` ([Configuration](#todo-configuration)) and the"
            " messages of its forms.",
            "dummy_password_hash": "`authenticate()`, inside `LoginView`, runs the"
            " hasher once for an unknown name too.",
            "load_logged_in_user": "`AuthenticationMiddleware` in `MIDDLEWARE`"
            " ([Configuration](#todo-configuration)) gives each request its `request.user`.",
            "safe_next": "`LoginView` checks `next` with `url_has_allowed_host_and_scheme()`.",
            "check_csrf_token": "`CsrfViewMiddleware` in `MIDDLEWARE`"
            " ([Configuration](#todo-configuration)) checks every POST.",
            "csrf_token": "`{% csrf_token %}` in the templates writes the hidden field.",
        },
        "django": {
            "Request": "Nothing to do: Werkzeug builds a request whatever its Content-Type"
            " names; `refuse_unreadable`, below, refuses the charsets Django cannot read.",
            "handler400": "`@app.errorhandler(400)` on `bad_request`, beside.",
            "sys.modules.setdefault()": "Nothing to do; an app needs no name to be found by.",
            "TodoConfig": "Nothing to do; there are no apps to install.",
            "settings.configure()": "Nothing to do; `app` took its settings as it was"
            " made, in [Configuration](#todo-configuration).",
            "admin_static": "No admin, so no admin files to serve; Flask serves `static/` itself.",
            "list_is_full": "`add`, in [Views](#todo-views), counts after `BEGIN IMMEDIATE`,"
            " which locks the whole SQLite file until the todo is stored.",
            "TodoAdminForm": "No admin, so `add` is the only way a todo comes in.",
            "GuardedAdmin": "No admin, so nothing to hold to the app's rules.",
            "TodoAdmin": "No admin; one would come from an extension such as Flask-Admin.",
            "todo_columns": "`prepare()`, above, reads the columns with `PRAGMA table_info`.",
            "SETTINGS['MIGRATION_MODULES']": "Nothing to do: Flask has no migrations; `SCHEMA`"
            " makes the tables.",
            "create_tables": "`create_tables()` is in [Data](#todo-data): one"
            " `executescript(SCHEMA)`; `prepare()`, above, refuses a database from before"
            " accounts.",
            "urlpatterns": "The `@app.get`, `@app.post` and `@app.route` lines on the"
            " views, in [Accounts](#todo-accounts) and [Views](#todo-views).",
            "application": "`app` itself is the WSGI application a server imports.",
        },
    },
}
