"""Crontab expressions mean what crontab means, weekdays included."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from veille.cron import cron_trigger, crontab_weekdays

PARIS = ZoneInfo("Europe/Paris")
SATURDAY_NOON = datetime(2026, 11, 21, 12, 0, tzinfo=PARIS)


def next_fire(expr: str, after: datetime = SATURDAY_NOON) -> datetime:
    return cron_trigger(expr, "Europe/Paris").get_next_fire_time(None, after)


@pytest.mark.parametrize("field,expected", [
    ("1-5", "mon-fri"), ("0", "sun"), ("7", "sun"), ("1,3,5", "mon,wed,fri"),
    ("0-3", "mon-wed,sun"), ("*", "*"), ("mon-fri", "mon-fri"), ("1-5/2", "mon-fri/2"),
])
def test_numeric_weekdays_become_names(field, expected):
    assert crontab_weekdays(field) == expected


def test_weekday_1_is_monday_as_in_crontab():
    assert next_fire("0 8 * * 1") == datetime(2026, 11, 23, 8, 0, tzinfo=PARIS)


def test_working_days_skip_the_weekend():
    assert next_fire("30 8 * * 1-5").weekday() == 0


def test_sunday_is_0_and_7():
    assert next_fire("0 9 * * 0") == next_fire("0 9 * * 7") == datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)


def test_six_fields_carry_seconds():
    after = SATURDAY_NOON.replace(second=1)
    assert next_fire("*/20 * * * * *", after) == datetime(2026, 11, 21, 12, 0, 20, tzinfo=PARIS)


@pytest.mark.parametrize("expr", ["0 8 * *", "0 25 * * *", "0 8 * * 9", "x 8 * * *"])
def test_bad_expressions_are_refused(expr):
    with pytest.raises(ValueError):
        cron_trigger(expr, "Europe/Paris")


def test_profile_schedule_is_its_day_and_time():
    from veille.config import Profile

    weekly = Profile(id="p", name="P", day="lundi", time="07:45")
    assert next_fire(weekly.crontab) == datetime(2026, 11, 23, 7, 45, tzinfo=PARIS)
    sunday = Profile(id="p", name="P", day="dimanche", time="18:00")
    assert next_fire(sunday.crontab) == datetime(2026, 11, 22, 18, 0, tzinfo=PARIS)
    daily = Profile(id="p", name="P", frequency="daily", time="06:00")
    assert next_fire(daily.crontab) == datetime(2026, 11, 22, 6, 0, tzinfo=PARIS)
