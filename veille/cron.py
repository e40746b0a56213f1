"""Crontab expressions from the config, as APScheduler triggers.

APScheduler 3 numbers weekdays from Monday = 0, while crontab numbers them from
Sunday = 0 (its `from_crontab` keeps the numbers as they are, so "1-5" would
mean Tuesday to Saturday). Numeric weekdays are therefore turned into names
before the trigger is built. A sixth, leading field (seconds) is accepted for
tests and for very busy sources.
"""
from __future__ import annotations

import re

from apscheduler.triggers.cron import CronTrigger

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
ITEM = re.compile(r"^(?P<first>\d)(?:-(?P<last>\d))?(?P<step>/\d+)?$")


def _weekday_item(item: str) -> str:
    match = ITEM.match(item)
    if not match:
        return item
    first, last, step = int(match["first"]), match["last"], match["step"] or ""
    if first > 7 or (last and int(last) > 7):
        raise ValueError(f"jour de la semaine hors de 0-7 : {item!r}")
    if last is None:
        return DAY_NAMES[first] + step
    last = int(last)
    if first == 0 and last >= 1 and not step:  # Sunday-first range: Monday..last, then Sunday
        return f"mon-{DAY_NAMES[last]},sun" if last < 7 else "*"
    return f"{DAY_NAMES[first]}-{DAY_NAMES[last]}{step}"


def crontab_weekdays(field: str) -> str:
    return ",".join(_weekday_item(item) for item in field.split(","))


def cron_trigger(expr: str, timezone: str) -> CronTrigger:
    """A trigger for `minute hour day month weekday` (or `second minute hour day month weekday`)."""
    fields = expr.split()
    if len(fields) not in (5, 6):
        raise ValueError(f"{len(fields)} champ(s) au lieu de 5")
    second = fields.pop(0) if len(fields) == 6 else "0"
    minute, hour, day, month, weekday = fields
    return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                       day_of_week=crontab_weekdays(weekday), timezone=timezone)
