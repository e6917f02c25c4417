"""Write docs/side-by-side.html: each stage's Flask and Django scripts side by side; and the
table of their lines per section in README.md.

    python docs/side_by_side.py           write the page and the table
    python docs/side_by_side.py --check   fail when either differs from a fresh one

The page is made from the files themselves. A script's sections are its PEP 723 block, its
docstring, its imports, then its banners (`# Views ----...`) in the order of DESIGN.md's
anatomy. Within a section each script is cut into its top-level blocks (a function or class
with its decorators and the comment above it, an import, a run of adjacent statements), and
the blocks that do the same job share a row: by name, or as side_by_side_notes.py's
COUNTERPARTS pairs them. A block with no twin has a row of its own, beside the notes' ALONE
sentence on where the other framework does its job. A script that strays from the anatomy, a
section without its sentence, a block with neither a twin nor a sentence, or twins in a
different order on the two sides, stop the generator with a message naming the file and the
section. Needs Pygments, a dev requirement: the apps never import this.
"""

import argparse
import ast
import difflib
import html
import re
import runpy
import sys
from functools import partial
from itertools import takewhile
from pathlib import Path

import pygments
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import CssLexer, HtmlDjangoLexer, PythonLexer

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "side-by-side.html"
PRODUCTION = "Production (skip it on a first read)"
STAGES = [  # (id, title, banners in order); the scripts are <id>_flask.py and <id>_django.py
    ("hello", "Hello World", ["Configuration", "Views", "Routes", "Entry point"]),
    ("site", "Personal website", ["Configuration", PRODUCTION, "Views", "Routes", "Entry point"]),
    (
        "todo",
        "To Do",
        ["Configuration", PRODUCTION, "Data", "Accounts", "Views", "Routes", "Entry point"],
    ),
]
BANNER = re.compile(r"# (\S.*?) -+")
TEMPLATE = re.compile(r"""["'](?:flask|django)/([\w.-]+\.html)["']""")
PYTHON, JINJA = PythonLexer(stripnl=False), HtmlDjangoLexer(stripnl=False)  # keep line numbers
LIGHT, DARK = "xcode", "github-dark"  # Pygments styles whose colours pass WCAG AA
CSS = """
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #57606a; --line: #d0d7de;
  --link: #0550ae; --mark: #fff8c5; --bar: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1;
  --line: #3d444d; --link: #71b7ff; --mark: #2c2512; --bar: #d29922; } }
* { box-sizing: border-box; } p, li { max-width: 75ch; } a { color: var(--link); }
:is(p, li) code { overflow-wrap: anywhere; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: clamp(1rem, 0.8rem + 0.5vw, 1.375rem)/1.5 system-ui, sans-serif; }
main { max-width: 124rem; margin: 0 auto; padding: 1rem clamp(0.5rem, 2vw, 2rem) 3rem; }
h2 { margin-top: 3rem; } :is(h2, h3, h4) a { color: inherit; text-decoration: none; }
:is(h2, h3, h4) a:hover { text-decoration: underline; } .meta { color: var(--muted); }
.toc ol ol { padding-left: 1.25rem; } .toc ol ol li { display: inline; }
.toc ol ol li:not(:last-child)::after { content: " · "; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.75rem 1.25rem;
  margin-bottom: 0.75rem; align-items: start; }
@media (min-width: 64rem) { .pair { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
figure { margin: 0; min-width: 0; } figcaption { font-weight: 600; margin-bottom: 0.25rem; }
.rows figcaption { font-size: 0.875em; font-weight: normal; color: var(--muted); }
.code { border: 1px solid var(--line); border-radius: 0.375rem; }
.elsewhere { margin: 0; padding: 0.5rem 0.75rem; border: 1px dashed var(--line);
  border-radius: 0.375rem; color: var(--muted); max-width: none; }
.elsewhere strong { color: var(--fg); }
.highlight { background: var(--bg); color: var(--fg); } .wide { max-width: 60rem; }
.highlight pre { margin: 0; padding: 0.5rem 0.75rem 0.5rem 0; white-space: break-spaces;
  overflow-wrap: anywhere; font: clamp(0.8125rem, 0.4rem + 0.45vw, 0.95rem)/1.45 ui-monospace,
  SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
/* A line that wraps goes on four columns in from its own indentation (on a phone, two
   columns in from at most four); only its first part has a number. */
.line { display: block; --hang: calc((min(var(--indent), 4) + 7) * 1ch);
  padding-left: var(--hang); text-indent: calc(-1 * var(--hang)); }
@media (min-width: 64rem) { .line { --hang: calc((var(--indent) + 9) * 1ch); } }
:root .highlight .linenos { display: inline-block; width: 5ch; padding-right: 1ch;
  text-align: right; text-indent: 0; color: var(--muted); user-select: none; }
:root .highlight .hll { background: var(--mark); box-shadow: inset 0.3rem 0 var(--bar); }
.counts { border-collapse: collapse; margin: 1rem 0; font-variant-numeric: tabular-nums; }
.counts caption { text-align: left; font-weight: 600; }
.counts :is(th, td) { padding: 0.125rem 0.75rem; border-bottom: 1px solid var(--line);
  text-align: right; } .counts th:first-child { text-align: left; font-weight: normal; }
.counts thead th { font-weight: 600; } .counts .total th, .counts .total td { font-weight: 600; }
"""


