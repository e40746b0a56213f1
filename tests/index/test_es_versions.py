"""Versioned indices behind an alias: rebuild into the next version, searches answering throughout."""
import threading
from pathlib import Path

from typer.testing import CliRunner

from es_helpers import fresh_alias, open_es, require_node
from index.base import SearchRequest
from index_helpers import load_articles
from test_es_faults import many

ROOT = Path(__file__).resolve().parents[2]


def test_first_use_creates_version_one_behind_the_alias():
    es = open_es()
    try:
        assert es.versions.current() == f"{es.alias}-v1"
        status = es.status()
        assert status["documents"] == 0 and status["index"] == f"{es.alias}-v1"
        assert status["analysis"] in ("french-full", "french-hunspell", "standard")
        mapping = es.client.indices.get_mapping(index=es.alias)[f"{es.alias}-v1"]["mappings"]
        assert mapping["dynamic"] == "strict"
        assert mapping["properties"]["themes"]["type"] == "keyword"
        assert mapping["properties"]["published"]["type"] == "date"
    finally:
        es.versions.drop_all()
        es.close()


def test_rebuild_swaps_the_alias_while_searches_go_on():
    es = open_es(chunk_docs=200)
    articles = many(2000)
    errors, totals = [], []
    stop = threading.Event()

    def searcher():
        reader = open_es(alias=es.alias)
        while not stop.is_set():
            try:
                totals.append(reader.search(SearchRequest(query="satellites", limit=3)).total)
            except Exception as exc:  # noqa: BLE001 - every failure is a test failure
                errors.append(exc)
        reader.close()

    try:
        assert es.upsert(articles).failed == []
        before = es.search(SearchRequest(query="satellites", limit=0)).total
        thread = threading.Thread(target=searcher)
        thread.start()
        old, new, report = es.rebuild()
        stop.set()
        thread.join(timeout=30)
        assert (old, new) == (f"{es.alias}-v1", f"{es.alias}-v2")
        assert report.indexed == 2000 and report.failed == []
        assert errors == []
        assert len(totals) > 3 and set(totals) == {before}  # every search answered, complete
        assert es.versions.current() == new and es.versions.versions() == [2]
        assert es.count() == 2000
        assert es.get(articles[7].id) == articles[7]
    finally:
        stop.set()
        es.versions.drop_all()
        es.close()


def test_cli_index_status_search_and_rebuild(tmp_path, monkeypatch):
    from veille.cli import app

    require_node()
    alias = fresh_alias()
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    for name in ("sources.yaml", "themes.yaml", "markets.yaml", "profiles.yaml", "actors.yaml"):
        if (ROOT / "config" / name).exists():
            (config_dir / name).write_text((ROOT / "config" / name).read_text(encoding="utf-8"), encoding="utf-8")
    settings = (ROOT / "config" / "settings.yaml").read_text(encoding="utf-8")
    (config_dir / "settings.yaml").write_text(settings + "\nindex:\n  backend: elasticsearch\n", encoding="utf-8")
    monkeypatch.setenv("VEILLE_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VEILLE_ES_INDEX", alias)
    es = open_es(alias=alias)
    try:
        es.upsert(load_articles())
        runner = CliRunner()
        result = runner.invoke(app, ["index", "status", "--config", str(config_dir)])
        assert result.exit_code == 0, result.output
        assert f"index : {alias}-v1" in result.output and "documents : 12" in result.output
        result = runner.invoke(app, ["search", "laser", "--json", "--config", str(config_dir)])
        assert result.exit_code == 0, result.output
        assert sorted(line.split('"url": "')[1].split('"')[0] for line in result.output.splitlines()) == [
            "https://example.org/en-laser", "https://example.org/fr-lasers"]
        result = runner.invoke(app, ["search", '"fibre', "--config", str(config_dir)])
        assert result.exit_code == 2 and "guillemet" in result.output
        result = runner.invoke(app, ["index", "rebuild", "--config", str(config_dir)])
        assert result.exit_code == 0, result.output
        assert f"12 article(s) copiés de {alias}-v1 vers {alias}-v2" in " ".join(result.output.split())
        assert es.versions.current() == f"{alias}-v2"
    finally:
        es.versions.drop_all()
        es.close()


def test_cli_rebuild_refuses_the_sqlite_backend(tmp_path, monkeypatch):
    from veille.cli import app

    monkeypatch.setenv("VEILLE_DATA", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["index", "rebuild", "--config", str(ROOT / "config")])
    assert result.exit_code == 2
    assert "ne concerne que le moteur elasticsearch" in result.output
