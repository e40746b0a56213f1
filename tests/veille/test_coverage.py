"""`veille coverage` over an index whose articles and dates we choose."""
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from index.sqlite import SqliteIndex
from veille.config import load_config
from veille.coverage import coverage, week_starts
from veille.record import Article, Label

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 19, 12, 0, tzinfo=PARIS)  # a Thursday


def article(n: int, source: str, days_ago: int, themes=(), markets=()) -> Article:
    return Article(url=f"https://{source}.example.org/a/{n}", title=f"Article {n}", text="texte " * 20,
                   source=source, published=NOW - timedelta(days=days_ago),
                   themes=[Label(id=t, score=2.0) for t in themes], markets=[Label(id=m, score=2.0) for m in markets])


@pytest.fixture
def config():
    config = load_config(ROOT / "config", overlay=ROOT / "config" / "demo")
    return config


@pytest.fixture
def index(tmp_path):
    index = SqliteIndex(tmp_path / "index.sqlite", timezone="Europe/Paris")
    index.upsert([
        article(1, "photonique-hebdo", 1, ["optique-photonique"], ["spatial"]),
        article(2, "photonique-hebdo", 9, ["optique-photonique"]),
        article(3, "tech-europe-wire", 2, ["optique-photonique", "energie"], ["energie"]),
        article(4, "industries-territoires", 40, ["energie"], ["energie"]),   # silent for a month
        article(5, "industries-territoires", 3, ["mer"]),
        article(6, "tech-europe-wire", 80, ["energie"]),                    # outside an 8-week window
    ])
    yield index
    index.close()


def by_id(results):
    return {(r.kind, r.id): r for r in results}


def test_weeks_start_on_mondays_oldest_first():
    starts = week_starts(NOW, 3)
    assert [s.date().isoformat() for s in starts] == ["2026-11-02", "2026-11-09", "2026-11-16"]


def test_sources_weekly_volume_and_silent_sources_per_theme(config, index):
    results = by_id(coverage(config, index, weeks=8, now=NOW))
    photonics = results[("theme", "optique-photonique")]
    assert photonics.articles == 3
    assert photonics.sources == {"photonique-hebdo": 2, "tech-europe-wire": 1}
    assert photonics.weekly[-2:] == [1, 2] and sum(photonics.weekly) == 3
    assert photonics.live == ["photonique-hebdo", "tech-europe-wire"] and not photonics.flagged

    energy = results[("theme", "energie")]
    assert energy.articles == 2  # the 80-day-old one is outside the window
    assert energy.live == ["industries-territoires", "tech-europe-wire"]  # both published lately
    assert energy.silent == [] and not energy.flagged
    sea = results[("theme", "mer")]
    assert sea.live == ["industries-territoires"] and sea.flagged  # one live source only


def test_a_source_with_nothing_lately_is_silent(config, index):
    results = by_id(coverage(config, index, weeks=8, now=NOW + timedelta(days=14)))
    energy = results[("market", "energie")]
    assert energy.silent == ["tech-europe-wire"] and energy.live == []  # the older one left the window
    assert energy.flagged


def test_hinted_sources_count_even_before_their_first_article(config, index):
    results = by_id(coverage(config, index, weeks=8, now=NOW))
    # photonique-hebdo is hinted `optique-photonique` in the demo sources: always listed
    assert "photonique-hebdo" in results[("theme", "optique-photonique")].live
    empty = results[("theme", "cosmetique-parfum")]
    assert empty.articles == 0 and empty.live == [] and empty.flagged