class AnatomyError(Exception):
    """A script or the notes do not follow the anatomy the page is built on."""


NAMED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class Block:
    """Lines `first` to `last` of a script: one top-level statement (a function or class with
    its decorators, an assignment, a call), or adjacent simple ones, with the comment above.
    `single`: a definition or an import, which no statement next to it joins."""

    def __init__(self, first, last, names, single=False):
        self.first, self.last, self.names, self.single = first, last, names, single

    def __repr__(self):
        return f"{'/'.join(self.names)} ({self.first}–{self.last})"


def names_of(node):
    """What a top-level statement defines or does, as the notes name it: `add`, `SETTINGS`,
    `app.config.update()`, `LoginView` (imported), `if HTTPS_ONLY`."""
    if isinstance(node, NAMED):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [alias.asname or alias.name for alias in node.names]
    if isinstance(node, ast.Assign):
        return [ast.unparse(target) for target in node.targets]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return [ast.unparse(node.target)]
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return [f"{ast.unparse(node.value.func)}()"]
    if isinstance(node, ast.If):
        return [f"if {ast.unparse(node.test)}"]
    return [ast.unparse(node).splitlines()[0]]


def blocks(body, lines, first, last):
    """The section from its banner (line `first`) to line `last`, as its opening (the banner
    and the comment paragraphs before any statement) and its top-level blocks, in order.
    A comment directly above a statement belongs to it; a paragraph of comments that stands
    alone belongs to the block after it."""
    found = []
    for node in body:
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        if not first < start <= last:
            continue
        single = isinstance(node, (*NAMED, ast.Import, ast.ImportFrom))
        joins = (
            found
            and not single
            and not found[-1].single
            and all(lines[n - 1].strip() for n in range(found[-1].last + 1, start))
        )
        if joins:
            found[-1].last, found[-1].names = node.end_lineno, [*found[-1].names, *names_of(node)]
            continue
        while start - 1 > first and lines[start - 2].startswith("#"):
            start -= 1  # the comment above it
        found.append(Block(start, node.end_lineno, names_of(node), single))
    # A paragraph of comments standing alone goes with the block after it; before the first
    # block, with the banner.
    for before, block in zip(found, found[1:], strict=False):
        gap = range(before.last + 1, block.first)
        comments = [n for n in gap if lines[n - 1].startswith("#")]
        block.first = comments[0] if comments else block.first
    if found:  # a comment after the last block, before the next banner
        found[-1].last = last
    opening_end = (found[0].first - 1) if found else last
    while not lines[opening_end - 1].strip():
        opening_end -= 1
    return Block(first, opening_end, []), found


