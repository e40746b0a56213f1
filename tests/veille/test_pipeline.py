"""The whole pipeline on the fixture news web with the shipped demo config:
crawl → extract → enrich → index → digest, then the same run again."""
from pathlib import Path

import pytest

from index import open_index
from index.base import SearchRequest
from veille.config import load_config
from veille.pipeline import Pipeline
from veille.spool import Spool

ROOT = Path(__file__).resolve().parents[2]


def _run(config):
    pipeline = Pipeline(config)
    try:
        return pipeline.run()
    finally:
        pipeline.close()


@pytest.fixture(scope="module")
def demo(newsweb, tmp_path_factory):
    config = newsweb.bind(load_config(ROOT / "config", overlay=ROOT / "config" / "demo"))
    data_dir = tmp_path_factory.mktemp("pipeline")
    config = config.model_copy(update={"settings": config.settings.model_copy(update={"data_dir": data_dir})})
    return config, _run(config)


@pytest.fixture(scope="module")
def articles(demo):
    config, _ = demo
    with Spool(config.data_dir / "spool.sqlite") as spool:
        return {a.url: a for a in spool.get_articles(spool.ids_in("indexed"))}


def _expected(newsweb, manifests):
    """Manifest articles by the URL the feed gives (redirects keep that URL)."""
    return {newsweb.web.base_url(site) + a["path"]: a for site, m in manifests.items() for a in m["articles"]}


def _search(config, query, **filters):
    with open_index(config) as index:
        return index.search(SearchRequest(query=query, limit=50, **filters))


def test_every_stage_ran_and_every_fixture_article_is_indexed(demo, newsweb, manifests, articles):
    config, report = demo
    assert report.ok, report.failure
    assert list(report.counts) == ["crawl", "extract", "enrich", "index", "digest"]
    expected = _expected(newsweb, manifests)
    assert set(expected) <= set(articles), sorted(set(expected) - set(articles))[:5]
    assert report.index_total == len(articles) >= 60


def test_broken_cases_are_reported_and_do_not_stop_the_run(demo):
    _, report = demo
    reported = {e["url"]: e["reason"] for e in report.errors}
    for fragment in ("page-disparue", "erreur-serveur", ".pdf", "dossier-integral", "/prive/", "agenda/feed.xml"):
        assert any(fragment in url for url in reported), (fragment, reported)
    assert report.counts["extract"]["failed"] == 0


def test_articles_carry_the_record_fields(articles):
    for article in articles.values():
        assert article.id and article.title and article.text and article.lang in ("fr", "en")
        assert article.source and article.published and article.summary and article.themes


def test_search_finds_the_joint_call_in_both_languages(demo, newsweb):
    config, _ = demo
    result = _search(config, "nanosatellite", themes=["aeronautique-spatial"])
    urls = [hit.article.url for hit in result.hits]
    assert any("appel-opticsvalley-aerospace-valley" in url for url in urls), urls
    assert any("opticsvalley-aerospace-valley-joint-call" in url for url in urls), urls
    assert all("<mark>" in hit.snippet for hit in result.hits)


def test_search_filters_by_market_and_source(demo):
    config, _ = demo
    result = _search(config, "laser", markets=["defense"], sources=["photonique-hebdo"])
    assert result.total > 0
    for hit in result.hits:
        assert "defense" in hit.article.market_ids and hit.article.source == "photonique-hebdo"


def _recall(pairs):
    found = sum(len(expected & got) for expected, got in pairs)
    return found / sum(len(expected) for expected, _ in pairs)


def _precision(pairs):
    found = sum(len(expected & got) for expected, got in pairs)
    return found / sum(len(got) for _, got in pairs)


def test_themes_and_actors_match_the_fixture_manifests(newsweb, manifests, articles):
    expected = _expected(newsweb, manifests)
    themes = [(set(m["themes"]), set(articles[url].theme_ids)) for url, m in expected.items()]
    actors = [(set(m["actors"]), {a.id for a in articles[url].actors if a.id}) for url, m in expected.items()]
    assert _recall(themes) >= 0.9
    assert _recall(actors) >= 0.85
    assert _precision(themes) >= 0.8  # 0.87 measured (issue 5: themes no longer over-inclusive)
    assert _precision(actors) >= 0.95


def test_the_digest_names_the_actors_of_its_top_story(demo):
    config, report = demo
    assert {p.name.split("-20")[0] for p in report.digests} == {p.id for p in config.profiles}
    spatial = next(p for p in report.digests if p.name.startswith("zoom-spatial-defense"))
    html = spatial.read_text(encoding="utf-8")
    text = spatial.with_suffix(".txt").read_text(encoding="utf-8")
    for name in ("OpticsValley", "Aerospace Valley", "nanosatellites"):
        assert name in html and name in text


def test_a_reviewed_profile_leaves_a_draft_and_says_so(demo):
    config, report = demo
    reviewed = [p.id for p in config.profiles if p.review]
    assert reviewed == ["energie-environnement"]
    drafts = [note for note in report.notes if note.startswith("brouillon à relire")]
    assert len(drafts) == 1 and "energie-environnement-" in drafts[0] and "Relecture" in drafts[0]
    assert len(list((config.data_dir / "digests").glob("energie-environnement-*.draft.yaml"))) == 1


def test_hostile_fixture_text_is_escaped_in_the_digest(demo):
    _, report = demo
    for path in report.digests:
        html = path.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "onerror=" not in html.replace("onerror=&", "")


def test_a_second_run_collects_nothing_new_and_keeps_the_same_index(demo):
    config, first = demo
    second = _run(config)
    assert second.ok, second.failure
    assert second.counts["crawl"]["new_pages"] == 0
    assert second.counts["extract"]["articles"] == 0
    assert second.index_total == first.index_total
