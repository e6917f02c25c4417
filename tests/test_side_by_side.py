"""docs/side-by-side.html is what docs/side_by_side.py makes from the scripts and templates now,
shows all of them, and is a page anyone can open as a plain file.

The generator's promise: the committed page and README.md's table of line counts equal a
fresh build, and a script that strays from the anatomy (a banner renamed, two swapped, one cut
short or missing, the To Do scripts' Accounts moved or another script given one, a definition on
one side only that the notes do not place, twins in a different order) stops it with a message
naming the file and the section. The page's: every section of the six scripts and every
template pair, line for line, each To Do view in one row with its twin; valid HTML (the Nu
checker) and no axe-core violation, light and dark; no script and nothing fetched, its only
links to its own parts and to the scripts beside it; no code that scrolls sideways at 1280 or
1920 px; on a 320 px phone nothing scrolls sideways and each Flask cell sits above its Django
twin, on a 1920 px projector beside it.
"""

import difflib
import importlib.util
import re
import shutil
from html.parser import HTMLParser
from types import SimpleNamespace

import pygments
import pytest
from checkers import SCHEMES, check_accessibility, check_html
from helpers import FRAMEWORKS, ROOT, SCRIPTS, run

GENERATOR_FILE = ROOT / "docs" / "side_by_side.py"
PAGE_FILE = ROOT / "docs" / "side-by-side.html"
REGENERATE = "python docs/side_by_side.py"
BANNER = re.compile(r"# (\S.*?) -+")  # a section's first line, ending at column 88
STAGES = list(dict.fromkeys(script.split("_")[0] for script in SCRIPTS))  # hello, site, todo
TEMPLATES = sorted(path.name for path in (ROOT / "templates" / "flask").glob("*.html"))
PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}


def load_generator():
    """docs/side_by_side.py as a module (docs/ is no package)."""
    spec = importlib.util.spec_from_file_location("side_by_side", GENERATOR_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = load_generator()


class Outline(HTMLParser):
    """What the tests read in a page: every start tag with its attributes, the CSS (style
    elements and attributes), the headings as [level, id, text] and the figures as
    {"caption": text, "code": the code shown, without its line numbers}."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.css, self.headings, self.figures = [], [], [], []
        self.rows = []  # each row's id, and the figures in it (by their index in figures)
        self._into = None  # where the text being read goes: (a list or dict, its key)
        self._in_style = self._in_line_number = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "style" in attrs:
            self.css.append(attrs["style"] or "")
        if tag == "style":
            self._in_style = True
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append([int(tag[1]), attrs.get("id"), ""])
            self._into = (self.headings[-1], 2)
        elif tag == "div" and attrs.get("class") == "pair":
            self.rows.append({"id": attrs.get("id"), "figures": []})
        elif tag == "figure":
            self.figures.append({"caption": "", "code": ""})
            if self.rows:
                self.rows[-1]["figures"].append(len(self.figures) - 1)
        elif tag == "figcaption" and self.figures:
            self._into = (self.figures[-1], "caption")
        elif tag == "pre" and self.figures:
            self._into = (self.figures[-1], "code")
        elif tag == "span" and "linenos" in (attrs.get("class") or "").split():
            self._in_line_number = True  # Pygments' line number: text only, no inner span

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        elif tag == "span":
            self._in_line_number = False
        elif re.fullmatch(r"h[1-6]", tag) or tag in ("figcaption", "pre"):
            self._into = None

    def handle_data(self, data):
        if self._in_style:
            self.css.append(data)
        elif self._into and not self._in_line_number:
            where, key = self._into
            where[key] += data


def banners(path):
    """The names of a script's sections after its imports, read from their banners."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [match[1] for line in lines if (match := BANNER.fullmatch(line))]


def first_differences(expected, actual, lines=30):
    """The start of a unified diff, to show why two pages differ."""
    diff = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), "committed", "generated", lineterm="", n=1
    )
    return "\n".join(list(diff)[:lines])


@pytest.fixture(scope="module")
def page_text():
    return PAGE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def outline(page_text):
    return Outline(page_text)


# The generator


def test_committed_page_is_what_the_generator_makes(page_text):
    try:
        fresh, stopped = GENERATOR.build(), None
        readme = GENERATOR.readme()
    except GENERATOR.AnatomyError as error:
        fresh, stopped = None, str(error)
    assert not stopped, f"{REGENERATE} stops: {stopped}"
    if page_text != fresh:
        pytest.fail(
            f"docs/side-by-side.html is out of date: run {REGENERATE} (Pygments"
            f" {pygments.__version__} here; requirements-dev.txt pins the version that wrote"
            f" it)\n{first_differences(page_text, fresh)}",
            pytrace=False,
        )
    committed = (ROOT / "README.md").read_text(encoding="utf-8")
    assert committed == readme, f"README.md's table is out of date: run {REGENERATE}"


