"""What the pages and the API show, computed from the index interface (any backend)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from enrich import trends
from index.base import IndexBackend, SearchRequest
from veille.config import Config
from veille.web.search import PERIODS, Page, SearchParams


def run_search(config: Config, index: IndexBackend, params: SearchParams) -> Page:
    tz = config.settings.timezone
    result = index.search(params.request(tz))
    today = datetime.now(ZoneInfo(tz)).date()
    starts = [today - timedelta(days=days) for _, days, _ in PERIODS]
    undated = replace(params, since=None, until=None, page=1).request(tz, page_size=0)
    counts = index.counts_since(undated, [datetime.combine(day, datetime.min.time(), ZoneInfo(tz))
                                          for day in starts])
    periods = []
    for (key, days, label), since, count in zip(PERIODS, starts, counts):
        periods.append({"key": key, "days": days, "label": label, "count": count,
                        "active": params.since == since and params.until is None,
                        "query": params.query_string(since=since, until=None, page=1)})
    return Page(params=params, total=result.total, hits=result.hits, facets=result.facets, periods=periods)


def labels(config: Config) -> dict[str, dict[str, str]]:
    """Display names of every facet value, by facet."""
    return {
        "themes": {t.id: t.label for t in config.themes},
        "markets": {m.id: m.label for m in config.markets},
        "source": {s.id: s.name for s in config.sources},
        "actors": {a.id: a.name for a in config.actors},
        "lang": {"fr": "français", "en": "anglais"},
    }


def story_siblings(index: IndexBackend, article) -> list:
    """The other articles of the same story (syndicated or lightly edited copies)."""
    if not article.story_id:
        return []
    result = index.search(SearchRequest(story_id=article.story_id, sort="date", limit=50, facets=False))
    return [hit.article for hit in result.hits if hit.article.id != article.id]


MIN_BASELINE = 20


def trends_view(config: Config, index: IndexBackend, weeks: int, theme: Optional[str] = None,
                now: Optional[datetime] = None) -> dict:
    """The trends page and API: weekly volume per theme, rising terms and new actors of the
    last `weeks` weeks (in one theme, or all), and the market × theme matrix of that period.

    All of it comes from enrich/trends.py, the same figures the digests use.
    """
    tz = ZoneInfo(config.settings.timezone)
    now = now or datetime.now(tz)
    until = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tz)
    since = until - timedelta(weeks=weeks)
    themes = [theme] if theme else []
    volume = trends.weekly_volume(index, config, weeks, now=now)
    matrix = trends.market_theme_matrix(index, config, since, until)
    baseline_since, _ = trends.baseline_window(since, until, trends.BASELINE_PERIODS)
    period_total = index.search(SearchRequest(themes=themes, since=since, until=until, limit=0, facets=False)).total
    baseline_total = index.search(SearchRequest(themes=themes, since=baseline_since, until=since, limit=0,
                                                facets=False)).total
    return {
        "since": since.date().isoformat(), "until": until.date().isoformat(), "theme": theme,
        # rising terms mean little until the previous periods hold at least as many articles as this one
        "history": {"period": period_total, "baseline": baseline_total,
                    "enough": baseline_total >= max(period_total, MIN_BASELINE)},
        "volume": {"weeks": [w.date().isoformat() for w in volume.weeks], "series": volume.series},
        "rising_terms": [_rising(r) for r in trends.rising_terms(index, config, since, until, themes, limit=15)],
        "rising_actors": [_rising(r) for r in trends.rising_actors(index, config, since, until, themes, limit=10)],
        "new_actors": [{"id": a.id, "name": a.name, "type": a.type, "count": a.count}
                       for a in trends.new_actors(index, config, since, until, themes, limit=15)],
        "matrix": {m: {t: _cell(matrix.cell(m, t)) for t in matrix.themes} for m in matrix.markets},
    }


def _rising(rising: trends.Rising) -> dict:
    return {"label": rising.label, "count": rising.count, "baseline": rising.baseline,
            "score": round(rising.score, 1), "new": rising.new}


def _cell(cell: trends.MatrixCell) -> dict:
    return {"count": cell.count, "top_actors": [name for name, _ in cell.top_actors],
            "rising_terms": [r.label for r in cell.rising_terms]}
