"""Read what a user sees on a page, and act on it the way a browser would.

`Page` parses HTML into a small tree of elements and offers what the tests look at: the
title, the h1, links, forms (with the values a browser would send), the to-do items, text by
class. `Browser` is a user with cookies who opens pages and submits their forms; each page it
gets carries the HTTP response it came in (`page.response`).
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
NOT_SENT = {"submit", "button", "reset", "image", "file"}  # input types a form does not send


def fold(text):
    """Text as a reader sees it: each run of whitespace folded to one space."""
    return " ".join(text.split())


class Element:
    """One HTML element: its tag, its attributes, and its children (elements and strings)."""

    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.children = []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    @property
    def raw_text(self):
        """All the text inside, exactly as written."""
        return "".join(
            child if isinstance(child, str) else child.raw_text for child in self.children
        )

    @property
    def text(self):
        """The text inside, whitespace folded."""
        return fold(self.raw_text)

    def iter(self):
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag=None, class_=None):
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag) and (class_ is None or class_ in element.classes)
        ]

    def find(self, tag=None, class_=None):
        """The first matching element, or None."""
        found = self.find_all(tag, class_)
        return found[0] if found else None


class Form:
    """A form as a browser submits it: its URL, its method and the values of its controls."""

    def __init__(self, element, page_url=""):
        self.element = element
        self.action = element.attrs.get("action") or ""
        self.url = urljoin(page_url, self.action)  # no action: the page's own URL
        self.method = (element.attrs.get("method") or "get").lower()
        self.inputs = {}  # control name -> its attributes
        self.fields = {}  # control name -> the value a browser sends
        self.buttons = []  # the text of each button
        for control in element.iter():
            kind = control.attrs.get("type") or ("text" if control.tag == "input" else "")
            if control.tag == "button" or (control.tag == "input" and kind in NOT_SENT):
                self.buttons.append(control.text or control.attrs.get("value") or "")
                continue
            name = control.attrs.get("name")
            if control.tag not in ("input", "textarea", "select") or not name:
                continue
            self.inputs[name] = control.attrs
            if kind in ("checkbox", "radio"):
                if "checked" in control.attrs:
                    self.fields[name] = control.attrs.get("value") or "on"
            elif control.tag == "textarea":
                self.fields[name] = control.raw_text.removeprefix("\n")
            elif control.tag == "select":
                options = control.find_all("option")
                chosen = [o for o in options if "selected" in o.attrs] or options[:1]
                if chosen:
                    self.fields[name] = chosen[0].attrs.get("value", chosen[0].text)
            else:
                self.fields[name] = control.attrs.get("value") or ""

    @property
    def path(self):
        return urlsplit(self.url).path


class Item:
    """A to-do in the list (li.todo): its title, whether it is done, its forms and links."""

    def __init__(self, element, page_url=""):
        self.element = element
        title = element.find(class_="title")
        self.title = title.text if title else ""
        self.done = "done" in element.classes
        forms = [Form(form, page_url) for form in element.find_all("form")]
        self.forms = {form.path.rstrip("/").rsplit("/", 1)[-1]: form for form in forms}  # "toggle"
        self.id = int(forms[0].path.split("/")[1]) if forms else None
        self.links = {a.text: a.attrs.get("href") for a in element.find_all("a")}
        edit = element.find("a", "edit")
        self.edit_url = edit.attrs.get("href") if edit else None


class Page(HTMLParser):
    """The parts of an HTML page the tests look at, and the response it came in, if any."""

    def __init__(self, html, url="", response=None):
        super().__init__()
        self.url = url
        self.response = response
        self.root = Element("#document", [])
        self._open = [self.root]
        self.feed(html)
        self.close()
        self.title = self.text("title")
        self.h1 = self.text("h1")
        self.links = {a.text: a.attrs["href"] for a in self.find_all("a") if "href" in a.attrs}
        self.current_links = [
            a.text for a in self.find_all("a") if a.attrs.get("aria-current") == "page"
        ]
        self.labels = {label.attrs.get("for"): label.text for label in self.find_all("label")}
        self.forms = [Form(form, url) for form in self.find_all("form")]
        self.items = [Item(li, url) for li in self.find_all("li", "todo")]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs)
        self._open[-1].children.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        if any(element.tag == tag for element in self._open[1:]):
            while self._open.pop().tag != tag:
                pass

    def handle_data(self, data):
        self._open[-1].children.append(data)

    def find_all(self, tag=None, class_=None):
        return self.root.find_all(tag, class_)

    def find(self, tag=None, class_=None):
        return self.root.find(tag, class_)

    def text(self, tag=None, class_=None):
        """The text of the first matching element ("" if there is none)."""
        element = self.find(tag, class_)
        return element.text if element else ""

    def texts(self, class_):
        """The text of every element with this class, in document order."""
        return [element.text for element in self.find_all(class_=class_)]

    @property
    def actions(self):
        """The path each form posts to."""
        return [form.path for form in self.forms]

    def form(self, action):
        """The form that posts to this path."""
        for form in self.forms:
            if form.path == action:
                return form
        raise LookupError(f"no form posts to {action!r}; the forms post to {self.actions}")

    def item(self, title):
        """The to-do with this title."""
        for item in self.items:
            if item.title == title:
                return item
        raise LookupError(f"no todo {title!r}; the list shows {[i.title for i in self.items]}")


class OneConnectionPerRequest(HTTPAdapter):
    """Never reuse a connection: a server may close it without saying so in its answer
    (Django's development server does, when asked to), and a reused one then fails."""

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        self.close()  # the connection closes once its answer is read, instead of being pooled
        return response


class Browser:
    """A user's browser: it keeps its cookies, opens pages and submits forms.

    With behind_tls_proxy=True it speaks to the server as the TLS proxy in front passes a
    browser's HTTPS requests on: with X-Forwarded-Proto, the Referer a browser sends over
    HTTPS (Django's CSRF check wants it there), and its Secure cookies, which would otherwise
    stay home, since the test itself speaks plain HTTP.
    """

    def __init__(self, base_url, behind_tls_proxy=False, cookies=None):
        self.base_url = base_url.rstrip("/") + "/"
        self.behind_tls_proxy = behind_tls_proxy
        self.session = requests.Session()
        # One connection per request: on a kept-alive connection, Django's development server
        # answers each request about 40 ms late (Nagle's algorithm meets delayed ACKs).
        self.session.headers["Connection"] = "close"
        self.session.mount("http://", OneConnectionPerRequest())
        if behind_tls_proxy:
            self.session.headers["X-Forwarded-Proto"] = "https"
            self.session.headers["Referer"] = self.base_url.replace("http:", "https:", 1)
        if cookies is not None:
            self.session.cookies.update(cookies)

    def copy(self):
        """Another browser with this one's cookies: logged in as the same user, if any."""
        return Browser(self.base_url, self.behind_tls_proxy, self.session.cookies.copy())

    def request(self, method, path, **kwargs):
        """The page that answers this request (to a path, or a URL), with its response."""
        if not self.behind_tls_proxy:
            response = self.session.request(
                method, urljoin(self.base_url, path), timeout=30, **kwargs
            )
            return Page(response.text, response.url, response)
        # Behind the proxy, follow redirects one by one, so that the Secure cookies a response
        # sets go with the next request too.
        follow = kwargs.pop("allow_redirects", True)
        url = urljoin(self.base_url, path)
        for _ in range(30):  # as many as requests follows
            for cookie in self.session.cookies:
                cookie.secure = False
            response = self.session.request(
                method, url, timeout=30, allow_redirects=False, **kwargs
            )
            if not (follow and response.is_redirect):
                return Page(response.text, response.url, response)
            method, url, kwargs = "GET", urljoin(url, response.headers["Location"]), {}
        raise requests.TooManyRedirects(url)

    def get(self, path, **kwargs):
        """The page at this path (or URL), with its response."""
        return self.request("GET", path, **kwargs)

    def post(self, path, data, follow=True):
        return self.request("POST", path, data=data, allow_redirects=follow)

    def submit(self, form, follow=True, **typed):
        """Send the form with every value it holds, `typed` filled in (None leaves one out).

        With follow=False the redirect that answers it is returned, not followed.
        """
        values = {**form.fields, **typed}
        data = {name: value for name, value in values.items() if value is not None}
        sent = {"params": data} if form.method == "get" else {"data": data}
        return self.request(form.method, form.url, allow_redirects=follow, **sent)

    # A To Do app's accounts

    def sign_up(self, username, password, again=None, follow=True):
        """Fill in and send the sign-up form (the password twice, or `again` the second
        time); the page that answers."""
        form = self.get("/signup").form("/signup")
        again = password if again is None else again
        return self.submit(form, follow, username=username, password1=password, password2=again)

    def log_in(self, username, password, follow=True, **typed):
        """Open the login page, send the form with the name and the password; the page that
        answers."""
        form = self.get("/login").form("/login")
        return self.submit(form, follow, username=username, password=password, **typed)

    def log_out(self):
        """Press "Log out" on the list page; the page that answers (the login page)."""
        return self.submit(self.get("/").form("/logout"))


def every_page(user, app, framework, errors=False):
    """Every page of a hello, site or To Do app, opened by `user`, by name; with errors=True
    also the answers that are no page of the app's (a redirect, a refused form, a GET on a
    form, robots.txt, a Host outside ALLOWED_HOSTS, a request body over 64 KiB)."""
    if app == "hello":
        return {"home": user.get("/"), "404": user.get("/no/such/page")}
    if app == "site":
        pages = {
            "home": user.get("/"),
            "about": user.get("/about" if framework == "flask" else "/about/"),
            "404": user.get("/no/such/page"),
        }
    else:
        pages = {"login": user.get("/login"), "signup": user.get("/signup")}
        pages["signup refused (400)"] = user.sign_up("ann", "123")
        pages["empty list"] = user.sign_up("ann", "plum tree by the river")
        form = pages["empty list"].form("/add")
        added = user.submit(form, title="Buy milk", follow=False)
        pages["list"] = user.get("/")
        pages["active"] = user.get("/active")
        pages["completed"] = user.get("/completed")
        pages["edit"] = user.get(pages["list"].item("Buy milk").edit_url)
        pages["blank title (400)"] = user.submit(form, title=" ", follow=False)
        pages["unknown todo (404)"] = user.get("/999999/edit")
        pages["login refused"] = user.copy().log_in("ann", "wrong password")
        if errors:
            pages["not logged in (302)"] = Browser(user.base_url, user.behind_tls_proxy).get(
                "/", allow_redirects=False
            )
            pages["add (303)"] = added
            csrf = {name: "x" for name in form.fields if "csrf" in name}
            pages["wrong CSRF token (403)"] = user.submit(form, title="x", **csrf)
            pages["GET on a form (405)"] = user.get("/add")
    if errors:
        pages["robots.txt"] = user.get("/robots.txt")
        pages["host outside ALLOWED_HOSTS (400)"] = user.get("/", headers={"Host": "evil.test"})
        pages["body over 64 KiB (413)"] = user.get("/", data=b"x" * 70_000)
    return pages
