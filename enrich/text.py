"""Plain-text helpers shared by the enrichment components: folding, match keys, cleaning.

Matching in this stage never compares raw strings. A word's *match key* is its
folded form (lower case, accents removed, typographic apostrophes and dashes
made plain: « Université » -> « universite ») with its inflection stripped by a
minimal stemmer (plural, feminine, participle endings: « intégrées » ->
« integr », « lasers » -> « las » like « laser »). The stemmer is deliberately
minimal, unlike Snowball's, which also strips derivational suffixes and would
merge « photon » with « photonique » or « électron » with « électronique ».
It absorbs the part of the small French model's lemma that varies with the
context, so that a term written once in its base form finds its plural and
feminine forms in running text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PUNCT_MAP = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u00a0": " ", "\u202f": " ", "\u0153": "oe", "\u0152": "oe", "\u00e6": "ae", "\u00c6": "ae",
})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case, accents removed, plain apostrophes and dashes."""
    text = text.translate(PUNCT_MAP).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def french_minimal_stem(word: str) -> str:
    """Inflectional ending stripping for a folded French word (after Savoy's minimal stemmer)."""
    if len(word) >= 5 and word.endswith("s"):
        word = word[:-1]
    if len(word) < 6:
        return word
    if word.endswith("x"):
        return word[:-3] + "al" if word.endswith("aux") else word[:-1]
    if word.endswith("r"):
        word = word[:-1]
    for _ in range(2):  # « -ée » folded to « -ee »
        if word.endswith("e"):
            word = word[:-1]
    if word[-1] == word[-2]:
        word = word[:-1]
    return word


def english_minimal_stem(word: str) -> str:
    """Plural stripping for a folded English word (Harman's S-stemmer)."""
    if len(word) < 3 or not word.endswith("s") or word.endswith(("us", "ss")):
        return word
    if word.endswith("ies") and len(word) > 4 and word[-4] not in "ae":
        return word[:-3] + "y"
    if word.endswith(("aes", "ees", "oes")):
        return word
    return word[:-1]


_STEMS = {"fr": french_minimal_stem, "en": english_minimal_stem}


class KeyMaker:
    """Match key of a word for one language: minimal_stem(fold(word)), memoised."""

    def __init__(self, lang: str):
        self.lang = lang
        self._stem = _STEMS.get(lang, english_minimal_stem)
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        key = self._cache.get(word)
        if key is None:
            folded = fold(word)
            key = self._stem(folded) if folded.isalpha() else folded
            if len(self._cache) < 500_000:
                self._cache[word] = key
        return key


_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Plain paragraphs: one space between words, one blank line at most between paragraphs.

    Line breaks are kept because the sentencizer treats them as sentence ends
    (a title or a list item has no final full stop).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(text: str) -> str:
    """A sentence as shown to people: whitespace collapsed to single spaces."""
    return " ".join(text.split())


def compact(text: str) -> str:
    """Folded form without spaces and punctuation, for lenient name lookup."""
    return "".join(c for c in fold(text) if c.isalnum())
