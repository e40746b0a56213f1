"""A hostile article (script tags, javascript: links, event attributes, CR/LF in the title)
renders harmless in the HTML, the plain text and the email headers."""
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reports.delivery import send_digest
from reports.digest import build_digest, render_digest
from reports.mailer import send_message
from veille.record import Article

NOW = datetime(2026, 11, 23, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


DATA = Path(__file__).parent / "data"


@pytest.fixture
def hostile() -> Article:
    return Article.from_json((DATA / "hostile.jsonl").read_text(encoding="utf-8").strip())


@pytest.fixture
def digest(config, index, hostile):
    index.upsert([hostile])                  # the fixture articles, and the hostile one
    return build_digest(config, index, "zoom-spatial-defense", now=NOW)


def test_the_hostile_article_is_in_the_digest(digest):
    titles = [item.title for item in digest.highlights.items]
    assert any(t.startswith("Alerte lasers Bcc: victime@example.org <script>") for t in titles)


def test_html_has_no_script_no_event_attribute_no_javascript_link(digest):
    html, _ = render_digest(digest)
    parser = Elements()
    parser.feed(html)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags and "iframe" not in tags and "svg" not in tags
    for tag, attrs in parser.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html     # shown as text, escaped


def test_plain_text_has_no_carriage_return_and_one_line_titles(digest):
    _, text = render_digest(digest)
    assert "\r" not in text
    links = [token for token in text.split() if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S", token)]
    assert links and all(token.startswith(("http://", "https://")) for token in links), links
    assert "onerror" not in text                      # summaries lose their markup
    line = next(l for l in text.splitlines() if "Alerte lasers" in l)
    assert "Bcc: victime@example.org" in line          # the would-be header stays inside the title line
    assert not any(l.startswith(("Bcc:", "X-Injected:")) for l in text.splitlines())


def test_headers_cannot_be_added_by_a_crawled_title(mail_config, smtp_server, digest, hostile):
    send_digest(mail_config, digest, ["alice@pole.example.org"])
    # the web app's followed searches put user and crawled text in the subject: same guarantee
    send_message(mail_config, ["alice@pole.example.org"], f"Nouveau : {hostile.title}", "<p>x</p>", "x",
                 key="suivi-hostile")
    received = smtp_server.recorder.received
    assert [rcpts for rcpts, _ in received] == [["alice@pole.example.org"], ["alice@pole.example.org"]]
    for message in smtp_server.recorder.messages():
        assert message["Bcc"] is None and message["X-Injected"] is None
        assert "\n" not in message["Subject"].replace("\n ", "") and "\r" not in message["Subject"]
    assert smtp_server.recorder.messages()[1]["Subject"].startswith("Nouveau : Alerte lasers Bcc: victime")
