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


def test_elasticsearch_is_not_available_yet(tmp_path, monkeypatch):
    monkeypatch.setenv("VEILLE_DATA", str(tmp_path))
    config = load_config(ROOT / "config")
    config.settings.index.backend = "elasticsearch"
    with pytest.raises(BackendUnavailable, match="Elasticsearch n'est pas encore disponible"):
        open_index(config)
