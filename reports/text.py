"""Crawled text is untrusted: clean it before it reaches a digest.

HTML escaping is the templates' job (autoescape); this module removes what
escaping does not: control characters (terminal escapes, NUL), bidirectional
overrides that can disguise a title, stray markup in feed summaries, and
URLs that are not plain web links (javascript:, data:, ...).
"""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# Terminal escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL"), removed whole.
ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]")
# C0/C1 controls and DEL, zero-width and bidi formatting characters.
UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
TAG = re.compile(r"<[^>]{0,2000}>")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ«\"0-9])")


def clean_line(value: str) -> str:
    """One line of display text: unsafe characters dropped, spaces collapsed."""
    return " ".join(UNSAFE_CHARS.sub(" ", ESCAPE_SEQUENCE.sub("", value or "")).split())


def strip_markup(value: str) -> str:
    """Plain text from a feed summary that may carry HTML tags and entities."""
    return clean_line(html.unescape(TAG.sub(" ", value or "")))


def shorten(value: str, limit: int) -> str:
    """Cut at a word boundary and add an ellipsis when longer than `limit`."""
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.-–—")
    return (cut or value[:limit]) + "…"


def first_sentence(value: str, limit: int = 180) -> str:
    """The first sentence of a summary, shortened to one line."""
    sentence = SENTENCE_END.split(value, maxsplit=1)[0] if value else ""
    return shorten(sentence, limit)


def safe_url(url: str) -> str:
    """The URL if it is an absolute http(s) link, else '' (never a link)."""
    candidate = (url or "").strip()
    if not candidate or UNSAFE_CHARS.search(candidate) or any(c.isspace() for c in candidate):
        return ""
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return candidate
