"""What a digest says, in the profile's language: phrases, dates, periods and counts.

    words = wording("en")
    words("Thème : {label}", label="Space")   # 'Theme: Space'
    words.date(moment), words.plural(3, "article lu", "articles lus")

French is the source text: `words(text)` returns it unchanged in French and
looks it up in reports/english.py's catalog in English. An English phrase
missing from the catalog falls back to the French text and is remembered in
MISSING, so a test can check that the catalog covers every digest.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Optional

from reports import english, french

LANGUAGES = ("fr", "en")
MISSING: set[str] = set()   # French phrases an English digest asked for and the catalog lacks


class Wording:
    def __init__(self, language: str):
        if language not in LANGUAGES:
            raise ValueError(f"langue inconnue : {language!r} (attendu : fr ou en)")
        self.language = language

    def __call__(self, text: str, **values) -> str:
        if self.language == "en":
            translated = english.EN.get(text)
            if translated is None:
                MISSING.add(text)
                translated = text
            text = translated
        return text.format(**values) if values else text

    @property
    def colon(self) -> str:
        """' : ' in French typography (a space before), ': ' in English."""
        return ": " if self.language == "en" else " : "

    def date(self, moment: Optional[dt.date]) -> str:
        return english.date_en(moment) if self.language == "en" else french.date_fr(moment)

    def datetime(self, moment: Optional[dt.datetime]) -> str:
        return english.datetime_en(moment) if self.language == "en" else french.datetime_fr(moment)

    def period(self, start: dt.datetime, end: dt.datetime, with_time: bool = False) -> str:
        if self.language == "en":
            return english.period_en(start, end, with_time)
        return french.period_fr(start, end, with_time)

    def short_date(self, moment: dt.date) -> str:
        """'16 nov.' / '16 Nov' (chart ticks)."""
        if self.language == "en":
            return english.short_month_en(moment)
        return f"{moment.day} {french.SHORT_MONTHS[moment.month - 1]}"

    def plural(self, count: int, singular: str, plural_form: Optional[str] = None) -> str:
        """'3 articles lus' / '3 articles read'; forms are given in French (plural: singular + 's')."""
        plural_form = plural_form or singular + "s"
        if self.language == "en":
            word = self(singular) if english.plural_category(count) == "one" else self(plural_form)
            return f"{count} {word}"
        return french.plural(count, singular, plural_form)

    def decimal(self, value: float, digits: int = 1) -> str:
        """'2,5' / '2.5'."""
        text = f"{value:.{digits}f}"
        return text if self.language == "en" else text.replace(".", ",")

    def label(self, category) -> str:
        """A theme's or market's label: `label_en` in English when the thesaurus has one."""
        return (category.label_en or category.label) if self.language == "en" else category.label


@lru_cache(maxsize=None)
def wording(language: str) -> Wording:
    return Wording(language)
