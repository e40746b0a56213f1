"""Feed bodies read safely: entity tricks refused, JSON Feed mapped, no HTTP."""
from crawlers.feedparse import entity_tricks, parse_feed

RSS = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>T</title><link>http://e.org/</link><description>D</description>
<item><title>Un titre</title><link>http://e.org/a.html</link><description>R\xc3\xa9sum\xc3\xa9</description></item>
</channel></rss>"""


def test_old_netscape_doctype_is_not_an_entity_trick():
    assert entity_tricks(RSS) == ""
    feed = parse_feed(RSS, "http://e.org/rss.xml", "application/rss+xml")
    assert feed.problem == ""
    assert feed.entries[0]["link"] == "http://e.org/a.html" and feed.entries[0]["summary"] == "Résumé"


def test_internal_entity_declaration_is_refused():
    body = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel><title>&a;</title></channel></rss>'
    feed = parse_feed(body, "http://e.org/rss.xml")
    assert feed.entries == [] and "entités XML" in feed.problem


def test_external_entity_is_refused():
    body = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>'
    assert "entités XML" in entity_tricks(body)


def test_a_url_as_body_is_never_fetched():
    feed = parse_feed(b"http://169.254.169.254/latest/meta-data/", "http://e.org/rss.xml")
    assert feed.entries == []


def test_json_feed_items_keep_their_summary_and_dates():
    body = ('{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": ['
            '{"id": "1", "url": "http://e.org/1", "title": "Un", "summary": "S", '
            '"date_published": "2026-11-20T09:30:00+01:00", "authors": [{"name": "A. Auteur"}]},'
            '{"id": "2", "content_text": "Brève sans page."}]}').encode()
    feed = parse_feed(body, "http://e.org/feed.json", "application/feed+json")
    assert feed.problem == ""
    first, second = feed.entries
    assert first["link"] == "http://e.org/1" and first["published"] == "2026-11-20T08:30:00+00:00"
    assert first["authors"] == ["A. Auteur"]
    assert second["link"] == "" and second["summary"] == "Brève sans page."


def test_broken_json_feed_says_why():
    assert "flux JSON illisible" in parse_feed(b"{not json", "http://e.org/feed.json").problem