def sections(path, banners):
    """The script's sections in order, as (name, first line, last line), counted from 1."""
    lines = path.read_text(encoding="utf-8").splitlines()

    def expect(what, after, found):
        raise AnatomyError(f'{path.name}: expected {what} after "{after}", found {found}')

    def line(n):
        return f"line {n}: {lines[n - 1]!r}"

    if lines[:1] != ["# /// script"] or "# ///" not in lines:
        raise AnatomyError(f'{path.name}: expected the PEP 723 block ("# /// script") on line 1')
    found = [("Metadata (PEP 723)", 1, lines.index("# ///") + 1)]
    body = ast.parse("\n".join(lines), path.name).body
    doc = body[0].value if body and isinstance(body[0], ast.Expr) else None
    if not (isinstance(doc, ast.Constant) and isinstance(doc.value, str)):
        expect("the module docstring", found[0][0], line(body[0].lineno) if body else "nothing")
    found.append(("Docstring", doc.lineno, doc.end_lineno))
    imports = list(takewhile(lambda node: isinstance(node, (ast.Import, ast.ImportFrom)), body[1:]))
    if not imports:
        expect("the imports", "Docstring", line(body[1].lineno) if body[1:] else "nothing")
    found.append(("Imports", imports[0].lineno, imports[-1].end_lineno))
    starts = [(n, m[1]) for n, text in enumerate(lines, 1) if (m := BANNER.fullmatch(text))]
    for i in range(max(len(banners), len(starts))):
        wanted, name = [*banners, None][min(i, len(banners))], [*starts, (0, None)][i][1]
        if name != wanted:
            end = "the end of the file"
            what = f'section "{wanted}"' if wanted else end
            expect(what, banners[i - 1] if i else "Imports", f'"{name}"' if name else end)
    for (n, name), (next_n, _) in zip(starts, [*starts[1:], (len(lines) + 1, "")], strict=True):
        if len(lines[n - 1]) != 88:
            raise AnatomyError(f'{path.name}, line {n}: the banner "{name}" must end at column 88')
        found.append((name, n, max(i for i in range(n, next_n) if lines[i - 1].strip())))
    for before, after in zip(found[:3], found[1:4], strict=True):  # only blank lines between
        gap = [n for n in range(before[2] + 1, after[1]) if lines[n - 1].strip()]
        if gap:
            expect(f'section "{after[0]}"', before[0], line(gap[0]))
    return found


def code(text, lexer, first=1, marked=()):
    """`text` highlighted by Pygments, one element per line, numbered from `first`, `marked`
    ones marked. A long line wraps: its continuation hangs four columns in from the line's own
    indentation, with no number of its own."""
    text = text.removesuffix("\n")
    source = text.split("\n")
    formatted = highlight(text, lexer, HtmlFormatter(nowrap=True)).split("\n")
    if formatted[len(source) :] != [""]:  # Pygments closes its spans at each line's end
        raise AnatomyError(f"Pygments did not keep the lines of {source[0]!r}...")
    out = []
    for n, (line, markup) in enumerate(zip(source, formatted, strict=False), first):
        mark = " hll" if n in marked else ""
        indent = len(line) - len(line.lstrip(" "))
        out.append(
            f'<span class="line{mark}" style="--indent: {indent}">'
            f'<span class="linenos">{n}</span>{markup}\n</span>'
        )
    return f'<div class="highlight"><pre><code>{"".join(out)}</code></pre></div>'


def head(level, id_, title, meta="", text=""):
    """A heading that links to itself (for a speaker to copy), its line counts, its sentence."""
    out = f'<h{level} id="{id_}"><a href="#{id_}">{html.escape(title)}</a></h{level}>\n'
    out += f'<p class="meta">{meta}</p>\n' if meta else ""
    return out + (f"<p>{inline(text)}</p>\n" if text else "")


def inline(text):
    """A sentence of the notes as HTML: `code`, and [a link](#somewhere) on this page."""
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))
    return re.sub(r"\[([^]]+)\]\((#[\w-]+)\)", r'<a href="\2">\1</a>', text)


def figure(id_, label, caption, body, css=""):
    """A labelled code box."""
    css = f' class="{css}"' if css else ""
    return (
        f'<figure{css}><figcaption id="{id_}">{label}: {caption}</figcaption>'
        f'<div class="code">{body}</div></figure>\n'
    )


def elsewhere(id_, label, text):
    """The cell beside a block with no twin: where the other framework does that job."""
    return f'<p class="elsewhere" id="{id_}"><strong>{label}:</strong> {inline(text)}</p>\n'


