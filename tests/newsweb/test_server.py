"""The fixture news web server, over real HTTP on loopback.

Two fixtures: the shipped sites (every site folder present, so the other
sites are checked too) and a tiny test site tree under data/sites with a fixed
`today`, for exact placeholder and special-route behaviour.
"""
import html
import http.client
import urllib.error
import urllib.request
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import pytest

from veille.newsweb.server import SITES_DIR, NewsWeb, load_manifests

DATA_SITES = Path(__file__).parent / "data" / "sites"
SITE = "photonique-hebdo"
MANIFESTS = load_manifests()


def get(url: str, method: str = "GET"):
    """(status, headers, body) without raising on HTTP errors."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def raw_get(base: str, path: str):
    """A request whose path is sent exactly as written (no client normalisation)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def web():
    with NewsWeb() as running:
        yield running


@pytest.fixture(scope="module")
def base(web):
    return web.base_url(SITE)


@pytest.fixture(scope="module")
def test_web():
    with NewsWeb(DATA_SITES, today=date(2026, 11, 19)) as running:
        yield running


# --- the shipped sites ------------------------------------------------------

def test_each_site_is_its_own_host(web):
    assert set(web.bases) == {p.name for p in SITES_DIR.iterdir() if (p / "_manifest.yaml").is_file()}
    assert len({urlsplit(b).netloc for b in web.bases.values()}) == len(web.bases)
    assert all(not b.endswith("/") for b in web.bases.values())


def test_feed_has_its_placeholders_replaced(base):
    status, headers, body = get(base + "/feed.xml")
    text = body.decode("utf-8")
    assert status == 200
    assert headers["Content-Type"].startswith("application/rss+xml")
    assert "{{" not in text and "}}" not in text
    channel = ElementTree.fromstring(body).find("channel")
    assert channel.findtext("language") == "fr"
    assert channel.findtext("link") == base + "/"
    items = channel.findall("item")
    assert items
    for item in items:
        assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert item.findtext("link").startswith(base + "/")
        assert item.findtext("title") and item.findtext("description") and item.findtext("category")


def test_article_page_is_utf8_html_with_resolved_dates(base):
    path = MANIFESTS[SITE]["articles"][0]["path"]
    status, headers, body = get(base + path)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    text = body.decode("utf-8")
    assert "{{" not in text
    assert f'<link rel="canonical" href="{base}{path}">' in text


@pytest.mark.parametrize("path", ["/_manifest.yaml", "/_routes.yaml", "/articles/_manifest.yaml"])
def test_underscore_files_are_never_served(base, path):
    status, _, body = get(base + path)
    assert status == 404
    assert b"articles:" not in body


@pytest.mark.parametrize("path", ["/../server.py", "/articles/../../server.py", "/%2e%2e/server.py",
                                  "/..%2fserver.py", "/../photonique-hebdo/_manifest.yaml"])
def test_path_traversal_is_refused(base, path):
    status, body = raw_get(base, path)
    assert status >= 400
    assert b"import" not in body and b"articles:" not in body


def test_server_error_route(base):
    status, _, _ = get(base + "/articles/erreur-serveur.html")
    assert status == 500


def test_oversized_route_sends_at_least_8_mb(base):
    status, headers, body = get(base + "/articles/dossier-integral.html")
    assert status == 200
    assert int(headers["Content-Length"]) >= 8_000_000
    assert len(body) >= 8_000_000
    assert body.rstrip().endswith(b"</html>")


def test_missing_page_is_404(base):
    assert get(base + "/articles/page-disparue.html")[0] == 404


def test_pdf_is_served_as_pdf(base):
    status, headers, body = get(base + "/docs/rapport-marche-photonique.pdf")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")


def test_robots_txt_disallows_the_private_folder(base):
    status, headers, body = get(base + "/robots.txt")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    assert "Disallow: /prive/" in body.decode("utf-8")
    assert get(base + "/prive/brouillon.html")[0] == 200  # only robots.txt keeps a crawler out


def test_head_sends_headers_only(base):
    status, headers, body = get(base + "/feed.xml", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) > 1000


@pytest.mark.parametrize("site", sorted(MANIFESTS))
def test_every_manifest_article_is_served_with_its_title(web, site):
    for article in MANIFESTS[site]["articles"]:
        status, headers, body = get(web.base_url(site) + article["path"])
        assert status == 200, article["path"]
        assert headers["Content-Type"].startswith("text/html")
        assert article["title"] in html.unescape(body.decode("utf-8")), article["path"]


@pytest.mark.parametrize("site", sorted(MANIFESTS))
def test_every_manifest_article_is_linked_from_a_feed(web, site):
    manifest, site_base = MANIFESTS[site], web.base_url(site)
    linked = set()
    for feed in manifest["feeds"]:
        parsed = feedparser.parse(get(site_base + feed)[2])
        linked |= {entry.get("link", "").removeprefix(site_base) for entry in parsed.entries}
    missing = {a["path"] for a in manifest["articles"]} - linked
    assert not missing, sorted(missing)


