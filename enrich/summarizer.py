"""veille_summarizer: a short extractive summary in the article's own language.

Only body sentences are candidates (the title is left out) and only those of
`min_chars` to `max_chars` characters (a caption or a list item is too short, a
run-on paragraph without punctuation too long). Each is scored:

  sum of the weights of the thesaurus terms it contains (doc._.term_hits)
  + entity_weight per named entity or actor mention it contains
  + position_weight / (1 + its rank among body sentences)   (news put the gist first)

The `max_sentences` best are returned in their original order, joined by a
space. No candidate: "" (the Enricher then falls back to the feed summary).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .sentences import Sentences
from .text import one_line


class Summarizer:
    def __init__(self, max_sentences: int, min_chars: int, max_chars: int,
                 position_weight: float, entity_weight: float):
        self.max_sentences = max_sentences
        self.min_chars = min_chars
        self.max_chars = max_chars
        self.position_weight = position_weight
        self.entity_weight = entity_weight

    def __call__(self, doc: Doc) -> Doc:
        sentences = Sentences(doc)
        if not sentences.spans:
            doc._.summary = ""
            return doc
        scores = [0.0] * len(sentences.spans)
        for start, _end, weight in doc._.term_hits or ():
            scores[sentences.index(start)] += weight
        mentions = [(e.start, e.end) for e in doc.ents] + list(doc._.actor_hits or ())
        for start, _end in set(mentions):
            scores[sentences.index(start)] += self.entity_weight
        title_chars = doc._.title_chars
        candidates = []
        rank = 0
        for i, span in enumerate(sentences.spans):
            if span.start_char < title_chars:
                continue
            text = one_line(span.text)
            if not text:
                continue
            rank += 1
            if self.min_chars <= len(text) <= self.max_chars:
                score = scores[i] + self.position_weight / rank
                candidates.append((score, i, text))
        best = sorted(candidates, key=lambda c: (-c[0], c[1]))[: self.max_sentences]
        doc._.summary = " ".join(text for _score, _i, text in sorted(best, key=lambda c: c[1]))
        return doc


@Language.factory(
    "veille_summarizer",
    default_config={"max_sentences": 3, "min_chars": 40, "max_chars": 400,
                    "position_weight": 1.5, "entity_weight": 0.5},
)
def make_summarizer(nlp: Language, name: str, max_sentences: int, min_chars: int, max_chars: int,
                    position_weight: float, entity_weight: float) -> Summarizer:
    return Summarizer(max_sentences, min_chars, max_chars, position_weight, entity_weight)
