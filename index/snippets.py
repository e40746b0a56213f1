"""Search snippets: a short window of the original text around the matches.

Built in Python from the stored record rather than by FTS5's snippet(),
because the index holds normalised (stemmed, folded) text that is not fit to
show. Everything is HTML-escaped; only matched words get a <mark>.
"""
from __future__ import annotations

import html
import re
import unicodedata

from index.textnorm import Word, term_en, term_fr, words

WINDOW = 35
LEAD = 5  # words of context kept before the first match when there is room
_SPACE = re.compile(r"\s+")


def _matches(items: list[Word], fr: set[str], en: set[str]) -> list[str | None]:
    """For each word, the query term it matches (None if none)."""
    out: list[str | None] = []
    for word in items:
        term = term_fr(word.text)
        if term and term in fr:
            out.append("fr:" + term)
            continue
        term = term_en(word.text) if en else ""
        out.append("en:" + term if term and term in en else None)
    return out


def _best_window(matched: list[str | None], width: int) -> int:
    """Start of the window of `width` words holding the most distinct query terms."""
    hits = [i for i, m in enumerate(matched) if m is not None]
    if not hits:
        return 0
    best, best_score = hits[0], (-1, -1)
    for k, start in enumerate(hits):
        inside = [matched[i] for i in hits[k:] if i < start + width]
        score = (len(set(inside)), len(inside))
        if score > best_score:
            best, best_score = start, score
            last = max(i for i in hits[k:] if i < start + width)
            slack = width - (last - start + 1)
            best = start - min(LEAD, slack, start)
    return best


def make_snippet(text: str, fr_terms: set[str], en_terms: set[str] = frozenset(),
                 width: int = WINDOW) -> str:
    """HTML snippet of `text`: best window, matched words in <mark>, "…" where cut.

    `en_terms` is only given for documents indexed with English stems too.
    """
    text = unicodedata.normalize("NFC", text or "")
    items = words(text)
    if not items:
        return html.escape(_SPACE.sub(" ", text).strip())
    matched = _matches(items, fr_terms, en_terms)
    start = _best_window(matched, width)
    end = min(len(items), start + width)
    pieces = ["… "] if start > 0 else []
    position = items[start].start
    for i in range(start, end):
        word = items[i]
        pieces.append(html.escape(_SPACE.sub(" ", text[position:word.start])))
        escaped = html.escape(word.text)
        pieces.append(f"<mark>{escaped}</mark>" if matched[i] is not None else escaped)
        position = word.end
    if end < len(items):
        pieces.append(html.escape(_SPACE.sub(" ", text[position:items[end].start]).rstrip()) + " …")
    else:
        pieces.append(html.escape(_SPACE.sub(" ", text[position:]).rstrip()))
    return "".join(pieces)
