"""Text normalisation shared by indexing, querying and snippets.

The same functions turn document words and query words into index terms, so
whatever one side produces the other side finds:

1. words are runs of letters and digits (in NFC text); French elided articles
   before an apostrophe (l', d', qu', ...) are dropped;
2. each word is lower-cased and accent-folded (NFKD, combining marks removed,
   œ -> oe, æ -> ae, ß -> ss), so "électronique" and "electronique" are the
   same input to the stemmer;
3. a final plural "s" is removed (not "ss", words of 4+ letters), then the word
   is stemmed with Snowball: French Snowball treats "laser" as a verb
   ("las") but "lasers" as a plural ("laser"); removing the "s" first makes
   both "las". The same applies to every word on both sides, so it is
   consistent even where it is linguistically wrong.

`term_fr` is used for every document; `term_en` (English Snowball, no plural
trick: the English stemmer handles plurals) additionally for English or
undetected-language documents, see index/sqlite.py.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
_APOSTROPHES = "'’ʼ"
_ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})

_local = threading.local()


@dataclass(frozen=True)
class Word:
    """A word of the original text and where it is (for snippets)."""

    start: int
    end: int
    text: str


def words(text: str) -> list[Word]:
    """The words of `text` (expected NFC), elided articles dropped."""
    found = []
    for match in _WORD.finditer(text):
        end = match.end()
        if end < len(text) and text[end] in _APOSTROPHES and match.group().lower() in _ELISIONS:
            continue
        found.append(Word(match.start(), end, match.group()))
    return found


def fold(word: str) -> str:
    """Lower-case, accent-folded; only letters and digits are kept."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_LIGATURES))
    return "".join(c for c in decomposed if c.isalnum())


def _stemmer(lang: str):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if lang not in stemmers:
        stemmers[lang] = snowballstemmer.stemmer({"fr": "french", "en": "english"}[lang])
    return stemmers[lang]


@lru_cache(maxsize=200_000)
def term_fr(word: str) -> str:
    """Index term of a word for French matching ("" if nothing is left)."""
    folded = fold(word)
    if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss"):
        folded = folded[:-1]
    return _stemmer("fr").stemWord(folded) if folded else ""


@lru_cache(maxsize=200_000)
def term_en(word: str) -> str:
    """Index term of a word for English matching ("" if nothing is left)."""
    folded = fold(word)
    return _stemmer("en").stemWord(folded) if folded else ""


def terms(text: str, lang: str = "fr") -> list[str]:
    """Index terms of a text, in order (empty terms skipped)."""
    stem = term_en if lang == "en" else term_fr
    out = []
    for word in words(unicodedata.normalize("NFC", text)):
        term = stem(word.text)
        if term:
            out.append(term)
    return out
