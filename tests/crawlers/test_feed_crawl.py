"""The feed crawler against the fixture news web: every article lands, every
broken case is reported with its URL, and nothing is fetched twice."""
import pytest

from crawlers.run import crawl
from veille.spool import Spool


def _errors(report):
    return {e["url"]: e["reason"] for stats in report.values() for e in stats["errors"]}


@pytest.fixture
def crawled(demo_config):
    spool_path = demo_config.data_dir / "spool.sqlite"
    report = crawl(demo_config.sources, demo_config.settings.crawl, spool_path, demo_config.data_dir / "crawl.log")
    return demo_config, spool_path, report


def _url(newsweb, site, path):
    return newsweb.web.base_url(site) + path


def test_every_article_of_every_feed_is_fetched(crawled, newsweb, manifests):
    config, spool_path, report = crawled
    with Spool(spool_path) as spool:
        fetched = spool.known_page_urls()
    expected = {_url(newsweb, site, a["path"]) for site, m in manifests.items() for a in m["articles"]}
    assert expected <= fetched, sorted(expected - fetched)[:5]


def test_broken_cases_are_reported_with_their_url(crawled, newsweb, manifests):
    _, _, report = crawled
    errors = _errors(report)
    expected_reason = {
        "page-disparue": "HTTP 404", "erreur-serveur": "HTTP 500", ".pdf": "type de contenu non pris en charge",
        "dossier-integral": "trop volumineuse", "/prive/": "robots.txt", "agenda/feed.xml": "flux illisible",
    }
    for fragment, reason in expected_reason.items():
        matching = [url for url in errors if fragment in url]
        assert matching, f"no error reported for {fragment}: {errors}"
        assert reason in errors[matching[0]], (fragment, errors[matching[0]])


def test_redirected_entry_is_stored_under_its_link(crawled, newsweb):
    _, spool_path, _ = crawled
    with Spool(spool_path) as spool:
        rows = spool.db.execute("SELECT url, final_url FROM pages WHERE url LIKE '%ancienne-adresse%'").fetchall()
    assert rows and rows[0][1] != rows[0][0] and rows[0][1].endswith(".html")


def test_second_crawl_fetches_nothing_again(crawled):
    config, spool_path, first = crawled
    second = crawl(config.sources, config.settings.crawl, spool_path, config.data_dir / "crawl.log")
    assert sum(s["new"] for s in second.values()) == 0
    for source, stats in second.items():
        # an unchanged feed answers 304; a feed read again finds only known pages
        assert stats["not_modified"] == 1 or stats["known"] == first[source]["new"] + first[source]["known"], source


def test_unchanged_feed_costs_one_304(crawled):
    config, spool_path, first = crawled
    second = crawl(config.sources, config.settings.crawl, spool_path, config.data_dir / "crawl.log")
    # industries-territoires has no broken case: its validators were stored
    stats = second["industries-territoires"]
    assert stats["not_modified"] == 1 and stats["entries"] == 0 and stats["known"] == 0
    # photonique-hebdo had a temporary error (HTTP 500): its feed is read again next time
    assert second["photonique-hebdo"]["not_modified"] == 0
    assert second["photonique-hebdo"]["known"] > 0


def test_private_address_refused_unless_allowed(demo_config):
    source = demo_config.sources[0].model_copy(update={"allow_private": False})
    report = crawl([source], demo_config.settings.crawl, demo_config.data_dir / "spool.sqlite",
                   demo_config.data_dir / "crawl.log")
    reasons = [e["reason"] for e in report[source.id]["errors"]]
    assert report[source.id]["new"] == 0
    assert any("adresse privée refusée" in r for r in reasons), reasons


def test_pages_that_failed_for_good_are_not_asked_again(crawled, newsweb):
    config, spool_path, first = crawled
    second = crawl(config.sources, config.settings.crawl, spool_path, config.data_dir / "crawl.log")
    stats = second["photonique-hebdo"]
    again = {e["url"].rsplit("/", 1)[-1] for e in stats["errors"]}
    # 404, not HTML, too large, robots.txt: remembered; the HTTP 500 may pass: asked again
    assert stats["known_failed"] == 4
    assert again == {"erreur-serveur.html"}