def copy_of_the_repository(folder):
    """The six scripts, README.md, templates/ and docs/, copied into `folder`: where the
    generator can be run on files a test breaks."""
    for name in [*(f"{script}.py" for script in SCRIPTS), "README.md"]:
        shutil.copy2(ROOT / name, folder)
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ["templates", "docs"]:
        shutil.copytree(ROOT / name, folder / name, ignore=ignore)
    return folder


def edit(path, old, new):
    """Replace the one occurrence of `old` in the file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: {old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8", newline="\n")


def banner(name):
    """A section's banner, as the scripts write it: `# Views ----...`, 88 columns."""
    return f"# {name} ".ljust(88, "-")


def line_of(path, text):
    """The number of the file's line that is `text`."""
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def rename_views(folder):
    edit(folder / "todo_flask.py", banner("Views"), banner("Handlers"))


def swap_views_and_routes(folder):
    edit(folder / "site_django.py", banner("Views"), "VIEWS")
    edit(folder / "site_django.py", banner("Routes"), banner("Views"))
    edit(folder / "site_django.py", "VIEWS", banner("Routes"))


def cut_views_short(folder):
    edit(folder / "hello_flask.py", banner("Views"), banner("Views")[:-1])


def move_accounts_after_views(folder):
    """The whole Accounts section of todo_django.py, banner and all, moved to before Routes."""
    path = folder / "todo_django.py"
    text = path.read_text(encoding="utf-8")
    start, end = text.index(banner("Accounts")), text.index(banner("Views"))
    accounts, text = text[start:end], text[:start] + text[end:]
    routes = text.index(banner("Routes"))
    path.write_text(text[:routes] + accounts + text[routes:], encoding="utf-8", newline="\n")


def drop_accounts_banner(folder):
    edit(folder / "todo_flask.py", banner("Accounts") + "\n", "")


def give_site_accounts(folder):
    edit(folder / "site_flask.py", banner("Views"), banner("Accounts") + "\n\n" + banner("Views"))


def add_a_view_to_flask_only(folder):
    """A view in todo_flask.py with no twin in todo_django.py and no line in the notes."""
    edit(folder / "todo_flask.py", "@app.errorhandler(404)", EXPORT + "@app.errorhandler(404)")


EXPORT = """@app.get("/export")
@login_required
def export():
    return [dict(todo) for todo in get_db().execute("SELECT * FROM todo")]


"""


def swap_two_django_views(folder):
    """todo_django.py's delete view moved before its toggle view: twins out of order."""
    path = folder / "todo_django.py"
    text = path.read_text(encoding="utf-8")
    start, end = (
        text.index("@require_POST\n@login_required\ndef delete("),
        text.index("@require_POST\n@login_required\ndef toggle_all("),
    )
    delete, text = text[start:end], text[:start] + text[end:]
    toggle = text.index("@require_POST\n@login_required\ndef toggle(")
    path.write_text(text[:toggle] + delete + text[toggle:], encoding="utf-8", newline="\n")