def pair(id_, flask, django):
    """One row: Flask's cell and Django's, each a (caption, code) or a sentence; stacked on a
    narrow screen, Flask first."""
    cells = []
    for framework, cell in [("flask", flask), ("django", django)]:
        cell_id, label = f"{id_}-{framework}", framework.title()
        shown = elsewhere(cell_id, label, cell) if isinstance(cell, str) else None
        cells.append(shown or figure(cell_id, label, *cell))
    return f'<div class="pair" id="{id_}">\n{"".join(cells)}</div>\n'


def count(n):
    """ "1 line", "12 lines"."""
    return f"{n} line{'s' if n != 1 else ''}"


class Counterparts(set):
    """The notes' (Flask name, Django name) pairs of one stage, and which of them paired."""

    def __init__(self, pairs):
        super().__init__(map(tuple, pairs))
        self.seen = set()


def rows(section, sides, counterparts, alone):
    """A section's blocks, Flask's and Django's, in rows: the blocks that do the same job (the
    same name, or names paired in COUNTERPARTS) in one row, top-aligned; a block with no twin
    in a row of its own, beside the notes' sentence on where the other framework does its job.
    Yields (Flask's blocks or sentence, Django's blocks or sentence)."""
    (flask_path, flask), (django_path, django) = sides

    # Blocks are twins by a name they share, or by names COUNTERPARTS pairs; a name the table
    # pairs is paired by the table only (Flask's view `login` is no twin of Django's `login()`).
    paired = [{pair_[side] for pair_ in counterparts} for side in (0, 1)]

    def twins(f, d):
        found = {
            (a, b)
            for a in f.names
            for b in d.names
            if (a, b) in counterparts or (a == b and a not in paired[0] and b not in paired[1])
        }
        counterparts.seen.update(found)
        return bool(found)

    edges = [(i, j) for i, f in enumerate(flask) for j, d in enumerate(django) if twins(f, d)]
    for a, (i, j) in enumerate(edges):
        for k, m in edges[a + 1 :]:
            if (i - k) * (j - m) < 0:
                raise AnatomyError(
                    f"{section}: {flask_path.name} has {flask[i]} before {flask[k]},"
                    f" {django_path.name} has {django[j]} after {django[m]}:"
                    " put the twins in the same order"
                )
    groups = []  # [first Flask block, last, first Django block, last]
    for i, j in sorted(edges):
        if groups and (i <= groups[-1][1] or j <= groups[-1][3]):
            groups[-1][1], groups[-1][3] = max(groups[-1][1], i), max(groups[-1][3], j)
        else:
            groups.append([i, i, j, j])

    def lone(blocks, path, other, side):
        for block in blocks:
            said = [alone[side].pop(name) for name in block.names if name in alone[side]]
            if not said:
                raise AnatomyError(
                    f"side_by_side_notes.py: {path.name}'s {block} ({section}) has no twin in"
                    f" {other.name}: pair it in COUNTERPARTS or say in ALONE where"
                    f" {other.name} does its job"
                )
            yield said[0]

    i = j = 0
    for fi, fl, dj, dl in [*groups, [len(flask), None, len(django), None]]:
        for block, text in zip(
            flask[i:fi], lone(flask[i:fi], flask_path, django_path, "flask"), strict=True
        ):
            yield [block], text
        for block, text in zip(
            django[j:dj], lone(django[j:dj], django_path, flask_path, "django"), strict=True
        ):
            yield text, [block]
        if fl is not None:
            yield flask[fi : fl + 1], django[dj : dl + 1]
            i, j = fl + 1, dl + 1


LESSON = "The lesson (all but Production)"


def line_counts(found):
    """[(section, Flask's lines, Django's)] and the lesson's total, (LESSON, Flask's, Django's):
    the numbers of the page's tables and the README's. A section's lines run from its first
    line to its last that is not blank."""
    out = [(f[0], f[2] - f[1] + 1, d[2] - d[1] + 1) for f, d in zip(*found, strict=True)]
    lesson = [row[1:] for row in out if row[0] != PRODUCTION]
    return out, (LESSON, *(sum(numbers) for numbers in zip(*lesson, strict=True)))


