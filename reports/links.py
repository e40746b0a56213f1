"""Links from a digest into the experts' web app: every search is a URL.

The web app serves `/recherche` with `q`, `theme`, `market` (repeatable),
`since` and `until` (ISO dates, `until` exclusive); values are URL-encoded
here, so a crawled or configured string can never break out of the query.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, Optional
from urllib.parse import urlencode

SEARCH_PATH = "/recherche"


def search_url(base_url: str, query: str = "", themes: Iterable[str] = (), markets: Iterable[str] = (),
               since: Optional[date] = None, until: Optional[date] = None) -> str:
    """'<base>/recherche?q=…&theme=…&market=…&since=…&until=…' (empty parameters left out)."""
    pairs: list[tuple[str, str]] = []
    if query:
        pairs.append(("q", query))
    pairs += [("theme", t) for t in themes]
    pairs += [("market", m) for m in markets]
    if since:
        pairs.append(("since", since.isoformat()))
    if until:
        pairs.append(("until", until.isoformat()))
    return f"{base_url.rstrip('/')}{SEARCH_PATH}" + (f"?{urlencode(pairs)}" if pairs else "")
