"""Trend figures for a digest: weekly volume per theme, market × theme matrix, rising terms.

Volume and matrix come from index facets only (SearchRequest with limit=0),
so they cost one query per week or per market on any backend. These are the
digest's own small versions; when `enrich/trends.py` (issue 5) lands, these
functions are the one place to delegate to it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Sequence

from index.base import IndexBackend, SearchRequest
from reports.events import fold
from veille.record import Article


@dataclass
class Volume:
    week_starts: list[datetime]              # oldest first, aware
    series: dict[str, list[int]]             # theme id -> articles per week


@dataclass
class TermTrend:
    term: str
    count: int        # articles citing it in the period
    before: float     # average per period over the baseline periods
    score: float = 0.0  # signed G² against the baseline


def _facet(index: IndexBackend, request: SearchRequest, field: str) -> dict[str, int]:
    request.limit, request.facets = 0, True
    return index.search(request).facets.get(field, {})


def weekly_volume(index: IndexBackend, themes: Sequence[str], end: datetime, weeks: int = 8,
                  query: str = "", sources: Sequence[str] = ()) -> Volume:
    """Articles per theme for each of the `weeks` 7-day windows ending at `end`
    (restricted to a profile's expert query and sources when given)."""
    starts = [end - timedelta(weeks=weeks - i) for i in range(weeks)]
    series: dict[str, list[int]] = {t: [] for t in themes}
    for start in starts:
        counts = _facet(index, SearchRequest(query=query, sources=list(sources), themes=list(themes),
                                             since=_utc(start),
                                             until=_utc(start + timedelta(weeks=1))), "themes")
        for theme in themes:
            series[theme].append(counts.get(theme, 0))
    return Volume(week_starts=starts, series=series)


def market_theme_matrix(index: IndexBackend, markets: Sequence[str], themes: Sequence[str],
                        since: datetime, until: datetime, query: str = "",
                        sources: Sequence[str] = ()) -> dict[str, dict[str, int]]:
    """Counts per (market, theme) over [since, until): one faceted query per market."""
    cells = {}
    for market in markets:
        counts = _facet(index, SearchRequest(query=query, sources=list(sources), markets=[market],
                                             themes=list(themes),
                                             since=_utc(since), until=_utc(until)), "themes")
        cells[market] = {theme: counts.get(theme, 0) for theme in themes}
    return cells


def article_terms(article: Article) -> dict[str, str]:
    """The thesaurus terms that labelled an article: folded key -> the term as written."""
    terms: dict[str, str] = {}
    for label in list(article.themes) + list(article.markets):
        for evidence in label.evidence:
            written = " ".join((evidence.term or "").split())
            if written:
                terms.setdefault(fold(written), written)
    return terms


def rising_terms(current: Sequence[Article], baseline: Sequence[Article], baseline_periods: int,
                 limit: int = 10) -> list[TermTrend]:
    """Thesaurus terms cited by more articles of the period than of the baseline periods.

    Scored like `enrich/trends.py` (issue 5): articles counted once per term,
    Dunning's signed G² kept when >= 3.84, at least 2 articles. Its free-text
    n-grams proved too noisy on a week of cluster news ("enjeu", "moyens"),
    so the digest's candidates are the thesaurus terms that labelled its
    articles: domain words, shown as the thesaurus writes them.
    """
    from enrich.trends import MIN_COUNT, MIN_G2, log_likelihood

    now: Counter = Counter()
    written: dict[str, str] = {}
    for article in current:
        terms = article_terms(article)
        now.update(terms.keys())
        for key, term in terms.items():
            written.setdefault(key, term)
    before = Counter(key for article in baseline for key in article_terms(article))
    n1, n2 = len(current), len(baseline)
    periods = max(baseline_periods, 1)
    trends = []
    for key, count in now.items():
        score = log_likelihood(count, n1, before[key], n2) if count >= MIN_COUNT else 0.0
        if score >= MIN_G2:
            trends.append(TermTrend(written[key], count, before[key] / periods, score))
    trends.sort(key=lambda t: (-t.score, -t.count, fold(t.term)))
    return trends[:limit]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
