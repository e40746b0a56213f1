"""open_index: the backend named by the config."""
from pathlib import Path

import pytest

from index import BackendUnavailable, open_index
from index.sqlite import SqliteIndex
from veille.config import load_config

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_backend_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("VEILLE_DATA", str(tmp_path / "data"))
    config = load_config(ROOT / "config")
    with open_index(config) as index:
        assert isinstance(index, SqliteIndex)
        assert index.path == tmp_path / "data" / "index.sqlite"
        assert index.count() == 0
    assert (tmp_path / "data" / "index.sqlite").is_file()


def test_elasticsearch_without_url_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("VEILLE_DATA", str(tmp_path))
    monkeypatch.delenv("VEILLE_ES_EMPTY", raising=False)
    config = load_config(ROOT / "config")
    config.settings.index.backend = "elasticsearch"
    config.settings.index.url_env = "VEILLE_ES_EMPTY"
    with pytest.raises(BackendUnavailable, match="VEILLE_ES_EMPTY est vide"):
        open_index(config)


def test_elasticsearch_node_down_is_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv("VEILLE_DATA", str(tmp_path))
    monkeypatch.setenv("VEILLE_ES_DOWN", "http://user:secret@127.0.0.1:9")  # nothing listens on port 9
    config = load_config(ROOT / "config")
    config.settings.index.backend = "elasticsearch"
    config.settings.index.url_env = "VEILLE_ES_DOWN"
    with pytest.raises(BackendUnavailable, match="injoignable à http://127.0.0.1:9") as caught:
        open_index(config)
    assert "secret" not in str(caught.value)


def test_elasticsearch_backend_from_settings(tmp_path, monkeypatch):
    from es_helpers import fresh_alias, require_node
    from index.elasticsearch import ElasticsearchIndex

    require_node()
    monkeypatch.setenv("VEILLE_DATA", str(tmp_path))
    monkeypatch.setenv("VEILLE_ES_INDEX", fresh_alias())
    config = load_config(ROOT / "config")
    config.settings.index.backend = "elasticsearch"
    with open_index(config) as index:
        assert isinstance(index, ElasticsearchIndex)
        assert index.count() == 0
        index.versions.drop_all()
