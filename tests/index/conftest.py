"""Index fixtures: the sample records and a real SQLite index file holding them."""
import pytest
from index_helpers import load_articles

from index.sqlite import SqliteIndex
from veille.record import Article


@pytest.fixture(scope="session")
def articles() -> list[Article]:
    return load_articles()


@pytest.fixture
def index(tmp_path, articles):
    with SqliteIndex(tmp_path / "index.sqlite", timezone="Europe/Paris") as idx:
        report = idx.upsert(articles)
        assert report.failed == []
        yield idx
