"""Write docs/side-by-side.html: each stage's Flask and Django scripts side by side.

    python docs/side_by_side.py           write the page
    python docs/side_by_side.py --check   fail when the committed page differs from a fresh one

The page is made from the files themselves. A script's sections are its PEP 723 block, its
docstring, its imports, then its banners (`# Views ----...`) in the order of DESIGN.md's
anatomy; a script that strays from it, or a section without its sentence in
side_by_side_notes.py, stops the generator with a message naming the file and the section.
Needs Pygments, a dev requirement: the apps never import this.
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
body { margin: 0; background: var(--bg); color: var(--fg);
  font: clamp(1rem, 0.8rem + 0.5vw, 1.375rem)/1.5 system-ui, sans-serif; }
main { max-width: 124rem; margin: 0 auto; padding: 1rem clamp(0.5rem, 2vw, 2rem) 3rem; }
h2 { margin-top: 3rem; } :is(h2, h3, h4) a { color: inherit; text-decoration: none; }
:is(h2, h3, h4) a:hover { text-decoration: underline; } .meta { color: var(--muted); }
.toc ol ol { padding-left: 1.25rem; } .toc ol ol li { display: inline; }
.toc ol ol li:not(:last-child)::after { content: " · "; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.75rem 1.25rem; }
@media (min-width: 64rem) { .pair { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
figure { margin: 0; min-width: 0; } figcaption { font-weight: 600; margin-bottom: 0.25rem; }
.code { overflow-x: auto; border: 1px solid var(--line); border-radius: 0.375rem; }
.code:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
.highlight { background: var(--bg); color: var(--fg); } .wide { max-width: 60rem; }
.highlight pre { margin: 0; padding: 0.5rem 0.75rem 0.5rem 0; width: max-content;
  min-width: 100%; font: clamp(0.8125rem, 0.4rem + 0.5vw, 1rem)/1.45 ui-monospace,
  SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
:root .highlight .linenos { color: var(--muted); padding: 0 1ch 0 0.75rem; user-select: none; }
:root .highlight .hll { display: block; background: var(--mark);
  box-shadow: inset 0.3rem 0 var(--bar); }
"""


class AnatomyError(Exception):
    """A script or the notes do not follow the anatomy the page is built on."""


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
    """`text` highlighted by Pygments, its lines numbered from `first`, `marked` ones marked."""
    formatter = HtmlFormatter(linenos="inline", linenostart=first, hl_lines=marked, wrapcode=True)
    return highlight(text, lexer, formatter)


def head(level, id_, title, meta="", text=""):
    """A heading that links to itself (for a speaker to copy), its line counts, its sentence."""
    out = f'<h{level} id="{id_}"><a href="#{id_}">{html.escape(title)}</a></h{level}>\n'
    out += f'<p class="meta">{meta}</p>\n' if meta else ""
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))
    return out + (f"<p>{text}</p>\n" if text else "")


def figure(id_, label, caption, body, css=""):
    """A labelled code box, which scrolls sideways by itself (and by keyboard) when it must."""
    css = f' class="{css}"' if css else ""
    return (
        f'<figure{css}><figcaption id="{id_}">{label}: {caption}</figcaption>'
        f'<div class="code" role="region" aria-labelledby="{id_}" tabindex="0">{body}</div>'
        "</figure>\n"
    )


def pair(id_, flask, django):
    """Flask's and Django's (caption, code) in two columns; stacked on a narrow screen."""
    flask, django = (
        figure(f"{id_}-flask", "Flask", *flask),
        figure(f"{id_}-django", "Django", *django),
    )
    return f'<div class="pair">\n{flask}{django}</div>\n'


def count(n):
    """ "1 line", "12 lines"."""
    return f"{n} line{'s' if n != 1 else ''}"


def scripts_html(stage, banners, note, root, toc):
    """A stage's two scripts, section by section; and the templates they use, in order."""
    paths = [root / f"{stage}_{framework}.py" for framework in ("flask", "django")]
    texts = [path.read_text(encoding="utf-8").splitlines() for path in paths]
    found = [sections(path, banners) for path in paths]
    out = f"<p><code>{paths[0].name}</code> ({count(len(texts[0]))}) beside"
    out += f" <code>{paths[1].name}</code> ({count(len(texts[1]))}).</p>\n"
    for flask, django in zip(*found, strict=True):
        id_, sides = f"{stage}-{slug(flask[0])}", (flask, django)
        toc.append((id_, flask[0]))
        meta = f"Flask {count(flask[2] - flask[1] + 1)} · Django {count(django[2] - django[1] + 1)}"
        boxes = [
            (f"<code>{path.name}</code>, lines {a}–{b}", code("\n".join(t[a - 1 : b]), PYTHON, a))
            for path, t, (_, a, b) in zip(paths, texts, sides, strict=True)
        ]
        out += head(3, id_, flask[0], meta, note(slug(flask[0]))) + pair(id_, *boxes)
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
        out += head(4, id_, name, f"Lines that differ: {meta}", note(name)) + pair(id_, *boxes)
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
        scripts, names = scripts_html(stage, banners, note, root, items)
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
    body += figure("stylesheet-code", "Flask and Django", caption, code(style, CssLexer()), "wide")
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


def main(argv=None):
    """Write the page, or with --check say whether the committed one is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the page")
    args = parser.parse_args(argv)
    try:
        page = build()
    except (AnatomyError, OSError, SyntaxError) as error:  # OSError: a file named is missing
        sys.exit(str(error))
    name = PAGE.relative_to(ROOT).as_posix()
    if args.check:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != page:
            sys.exit(
                f"{name} is out of date: run python docs/side_by_side.py (with Pygments"
                f" {pygments.__version__} here; another version highlights a little differently)"
            )
        print(f"{name} is up to date")
    else:
        PAGE.write_text(page, encoding="utf-8", newline="\n")
        print(f"wrote {name} ({len(page.encode()) // 1024} KiB)")


if __name__ == "__main__":
    main()
