"""The tables and the chart of benchmarks/run.py, made from the numbers it measured."""

import statistics
from xml.sax.saxutils import escape

from helpers import FRAMEWORKS  # tests/helpers.py: run.py puts tests/ on the import path

LOAD_COLUMNS = ["app", "request", "requests/s", "× raw WSGI", "× its hello", "median ms"]
LOAD_COLUMNS += ["p95 ms", "CPU ms"]
SIZE_COLUMNS = ["script", "cold start", "peak RSS, server", "peak RSS, one worker"]
SIZE_COLUMNS += ["lines of code", "all lines"]

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

The To Do list is loaded as a first-time visitor (no cookies), its todos written into SQLite
before each load. `POST /add` sends a valid title, CSRF token and cookie, and every answer
measured is a real add: a todo stored, then a 303. A list holds at most {full} todos (one more
add is refused with 400 and stores nothing; run.py checks that first), and wrk sends
thousands of adds, so during this load run.py counts the todos every {janitor_ms} ms and deletes
them all once there are {empty_at} or more, straight in SQLite and from its own process (not in
the workers' CPU time). The run stops if wrk counts a single answer other than 2xx or 3xx (a
refused add, 400, among them), or if the todos stored are not one per 303, give or take the
adds in flight when wrk stops. The most todos the list was seen to hold during these adds:
{add_list_most}.

{load}

## The To Do list page: a full list, cost per row, SQL queries

A full list, {full} todos (the most a list holds), is answered in a median of
{full_list}. The median is under the load above, so it includes the wait for a free worker
({connections} connections share 2 workers); CPU ms is the page's own work.

CPU ms per request, as above; cost per row = its slope from {size_a:,} to {size_c:,} todos.
It is linear when a row costs as much from {size_b:,} to {size_c:,} todos as from {size_a:,}
to {size_b:,} (were it to grow with the square of the rows, {square:.1f} times as much). SQL
queries behind one page for a first-time visitor: Flask's traced with sqlite3's trace callback
and its test client, Django's with `CaptureQueriesContext`.

{per_row}

## Cold start, memory, size

Cold start: from launching `python <script>.py` (with `DEBUG=0`) to its first 200 on `/`, the
median of {runs} runs (min–max), the scripts taking turns, after one warm-up start each. The To
Do apps' database already exists, so this is import and serve, not creating tables.
hello_django is always in debug mode, so its `runserver` starts a second Python process for its
autoreloader; with `DEBUG=0` the other scripts start one process. Peak RSS, sampled every
0.25 s under the load above: gunicorn's master and both workers together, and the largest
worker alone. Lines of code: lines neither blank nor comments (docstrings count), then all
lines.

