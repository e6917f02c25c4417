"""Hello World: both apps greet whoever opens the home page."""

import pytest
import requests
from helpers import FRAMEWORKS

GREETING = {"flask": "<p>Hello, World!</p>", "django": "Hello, Django!"}


@pytest.fixture(scope="module", params=FRAMEWORKS)
def hello(request, serve):
    with serve(f"hello_{request.param}.py") as server:
        yield request.param, server


def test_home_page_says_hello(hello):
    framework, server = hello
    response = requests.get(server.url + "/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text == GREETING[framework]


def test_an_unknown_path_is_not_found(hello):
    _, server = hello
    assert requests.get(server.url + "/nowhere").status_code == 404
