"""Fixtures of the enrichment tests: a small config folder and named sample articles."""
from pathlib import Path

import pytest
import yaml

from veille.config import load_config
from veille.record import Article

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def enrich_config():
    return load_config(DATA / "config")


@pytest.fixture(scope="session")
def enricher(enrich_config):
    from enrich import Enricher

    return Enricher(enrich_config, label_model=None)


@pytest.fixture(scope="session")
def samples() -> dict:
    return yaml.safe_load((DATA / "articles.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def article(samples):
    """article(name) -> a fresh Article from data/articles.yaml."""
    return lambda name: Article(**samples[name])


@pytest.fixture
def enriched(enricher, article):
    """enriched(name) -> that sample article, enriched."""
    return lambda name: next(enricher.enrich([article(name)]))


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def shipped_config():
    """The config shipped in config/ (the development set is labelled with its ids)."""
    return load_config(ROOT / "config")


@pytest.fixture(scope="session")
def shipped_enricher(shipped_config):
    from enrich import Enricher

    return Enricher(shipped_config, label_model=None)
