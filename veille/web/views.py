"""What the pages and the API show, computed from the index interface (any backend)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from index.base import IndexBackend, SearchRequest
from veille.config import Config
from veille.coverage import week_starts
from veille.web.search import PERIODS, Page, SearchParams


def run_search(config: Config, index: IndexBackend, params: SearchParams) -> Page:
    result = index.search(params.request(config.settings.timezone))
    today = datetime.now(ZoneInfo(config.settings.timezone)).date()
    periods = []
    for key, days, label in PERIODS:
        since = today - timedelta(days=days)
        request = replace(params, since=since, until=None, page=1).request(config.settings.timezone, page_size=0)
        request.facets = False
        counted = index.search(request)
        periods.append({"key": key, "days": days, "label": label, "count": counted.total,
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


def weekly_volume(config: Config, index: IndexBackend, weeks: int, now: Optional[datetime] = None) -> dict:
    """Articles per theme per week, oldest week first (facet counts, one query per week)."""
    now = now or datetime.now(ZoneInfo(config.settings.timezone))
    starts = week_starts(now, weeks)
    counts = [index.search(SearchRequest(since=s, until=s + timedelta(weeks=1), limit=0)).facets.get("themes", {})
              for s in starts]
    series = {t.id: [week.get(t.id, 0) for week in counts] for t in config.themes}
    return {"weeks": [s.date().isoformat() for s in starts], "series": series}


def market_theme_matrix(config: Config, index: IndexBackend, since: date, until: date) -> dict:
    """Counts per (market, theme) over [since, until): one faceted query per market."""
    tz = ZoneInfo(config.settings.timezone)
    start = datetime.combine(since, datetime.min.time(), tz)
    end = datetime.combine(until, datetime.min.time(), tz)
    cells = {}
    for market in config.markets:
        facets = index.search(SearchRequest(markets=[market.id], since=start, until=end, limit=0)).facets
        cells[market.id] = {t.id: facets.get("themes", {}).get(t.id, 0) for t in config.themes}
    return {"since": since.isoformat(), "until": until.isoformat(), "cells": cells}