def counts_table(stage, found):
    """The stage's lines per section, Flask against Django, and the lesson's total."""
    sections, total = line_counts(found)
    body = "".join(
        f'<tr><th scope="row"><a href="#{stage}-{slug(name)}">{html.escape(name)}</a></th>'
        f"<td>{flask}</td><td>{django}</td></tr>\n"
        for name, flask, django in sections
    )
    name, flask, django = total
    body += f'<tr class="total"><th scope="row">{name}</th><td>{flask}</td><td>{django}</td></tr>\n'
    return (
        f'<table class="counts"><caption>Lines per section</caption>\n<thead><tr>'
        '<th scope="col">Section</th><th scope="col">Flask</th><th scope="col">Django</th>'
        f"</tr></thead>\n<tbody>\n{body}</tbody></table>\n"
    )


def scripts_html(stage, banners, note, root, toc, counterparts, alone):
    """A stage's two scripts, section by section and within each section block beside block;
    and the templates they use, in order."""
    paths = [root / f"{stage}_{framework}.py" for framework in ("flask", "django")]
    texts = [path.read_text(encoding="utf-8").splitlines() for path in paths]
    bodies = [
        ast.parse("\n".join(text), path.name).body for path, text in zip(paths, texts, strict=True)
    ]
    found = [sections(path, banners) for path in paths]
    out = f"<p><code>{paths[0].name}</code> ({count(len(texts[0]))}) beside"
    out += f" <code>{paths[1].name}</code> ({count(len(texts[1]))}).</p>\n"
    out += counts_table(stage, found)

    def box(path, text, first, last):
        return (
            f"<code>{path.name}</code>, lines {first}–{last}",
            code("\n".join(text[first - 1 : last]), PYTHON, first),
        )

    for flask, django in zip(*found, strict=True):
        id_, sides = f"{stage}-{slug(flask[0])}", (flask, django)
        toc.append((id_, flask[0]))
        meta = f"Flask {count(flask[2] - flask[1] + 1)} · Django {count(django[2] - django[1] + 1)}"
        if flask[0] in banners:
            links = [
                f'<a href="../{path.name}#L{first}">{path.name}, line {first}</a>'
                for path, (_, first, _) in zip(paths, sides, strict=True)
            ]
            meta += f" · in the scripts: {' and '.join(links)}"
        out += head(3, id_, flask[0], meta, note(slug(flask[0])))
        if flask[0] not in banners:  # the metadata, the docstring, the imports: one row
            boxes = [box(p, t, a, b) for p, t, (_, a, b) in zip(paths, texts, sides, strict=True)]
            out += pair(id_ + "-all", *boxes)
            continue
        split = [
            blocks(body, text, a, b)
            for body, text, (_, a, b) in zip(bodies, texts, sides, strict=True)
        ]
        openings = [
            box(p, t, o.first, o.last) for p, t, (o, _) in zip(paths, texts, split, strict=True)
        ]
        out += '<div class="rows">\n' + pair(id_ + "-opening", *openings)
        used = set()
        for cells in rows(
            flask[0],
            [(p, b) for p, (_, b) in zip(paths, split, strict=True)],
            counterparts,
            alone,
        ):
            shown = [
                cell if isinstance(cell, str) else box(p, t, cell[0].first, cell[-1].last)
                for p, t, cell in zip(paths, texts, cells, strict=True)
            ]
            name = next(c[0].names[0] for c in cells if not isinstance(c, str))
            row_id = f"{id_}-{slug(name)}"
            while row_id in used:
                row_id += "-2"
            used.add(row_id)
            out += pair(row_id, *shown)
        out += "</div>\n"
    # The templates the scripts name, and the layouts those extend: base.html first, then in
    # the order the Flask script's Accounts (if any) and Views name them, then the rest by name.
    names = {name for text in texts for name in TEMPLATE.findall("\n".join(text))}
    for name in list(names):
        names.update(TEMPLATE.findall((root / "templates/flask" / name).read_text("utf-8")))
    start = next(first for name, first, _ in found[0] if name in ("Accounts", "Views"))
    pages = "\n".join(texts[0][start - 1 :])
    return out, sorted(names, key=lambda n: (n != "base.html", n not in pages, pages.find(n), n))


