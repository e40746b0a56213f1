"""Faults against the real node: nothing lost, nothing doubled.

A loopback proxy (es_proxy.py) in front of the node rejects bulk requests
with 429, or shuts down mid-run so the node becomes unreachable.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from es_helpers import fresh_alias, open_es, require_node
from es_proxy import EsProxy
from index.base import SearchRequest
from index_helpers import load_articles
from veille.config import load_config
from veille.pipeline import Pipeline, spool_path
from veille.record import Article
from veille.spool import Spool

ROOT = Path(__file__).resolve().parents[2]


def many(n: int) -> list[Article]:
    """n distinct articles made from the samples (distinct URLs, hence ids)."""
    samples = load_articles()
    out = []
    for i in range(n):
        base = samples[i % len(samples)]
        data = base.model_dump(exclude={"id", "canonical_url", "story_id", "content_hash"})
        data["url"] = f"{base.url}/copy-{i}"
        out.append(Article.model_validate(data))
    return out


@pytest.fixture
def es():
    index = open_es()
    yield index
    index.versions.drop_all()
    index.close()


def test_one_malformed_document_is_reported_and_the_others_indexed(es):
    articles = many(5)
    bad = articles[2].model_copy(update={"published": "31/02/2026"})  # bypasses validation, as an old spool might
    report = es.upsert(articles[:2] + [bad] + articles[3:])
    assert report.indexed == 4
    assert [article_id for article_id, _ in report.failed] == [bad.id]
    assert "published" in report.failed[0][1] and "parsing" in report.failed[0][1]
    assert es.count() == 4
    assert es.get(bad.id) is None


def test_429_rejections_are_retried_then_indexed(es, monkeypatch):
    from index.elasticsearch import ElasticsearchIndex

    with EsProxy(require_node(), reject_bulk=3) as proxy:
        monkeypatch.setenv("VEILLE_ES_PROXY", proxy.url)
        through = ElasticsearchIndex("VEILLE_ES_PROXY", alias=es.alias, chunk_docs=50, initial_backoff=0.05)
        report = through.upsert(many(120))
        through.close()
    assert proxy.rejected == 3 and proxy.bulk_seen >= 3 + 3  # 3 chunks, the first retried three times
    assert report.failed == [] and report.indexed == 120
    assert es.count() == 120


def test_endless_429_gives_up_and_reports_each_article(es, monkeypatch):
    from index.base import BackendUnavailable
    from index.elasticsearch import ElasticsearchIndex

    with EsProxy(require_node(), reject_bulk=10_000) as proxy:
        monkeypatch.setenv("VEILLE_ES_PROXY", proxy.url)
        through = ElasticsearchIndex("VEILLE_ES_PROXY", alias=es.alias, bulk_retries=2, initial_backoff=0.01)
        with pytest.raises(BackendUnavailable, match="surchargé ou indisponible \\(429\\)"):
            through.upsert(many(10))
        through.close()
    assert proxy.bulk_seen == 3  # first try and two retries: bounded
    assert es.count() == 0


def _index_config(tmp_path, monkeypatch, url_env: str, alias: str):
    monkeypatch.setenv("VEILLE_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VEILLE_ES_INDEX", alias)
    config = load_config(ROOT / "config")
    config.settings.index.backend = "elasticsearch"
    config.settings.index.url_env = url_env
    return config


def test_node_lost_mid_run_then_next_run_indexes_the_rest(tmp_path, monkeypatch):
    url = require_node()
    alias = fresh_alias()
    articles = many(700)  # four batches of the index stage (200 each)
    with EsProxy(url, close_after_bulk=2) as proxy:
        monkeypatch.setenv("VEILLE_ES_PROXY", proxy.url)
        config = _index_config(tmp_path, monkeypatch, "VEILLE_ES_PROXY", alias)
        config.data_dir.mkdir(parents=True)
        with Spool(spool_path(config)) as spool:
            spool.put_articles(articles, "enriched")
        pipeline = Pipeline(config)
        report = pipeline.run(stages=("index",))
        pipeline.close()
    assert report.failed_stage == "index"
    assert "injoignable" in report.failure and proxy.url in report.failure
    with Spool(spool_path(config)) as spool:
        # the batch the node vanished during may be in the index already: it stays
        # "enriched" anyway and is simply indexed again (same ids) next time
        waiting = spool.count_articles("enriched")
        assert spool.count_articles("indexed") == 700 - waiting >= 200
        assert waiting >= 300  # not lost: still waiting in the spool

    config.settings.index.url_env = "VEILLE_ES_URL"  # the node is back
    pipeline = Pipeline(config)
    report = pipeline.run(stages=("index",))
    pipeline.close()
    assert report.ok and report.counts["index"]["articles"] == waiting
    assert report.index_total == 700
    with Spool(spool_path(config)) as spool:
        assert spool.count_articles("enriched") == 0
    es = open_es(alias=alias)
    try:
        assert es.search(SearchRequest(limit=0, facets=False)).total == 700
    finally:
        es.versions.drop_all()
        es.close()


WRITER = """
import sys
sys.path.insert(0, {tests!r})
from test_es_faults import many
from es_helpers import open_es
index = open_es(alias={alias!r}, chunk_docs=100, refresh=False)
print("ready", flush=True)
index.upsert(many({n}))
index.client.indices.refresh(index={alias!r})
print("done", flush=True)
"""


def test_indexer_killed_mid_bulk_then_rerun_has_no_duplicates_or_gaps(tmp_path):
    require_node()
    alias, n = fresh_alias(), 3000
    code = WRITER.format(tests=str(Path(__file__).parent), alias=alias, n=n)
    es = open_es(alias=alias)
    try:
        writer = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert writer.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # kill once some, not all, documents are in
            es.client.indices.refresh(index=alias)
            if es.count() >= 300:
                break
            time.sleep(0.05)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        es.client.indices.refresh(index=alias)
        partial = es.count()
        assert 0 < partial < n, partial

        rerun = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert rerun.returncode == 0, rerun.stderr
        assert es.count() == n  # no duplicates
        wanted = {a.id for a in many(n)}
        found = {a.id for a in es.iter_articles(SearchRequest())}
        assert found == wanted  # no gaps
    finally:
        es.versions.drop_all()
        es.close()
