"""The tables and the chart of benchmarks/run.py, made from the numbers it measured."""

import statistics
from xml.sax.saxutils import escape

from helpers import FRAMEWORKS  # tests/helpers.py: run.py puts tests/ on the import path

PG_APP = "todo_django_pg"  # todo_django.py with its todos in PostgreSQL, when measured
NAMES = {"raw_wsgi": "raw WSGI", PG_APP: "todo_django on PostgreSQL"}
COLORS = {"flask": "#2b6cb0", "django": "#0c6b43", PG_APP: "#b7791f"}
LOAD_COLUMNS = ["app", "request", "requests/s", "× raw WSGI", "× its hello", "median ms"]
LOAD_COLUMNS += ["p95 ms", "CPU ms"]
SIZE_COLUMNS = ["script", "cold start", "peak RSS, server", "peak RSS, one worker"]
SIZE_COLUMNS += ["lines of code", "all lines"]
LOGIN_COLUMNS = ["app", "password hash, as stored", "CPU ms per log-in", "log-ins/s, one CPU"]
LOGIN_COLUMNS += ["peak RSS, one worker"]

MARKDOWN = """\
# Benchmark: Flask and Django, side by side

{stamp}. Written by `python benchmarks/run.py`; do not edit it, run that again.

![Throughput of each app and page as a ratio to a bare WSGI function](benchmark.svg)

## Flask beside Django

{summary}

## Targets: {met} of {count} met

Measured: the ratio of requests per second, by which a target is met or not. From CPU time:
the same ratio from the CPU time the server's workers spent per answer (the reference's ÷
this one's), which what else runs on the machine disturbs far less; the cost per row is
measured in CPU time only.

{targets}

## Throughput and latency

gunicorn with 2 sync workers (`python -m gunicorn -w 2`), loaded by `wrk -t1 -c{connections}` on
the same machine, so wrk and the workers share its {cpus} CPUs. After a warm-up round (1 s
each), every request is loaded in turn for {seconds} s, in {rounds} rounds, so that a slow
spell of a shared machine spreads over all of them: requests/s is every answer over every
second, latency the median of the rounds' median and 95th percentile. The ratios are the
headline; the raw numbers move with the machine. Raw WSGI is a bare function,
`benchmarks/raw_wsgi.py`, served the same way: {raw:,.0f} requests/s. CPU ms: the CPU time of
the two workers per answer; unlike requests/s, it hardly depends on what else the machine is
doing.

The To Do list is loaded as a logged-in user: run.py signs one user up through each app's own
sign-up form (which logs them in), and wrk then sends the cookies a browser would (Flask: its
`session`; Django: `sessionid` and `csrftoken`), the user's todos written into the database
before each load. `/login` is a first visit to the login page, with no cookies. `POST /add`
is sent as that user too, with a valid title and the CSRF token of that session (taken after
signing up, since logging in changes it), and every answer measured is a real add: a todo
stored, then a 303. A list holds at most {full} todos (one more
add is refused with 400 and stores nothing; run.py checks that first), and wrk sends
thousands of adds, so during this load run.py counts the todos every {janitor_ms} ms and deletes
them all once there are {empty_at} or more, straight in the database and from its own process
(not in the workers' CPU time). The run stops if wrk counts a single answer other than 2xx or 3xx (a
refused add, 400, among them), or if the todos stored are not one per 303, give or take the
adds in flight when wrk stops. The most todos the list was seen to hold during these adds:
{add_list_most}.

{postgres_text}

{load}

## The To Do list page: a full list, cost per row, SQL queries

A full list, {full} todos (the most a list holds), is answered in a median of
{full_list}. The median is under the load above, so it includes the wait for a free worker
({connections} connections share 2 workers); CPU ms is the page's own work.

CPU ms per request, as above; cost per row = its slope from {size_a:,} to {size_c:,} todos.
It is linear when a row costs as much from {size_b:,} to {size_c:,} todos as from {size_a:,}
to {size_b:,} (were it to grow with the square of the rows, {square:.1f} times as much). SQL
queries behind one list page of a logged-in user (Flask: its `PRAGMA foreign_keys`, the user,
the todos, the counts; Django: the session, the user, the todos, the counts), counted as the
tests count them, on a database of their own: Flask's traced with sqlite3's trace callback and
its test client, Django's with `CaptureQueriesContext`.

{per_row}

## Logging in: what one log-in costs

The CPU time of one successful `POST /login` (the right name and password), measured as the CPU
time the two workers spent over {logins} log-ins sent one after the other (after
{logins_warm_up} not measured), divided by {logins}; not wall time, so what else runs on the
machine hardly changes it. Each log-in sends a login form of its own, fetched before as a
first visit and not counted. Nearly all of it is hashing the password, slow on purpose so that
a stolen database is slow to crack: Django's default hasher and Werkzeug's default method, the
hash's method and parameters as the app stored them (without the salt and the hash). A CPU
checks about 1,000 ÷ that many passwords a second, and neither framework limits log-in
attempts: a proxy in front should (nginx's `limit_req`, say). Peak RSS: of the largest
worker while it logs in, sampled every 5 ms. scrypt is slow in memory too (it fills 128 × N
× r bytes, 32 MiB for N = 32768, r = 8, for each hash); PBKDF2 needs none.

{logins_table}

## Cold start, memory, size

Cold start: from launching `python <script>.py` (with `DEBUG=0`) to its first answer on `/`,
the median of {runs} runs (min–max), the scripts taking turns, after one warm-up start each:
a 200, but for the To Do apps, which send a visitor who is not logged in to their login page,
that 302 (run.py then checks that the login page answers 200). The To Do apps' database
already exists, so this is import and serve, not creating tables.
hello_django is always in debug mode, so its `runserver` starts a second Python process for its
autoreloader; with `DEBUG=0` the other scripts start one process. Peak RSS, sampled every
0.25 s under the load above (not while signing up or logging in: see above): gunicorn's
master and both workers together, and the largest worker alone. Lines of code: lines
neither blank nor comments (docstrings count), then all lines.

{size_table}
"""

