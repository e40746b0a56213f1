"""Quality floors on the development set, rules only (the figures of README, a little below)."""
import pytest

from enrich.devset import DEFAULT_DEVSET, load_labels
from enrich.evaluate import evaluate, gold_transversal, predict


@pytest.fixture(scope="module")
def report(shipped_config, shipped_enricher):
    items = load_labels(DEFAULT_DEVSET, config=shipped_config)
    return evaluate(items, predict(shipped_enricher, items), gold_transversal(shipped_config, items))


def test_themes_are_precise_without_losing_too_much_recall(report):
    assert report.themes.micro.precision >= 0.85
    assert report.themes.micro.recall >= 0.72
    assert report.themes.per_article <= report.themes.gold_per_article  # no longer over-inclusive


def test_markets(report):
    assert report.markets.micro.precision >= 0.80
    assert report.markets.micro.recall >= 0.75


def test_actor_linking(report):
    assert report.actors.micro.precision >= 0.95
    assert report.actors.micro.recall >= 0.95


def test_transversal_flag_is_rarely_wrong(report):
    assert report.transversal.precision >= 0.9
    assert report.transversal_rate <= 0.4