def templates_html(stage, names, note, root, shown, toc):
    """A stage's templates not shown yet, Flask beside Django, the lines that differ marked."""
    if not names:
        return ""
    toc.append((f"{stage}-templates", "Templates"))
    intro = "Flask's Jinja templates are in `templates/flask/`, Django's in `templates/django/`."
    intro += " A bar in the margin marks each line that differs; their numbers are listed above."
    out = head(3, f"{stage}-templates", "Templates", "", intro)
    again = [f'<a href="#{shown[name]}">{name}</a>' for name in names if name in shown]
    out += f"<p>Used here too, unchanged: {' and '.join(again)}.</p>\n" if again else ""
    for name in [name for name in names if name not in shown]:
        id_ = shown[name] = f"{stage}-templates-{slug(name)}"
        paths = [root / "templates" / framework / name for framework in ("flask", "django")]
        texts = [path.read_text(encoding="utf-8").splitlines() for path in paths]
        marked = [[], []]
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, *texts).get_opcodes():
            if tag != "equal":
                marked[0] += range(i1 + 1, i2 + 1)
                marked[1] += range(j1 + 1, j2 + 1)
        differ = [", ".join(map(str, lines)) or "none" for lines in marked]
        meta = differ[0] if differ[0] == differ[1] else f"Flask {differ[0]}, Django {differ[1]}"
        boxes = [
            (f"<code>{path.relative_to(root).as_posix()}</code>", code("\n".join(t), JINJA, 1, m))
            for path, t, m in zip(paths, texts, marked, strict=True)
        ]
        out += head(4, id_, name, f"Lines that differ: {meta}", note(name))
        out += pair(f"{id_}-files", *boxes)
    return out


def sentence(notes, stage, key):
    """The sentence for a section, taken out of `notes`: a section without one is an error."""
    if key not in notes.get(stage, {}):
        raise AnatomyError(f'side_by_side_notes.py: no sentence for "{key}" in "{stage}"')
    return notes[stage].pop(key)


def slug(name):
    """The id part for a section or a template: "Entry point" -> "entry-point"."""
    return re.sub(r"[^a-z0-9]+", "-", name.split(" (")[0].removesuffix(".html").lower())


def build(root=ROOT):
    """The whole page, as a string, from the scripts and templates under `root`."""
    data = runpy.run_path(str(Path(__file__).with_name("side_by_side_notes.py")))
    notes = {stage: dict(sentences) for stage, sentences in data["NOTES"].items()}
    toc, body, shown = "", "", {}
    for stage, title, banners in STAGES:
        note, items = partial(sentence, notes, stage), []
        counterparts = Counterparts(data["COUNTERPARTS"].get(stage, []))
        alone = {side: dict(said) for side, said in data["ALONE"].get(stage, {}).items()}
        alone = {"flask": {}, "django": {}, **alone}
        scripts, names = scripts_html(stage, banners, note, root, items, counterparts, alone)
        for pair_ in sorted(set(counterparts) - counterparts.seen):
            raise AnatomyError(f"side_by_side_notes.py: {pair_} in COUNTERPARTS pairs no blocks")
        for side, name in [(side, name) for side, left in alone.items() for name in left]:
            raise AnatomyError(
                f'side_by_side_notes.py: "{name}" in ALONE["{stage}"]["{side}"] is no block'
                " without a twin"
            )
        templates = templates_html(stage, names, note, root, shown, items)
        body += f'<section aria-labelledby="{stage}">\n{head(2, stage, title)}{scripts}{templates}'
        body += '<p><a href="#contents">Back to the contents</a></p>\n</section>\n'
        items = "".join(f'<li><a href="#{i}">{html.escape(name)}</a></li>' for i, name in items)
        toc += f'<li><a href="#{stage}">{title}</a><ol>{items}</ol></li>\n'
    for stage, key in [(stage, key) for stage, left in notes.items() for key in left]:
        raise AnatomyError(f'side_by_side_notes.py: "{key}" in "{stage}" is no section')
    style = (root / "templates" / "style.css").read_text(encoding="utf-8")
    caption = f"<code>templates/style.css</code>, {count(len(style.splitlines()))}"
    body += '<section aria-labelledby="stylesheet">\n'
    body += head(2, "stylesheet", "The stylesheet", "", data["STYLESHEET"])
    body += figure(
        "stylesheet-code", "Flask and Django", caption, code(style, CssLexer(stripnl=False)), "wide"
    )
    body += "</section>\n"
    light = "\n".join(HtmlFormatter(style=LIGHT).get_token_style_defs(".highlight"))
    dark = "\n".join(HtmlFormatter(style=DARK).get_token_style_defs(":root .highlight"))
    # In the dark, one rule undoes the light style's colours, then the dark style's (whose
    # selectors are more specific still) apply.
    reset = ":root .highlight span { color: inherit; font-style: inherit; font-weight: inherit; }"
    return f"""<!doctype html>
<!-- Made by docs/side_by_side.py from the scripts and templates: do not edit by hand. -->
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flask &amp; Django, side by side: the scripts and templates</title>
<style>{CSS}{light}
@media (prefers-color-scheme: dark) {{
{reset}
{dark}
}}
</style>
</head>
<body>
<main>
<h1>Flask &amp; Django, side by side</h1>
<p>Each stage's Flask script beside its Django twin, section by section in the order both
scripts follow, then the templates each pair uses. Made from the files themselves by
<code>python docs/side_by_side.py</code>.</p>
<nav class="toc" aria-labelledby="contents"><h2 id="contents">Contents</h2>
<ol>
{toc}<li><a href="#stylesheet">The stylesheet</a></li>
</ol></nav>
{body}</main>
</body>
</html>
"""