POSTGRES = """\
todo_django on PostgreSQL is the same todo_django.py with `DATABASE_URL` set, served and
loaded exactly as above, on {postgres} (psycopg {psycopg}): a server of run.py's own for this
run (tests/helpers.py's PostgresServer), on 127.0.0.1 of the same machine, so that it shares
the CPUs too, and with `fsync=on` (PostgreSQL's default): its commits wait for the disk,
as SQLite's do. Each worker keeps its connection from one request to the next.
With SQLite the database's work is done in the workers, so for this app CPU ms is the
workers' + the PostgreSQL server's (all its processes, but the one that serves run.py's
janitor), and the cost per row and the summary count both. Its peak RSS is gunicorn's alone,
not the PostgreSQL server's."""


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(map(str, row)) + " |" for row in rows])


def mib(size):
    return f"{size / 2**20:.0f} MiB"


class Report:
    """One run's numbers as ratios, targets, tables and a chart."""

    def __init__(self, results):
        self.results, self.about, self.rows = results, results["about"], results["load"]
        self.stamp, self.sizes = self.about["stamp"], self.about["sizes"]
        self.raw = self.rps("raw_wsgi")
        # Flask's To Do app, Django's, and Django's on PostgreSQL when it was measured.
        self.todo_apps = [f"todo_{fw}" for fw in FRAMEWORKS]
        self.todo_apps += [PG_APP] if self.about.get("postgres") else []

    def row(self, app, page="/"):
        return next(row for row in self.rows if (row["app"], row["page"]) == (app, page))

    def rps(self, app, page="/"):
        return self.row(app, page)["rps"]

    @staticmethod
    def cpu(row):
        """CPU ms per answer: the workers', and on PostgreSQL the database server's too."""
        return row["cpu_ms"] + (row.get("db_cpu_ms") or 0)

    def login(self, app):
        """CPU ms per log-in: the workers', and on PostgreSQL the database server's too."""
        return self.cpu(self.results["logins"][app])

    def per_row(self, app):
        """CPU ms per request at each size; CPU ms per row from the first size to the last;
        and the cost of a row from the middle size to the last over that from the first to
        the middle (about 1 when the cost is linear; (c + b) / (b + a) when it grows with the
        square: 5.5 for 10, 100 and 500 todos)."""
        (a, b, c), sizes = self.sizes, self.sizes
        t = [self.cpu(self.row(app, f"/ ({n:,} todos)")) for n in sizes]
        return t, (t[2] - t[0]) / (c - a), ((t[2] - t[1]) / (c - b)) / ((t[1] - t[0]) / (b - a))

    def cold(self, app):
        return statistics.median(self.results["cold"][app])

    def ratio(self, app, page, reference, goal):
        """A throughput target: (target, ratio, the same from CPU time, goal, met)."""
        ratio = self.rps(app, page) / self.rps(reference)
        cpu = self.cpu(self.row(reference)) / self.cpu(self.row(app, page))
        what = f"{app} `{page}` ÷ {name(reference)}"
        return what, f"{ratio:.2f}", f"{cpu:.2f}", f"≥ {goal:.2f}", ratio >= goal

    def targets(self):
        """(target, measured, from CPU time, goal, met) for each target the apps are held to."""
        out = [self.ratio(f"hello_{fw}", "/", "raw_wsgi", 0.70) for fw in FRAMEWORKS]
        for fw in FRAMEWORKS:
            for page in self.about["site_pages"][fw]:
                out.append(self.ratio(f"site_{fw}", page, f"hello_{fw}", 0.60))
        for fw, goal in [("flask", 0.55), ("django", 0.35)]:
            out.append(self.ratio(f"todo_{fw}", "/ (10 todos)", f"hello_{fw}", goal))
        a, b, c = self.sizes
        for fw in FRAMEWORKS:
            _, slope, growth = self.per_row(f"todo_{fw}")
            what = (
                f"todo_{fw} list, cost per row linear: a row from {b:,} to {c:,} ÷ {a:,} to {b:,}"
            )
            measured = f"{growth:.2f} ({slope * 1000:.0f} µs per row)"
            out.append((what, "", measured, "0.5–2 (1: linear)", 0.5 <= growth <= 2))
        for fw in FRAMEWORKS:
            queries = self.results["queries"][f"todo_{fw}"]
            measured = " and ".join(f"{q} for {n:,} todos" for n, q in queries.items())
            what = f"todo_{fw} list, SQL queries constant"
            out.append((what, measured, "", "equal", len(set(queries.values())) == 1))
        for fw in FRAMEWORKS:
            ratio = self.cold(f"todo_{fw}") / self.cold(f"hello_{fw}")
            what = f"cold start, todo_{fw} ÷ hello_{fw}"
            out.append((what, f"{ratio:.2f}", "", "≤ 1.50", ratio <= 1.50))
        return out

    def postgres_text(self):
        """What the report says of PostgreSQL: how it was measured, or why it was not."""
        if not self.about.get("postgres"):
            return f"PostgreSQL was not measured: {self.about['no_postgres']}."
        return POSTGRES.format(**self.about)

    def markdown(self):
        targets = self.targets()
        load = []
        for row in self.rows:
            app, hello = row["app"], f"hello_{row['app'].split('_')[1]}"
            of_hello = (
                "" if app in ("raw_wsgi", hello) else ratio_text(row["rps"] / self.rps(hello))
            )
            cpu = f"{row['cpu_ms']:.2f}"
            if row.get("db_cpu_ms") is not None:
                cpu += f" + {row['db_cpu_ms']:.2f}"
            load.append(
                (name(app), f"`{row['page']}`", rps_text(row["rps"]))
                + (ratio_text(row["rps"] / self.raw), of_hello)
                + (f"{row['p50_ms']:.1f}", f"{row['p95_ms']:.1f}", cpu)
            )
        per_row = []
        for app in self.todo_apps:
            times, slope, _ = self.per_row(app)
            queries = self.results["queries"][app].values()
            per_row.append([name(app), *(f"{t:.2f}" for t in times), f"{slope * 1000:.0f} µs"])
            per_row[-1] += queries
        sizes = []
        for app in ["raw_wsgi", *self.results["cold"]]:
            total, worker = self.results["memory"][app]
            if app == "raw_wsgi":
                sizes.append(["raw WSGI", "", mib(total), mib(worker), "", ""])
                continue
            times = self.results["cold"][app]
            cold = f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"
            lines = self.results["lines"][script(app)] if app != PG_APP else ("", "")
            sizes.append([name(app), cold, mib(total), mib(worker), *lines])
        logins = []
        for app in self.todo_apps:
            login = self.results["logins"][app]
            cpu = f"{login['cpu_ms']:.1f}"
            if login.get("db_cpu_ms") is not None:
                cpu += f" + {login['db_cpu_ms']:.1f}"
            per_second = f"{1000 / self.login(app):,.1f}"
            logins.append(
                [name(app), f"`{login['hasher']}`", cpu, per_second, mib(login["worker"])]
            )
        (a, b, c), full = self.sizes, self.about["full"]
        full_list = [(app, self.row(app, f"/ ({full:,} todos)")) for app in self.todo_apps]
        full_list = [
            f"{row['p50_ms']:.1f} ms ({self.cpu(row):.1f} CPU ms) in {name(app)}"
            for app, row in full_list
        ]
        add_list_most = [f"{n:,} ({name(app)})" for app, n in self.add_list_most().items()]
        return MARKDOWN.format(
            **self.about,
            full_list=and_list(full_list),
            add_list_most=and_list(add_list_most),
            postgres_text=self.postgres_text(),
            size_a=a,
            size_b=b,
            size_c=c,
            square=(c + b) / (b + a),
            summary=self.summary(),
            met=sum(target[-1] for target in targets),
            count=len(targets),
            targets=table(
                ["target", "measured", "from CPU time", "goal", "met"],
                [(*target[:-1], "✓" if target[-1] else "✗") for target in targets],
            ),
            raw=self.raw,
            load=table(
                LOAD_COLUMNS,
                load,
            ),
            per_row=table(
                ["app", f"CPU ms per request, {a:,} todos", *(f"{n:,} todos" for n in (b, c))]
                + ["cost per row", f"SQL queries, {a:,} todos", f"{c:,} todos"],
                per_row,
            ),
            size_table=table(
                SIZE_COLUMNS,
                sizes,
            ),
            logins_table=table(
                LOGIN_COLUMNS,
                logins,
            ),
        )

    def add_list_most(self):
        """The most todos the list held while wrk loaded POST /add, by To Do app."""
        return {app: self.results["add_list_most"][app] for app in self.todo_apps}

    def summary(self):
        """Flask beside Django (and Django on PostgreSQL), the table for README.md."""
        few, full = self.sizes[0], self.about["full"]

        def rps(page="/", stage="todo"):
            def cell(app):
                if stage != "todo":  # the same page in the To Do app's framework
                    if app == PG_APP:
                        return "—"
                    app = f"{stage}_{app.split('_')[1]}"
                value = self.rps(app, page)
                return f"{rps_text(value)} ({ratio_text(value / self.raw)})"

            return cell

        def full_page(app):
            row = self.row(app, f"/ ({full:,} todos)")
            return f"{row['p50_ms']:.1f} ms ({self.cpu(row):.1f} ms CPU)"

        rows = {
            "Hello World: requests/s (× raw WSGI)": rps(stage="hello"),
            "Site, home page": rps(stage="site"),
            f"To Do list, {few:,} todos": rps(f"/ ({few:,} todos)"),
            f"To Do list, {full:,} todos (the most a list holds)": rps(f"/ ({full:,} todos)"),
            "… time of one such page: median under load (CPU)": full_page,
            "Add a todo (POST)": rps("POST /add"),
            "Login page, first visit": rps("/login"),
            f"CPU time per To Do list page, {few:,} todos": lambda app: (
                f"{self.per_row(app)[0][0]:.1f} ms"
            ),
            "… and per row": lambda app: f"{self.per_row(app)[1] * 1000:.0f} µs",
            "CPU time per log-in (password hashing)": lambda app: f"{self.login(app):.0f} ms",
            "SQL queries per list page": lambda app: self.results["queries"][app][full],
            "Cold start, `python todo_*.py`": lambda app: f"{self.cold(app):.2f} s",
            "Memory, one To Do worker": lambda app: mib(self.results["memory"][app][1]),
            "Lines of code, To Do": lambda app: (
                "—" if app == PG_APP else self.results["lines"][app][0]
            ),
        }
        header = ["", "Flask", "Django", "Django on PostgreSQL"][: len(self.todo_apps) + 1]
        return table(header, [[k, *map(f, self.todo_apps)] for k, f in rows.items()])

    def readme(self):
        """The summary, the date and versions, and a link to every number."""
        targets = self.targets()
        met = f"{sum(target[-1] for target in targets)} of {len(targets)}"
        if self.about.get("postgres"):
            postgres = (
                " Django on PostgreSQL: the same todo_django.py on a PostgreSQL server on the"
                " same machine; its CPU times include the database server's."
            )
        else:
            postgres = f" PostgreSQL was not measured: {self.about['no_postgres']}."
        return (
            f"{self.summary()}\n\n{self.stamp}. Targets met: {met}. The To Do list and adds:"
            f" as a logged-in user.{postgres} Every number: [docs/benchmark.md](docs/benchmark.md)."
        )

    def svg(self):
        """Horizontal bars, Flask above Django (above Django on PostgreSQL): throughput as a
        ratio to raw WSGI."""
        groups = {}  # the chart's rows: the same page in each app, in the order measured
        for row in self.rows:
            if row["app"] != "raw_wsgi":
                groups.setdefault(chart_label(row["app"], row["page"]), []).append(row)
        left, width, bar, top = 170, 480, 18, 104
        scale = width / max(1.0, *(row["rps"] / self.raw for row in self.rows))
        height = top + sum(8 + bar * len(rows) for rows in groups.values()) + 30
        stamp = self.stamp.split(" · ")
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="820" height="{height}"'
            ' font-family="system-ui, sans-serif" font-size="13">',
            '<rect width="100%" height="100%" fill="#fff"/>',
            '<text x="12" y="24" font-size="16" font-weight="bold">Requests per second, as a'
            " ratio to a bare WSGI function (longer is faster)</text>",
            f'<text x="12" y="46" fill="#555">{escape(" · ".join(stamp[:4]))}</text>',
            f'<text x="12" y="64" fill="#555">{escape(" · ".join(stamp[4:]))}'
            " · gunicorn, 2 sync workers</text>",
        ]
        legend = [*FRAMEWORKS, PG_APP][: len(self.todo_apps)]
        for i, key in enumerate(legend):
            x, label = 12 + 80 * i, "Django on PostgreSQL" if key == PG_APP else key.title()
            out.append(f'<rect x="{x}" y="76" width="12" height="12" fill="{COLORS[key]}"/>')
            out.append(f'<text x="{x + 18}" y="87">{label}</text>')
        y = top
        for label, rows in groups.items():
            label_y = y + 4 + bar * len(rows) / 2 + 5
            out.append(
                f'<text x="{left - 10}" y="{label_y:.0f}" text-anchor="end">{escape(label)}</text>'
            )
            for j, row in enumerate(rows):
                ratio, bar_y = row["rps"] / self.raw, y + 4 + bar * j
                color = COLORS.get(row["app"]) or COLORS[row["app"].split("_")[1]]
                out.append(
                    f'<rect x="{left}" y="{bar_y}" width="{max(ratio * scale, 1):.1f}"'
                    f' height="16" fill="{color}"/>'
                )
                out.append(
                    f'<text x="{left + ratio * scale + 6:.1f}" y="{bar_y + 13}" font-size="12">'
                    f"{ratio_text(ratio)} · {rps_text(row['rps'])}/s</text>"
                )
            y += 8 + bar * len(rows)
        x = left + scale
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 26}" stroke="#888"'
            ' stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" fill="#555">raw WSGI = 1'
            f" ({self.raw:,.0f}/s)</text>"
        )
        return "\n".join([*out, "</svg>", ""])


def chart_label(app, page):
    """The name of a row of the chart, the same for Flask's page and Django's."""
    stage = app.split("_")[0]
    if stage == "hello":
        return "Hello World"
    if stage == "site":
        return "Site, home page" if page == "/" else "Site, about page"
    if page == "/login":
        return "To Do, login page"
    return "To Do, add (POST)" if page.startswith("POST") else f"To Do list, {page[3:-1]}"


def ratio_text(ratio):
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.3f}"


def rps_text(rps):
    return f"{rps:,.0f}" if rps >= 10 else f"{rps:.1f}"


def name(app):
    """An app as the tables name it: "raw WSGI", "todo_flask", "todo_django on PostgreSQL"."""
    return NAMES.get(app, app)


def script(app):
    """The script behind an app: todo_django for PG_APP."""
    return app.removesuffix("_pg")


def and_list(items):
    """ "a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)
