"""The personal website: a home page and an about page that link to each other."""

from urllib.parse import urljoin

import pytest
from helpers import FRAMEWORKS, STYLESHEET, security_headers
from pages import Browser


@pytest.fixture(scope="module", params=FRAMEWORKS)
def site(request, serve):
    # DEBUG=0: as deployed, so that Django shows our 404 page rather than its debug page.
    with serve(f"site_{request.param}.py", env={"DEBUG": "0"}) as server:
        yield server


def test_home_page_welcomes_the_visitor(site):
    page = Browser(site.url).get("/")
    assert page.response.status_code == 200
    assert page.response.headers["Content-Type"].startswith("text/html")
    assert page.title == "Personal Website"
    assert page.h1 == "Welcome to My Website"


def test_about_me_link_leads_to_the_about_page_and_home_leads_back(site):
    visitor = Browser(site.url)
    home = visitor.get("/")
    about = visitor.get(urljoin(home.url, home.links["About Me"]))
    assert about.response.status_code == 200
    assert about.title == "About Me"
    assert about.h1 == "About Me"
    assert "This is my personal website." in about.response.text

    back = visitor.get(urljoin(about.url, about.links["Home"]))
    assert back.response.status_code == 200
    assert back.h1 == "Welcome to My Website"


def test_unknown_path_gets_a_404_page_in_the_site_layout(site):
    page = Browser(site.url).get("/no/such/page")
    assert page.response.status_code == 404
    assert page.h1 == "Page not found"
    assert STYLESHEET in page.response.text
    assert "Home" in page.links


def test_every_page_carries_the_shared_stylesheet(site):
    visitor = Browser(site.url)
    home = visitor.get("/")
    for page in (home, visitor.get(urljoin(home.url, home.links["About Me"]))):
        assert "<style>" in page.response.text
        assert STYLESHEET in page.response.text


def test_robots_txt_welcomes_every_crawler(site):
    visitor = Browser(site.url)
    response = visitor.get("/robots.txt").response
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == "User-agent: *\nAllow: /\n"
    assert security_headers(response) == security_headers(visitor.get("/").response)
