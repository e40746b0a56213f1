"""Storing records: idempotent upserts, get, iteration, schema, concurrent access."""
import sqlite3
from types import SimpleNamespace

import pytest
from index_helpers import slug

from index import sqlite as sqlite_backend
from index.base import SearchRequest
from index.sqlite import SCHEMA_VERSION, IndexFileError, SqliteIndex


def test_upsert_twice_keeps_one_copy(index, articles):
    report = index.upsert(articles)
    assert report.indexed == 12 and report.failed == []
    assert index.count() == 12
    assert index.search(SearchRequest(query="laser")).total == 2
    assert index.search(SearchRequest(themes=["electronique"])).facets["themes"]["electronique"] == 3
    db = sqlite3.connect(index.path)
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 12
    assert db.execute("SELECT count(*) FROM article_themes").fetchone()[0] == 18
    db.close()


def test_upsert_replaces_text_and_facets(index, articles):
    lasers = next(a for a in articles if slug(a) == "fr-lasers")
    changed = lasers.model_copy(update={"title": "Lumibird présente un lidar", "text": "Un lidar compact.",
                                        "themes": [], "actors": []})
    index.upsert([changed])
    assert index.count() == 12
    assert [slug(h.article) for h in index.search(SearchRequest(query="lidar")).hits] == ["fr-lasers"]
    assert index.search(SearchRequest(query="lasers")).total == 1  # only en-laser now
    result = index.search(SearchRequest(themes=["optique-photonique"]))
    assert result.total == 3 and "lumibird" not in result.facets["actors"]
    assert index.get(lasers.id).title == "Lumibird présente un lidar"


def test_get_returns_the_stored_record(index, articles):
    for article in articles:
        assert index.get(article.id) == article
    assert index.get("no-such-id") is None


def test_one_bad_record_does_not_stop_the_batch(tmp_path, articles):
    with SqliteIndex(tmp_path / "i.sqlite") as idx:
        report = idx.upsert([articles[0], SimpleNamespace(id="bad"), articles[1]])
        assert report.indexed == 2
        assert [article_id for article_id, _ in report.failed] == ["bad"]
        assert "AttributeError" in report.failed[0][1]
        assert idx.count() == 2


def test_iter_articles_streams_all_matches_newest_first(index, monkeypatch):
    monkeypatch.setattr(sqlite_backend, "FETCH_CHUNK", 5)
    everything = [slug(a) for a in index.iter_articles(SearchRequest(limit=1, sort="relevance"))]
    assert len(everything) == 12
    assert everything[0] == "fr-embarquee" and everything[-1] == "fr-anr"
    assert [slug(a) for a in index.iter_articles(SearchRequest(query="satellites"))] == [
        "en-laser", "fr-satellite", "fr-lasers"]
    assert [slug(a) for a in index.iter_articles(SearchRequest(themes=["electronique"], lang="fr"))] == [
        "fr-embarquee", "fr-defense", "fr-electronique"]


def test_reopen_keeps_everything(tmp_path, articles):
    path = tmp_path / "sub" / "index.sqlite"  # the folder is created
    with SqliteIndex(path) as idx:
        idx.upsert(articles)
    with SqliteIndex(path) as idx:
        assert idx.count() == 12
        assert idx.search(SearchRequest(query="lasers")).total == 2
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_refuses_a_foreign_sqlite_file(tmp_path):
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(IndexFileError, match="n'est pas un index veille"):
        SqliteIndex(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # left untouched
    db.close()


def test_refuses_a_newer_format(tmp_path):
    path = tmp_path / "index.sqlite"
    SqliteIndex(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(IndexFileError, match="reconstruisez l'index"):
        SqliteIndex(path)


def test_readers_go_on_while_another_process_writes(index):
    writer = sqlite3.connect(index.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM articles")
    try:
        with SqliteIndex(index.path) as reader:
            assert reader.count() == 12
            assert reader.search(SearchRequest(query="laser")).total == 2
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert index.count() == 12


def test_a_second_writer_waits_for_the_first(index, articles, monkeypatch):
    monkeypatch.setattr(sqlite_backend, "BUSY_TIMEOUT_S", 0.05)
    writer = sqlite3.connect(index.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with SqliteIndex(index.path) as other:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.upsert(articles[:1])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert index.upsert(articles[:1]).indexed == 1
