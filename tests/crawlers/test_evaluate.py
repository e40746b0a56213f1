"""Extraction quality on the fixture article pages (ground truth written by us)."""
from collections import Counter

import pytest

from crawlers.evaluate import evaluate, load_cases, tokens


@pytest.fixture(scope="module")
def result():
    return evaluate()


def test_fixtures_cover_at_least_30_pages_of_varied_layouts():
    cases = load_cases()
    assert len(cases) >= 30
    assert len({c["layout"] for c in cases}) >= 10
    assert {c["lang"] for c in cases} == {"fr", "en"}


def test_every_page_gives_an_article(result):
    scores, _ = result
    assert [s.page for s in scores if s.error] == []


def test_text_quality_and_dates_hold(result):
    # floors under the measured figures (bench/extraction.py), so a regression shows
    _, totals = result
    assert totals["recall"] >= 0.95, totals
    assert totals["precision"] >= 0.85, totals
    assert totals["f1"] >= 0.9, totals
    assert totals["date_accuracy"] >= 0.95, totals


def test_paywalled_text_is_not_invented(result):
    scores, _ = result
    for score in scores:
        if score.layout == "paywall":
            assert score.recall == 1.0 and score.precision >= 0.95, score


def test_tokens_are_case_folded_words():
    assert tokens("Le laser, le LASER !") == Counter({"le": 2, "laser": 2})