def test_photonique_hebdo_feed_links_only_manifest_paths(base):
    manifest = MANIFESTS[SITE]
    parsed = feedparser.parse(get(base + "/feed.xml")[2])
    links = [entry.link.removeprefix(base) for entry in parsed.entries]
    expected = {a["path"] for a in manifest["articles"]} | {b["path"] for b in manifest["broken"]}
    assert len(links) == len(set(links))
    assert set(links) == expected


def test_photonique_hebdo_manifest_follows_the_conventions():
    articles = MANIFESTS[SITE]["articles"]
    assert len(articles) == 22
    assert sum(a["days_ago"] <= 6 for a in articles) * 3 >= len(articles)
    assert all(0 <= a["days_ago"] <= 35 for a in articles)
    kinds = [a["kind"] for a in articles]
    assert kinds.count("call") >= 2 and kinds.count("event") >= 1
    for article in articles:
        assert 1 <= len(article["themes"]) <= 2 and 1 <= len(article["markets"]) <= 2
        assert article["unknown_orgs"] and article["actors"]


# --- the test site tree, fixed date -----------------------------------------

def test_placeholders_render_dates_at_0930_paris(test_web):
    status, headers, body = get(test_web.base_url("alpha") + "/dates.txt")
    assert status == 200
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    values = dict(line.split("=", 1) for line in body.decode("utf-8").splitlines())
    assert values["base"] == test_web.base_url("alpha")
    assert values["beta"] == test_web.base_url("beta")
    assert values["rfc822"] == "Thu, 19 Nov 2026 09:30:00 +0100"
    assert values["iso"] == "2026-11-19T09:30:00+01:00"
    assert values["datefr"] == "19 novembre 2026"
    assert values["dateen"] == "November 19, 2026"
    assert values["datefr-first"] == "1er novembre 2026"
    assert values["rfc822-summer"] == "Mon, 22 Jun 2026 09:30:00 +0200"
    assert values["iso-summer"] == "2026-06-22T09:30:00+02:00"
    assert values["unknown"] == "{{nothing:1}}"


@pytest.mark.parametrize("path, content_type", [
    ("/atom.xml", "application/atom+xml"),
    ("/data.xml", "application/xml"),
    ("/data.json", "application/json"),
    ("/docs/note.pdf", "application/pdf"),
    ("/", "text/html; charset=utf-8"),
])
def test_content_type_by_extension_and_root_element(test_web, path, content_type):
    status, headers, body = get(test_web.base_url("alpha") + path)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == content_type.split(";")[0]
    if ";" in content_type:
        assert headers["Content-Type"] == content_type
    assert b"{{" not in body


@pytest.mark.parametrize("path", ["/_hidden.txt", "/_private/secret.html", "/_routes.yaml", "/nothing.html"])
def test_hidden_and_missing_files_are_404(test_web, path):
    assert get(test_web.base_url("alpha") + path)[0] == 404


def test_redirect_route_points_at_the_same_site(test_web):
    status, body = raw_get(test_web.base_url("alpha"), "/old.html")
    assert status == 301
    status, headers, body = get(test_web.base_url("alpha") + "/old.html")
    assert status == 200 and b"Accueil d'Alpha" in body


def test_file_and_size_routes(test_web):
    status, headers, body = get(test_web.base_url("alpha") + "/report")
    assert status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    status, headers, body = get(test_web.base_url("alpha") + "/big.html")
    assert status == 200 and len(body) == 200_000 and body.startswith(b"<!DOCTYPE html>")
    assert get(test_web.base_url("alpha") + "/boom.html")[0] == 500


def test_other_site_placeholder_in_html(test_web):
    body = get(test_web.base_url("beta") + "/")[2].decode("utf-8")
    assert f'href="{test_web.base_url("alpha")}/"' in body


def test_unbindable_addresses_fall_back_to_distinct_ports_on_127_0_0_1():
    # 198.51.100.0/24 is reserved for documentation: not a local address.
    with NewsWeb(DATA_SITES, host_prefix="198.51.100.") as web:
        hosts = {urlsplit(b).hostname for b in web.bases.values()}
        ports = {urlsplit(b).port for b in web.bases.values()}
        assert hosts == {"127.0.0.1"} and len(ports) == 2
        assert get(web.base_url("beta") + "/")[0] == 200


def test_load_manifests_and_unknown_site():
    assert set(load_manifests(DATA_SITES)) == set()  # the test sites have no manifest
    web = NewsWeb(DATA_SITES)
    with pytest.raises(KeyError, match="site inconnu"):
        web.base_url("alpha")
    with web:
        assert web.base_url("alpha").startswith("http://")
    assert web.bases == {}


@pytest.mark.parametrize("site", sorted(MANIFESTS))
def test_manifest_ids_exist_in_the_config(site):
    from veille.config import load_config

    config = load_config(Path(__file__).resolve().parents[2] / "config")
    actors = {a.id for a in config.actors}
    manifest = MANIFESTS[site]
    assert manifest["site"] == site
    for article in manifest["articles"]:
        where = f"{site}{article['path']}"
        assert set(article["themes"]) <= config.theme_ids, where
        assert set(article["markets"]) <= config.market_ids, where
        assert set(article["actors"]) <= actors, where
        assert article["lang"] in ("fr", "en"), where
