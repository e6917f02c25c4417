"""Screenshots of every app in both frameworks, for the README.

Run it from anywhere:   python docs/screenshots.py

It starts each script the way you would (DEBUG=0, the To Do apps on a new database in a
temporary folder), opens it in headless Chromium and saves docs/screenshots/<script>.png
(1000 pixels wide; the To Do list also in dark, <script>_dark.png). It needs the dev
requirements and Debian's Chromium (apt-get install chromium), or CHROMIUM=/path/to/chrome.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HEIGHTS = {"hello": 120, "site": 340, "todo": 660}  # of each stage's picture; all 1000 px wide


def start(script, folder):
    """Run the script as a server on a free port; its process and URL, once it answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "PORT": str(port),
        "DEBUG": "0",
        "SECRET_KEY": "for-screenshots-only-" * 3,
        "TODO_DB": str(Path(folder) / f"{script}.sqlite3"),
    }
    process = subprocess.Popen(
        [sys.executable, script],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return process, url
        except urllib.error.HTTPError:
            return process, url  # it answers, if only with an error
        except OSError:
            time.sleep(0.05)
    stop(process)
    sys.exit(f"{script} did not answer within 30 s")


def stop(process):
    """Stop the server and its children (Django's development server starts one)."""
    for child in psutil.Process(process.pid).children(recursive=True):
        child.kill()
    process.kill()
    process.wait()


def fill_todo_list(page):
    """A few todos, one of them done, and the message that the last action left."""
    new_todo = page.get_by_label("New todo")
    for title in ["Buy milk", "Walk the dog", "Read the tutorial"]:
        new_todo.fill(title)
        with page.expect_navigation():
            new_todo.press("Enter")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark “Walk the dog” as done").click()


def main():
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        sys.exit("No Chromium: apt-get install chromium, or set CHROMIUM=/path/to/chrome")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for stage, height in HEIGHTS.items():
            page.set_viewport_size({"width": 1000, "height": height})
            for framework in ["flask", "django"]:
                script = f"{stage}_{framework}"
                process, url = start(f"{script}.py", folder)
                try:
                    page.goto(url)
                    if stage == "todo":
                        fill_todo_list(page)
                    for scheme in ["light", "dark"] if stage == "todo" else ["light"]:
                        page.emulate_media(color_scheme=scheme)
                        picture = f"{script}.png" if scheme == "light" else f"{script}_dark.png"
                        page.screenshot(path=OUT / picture)
                        print(f"saved docs/screenshots/{picture}")
                finally:
                    stop(process)
        browser.close()


if __name__ == "__main__":
    main()
