"""The period a digest covers: a rolling window ending at `now`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Optional
from zoneinfo import ZoneInfo

from reports.wording import wording

PeriodKind = Literal["week", "day"]
LENGTHS = {"week": timedelta(days=7), "day": timedelta(hours=24)}
# Wording that depends on the period ("Aucun article cette semaine"), in French: see reports/wording.py.
NONE_IN_PERIOD = {"week": "cette semaine", "day": "ces dernières 24 heures"}


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: datetime  # inclusive, timezone-aware, in the config's timezone
    end: datetime    # exclusive
    label: str       # "du 16 au 22 novembre 2026" ("16 – 22 Nov 2026" in English)
    within: str      # "cette semaine" / "ces dernières 24 heures" ("this week"...)

    @property
    def length(self) -> timedelta:
        return self.end - self.start


def local_now(timezone: str, now: Optional[datetime] = None) -> datetime:
    """`now` as an aware datetime in `timezone`; naive values are local time."""
    zone = ZoneInfo(timezone)
    if now is None:
        return datetime.now(zone)
    if now.tzinfo is None:
        return now.replace(tzinfo=zone)
    return now.astimezone(zone)


def make_period(kind: str, timezone: str, now: Optional[datetime] = None, language: str = "fr") -> Period:
    """'week': the 7 days ending at now; 'day': the 24 hours ending at now.

    A rolling window, so digests run at the same hour never overlap nor
    leave a gap between them.
    """
    if kind not in LENGTHS:
        raise ValueError(f"période inconnue : {kind!r} (attendu : week ou day)")
    end = local_now(timezone, now)
    start = end - LENGTHS[kind]
    words = wording(language)
    label = words.period(start, end, with_time=(kind == "day"))
    return Period(kind=kind, start=start, end=end, label=label, within=words(NONE_IN_PERIOD[kind]))
