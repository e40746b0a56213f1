"""Scoring labels: per label, micro and macro averages, the transversal flag."""
from types import SimpleNamespace as NS

import pytest

from enrich.evaluate import Predicted, evaluate, score_sets


def test_per_label_micro_and_macro():
    gold = [{"a", "b"}, {"a"}, set()]
    predicted = [{"a"}, {"a", "c"}, {"b"}]
    scores = score_sets(gold, predicted)
    a, b, c = (scores.per_label[x] for x in "abc")
    assert (a.tp, a.fp, a.fn) == (2, 0, 0)
    assert (b.tp, b.fp, b.fn) == (0, 1, 1)
    assert (c.tp, c.fp, c.fn) == (0, 1, 0)
    assert scores.micro.precision == pytest.approx(2 / 4)
    assert scores.micro.recall == pytest.approx(2 / 3)
    assert scores.macro_f1 == pytest.approx((1.0 + 0 + 0) / 3)
    assert scores.per_article == pytest.approx(4 / 3) and scores.gold_per_article == pytest.approx(1.0)


def test_empty_sets_score_zero_without_dividing_by_zero():
    scores = score_sets([set()], [set()])
    assert scores.micro.f1 == 0.0 and scores.per_label == {}


def test_transversal_flag_is_scored_against_the_gold_flag():
    gold = [NS(themes=set(), markets=set(), actors=set())] * 3
    predicted = [Predicted(set(), set(), set(), transversal=flag) for flag in (True, True, False)]
    report = evaluate(gold, predicted, [True, False, True])
    t = report.transversal
    assert (t.tp, t.fp, t.fn) == (1, 1, 1)
    assert report.transversal_rate == pytest.approx(2 / 3)
