"""Fast sentence lookup by token index (Token.sent scans; this bisects)."""
from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span


class Sentences:
    """The sentences of a doc, found by token index in O(log n)."""

    def __init__(self, doc: Doc):
        self.spans: list[Span] = list(doc.sents) if len(doc) else []
        self._starts = [span.start for span in self.spans]

    def index(self, token_i: int) -> int:
        return max(bisect_right(self._starts, token_i) - 1, 0)

    def of(self, token_i: int) -> Span:
        return self.spans[self.index(token_i)]
