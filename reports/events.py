"""Which articles announce a call for projects or an event.

A simple keyword rule over title, summary and text, meant to be replaced by
a label from enrich/ later. Words are matched whole, case- and
accent-insensitively.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from veille.record import Article

CALL = "Appel à projets"
EVENT = "Événement"

# Written without accents: the text is folded the same way before matching.
CALL_PATTERNS = (
    r"appels? a (?:projets?|candidatures?|propositions?|manifestation d'interet|communications?)",
    r"calls? for (?:proposals?|projects?|papers?|applications?|tenders?)",
    r"appels? d'offres?",
)
EVENT_PATTERNS = (
    r"salons?(?!-de-provence| de provence)",  # the town Salon-de-Provence is not a fair
    r"journees? techniques?",
    r"journees? d'etudes?",
    r"conferences?(?! de presse)",
    r"colloques?",
    r"congres",
    r"symposium",
    r"webinaires?",
    r"webinars?",
    r"workshops?",
    r"trade (?:fair|show)s?",
    r"rencontres? d'affaires",
    r"hackathons?",
)


def _compile(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


CALL_RULE = _compile(CALL_PATTERNS)
EVENT_RULE = _compile(EVENT_PATTERNS)


def fold(value: str) -> str:
    """Lower case without accents, typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", value.replace("’", "'").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def call_or_event(article: Article) -> Optional[str]:
    """CALL, EVENT or None. A call wins when both are mentioned."""
    haystack = fold(" ".join((article.title, article.summary, article.feed_summary, article.text)))
    if CALL_RULE.search(haystack):
        return CALL
    if EVENT_RULE.search(haystack):
        return EVENT
    return None
