"""veille_thesaurus: multi-label scoring of themes and markets from weighted terms.

Finding terms. Each term of the doc's language is matched two ways, and a hit
by either counts once: on the match key (token.lemma_, see enrich.normalizer)
against the term lemmatised in isolation and against the term taken as written
(terms are written in their base form), and on the folded form (token.norm_)
against the term as written. « des lasers femtosecondes » finds « laser
femtoseconde ».

Scoring one category (a theme or a market):
- overlapping hits of the same category keep the longest term (« laser
  femtoseconde » counts, not also « laser »);
- a negative expression of the category cancels every hit of that category it
  overlaps (« dans cette optique » cancels « optique » for that theme only);
- each distinct term contributes weight * (1 + ln(n)), where n counts its
  occurrences and an occurrence in the title counts `title_boost` times;
- the score is the sum of the contributions. Labels scoring at least
  `min_score` and at least `relative_min` times the best label of their kind
  (a passing mention next to the article's subject is not a label: « un
  capteur » in an article about oysters) are kept, best first, at most
  `max_labels`; each keeps the evidence of its `max_evidence` strongest terms
  (term, contribution, sentence).

Transversal (see is_transversal): the article has at least two kept themes
scoring at least `transversal_min_score` whose `clusters` lists are both
non-empty and share no cluster. The defaults (relative_min 0.4,
transversal_min_score 3.0) were chosen on the development set's training
split (enrich/devset.py; figures in README).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from veille.config import Category
from veille.record import Evidence, Label

from .normalizer import analysed_docs, written_doc
from .sentences import Sentences
from .text import fold, one_line

MAX_EVIDENCE_CHARS = 400


@dataclass(frozen=True)
class TermEntry:
    kind: str  # "themes" or "markets"
    category: str
    term: str
    weight: float


class TermMatcher:
    """PhraseMatchers on the match key (LEMMA) and on the folded form (NORM)."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.by_key = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.by_form = PhraseMatcher(nlp.vocab, attr="NORM")

    def add(self, phrases: dict[str, str]) -> None:
        """phrases: label -> phrase text. Analyses all phrases in one nlp.pipe call."""
        labels, texts = list(phrases), list(phrases.values())
        for label, text, analysed in zip(labels, texts, analysed_docs(self.nlp, texts)):
            written = written_doc(self.nlp, text)
            self.by_key.add(label, [analysed, written])
            self.by_form.add(label, [written])

    def __call__(self, doc: Doc) -> set[tuple[str, int, int]]:
        strings = doc.vocab.strings
        found = {(strings[m], s, e) for m, s, e in self.by_key(doc)}
        found.update((strings[m], s, e) for m, s, e in self.by_form(doc))
        return found


def is_transversal(theme_ids: list[str], clusters: dict[str, set[str]]) -> bool:
    """True when two of the themes have non-empty, disjoint cluster lists."""
    groups = [clusters[t] for t in theme_ids if clusters.get(t)]
    return any(not (a & b) for a, b in combinations(groups, 2))


