"""The personal website: a home page and an about page that link to each other."""

from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from pages import Page

STYLESHEET = (Path(__file__).resolve().parent.parent / "templates" / "style.css").read_text()


@pytest.fixture(scope="module", params=["flask", "django"])
def site(request, serve):
    # DEBUG=0: as deployed, so that Django shows our 404 page rather than its debug page.
    with serve(f"site_{request.param}.py", env={"DEBUG": "0"}) as server:
        yield server


def visit(url):
    response = requests.get(url)
    return response, Page(response.text)


def test_home_page_welcomes_the_visitor(site):
    response, page = visit(site.url + "/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert page.title == "Personal Website"
    assert page.h1 == "Welcome to My Website"


def test_about_me_link_leads_to_the_about_page_and_home_leads_back(site):
    _, home = visit(site.url + "/")
    about_url = urljoin(site.url + "/", home.links["About Me"])
    response, about = visit(about_url)
    assert response.status_code == 200
    assert about.title == "About Me"
    assert about.h1 == "About Me"
    assert "This is my personal website." in response.text

    response, back = visit(urljoin(about_url, about.links["Home"]))
    assert response.status_code == 200
    assert back.h1 == "Welcome to My Website"


def test_unknown_path_gets_a_404_page_in_the_site_layout(site):
    response, page = visit(site.url + "/no/such/page")
    assert response.status_code == 404
    assert page.h1 == "Page not found"
    assert STYLESHEET in response.text
    assert "Home" in page.links


def test_every_page_carries_the_shared_stylesheet(site):
    _, home = visit(site.url + "/")
    for url in (site.url + "/", urljoin(site.url + "/", home.links["About Me"])):
        response = requests.get(url)
        assert "<style>" in response.text
        assert STYLESHEET in response.text
