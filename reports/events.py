"""Which articles announce a call for projects or an event, and when.

Enrichment says it first: `Article.announcement` (enrich/announcements.py,
the veille_announcements component) gives the kind and the deadline or event
date it read in the text. Records enriched before that component existed have
no announcement; for them a keyword rule over title, summary and text stands
in (words matched whole, case- and accent-insensitively).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
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


KINDS = {"call": CALL, "event": EVENT}


def call_or_event(article: Article) -> Optional[str]:
    """CALL, EVENT or None: the enrichment's announcement, else the rule (a call wins when both
    are mentioned)."""
    if article.announcement is not None:
        return KINDS.get(article.announcement.kind)
    haystack = fold(" ".join((article.title, article.summary, article.feed_summary, article.text)))
    if CALL_RULE.search(haystack):
        return CALL
    if EVENT_RULE.search(haystack):
        return EVENT
    return None


MONTH_NUMBERS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
                 "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
                 "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
                 "august": 8, "september": 9, "october": 10, "november": 11, "december": 12}
# "28 janvier 2027", "1er mars 2027", "16 et 17 mars 2027", "du 3 au 5 juin 2027", "march 3, 2027"
DATE = re.compile(r"\b(?P<day>\d{1,2})(?:er)?(?:\s*(?:et|au|-|–)\s*(?P<last>\d{1,2}))?\s+"
                  r"(?P<month>" + "|".join(MONTH_NUMBERS) + r")\s+(?P<year>20\d\d)\b"
                  r"|\b(?P<month2>" + "|".join(MONTH_NUMBERS) + r")\s+(?P<day2>\d{1,2}),?\s+(?P<year2>20\d\d)\b")
DEADLINE = re.compile(r"(?:avant le|jusqu'au|date limite|cloture|clos le|deadline|until|by)\W*$")


def announced_date(article: Article, after: date) -> tuple[str, Optional[date]]:
    """("Date" or "Clôture", the first date on or after `after` named in the title, summary or text).

    ("", None) when none is found. A date preceded by "avant le", "jusqu'au",
    "date limite"... is a deadline ("Clôture").
    """
    announced = article.announcement
    if announced is not None and announced.date is not None:
        if announced.date >= after:
            return ("Clôture" if announced.deadline else "Date"), announced.date
        return "", None
    haystack = fold(" ".join((article.title, article.summary, article.feed_summary, article.text[:3000])))
    for match in DATE.finditer(haystack):
        try:
            if match["month"]:
                when = date(int(match["year"]), MONTH_NUMBERS[match["month"]], int(match["day"]))
            else:
                when = date(int(match["year2"]), MONTH_NUMBERS[match["month2"]], int(match["day2"]))
        except ValueError:
            continue
        if when >= after:
            kind = "Clôture" if DEADLINE.search(haystack[max(0, match.start() - 25):match.start()]) else "Date"
            return kind, when
    return "", None