{size_table}
"""


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

    def row(self, app, page="/"):
        return next(row for row in self.rows if (row["app"], row["page"]) == (app, page))

    def rps(self, app, page="/"):
        return self.row(app, page)["rps"]

    def per_row(self, framework):
        """CPU ms per request at each size; CPU ms per row from the first size to the last;
        and the cost of a row from the middle size to the last over that from the first to
        the middle (about 1 when the cost is linear; (c + b) / (b + a) when it grows with the
        square: 5.5 for 10, 100 and 500 todos)."""
        (a, b, c), sizes = self.sizes, self.sizes
        t = [self.row(f"todo_{framework}", f"/ ({n:,} todos)")["cpu_ms"] for n in sizes]
        return t, (t[2] - t[0]) / (c - a), ((t[2] - t[1]) / (c - b)) / ((t[1] - t[0]) / (b - a))

    def cold(self, script):
        return statistics.median(self.results["cold"][script])

    def ratio(self, app, page, reference, goal):
        """A throughput target: (target, ratio, the same from CPU time, goal, met)."""
        ratio = self.rps(app, page) / self.rps(reference)
        cpu = self.row(reference)["cpu_ms"] / self.row(app, page)["cpu_ms"]
        what = f"{app} `{page}` ÷ {reference.replace('raw_wsgi', 'raw WSGI')}"
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
            _, slope, growth = self.per_row(fw)
            what = (
                f"todo_{fw} list, cost per row linear: a row from {b:,} to {c:,} ÷ {a:,} to {b:,}"
            )
            measured = f"{growth:.2f} ({slope * 1000:.0f} µs per row)"
            out.append((what, "", measured, "0.5–2 (1: linear)", 0.5 <= growth <= 2))
        for fw in FRAMEWORKS:
            queries = self.results["queries"][fw]
            measured = " and ".join(f"{q} for {n:,} todos" for n, q in queries.items())
            what = f"todo_{fw} list, SQL queries constant"
            out.append((what, measured, "", "equal", len(set(queries.values())) == 1))
        for fw in FRAMEWORKS:
            ratio = self.cold(f"todo_{fw}") / self.cold(f"hello_{fw}")
            what = f"cold start, todo_{fw} ÷ hello_{fw}"
            out.append((what, f"{ratio:.2f}", "", "≤ 1.50", ratio <= 1.50))
        return out

    def markdown(self):
        targets = self.targets()
        load = []
        for row in self.rows:
            app, hello = row["app"], f"hello_{row['app'].split('_')[-1]}"
            of_hello = (
                "" if app in ("raw_wsgi", hello) else ratio_text(row["rps"] / self.rps(hello))
            )
            load.append(
                (app.replace("raw_wsgi", "raw WSGI"), f"`{row['page']}`", rps_text(row["rps"]))
                + (ratio_text(row["rps"] / self.raw), of_hello)
                + (f"{row['p50_ms']:.1f}", f"{row['p95_ms']:.1f}", f"{row['cpu_ms']:.2f}")
            )
        per_row = []
        for fw in FRAMEWORKS:
            times, slope, _ = self.per_row(fw)
            queries = self.results["queries"][fw].values()
            per_row.append([f"todo_{fw}", *(f"{t:.2f}" for t in times), f"{slope * 1000:.0f} µs"])
            per_row[-1] += queries
        sizes = []
        for script in ["raw_wsgi", *self.results["cold"]]:
            total, worker = self.results["memory"][script]
            if script == "raw_wsgi":
                sizes.append(["raw WSGI", "", mib(total), mib(worker), "", ""])
                continue
            times = self.results["cold"][script]
            cold = f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"
            sizes.append([script, cold, mib(total), mib(worker), *self.results["lines"][script]])
        (a, b, c), full = self.sizes, self.about["full"]
        full_list = [self.row(f"todo_{fw}", f"/ ({full:,} todos)") for fw in FRAMEWORKS]
        full_list = [f"{row['p50_ms']:.1f} ms ({row['cpu_ms']:.1f} CPU ms)" for row in full_list]
        add_list_most = [f"{n:,} (todo_{fw})" for fw, n in self.add_list_most().items()]
        return MARKDOWN.format(
            **self.about,
            full_list=" in todo_flask and ".join(full_list) + " in todo_django",
            add_list_most=" and ".join(add_list_most),
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
        )

    def add_list_most(self):
        """The most todos the list held while wrk loaded POST /add, by framework."""
        return {fw: self.results["add_list_most"][f"todo_{fw}"] for fw in FRAMEWORKS}

    def summary(self):
        """Flask beside Django, the table for README.md."""
        full = self.about["full"]

        def full_page(fw):
            row = self.row(f"todo_{fw}", f"/ ({full:,} todos)")
            return f"{row['p50_ms']:.1f} ms ({row['cpu_ms']:.1f} ms CPU)"

        def rps(app, page="/"):
            def cell(fw):
                value = self.rps(app + fw, page)
                return f"{rps_text(value)} ({ratio_text(value / self.raw)})"

            return cell

        rows = {
            "Hello World: requests/s (× raw WSGI)": rps("hello_"),
            "Site, home page": rps("site_"),
            f"To Do list, {self.sizes[0]:,} todos": rps("todo_", f"/ ({self.sizes[0]:,} todos)"),
            f"To Do list, {full:,} todos (the most a list holds)": rps(
                "todo_", f"/ ({full:,} todos)"
            ),
            "… time of one such page: median under load (CPU)": full_page,
            "Add a todo (POST)": rps("todo_", "POST /add"),
            f"CPU time per To Do list page, {self.sizes[0]:,} todos": lambda fw: (
                f"{self.per_row(fw)[0][0]:.1f} ms"
            ),
            "… and per row": lambda fw: f"{self.per_row(fw)[1] * 1000:.0f} µs",
            "SQL queries per list page": lambda fw: self.results["queries"][fw][self.sizes[-1]],
            "Cold start, `python todo_*.py`": lambda fw: f"{self.cold('todo_' + fw):.2f} s",
            "Memory, one To Do worker": lambda fw: mib(self.results["memory"]["todo_" + fw][1]),
            "Lines of code, To Do": lambda fw: self.results["lines"]["todo_" + fw][0],
        }
        return table(
            ["", "Flask", "Django"], [[k, f("flask"), f("django")] for k, f in rows.items()]
        )

    def readme(self):
        """The summary, the date and versions, and a link to every number."""
        targets = self.targets()
        met = f"{sum(target[-1] for target in targets)} of {len(targets)}"
        return (
            f"{self.summary()}\n\n{self.stamp}. Targets met: {met}. Every number:"
            " [docs/benchmark.md](docs/benchmark.md)."
        )

    def svg(self):
        """Horizontal bars, Flask above Django: throughput as a ratio to raw WSGI."""
        by_framework = [[r for r in self.rows if r["app"].endswith(fw)] for fw in FRAMEWORKS]
        pairs = list(zip(*by_framework, strict=True))
        colors = {"flask": "#2b6cb0", "django": "#0c6b43"}
        left, width, step, top = 170, 480, 44, 104
        scale = width / max(1.0, *(row["rps"] / self.raw for pair in pairs for row in pair))
        height = top + step * len(pairs) + 30
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
        for i, fw in enumerate(FRAMEWORKS):
            x = 12 + 80 * i
            out.append(f'<rect x="{x}" y="76" width="12" height="12" fill="{colors[fw]}"/>')
            out.append(f'<text x="{x + 18}" y="87">{fw.title()}</text>')
        for i, pair in enumerate(pairs):
            y = top + i * step
            label = escape(chart_label(*pair[0]["app"].split("_"), pair[0]["page"]))
            out.append(f'<text x="{left - 10}" y="{y + 23}" text-anchor="end">{label}</text>')
            for j, row in enumerate(pair):
                ratio, fw, bar_y = row["rps"] / self.raw, FRAMEWORKS[j], y + 4 + 18 * j
                out.append(
                    f'<rect x="{left}" y="{bar_y}" width="{max(ratio * scale, 1):.1f}"'
                    f' height="16" fill="{colors[fw]}"/>'
                )
                out.append(
                    f'<text x="{left + ratio * scale + 6:.1f}" y="{bar_y + 13}" font-size="12">'
                    f"{ratio_text(ratio)} · {rps_text(row['rps'])}/s</text>"
                )
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


def chart_label(stage, framework, page):
    """The name of a row of the chart, the same for Flask's page and Django's."""
    if stage == "hello":
        return "Hello World"
    if stage == "site":
        return "Site, home page" if page == "/" else "Site, about page"
    return "To Do, add (POST)" if page.startswith("POST") else f"To Do list, {page[3:-1]}"


def ratio_text(ratio):
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.3f}"


def rps_text(rps):
    return f"{rps:,.0f}" if rps >= 10 else f"{rps:.1f}"
