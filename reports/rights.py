"""What a digest may quote from each source (sources.yaml `rights`).

`full`: the summary as written; `excerpt`: at most `excerpt_chars` characters;
`title`: nothing but the title and link. A source missing from the config
gets the defaults of `Source` (an excerpt of 300 characters), never more.
"""
from __future__ import annotations

from typing import Optional

from reports.text import shorten
from veille.config import Source

DEFAULT = Source(id="inconnue", name="source inconnue", url="http://invalid.example")


def allowed_summary(summary: str, source: Optional[Source], limit: int) -> str:
    """The summary cut to what the source allows and to `limit` (the layout's own cap)."""
    rules = source or DEFAULT
    if rules.rights == "title":
        return ""
    if rules.rights == "excerpt":
        limit = min(limit, rules.excerpt_chars)
    return shorten(summary, limit) if limit > 0 else ""


def is_paywalled(source: Optional[Source]) -> bool:
    return bool(source and source.paywalled)