def readme(root=ROOT):
    """README.md with the lines-per-section table, the page's numbers, between its markers."""
    path, begin, end = root / "README.md", "<!-- lines:begin -->", "<!-- lines:end -->"
    text = path.read_text(encoding="utf-8")
    if text.count(begin) != 1 or text.count(end) != 1:
        raise AnatomyError(f"README.md: expected one {begin} and one {end}")
    columns, counts = [], {}
    for stage, title, banners in STAGES:
        paths = [root / f"{stage}_{framework}.py" for framework in ("flask", "django")]
        sections_, total = line_counts([sections(path, banners) for path in paths])
        columns += [f"{title}: Flask", "Django"]
        order = [name for name, *_ in [*sections_, total]]  # the To Do stage's, last: them all
        for name, *numbers in [*sections_, total]:
            counts.setdefault(name, {})[stage] = numbers
    rows = [f"| lines | {' | '.join(columns)} |", "|---" * (len(columns) + 1) + "|"]
    for name, numbers in sorted(counts.items(), key=lambda item: order.index(item[0])):
        cells = [str(n) for stage, *_ in STAGES for n in numbers.get(stage, ["—", "—"])]
        name = f"**{name}**" if name == LESSON else name
        rows.append(f"| {name} | {' | '.join(cells)} |")
    head, rest = text.split(begin)
    return f"{head}{begin}\n" + "\n".join(rows) + f"\n{end}{rest.split(end)[1]}"


def main(argv=None):
    """Write the page and README.md's table, or with --check say whether both are current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the page")
    args = parser.parse_args(argv)
    try:
        page, readme_text = build(), readme()
    except (AnatomyError, OSError, SyntaxError) as error:  # OSError: a file named is missing
        sys.exit(str(error))
    name, readme_path = PAGE.relative_to(ROOT).as_posix(), ROOT / "README.md"
    if args.check:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != page:
            sys.exit(
                f"{name} is out of date: run python docs/side_by_side.py (with Pygments"
                f" {pygments.__version__} here; another version highlights a little differently)"
            )
        if readme_path.read_text(encoding="utf-8") != readme_text:
            sys.exit(
                "README.md's lines-per-section table is out of date: run"
                " python docs/side_by_side.py"
            )
        print(f"{name} and README.md's table are up to date")
    else:
        PAGE.write_text(page, encoding="utf-8", newline="\n")
        readme_path.write_text(readme_text, encoding="utf-8", newline="\n")
        print(f"wrote {name} ({len(page.encode()) // 1024} KiB) and README.md's table")


if __name__ == "__main__":
    main()