@pytest.mark.parametrize(
    "breaking, message",
    [
        (
            rename_views,
            'todo_flask.py: expected section "Views" after "Accounts", found "Handlers"',
        ),
        (
            swap_views_and_routes,
            'site_django.py: expected section "Views" after "Production (skip it on a first'
            ' read)", found "Routes"',
        ),
        (
            cut_views_short,
            f"hello_flask.py, line {line_of(ROOT / 'hello_flask.py', banner('Views'))}:"
            ' the banner "Views" must end at column 88',
        ),
        (
            move_accounts_after_views,
            'todo_django.py: expected section "Accounts" after "Data", found "Views"',
        ),
        (
            drop_accounts_banner,
            'todo_flask.py: expected section "Accounts" after "Data", found "Views"',
        ),
        (
            give_site_accounts,
            'site_flask.py: expected section "Views" after "Production (skip it on a first'
            ' read)", found "Accounts"',
        ),
        (
            add_a_view_to_flask_only,
            "side_by_side_notes.py: todo_flask.py's export"
            f" ({line_of(ROOT / 'todo_flask.py', '@app.errorhandler(404)')}–"
            f"{line_of(ROOT / 'todo_flask.py', '@app.errorhandler(404)') + 3}) (Views) has no twin"
            " in todo_django.py: pair it in COUNTERPARTS or say in ALONE where todo_django.py"
            " does its job",
        ),
        (
            swap_two_django_views,
            re.compile(
                r"Views: todo_flask.py has toggle \(\d+–\d+\) before delete \(\d+–\d+\),"
                r" todo_django.py has toggle \(\d+–\d+\) after delete \(\d+–\d+\): put the"
                r" twins in the same order"
            ),
        ),
    ],
    ids=[
        "renamed",
        "swapped",
        "cut-short",
        "accounts-moved",
        "accounts-missing",
        "accounts-extra",
        "a-view-on-one-side",
        "twins-out-of-order",
    ],
)
def test_a_script_that_strays_from_the_anatomy_stops_the_generator(
    breaking, message, page_text, tmp_path
):
    folder = copy_of_the_repository(tmp_path)
    breaking(folder)
    with pytest.raises(GENERATOR.AnatomyError) as error:
        GENERATOR.build(root=folder)
    if isinstance(message, re.Pattern):  # line numbers that depend on the edit
        assert message.fullmatch(str(error.value)), str(error.value)
        message = str(error.value)
    assert str(error.value) == message
    # Run as the README says, the generator refuses too, with that message, and writes nothing.
    for command in [["--check"], []]:
        refused = run("docs/side_by_side.py", *command, cwd=folder)
        assert (refused.returncode, refused.stdout, refused.stderr) == (1, "", message + "\n")
    assert (folder / "docs" / "side-by-side.html").read_text(encoding="utf-8") == page_text


def test_an_edit_that_keeps_the_anatomy_makes_the_committed_page_out_of_date(tmp_path):
    folder = copy_of_the_repository(tmp_path)
    edit(folder / "templates" / "django" / "about.html", "</h1>", "</h1> ")
    page = (folder / "docs" / "side-by-side.html").read_text(encoding="utf-8")
    assert GENERATOR.build(root=folder) != page
    stale = run("docs/side_by_side.py", "--check", cwd=folder)
    assert stale.returncode == 1
    assert stale.stderr.startswith(f"docs/side-by-side.html is out of date: run {REGENERATE}")
    regenerated = run("docs/side_by_side.py", cwd=folder)
    assert regenerated.returncode == 0, regenerated.stderr
    assert run("docs/side_by_side.py", "--check", cwd=folder).returncode == 0


# What the page shows


def stage_headings(outline):
    """{stage: [(level, id, text) of each heading under the stage's own, in order]}."""
    found, stage = {}, None
    for level, id_, text in outline.headings:
        if level == 2:
            stage = id_ if id_ in STAGES else None
            found.setdefault(stage, [])
        elif stage and level > 2:
            found[stage].append((level, id_, text))
    return found


def figures_of(outline, caption):
    """The code of each figure whose caption matches the pattern: [(match, code lines)]."""
    found = []
    for figure in outline.figures:
        if match := re.fullmatch(caption, figure["caption"]):
            found.append((match, figure["code"].splitlines()))
    return found


def contents_links(outline):
    """The in-page links of the page, and the ids they can lead to."""
    links = {attrs["href"] for tag, attrs in outline.tags if tag == "a" and "href" in attrs}
    ids = {attrs["id"] for _, attrs in outline.tags if attrs.get("id")}
    return links, ids


@pytest.mark.parametrize("stage", STAGES)
def test_page_shows_every_section_of_both_scripts_line_for_line(outline, stage):
    flask, django = (ROOT / f"{stage}_{framework}.py" for framework in FRAMEWORKS)
    assert banners(flask) == banners(django), "the two scripts' sections do not pair up"
    sections = ["Metadata (PEP 723)", "Docstring", "Imports", *banners(flask)]
    headings = [heading for heading in stage_headings(outline).get(stage, []) if heading[0] == 3]
    titles = [text for _, _, text in headings]
    assert titles[: len(sections)] == sections and titles[len(sections) :] in ([], ["Templates"])
    links, ids = contents_links(outline)
    for _, id_, text in headings:
        assert id_ in ids and f"#{id_}" in links, f"{stage}: {text} has no anchor in the contents"
    for framework, script in zip(FRAMEWORKS, [flask, django], strict=True):
        lines = script.read_text(encoding="utf-8").splitlines()
        shown = figures_of(outline, rf"{framework.title()}: ({script.name}), lines (\d+)–(\d+)")
        assert len(shown) >= len(sections), f"{script.name}: {len(shown)} boxes shown"
        covered = []
        for match, code in shown:
            first, last = int(match[2]), int(match[3])
            assert code == lines[first - 1 : last], f"{script.name}: lines {first}–{last}"
            covered += range(first, last + 1)
        assert covered == sorted(set(covered)), f"{script.name}: boxes overlap or go back"
        missing = [n for n, line in enumerate(lines, 1) if line.strip() and n not in covered]
        assert not missing, f"{script.name}: lines {missing} are not on the page"


