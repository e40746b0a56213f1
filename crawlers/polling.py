"""Adaptive polling: how long to wait before crawling a source again.

A source that brought new items is polled twice as often next time, one that
brought nothing half as often, always within the source's bounds from config
(`min_interval_minutes`, `max_interval_minutes`). A source that failed stays
due, so the next scheduled crawl tries again. Conditional GET keeps each poll
of an unchanged feed cheap; this keeps quiet sources from being polled at all.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Optional

START_MINUTES = 60.0


def next_interval(current: Optional[float], had_new: bool, low: float, high: float) -> float:
    interval = START_MINUTES if current is None else current
    interval = interval / 2 if had_new else interval * 2
    return float(min(high, max(low, interval)))


def next_due(now: datetime, interval_minutes: float, failed: bool) -> datetime:
    return now if failed else now + timedelta(minutes=interval_minutes)


def is_due(due: Optional[str], now: Optional[datetime] = None) -> bool:
    if not due:
        return True
    return datetime.fromisoformat(due) <= (now or datetime.now(timezone.utc))
