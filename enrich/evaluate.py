"""Quality figures of enrichment against labelled articles.

Per label precision, recall and F1; micro averages (pooled counts) and macro
averages (mean over the labels present in the gold labels or the predictions);
actor linking precision and recall over registry ids; mean labels per article.
Plain data, printed by `veille eval`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass
class LabelScores:
    per_label: dict[str, Counts] = field(default_factory=dict)
    micro: Counts = field(default_factory=Counts)
    macro_precision: float = 0.0
    macro_recall: float = 0.0
    macro_f1: float = 0.0
    per_article: float = 0.0  # mean number of predicted labels per article
    gold_per_article: float = 0.0


def score_sets(gold: Sequence[set[str]], predicted: Sequence[set[str]]) -> LabelScores:
    """Compare predicted label sets with gold ones, article by article."""
    assert len(gold) == len(predicted)
    scores = LabelScores()
    for expected, got in zip(gold, predicted):
        for label in expected | got:
            counts = scores.per_label.setdefault(label, Counts())
            if label in expected and label in got:
                counts.tp += 1
            elif label in got:
                counts.fp += 1
            else:
                counts.fn += 1
    for counts in scores.per_label.values():
        scores.micro.tp += counts.tp
        scores.micro.fp += counts.fp
        scores.micro.fn += counts.fn
    labels = list(scores.per_label.values())
    if labels:
        scores.macro_precision = sum(c.precision for c in labels) / len(labels)
        scores.macro_recall = sum(c.recall for c in labels) / len(labels)
        scores.macro_f1 = sum(c.f1 for c in labels) / len(labels)
    if gold:
        scores.per_article = sum(len(p) for p in predicted) / len(gold)
        scores.gold_per_article = sum(len(g) for g in gold) / len(gold)
    return scores


@dataclass
class EvalReport:
    articles: int
    themes: LabelScores
    markets: LabelScores
    actors: LabelScores
    transversal: Counts = field(default_factory=Counts)  # the flag against the gold themes' clusters
    transversal_rate: float = 0.0  # share of articles flagged transversal


@dataclass
class Predicted:
    themes: set[str]
    markets: set[str]
    actors: set[str]
    transversal: bool = False


def evaluate(gold: Sequence, predicted: Sequence[Predicted], gold_transversal: Sequence[bool] = ()) -> EvalReport:
    """gold: LabelledArticle-likes; predicted: id sets per article."""
    flag = Counts()
    for expected, got in zip(gold_transversal, predicted):
        flag.tp += expected and got.transversal
        flag.fp += got.transversal and not expected
        flag.fn += expected and not got.transversal
    return EvalReport(
        articles=len(gold),
        themes=score_sets([g.themes for g in gold], [p.themes for p in predicted]),
        markets=score_sets([g.markets for g in gold], [p.markets for p in predicted]),
        actors=score_sets([g.actors for g in gold], [p.actors for p in predicted]),
        transversal=flag,
        transversal_rate=(sum(p.transversal for p in predicted) / len(gold)) if gold else 0.0,
    )


def predict(enricher, items: Sequence) -> list[Predicted]:
    """Run the enricher over labelled articles (fresh records) and keep the ids it gave."""
    out = enricher.enrich([item.article() for item in items])
    return [Predicted(themes=set(a.theme_ids), markets=set(a.market_ids),
                      actors={m.id for m in a.actors if m.id}, transversal=a.transversal) for a in out]


def gold_transversal(config, items: Sequence) -> list[bool]:
    """Transversal by the definition, on the gold themes."""
    from .text import fold
    from .thesaurus import is_transversal

    clusters = {t.id: {fold(c) for c in t.clusters} for t in config.themes}
    return [is_transversal(sorted(item.themes), clusters) for item in items]


MODES = ("rules", "model", "combined")


def run_eval(config, items: Sequence, mode: str = "rules", label_model=None) -> EvalReport:
    """Enrich the items with rules only, the model only, or both combined, and score them."""
    from .enricher import Enricher

    enricher = Enricher(config, label_model=None if mode == "rules" else label_model,
                        label_mode="model" if mode == "model" else "combined", label_min_examples=0)
    return evaluate(items, predict(enricher, items), gold_transversal(config, items))
