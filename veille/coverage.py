"""`veille coverage`: is each theme and market really watched?

For every theme and market: the sources that feed it (articles labelled with
it over the window, plus sources whose config hints name it), its articles per
week, and its silent sources (feeding sources with no article at all lately).
A perimeter with fewer live sources than `min_live` is flagged: its digests
rest on too few voices. Everything goes through the index interface, so it
works on every backend.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from index.base import IndexBackend, SearchRequest
from veille.config import Config


@dataclass
class LabelCoverage:
    kind: str                       # "theme" or "market"
    id: str
    label: str
    articles: int
    weekly: list[int]               # oldest week first
    sources: dict[str, int]         # source id -> articles in the window
    live: list[str]
    silent: list[str]
    flagged: bool = False
    weeks_start: list[str] = field(default_factory=list)


def week_starts(now: datetime, weeks: int) -> list[datetime]:
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _facets(index: IndexBackend, **filters) -> dict[str, dict[str, int]]:
    return index.search(SearchRequest(limit=0, facets=True, **filters)).facets


def coverage(config: Config, index: IndexBackend, weeks: int = 8, live_weeks: int = 2, min_live: int = 2,
             now: datetime | None = None) -> list[LabelCoverage]:
    now = now or datetime.now(ZoneInfo(config.settings.timezone))
    starts = week_starts(now, weeks)
    window = dict(since=starts[0], until=starts[-1] + timedelta(weeks=1))
    per_week = [_facets(index, since=start, until=start + timedelta(weeks=1)) for start in starts]
    recent = _facets(index, since=starts[-1] - timedelta(weeks=live_weeks - 1), until=window["until"])
    live_sources = {s for s, n in recent.get("source", {}).items() if n > 0}
    enabled = {s.id for s in config.sources if s.enabled}

    results = []
    for kind, facet, categories, hint in (("theme", "themes", config.themes, "themes"),
                                         ("market", "markets", config.markets, "markets")):
        for category in categories:
            filters = {facet: [category.id]}
            sources = _facets(index, **filters, **window).get("source", {})
            hinted = {s.id for s in config.sources if s.enabled and category.id in getattr(s, hint)}
            feeding = ({s for s, n in sources.items() if n > 0} & enabled) | hinted
            live = sorted(s for s in feeding if s in live_sources)
            weekly = [week.get(facet, {}).get(category.id, 0) for week in per_week]
            results.append(LabelCoverage(
                kind=kind, id=category.id, label=category.label, articles=sum(sources.values()),
                weekly=weekly, sources=dict(sorted(sources.items(), key=lambda kv: -kv[1])),
                live=live, silent=sorted(feeding - set(live)), flagged=len(live) < min_live,
                weeks_start=[s.date().isoformat() for s in starts]))
    return results


def as_dicts(results: list[LabelCoverage]) -> list[dict]:
    return [asdict(r) for r in results]
