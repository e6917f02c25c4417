"""Read what a user sees on a page: its title, headings, links and forms."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """The parts of an HTML page the tests look at."""

    def __init__(self, html):
        super().__init__()
        self.title = ""
        self.h1 = ""
        self.links = {}  # link text -> href
        self._tags = []
        self._href = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self._tags.append(tag)
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = ""

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links[" ".join(self._text.split())] = self._href
            self._href = None
        if self._tags and self._tags[-1] == tag:
            self._tags.pop()

    def handle_data(self, data):
        if "title" in self._tags:
            self.title += data
        if "h1" in self._tags:
            self.h1 += data
        if self._href is not None:
            self._text += data
