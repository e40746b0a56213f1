"""URL canonicalisation: one URL per article, whatever link led to it."""
from __future__ import annotations

from url_normalize import url_normalize
from w3lib.url import canonicalize_url, url_query_cleaner

TRACKING_PARAMETERS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "gclid", "fbclid", "mc_cid", "mc_eid", "xtor", "at_medium", "at_campaign", "_hsenc", "_hsmi",
)


def canonical_url(url: str) -> str:
    """Normalised URL: lower-case host, no default port, no fragment, no
    tracking parameters, query arguments sorted."""
    cleaned = url_query_cleaner(url.strip(), TRACKING_PARAMETERS, remove=True, keep_fragments=False)
    return canonicalize_url(url_normalize(cleaned))