class Thesaurus:
    def __init__(self, nlp: Language, min_score: float, max_labels: int,
                 title_boost: float, max_evidence: int, relative_min: float = 0.0,
                 transversal_min_score: float = 0.0):
        self.nlp = nlp
        self.relative_min = relative_min
        self.transversal_min_score = transversal_min_score
        self.lang = nlp.lang
        self.min_score = min_score
        self.max_labels = max_labels
        self.title_boost = title_boost
        self.max_evidence = max_evidence
        self.matcher = TermMatcher(nlp)
        self.terms: dict[str, list[TermEntry]] = defaultdict(list)  # label -> entries
        self.negatives: dict[str, list[tuple[str, str]]] = defaultdict(list)  # label -> (kind, category)
        self.clusters: dict[str, set[str]] = {}

    def add_categories(self, kind: str, categories: list[Category]) -> None:
        """Add themes (kind "themes") or markets ("markets"); builds the patterns once."""
        phrases: dict[str, str] = {}
        for category in categories:
            if kind == "themes":
                self.clusters[category.id] = {fold(c) for c in category.clusters}
            for term, weight in getattr(category.terms, self.lang, {}).items():
                label = "+" + fold(term)
                self.terms[label].append(TermEntry(kind, category.id, term, weight))
                phrases.setdefault(label, term)
            for phrase in getattr(category.negative, self.lang, []):
                label = "-" + fold(phrase)
                self.negatives[label].append((kind, category.id))
                phrases.setdefault(label, phrase)
        if phrases:
            self.matcher.add(phrases)

    def __call__(self, doc: Doc) -> Doc:
        hits: dict[tuple[str, str], list[tuple[int, int, TermEntry]]] = defaultdict(list)
        cancels: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for label, start, end in self.matcher(doc):
            for entry in self.terms.get(label, ()):
                hits[(entry.kind, entry.category)].append((start, end, entry))
            for owner in self.negatives.get(label, ()):
                cancels[owner].append((start, end))
        sentences = Sentences(doc)
        labels: dict[str, list[Label]] = {"themes": [], "markets": []}
        counted: dict[tuple[int, int], float] = {}
        for owner, found in hits.items():
            kept = _longest_first(found, cancels.get(owner, []))
            label = self._score(owner[1], kept, doc, sentences)
            if label.score >= self.min_score:
                labels[owner[0]].append(label)
            for start, end, entry in kept:
                counted[(start, end)] = max(counted.get((start, end), 0.0), entry.weight)
        for kind in labels:
            ranked = sorted(labels[kind], key=lambda l: (-l.score, l.id))
            floor = ranked[0].score * self.relative_min if ranked else 0.0
            labels[kind] = [l for l in ranked if l.score >= floor][: self.max_labels]
        doc._.themes = labels["themes"]
        doc._.markets = labels["markets"]
        strong = [l.id for l in labels["themes"] if l.score >= self.transversal_min_score]
        doc._.transversal = is_transversal(strong, self.clusters)
        doc._.term_hits = sorted((s, e, w) for (s, e), w in counted.items())
        return doc

    def _score(self, category: str, kept, doc: Doc, sentences: Sentences) -> Label:
        title_chars = doc._.title_chars
        counts: dict[str, float] = defaultdict(float)
        first: dict[str, int] = {}
        weights: dict[str, float] = {}
        for start, _end, entry in sorted(kept, key=lambda h: h[0]):
            in_title = doc[start].idx < title_chars
            counts[entry.term] += self.title_boost if in_title else 1.0
            first.setdefault(entry.term, start)
            weights[entry.term] = entry.weight
        contributions = {t: weights[t] * (1 + math.log(n)) for t, n in counts.items()}
        best = sorted(contributions, key=lambda t: (-contributions[t], first[t]))
        evidence = [
            Evidence(term=t, weight=round(contributions[t], 2),
                     sentence=one_line(sentences.of(first[t]).text)[:MAX_EVIDENCE_CHARS])
            for t in best[: self.max_evidence]
        ]
        return Label(id=category, score=round(sum(contributions.values()), 2), evidence=evidence)


def _longest_first(found, cancelled_spans):
    """Hits not overlapping a negative span nor a longer hit of the same category."""
    taken: set[int] = set()
    for start, end in cancelled_spans:
        taken.update(range(start, end))
    kept = []
    for start, end, entry in sorted(found, key=lambda h: (h[0] - h[1], h[0], -h[2].weight)):
        tokens = range(start, end)
        if taken.intersection(tokens):
            continue
        taken.update(tokens)
        kept.append((start, end, entry))
    return kept


@Language.factory(
    "veille_thesaurus",
    default_config={"min_score": 1.5, "max_labels": 4, "title_boost": 2.0, "max_evidence": 3,
                    "relative_min": 0.4, "transversal_min_score": 3.0},
)
def make_thesaurus(nlp: Language, name: str, min_score: float, max_labels: int, title_boost: float,
                   max_evidence: int, relative_min: float, transversal_min_score: float) -> Thesaurus:
    return Thesaurus(nlp, min_score, max_labels, title_boost, max_evidence, relative_min, transversal_min_score)