def views(script):
    """The names of the views of todo_flask.py: its functions with a route (or an error page)."""
    text = script.read_text(encoding="utf-8")
    return re.findall(
        r"^@app\.(?:get|post|route|errorhandler)\(.*\n(?:@.*\n)*def (\w+)\(", text, re.M
    )


def rows_with(outline, framework, pattern):
    """The ids of the To Do stage's rows where `framework`'s cell has a line matching `pattern`."""
    return [
        row["id"]
        for row in outline.rows
        if row["id"].startswith("todo-")
        for i in row["figures"]
        if outline.figures[i]["caption"].startswith(framework.title())
        and re.search(pattern, outline.figures[i]["code"], re.MULTILINE)
    ]


def test_each_to_do_view_is_in_one_row_with_its_twin(outline):
    names = views(ROOT / "todo_flask.py")
    assert {"signup", "login", "logout", "add", "edit", "toggle", "page_not_found"} <= set(names)
    # Django's twin where it is not a function of the same name
    twins = {
        "login": r"^from .* import LoginView",
        "logout": r"^from .* import .*LogoutView",
        "database_busy": r"^class DatabaseBusy\b",
    }
    found = {}
    for name in names:
        patterns = [rf"^def {name}\(", twins.get(name, rf"^def {name}\(")]
        flask, django = (
            rows_with(outline, *side) for side in zip(FRAMEWORKS, patterns, strict=True)
        )
        assert len(flask) == 1 and flask == django, f"{name}: Flask {flask}, Django {django}"
        found.setdefault(flask[0], []).append((name, patterns))
    # Twins open their row, side by side: the row starts with them (Flask's login and logout
    # share theirs, beside Django's one line that imports LoginView and LogoutView).
    for row in [row for row in outline.rows if row["id"] in found]:
        name, patterns = found[row["id"]][0]
        for i, pattern in zip(row["figures"], patterns, strict=True):
            code = outline.figures[i]["code"].splitlines()
            first = next(line for line in code if not line.startswith(("@", "#")))
            assert re.match(pattern, first), f"{name}: its row starts with {first!r}"


def test_page_shows_every_template_pair_and_the_stylesheet(outline):
    django_templates = sorted(path.name for path in (ROOT / "templates/django").glob("*.html"))
    assert django_templates == TEMPLATES, "templates/flask and templates/django differ"
    shown = [text for level, _, text in outline.headings if level == 4]
    assert sorted(shown) == TEMPLATES, "each template pair is shown once, under its name"
    for name in TEMPLATES:
        for framework in FRAMEWORKS:
            path = f"templates/{framework}/{name}"
            figures = figures_of(outline, rf"{framework.title()}: {re.escape(path)}")
            assert len(figures) == 1, f"{path} is shown {len(figures)} times"
            [(_, code)] = figures
            assert code == (ROOT / path).read_text(encoding="utf-8").splitlines(), path
    [(_, css)] = figures_of(outline, r"Flask and Django: templates/style\.css, \d+ lines")
    assert css == (ROOT / "templates/style.css").read_text(encoding="utf-8").splitlines()


def test_every_link_leads_to_a_part_of_the_page_or_to_a_section_of_a_script(outline):
    links, ids = contents_links(outline)
    inside = {link for link in links if link.startswith("#")}
    assert not {link[1:] for link in inside} - ids
    scripts = links - inside
    assert len(scripts) >= 2 * 7, "each section of each script has a link to its place"
    for link in scripts:
        match = re.fullmatch(r"\.\./(\w+\.py)#L(\d+)", link)
        assert match, f"{link}: neither a part of the page nor a line of a script"
        lines = (ROOT / match[1]).read_text(encoding="utf-8").splitlines()
        assert BANNER.fullmatch(lines[int(match[2]) - 1]), f"{link}: not a section's banner"


