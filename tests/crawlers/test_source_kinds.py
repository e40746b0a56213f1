"""Every kind of source against the fixture web: feeds (JSON Feed here; RSS and
Atom in test_feed_crawl), sitemaps (index, Google News, date filter, robots.txt),
site sections (allow/deny rules, page limit) and watched pages."""
import pytest

from crawlers.extract import extract_page
from crawlers.run import crawl
from crawlers.state import CrawlState
from veille.config import CrawlSettings, Source
from veille.newsweb.server import NewsWeb, load_manifests
from veille.spool import Spool

SETTINGS = CrawlSettings(download_timeout=10, download_delay=0, concurrent_per_domain=8, extract_processes=1)
MANIFESTS = load_manifests()


@pytest.fixture(scope="module")
def web():
    """A web of its own: the watched page changes between the first and second visit."""
    with NewsWeb() as running:
        yield running


def _crawl(sources, tmp_path):
    return crawl(sources, SETTINGS, tmp_path / "spool.sqlite", tmp_path / "crawl.log")


def _pages(tmp_path):
    with Spool(tmp_path / "spool.sqlite") as spool:
        return {page["url"]: page for page in spool.pages_to_extract()}


def _source(web, site, path, **options):
    return Source(id="s", name="Source", url=web.base_url(site) + path, allow_private=True, **options)


def test_sitemap_index_from_robots_with_google_news_dates(web, tmp_path):
    base = web.base_url("tech-europe-wire")
    report = _crawl([_source(web, "tech-europe-wire", "/robots.txt", kind="sitemap", max_age_days=7)], tmp_path)
    pages = _pages(tmp_path)
    assert set(pages) == {
        base + "/articles/orange-inria-post-quantum-key-exchange-5g-core-pilot.html",
        base + "/fr/articles/cea-leti-stmicroelectronics-ligne-pilote-fd-soi-crolles.html",
        base + "/articles/lyon-startup-septidx-raises-eur-12-million-ai-sepsis-diagnosis.html",  # utm_ removed
    }
    assert report["s"]["errors"] == []
    assert web.sites["tech-europe-wire"].hits["/sitemap-archives-2025.xml"] == 0  # old: never fetched
    orange = pages[base + "/articles/orange-inria-post-quantum-key-exchange-5g-core-pilot.html"]
    assert orange["entry"]["title"].startswith("Orange and Inria") and orange["entry"]["published"]


def test_plain_sitemap_filtered_by_date_and_rules(web, tmp_path):
    base = web.base_url("photonique-hebdo")
    _crawl([_source(web, "photonique-hebdo", "/sitemap.xml", kind="sitemap", max_age_days=7,
                    allow=["/articles/"], deny=["appel"])], tmp_path)
    expected = {base + a["path"] for a in MANIFESTS["photonique-hebdo"]["articles"]
                if a["days_ago"] <= 6 and "appel" not in a["path"]}
    assert set(_pages(tmp_path)) == expected


def test_site_section_with_rules_and_page_limit(web, tmp_path):
    source = _source(web, "industries-territoires", "/", kind="section", allow=["/articles/"],
                     deny=["hydrogene"], follow=["/rubriques/"], max_depth=1, max_pages=5)
    report = _crawl([source], tmp_path)
    pages = _pages(tmp_path)
    assert len(pages) == 5
    assert all("/articles/" in url and "hydrogene" not in url for url in pages)
    assert report["s"]["errors"] == []  # /rubriques/ links are beyond max_depth: not walked
    site = web.sites["industries-territoires"]
    assert not any(path.startswith("/rubriques/") for path in site.hits)


def test_watched_page_change_gives_an_item_with_what_was_added(web, tmp_path):
    source = _source(web, "industries-territoires", "/appels-en-cours.html", kind="watch", selector="#appels")
    first = _crawl([source], tmp_path)
    assert first["s"]["new"] == 0 and first["s"]["errors"] == []  # first visit: the reference
    second = _crawl([source], tmp_path)
    assert second["s"]["new"] == 1
    (page,) = _pages(tmp_path).values()
    summary = page["entry"]["summary"]
    assert "Capteurs connectés pour le littoral" in summary
    assert "ViaMéca" not in summary and "Mis à jour" not in summary
    assert page["entry"]["links"] == [web.base_url("industries-territoires") + "/appels/capteurs-bord-de-mer.html"]
    article = extract_page(page, "Industries & Territoires").article
    assert article.feed_summary.startswith("Capteurs connectés") and article.title.endswith("nouveautés")
    third = _crawl([source], tmp_path)
    assert third["s"]["new"] == 0 and third["s"]["not_modified"] == 1


def test_json_feed_and_entry_without_page(web, tmp_path):
    report = _crawl([_source(web, "zone-de-pannes", "/flux.json")], tmp_path)
    assert report["s"]["errors"] == [] and report["s"]["entries"] == 2
    pages = _pages(tmp_path)
    assert web.base_url("zone-de-pannes") + "/articles/controle-banc-essai-optique.html" in pages
    (brief,) = [p for p in pages.values() if not p["body"]]
    article = extract_page(brief, "Zone de pannes").article
    assert article.feed_summary.startswith("Le pôle de compétitivité ouvre les inscriptions")
    assert article.canonical_url == brief["url"] and "#entree-" in article.url
    with CrawlState(tmp_path / "spool.sqlite") as state:
        state.db.execute("DELETE FROM feed_validators")  # read the feed again rather than get a 304
    again = _crawl([_source(web, "zone-de-pannes", "/flux.json")], tmp_path)["s"]
    assert again["new"] == 0 and again["known"] == 2  # the page-less entry is not stored again


def test_kinds_in_one_crawl_share_known_pages(web, tmp_path):
    feed = _source(web, "tech-europe-wire", "/rss.xml").model_copy(update={"id": "feed"})
    sitemap = _source(web, "tech-europe-wire", "/sitemap_index.xml", kind="sitemap", max_age_days=7) \
        .model_copy(update={"id": "plan"})
    report = _crawl([feed, sitemap], tmp_path)
    fetched = report["feed"]["new"] + report["plan"]["new"]
    assert fetched == len(_pages(tmp_path))  # no page fetched twice
    assert report["feed"]["known"] + report["plan"]["known"] >= 1
