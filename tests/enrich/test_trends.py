"""Trends through the index interface: rising terms and actors, new actors, weekly volume, matrix."""
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from enrich.text import fold
from enrich.trends import (article_terms, log_likelihood, market_theme_matrix, new_actors, rising_actors,
                           rising_terms, weekly_volume)
from index import open_index
from veille.config import load_config
from veille.record import ActorMention, Article, Label

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 11, 19, 12, tzinfo=timezone.utc)  # a Thursday
SINCE, UNTIL = NOW - timedelta(days=7), NOW


def _article(n, days_ago, text, themes=("optique-photonique",), markets=("defense",), actors=()):
    return Article(url=f"http://t.org/{n}", title=f"Article {n}", text=text, published=NOW - timedelta(days=days_ago),
                   themes=[Label(id=t, score=3) for t in themes], markets=[Label(id=m, score=3) for m in markets],
                   actors=[ActorMention(id=a if a.islower() else None, name=a.upper() if a.islower() else a)
                           for a in actors])


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    config = load_config(DATA / "config")
    config = config.model_copy(update={"settings": config.settings.model_copy(
        update={"data_dir": tmp_path_factory.mktemp("trends")})})
    articles = [_article(i, 8 + 5 * i, "Un laser pour la défense. Le marché progresse.", actors=["thales"])
                for i in range(5)]  # the baseline: four weeks of lasers
    articles += [
        _article(10, 1, "Une cellule pérovskite tandem et un laser.", actors=["thales", "Photonix Labs"]),
        _article(11, 2, "Les cellules pérovskites tandem arrivent ; le laser aussi.", actors=["Photonix Labs"]),
        _article(12, 3, "Cellule pérovskite tandem encore. Laser.", themes=("sante",), markets=("sciences-du-vivant",)),
        _article(13, 20, "Hors période, spatial.", themes=("aeronautique-spatial",), markets=("spatial",)),
    ]
    with open_index(config) as index:
        index.upsert(articles)
        yield config, index


def test_log_likelihood_is_signed_and_zero_without_difference():
    assert log_likelihood(0, 10, 0, 10) == 0
    assert log_likelihood(5, 10, 5, 10) == 0
    assert log_likelihood(3, 3, 0, 12) > log_likelihood(1, 3, 0, 12) > 0
    assert log_likelihood(0, 10, 8, 10) < 0


def test_terms_skip_stop_words_and_numbers():
    terms = article_terms(Article(url="http://x", title="Le laser à fibre", text="En 2026, la photonique."))
    shown = set(terms.values())
    assert {"laser", "fibre", "laser à fibre", "photonique"} <= shown
    assert not {"le", "la", "2026", "le laser"} & shown


def test_new_term_rises_and_a_common_one_does_not(index):
    config, backend = index
    rising = rising_terms(backend, config, SINCE, UNTIL)
    labels = [r.label for r in rising]
    assert fold(labels[0]) in ("cellule perovskite tandem", "cellules perovskites tandem")  # one term, shown as written
    top = rising[0]
    assert top.count == 3 and top.baseline == 0 and top.new and top.score > 0
    assert "laser" not in labels  # as common before as now
    assert "tandem" not in labels  # contained in a longer term with the same count


def test_rising_and_new_actors(index):
    config, backend = index
    assert [r.label for r in rising_actors(backend, config, SINCE, UNTIL)] == ["Photonix Labs"]
    new = new_actors(backend, config, SINCE, UNTIL)
    assert [(a.name, a.id, a.count) for a in new] == [("Photonix Labs", None, 2)]
    assert new[0].first_seen == NOW - timedelta(days=2)


def test_weekly_volume(index):
    config, backend = index
    volume = weekly_volume(backend, config, weeks=4, now=NOW)
    assert len(volume.weeks) == 4 and volume.weeks[-1].weekday() == 0
    assert volume.series["optique-photonique"] == [2, 1, 1, 2]  # oldest week first; this week: articles 10 and 11
    assert volume.series["sante"][-1] == 1


def test_market_theme_matrix(index):
    config, backend = index
    matrix = market_theme_matrix(backend, config, SINCE, UNTIL)
    cell = matrix.cell("defense", "optique-photonique")
    assert cell.count == 2
    assert cell.top_actors[0] == ("Photonix Labs", 2)
    assert cell.rising_terms and cell.rising_terms[0].new
    assert matrix.cell("sciences-du-vivant", "sante").count == 1
    assert matrix.cell("spatial", "aeronautique-spatial").count == 0  # outside the period
    assert len(matrix.cells) == len(config.markets) * len(config.themes)