def test_page_has_no_script_and_names_nothing_to_fetch(page_text, outline):
    assert not re.search(r"<script", page_text, re.IGNORECASE)
    for tag, attrs in outline.tags:
        assert tag not in ("script", "iframe", "object", "embed", "base"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), f"<{tag} {name}>: a script"
            if name in ("href", "src", "srcset", "action", "formaction", "poster", "data"):
                local = re.fullmatch(r"\.\./\w+\.py#L\d+", value or "") and tag == "a"
                assert local or (value or "").startswith(("#", "data:")), (
                    f'<{tag} {name}="{value}">'
                )
    css = "\n".join(outline.css)
    assert "@import" not in css
    urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", css)
    assert all(url.startswith(("#", "data:")) for url in urls), urls


def test_page_is_valid_html():
    errors = check_html([PAGE_FILE])[PAGE_FILE.name]
    assert not errors, "\n".join(errors)


# The page in a browser


def layout(page):
    """How wide the viewport and the document are, each row's Flask and Django cells' boxes,
    as [{"id": ..., "flask": box, "django": box}, ...], and the code boxes that scroll."""
    return page.evaluate(
        """() => {
        const box = (cell) => {
            const r = cell.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY};
        };
        return {
            viewport: document.documentElement.clientWidth,
            width: document.documentElement.scrollWidth,
            pairs: [...document.querySelectorAll('.pair')].map((row) => ({
                id: row.id,
                flask: box(row.children[0]),
                django: row.children[1] && box(row.children[1]),
            })),
            scrolling: [...document.querySelectorAll('.code, .code *')].filter(
                (code) => code.scrollWidth > code.clientWidth
            ).map((code) => code.closest('figure').querySelector('figcaption').textContent),
        };
    }"""
    )


@pytest.fixture(scope="module")
def shown(browser, outline):
    """The committed page opened as a file on a phone, a laptop and a projector: for each,
    the URLs it requested and its layout(); and on the phone, axe-core's results in each colour
    scheme."""
    views = {}
    for name, device in [("phone", PHONE), ("laptop", LAPTOP), ("projector", PROJECTOR)]:
        context = browser.new_context(**device)
        requested = []
        context.on("request", lambda request, requested=requested: requested.append(request.url))
        page = context.new_page()
        page.goto(PAGE_FILE.as_uri())
        views[name] = SimpleNamespace(requested=requested, layout=layout(page))
        if name == "phone":
            views[name].accessibility = check_accessibility(page)
        context.close()
    for view in views.values():
        assert outline.rows and len(view.layout["pairs"]) == len(outline.rows)
    return views


@pytest.mark.parametrize("scheme", SCHEMES)
def test_page_has_no_accessibility_violations(shown, scheme):
    results = shown["phone"].accessibility[scheme]
    assert results.violations_count == 0, results.generate_report()


def test_page_opened_as_a_file_requests_nothing_else(shown):
    for view in shown.values():
        assert view.requested == [PAGE_FILE.as_uri()]


def test_on_a_phone_nothing_scrolls_sideways_and_flask_sits_above_django(shown):
    seen = shown["phone"].layout
    assert seen["viewport"] == 320, "the page sets its viewport to the device's width"
    assert seen["width"] <= seen["viewport"], "the page scrolls sideways"
    for pair in seen["pairs"]:
        flask, django = pair["flask"], pair["django"]
        assert django, f"{pair['id']}: no Django figure"
        for box in flask, django:
            assert box["left"] >= 0 and box["right"] <= 320, f"{pair['id']}: {box}"
        assert flask["bottom"] <= django["top"], f"{pair['id']}: Flask is not above Django"


@pytest.mark.parametrize("device", ["laptop", "projector"])
def test_no_code_scrolls_sideways_on_a_laptop_or_a_projector(shown, device):
    seen = shown[device].layout
    assert seen["width"] <= seen["viewport"], "the page scrolls sideways"
    assert not seen["scrolling"], f"these boxes scroll sideways: {seen['scrolling']}"


def test_on_a_projector_flask_sits_beside_django(shown):
    seen = shown["projector"].layout
    assert seen["width"] <= seen["viewport"] == 1920
    for pair in seen["pairs"]:
        flask, django = pair["flask"], pair["django"]
        assert django, f"{pair['id']}: no Django figure"
        assert abs(flask["top"] - django["top"]) < 1, f"{pair['id']}: not side by side"
        assert flask["right"] <= django["left"], f"{pair['id']}: Flask is not on the left"
        assert django["right"] <= 1920, f"{pair['id']}: {django}"
