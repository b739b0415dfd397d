"""Security headers on every page, and pages that pass their own Content-Security-Policy:
no inline scripts, styles or event handlers, nothing loaded from another origin."""

from html.parser import HTMLParser

import pytest

from .factories import make_source
from .serving import clear_index

pytestmark = pytest.mark.django_db(transaction=True)


class InlineFinder(HTMLParser):
    """Collects what a strict CSP (script-src 'self'; style-src 'self') would block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_script = False
        self._script_text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=...> inline style")
            if name in {"href", "src", "action"} and value and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            src = attrs.get("src")
            if src is None:
                self._in_script = True
                self._script_text = []
            elif not src.startswith("/"):
                self.problems.append(f"<script src={src}> from another origin")
        if tag == "link" and "stylesheet" in (attrs.get("rel") or ""):
            href = attrs.get("href") or ""
            if not href.startswith("/"):
                self.problems.append(f"<link rel=stylesheet href={href}> from another origin")
        if tag in {"img", "iframe", "object", "embed"}:
            src = attrs.get("src") or attrs.get("data") or ""
            if src.startswith(("http:", "https:", "//")):
                self.problems.append(f"<{tag} src={src}> from another origin")
            if tag in {"iframe", "object", "embed"}:
                self.problems.append(f"<{tag}> element")

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script:
            self._in_script = False
            body = "".join(self._script_text).strip()
            # A JSON data block is not executed, so CSP allows it.
            self.problems.append(f"inline <script>: {body[:60]!r}")

    def handle_data(self, data):
        if self._in_script:
            self._script_text.append(data)


def inline_problems(html):
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def assert_security_headers(response, html=True):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if html:
        csp = response["Content-Security-Policy"]
        directives = {
            part.strip().split()[0]: part.strip().split()[1:]
            for part in csp.split(";")
            if part.strip()
        }
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["base-uri"] == ["'self'"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


@pytest.fixture
def article():
    clear_index()
    make_source("Another piece on Osh", countries=["Kyrgyzstan"], organisations=["OSCE"])
    return make_source(
        "Headers test article on Osh",
        text="Headers test article on Osh.\n\nA second paragraph about Bishkek and the OSCE.",
        countries=["Kyrgyzstan"],
        organisations=["OSCE"],
        years=[2010],
    )


def html_pages(article):
    return [
        "/",
        "/search/",
        "/search/?q=Osh",
        "/search/?q=Osh&country=Kyrgyzstan&sort=newest",
        "/search/?q=zzzznothingmatches",
        article.get_absolute_url(),
        "/sources/no-such-article/",  # the 404 page
    ]


def test_html_pages_carry_security_headers_and_pass_the_csp(client, article):
    for url in html_pages(article):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert response["Content-Type"].startswith("text/html"), url
        assert_security_headers(response)
        assert inline_problems(response.content.decode()) == [], url


def test_staff_view_of_an_article_passes_the_csp(client, article, django_user_model):
    staff = django_user_model.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    client.force_login(staff)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert_security_headers(response)
    assert inline_problems(response.content.decode()) == []


def test_admin_pages_carry_security_headers(client, django_user_model):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_security_headers(response)
    admin = django_user_model.objects.create_superuser("root", "r@example.org", "pw-root-1")
    client.force_login(admin)
    for url in ("/admin/", "/admin/sources/source/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)


def test_api_and_exports_carry_security_headers(client, article):
    for url in ("/api/search?q=Osh", "/search.csv?q=Osh", "/search.atom?q=Osh"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, html=False)
        assert response["X-Frame-Options"] == "DENY"


def test_session_and_csrf_cookies(client, django_user_model):
    django_user_model.objects.create_user("staffer", password="pw-staffer-1", is_staff=True)
    client.get("/admin/login/")
    csrf = client.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "staffer", "password": "pw-staffer-1", "csrfmiddlewaretoken": csrf.value},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def test_inline_finder_finds_what_csp_blocks():
    page = (
        '<p style="color:red" onclick="x()">a</p><style>p{}</style>'
        "<script>alert(1)</script><script src=\"https://cdn.example/x.js\"></script>"
        '<link rel="stylesheet" href="https://cdn.example/x.css"><a href="javascript:x()">'
    )
    assert len(inline_problems(page)) == 7
    assert inline_problems('<script src="/static/js/archive.js"></script>') == []
