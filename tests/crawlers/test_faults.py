"""The crawler against the faulty server of the fixture web (site `zone-de-pannes`):
every fault is refused or survived with a clear reason naming its URL, and the
healthy pages around them are still collected."""
from pathlib import Path

import pytest

from crawlers.run import crawl
from crawlers.extract import extract_page
from veille.config import CrawlSettings, Source
from veille.newsweb.server import NewsWeb, load_manifests
from veille.spool import Spool

SITE = "zone-de-pannes"
MANIFEST = load_manifests()[SITE]
SETTINGS = CrawlSettings(download_timeout=2, max_page_bytes=2_000_000, download_delay=0,
                         concurrent_per_domain=8, extract_processes=1)


@pytest.fixture(scope="module")
def web():
    """A web of its own: the rate-limited routes answer 429/503 to the first request only."""
    with NewsWeb() as running:
        yield running


def _source(web, path, source_id="pannes"):
    return Source(id=source_id, name="Zone de pannes", url=web.base_url(SITE) + path, allow_private=True)


@pytest.fixture(scope="module")
def faults(web, tmp_path_factory):
    data = tmp_path_factory.mktemp("faults")
    spool_path = data / "spool.sqlite"
    report = crawl([_source(web, "/flux.xml")], SETTINGS, spool_path, data / "crawl.log")
    return spool_path, report["pannes"]


def _reason(web, stats, path):
    url = web.base_url(SITE) + path
    reasons = [e["reason"] for e in stats["errors"] if e["url"] == url]
    assert reasons, f"no error reported for {path}: {stats['errors']}"
    return reasons[0]


def _pages(spool_path):
    with Spool(spool_path) as spool:
        return {page["url"]: page for page in spool.pages_to_extract()}


@pytest.mark.parametrize("fault", MANIFEST["faults"][:9], ids=lambda f: f["path"])
def test_each_fault_is_reported_with_its_url(web, faults, fault):
    _, stats = faults
    assert fault["expect"] in _reason(web, stats, fault["path"])


def test_decompression_bombs_are_refused_after_decompression(web, faults):
    spool_path, stats = faults
    for kind in ("gzip", "deflate", "brotli"):
        assert "après décompression" in _reason(web, stats, f"/bombes/{kind}.html")
    assert not any("/bombes/" in url for url in _pages(spool_path))


def test_redirects_to_internal_addresses_are_refused_on_the_hop(web, faults):
    _, stats = faults
    assert "169.254.169.254" in _reason(web, stats, "/redirections/vers-metadonnees.html")
    assert "localhost" in _reason(web, stats, "/redirections/vers-boucle-locale.html")
    assert "file:///etc/passwd" in _reason(web, stats, "/redirections/vers-fichier.html")


def test_healthy_pages_are_collected_around_the_faults(web, faults):
    spool_path, stats = faults
    pages = _pages(spool_path)
    base = web.base_url(SITE)
    for control in MANIFEST["controls"]:
        assert base + control["path"] in pages, control["path"]
    assert stats["new"] == len(MANIFEST["controls"])


def test_retry_after_is_honoured_then_the_page_is_collected(web, faults):
    spool_path, _ = faults
    site = web.sites[SITE]
    for path in ("/limite/trop-de-requetes.html", "/limite/indisponible.html"):
        assert site.hits[path] == 2, path  # refused once, then served: no hammering
        page = _pages(spool_path)[web.base_url(SITE) + path]
        assert b"Banc d'essai optique" in page["body"]


@pytest.mark.parametrize("path, words", [
    ("/articles/charset-annonce-faux.html", ["Métrologie", "qualifié", "équipé"]),
    ("/articles/charset-non-declare.html", ["réinjectés", "œ", "« français »"]),
])
def test_wrong_and_missing_charsets_give_clean_text(web, faults, path, words):
    spool_path, _ = faults
    page = _pages(spool_path)[web.base_url(SITE) + path]
    result = extract_page(page, "Zone de pannes")
    assert result.article is not None, result.error
    text = result.article.title + " " + result.article.text
    for word in words:
        assert word in text, (word, text[:300])
    assert "Ã" not in text


@pytest.mark.parametrize("path", ["/milliard-de-rires.xml", "/entite-externe.xml"])
def test_entity_tricks_in_feeds_are_refused_harmlessly(web, tmp_path, path):
    report = crawl([_source(web, path)], SETTINGS, tmp_path / "spool.sqlite", tmp_path / "crawl.log")
    stats = report["pannes"]
    assert stats["entries"] == 0 and stats["new"] == 0
    assert "entités XML" in _reason(web, stats, path)
    with Spool(tmp_path / "spool.sqlite") as spool:
        assert not list(spool.pages_to_extract())


def test_private_addresses_are_refused_without_the_flag(web, tmp_path):
    source = _source(web, "/flux.xml").model_copy(update={"allow_private": False})
    report = crawl([source], SETTINGS, tmp_path / "spool.sqlite", tmp_path / "crawl.log")
    assert "adresse privée refusée" in _reason(web, report["pannes"], "/flux.xml")
    assert web.sites[SITE].hits["/flux.xml"] == 1  # the faults crawl only: this one never reached the server
