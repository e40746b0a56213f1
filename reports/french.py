"""French wording of dates, periods and counts (the digest is read in French)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet",
          "août", "septembre", "octobre", "novembre", "décembre")
SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def day_month(moment: datetime) -> str:
    """'1er décembre', '22 novembre'."""
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{day} {MONTHS[moment.month - 1]}"


def date_fr(moment: Optional[datetime]) -> str:
    """'22 novembre 2026'; 'date inconnue' when the source gave none."""
    if moment is None:
        return "date inconnue"
    return f"{day_month(moment)} {moment.year}"


def time_fr(moment: datetime) -> str:
    """'7 h 05' (French typographic style)."""
    return f"{moment.hour} h {moment.minute:02d}"


def datetime_fr(moment: Optional[datetime]) -> str:
    """'22 novembre 2026 à 7 h 05'."""
    if moment is None:
        return "date inconnue"
    return f"{date_fr(moment)} à {time_fr(moment)}"


def period_fr(start: datetime, end: datetime, with_time: bool = False) -> str:
    """A period [start, end) in words: 'du 16 au 22 novembre 2026'.

    `end` is exclusive, so a period ending at midnight names the day before.
    With `with_time`, both bounds carry their hour (used for 24 h digests).
    """
    if with_time:
        return f"du {datetime_fr(start)} au {datetime_fr(end)}"
    last = end - timedelta(microseconds=1)
    if start.date() == last.date():
        return f"le {date_fr(start)}"
    if (start.year, start.month) == (last.year, last.month):
        first = "1er" if start.day == 1 else str(start.day)
        return f"du {first} au {date_fr(last)}"
    if start.year == last.year:
        return f"du {day_month(start)} au {date_fr(last)}"
    return f"du {date_fr(start)} au {date_fr(last)}"


def plural(count: int, singular: str, plural_form: Optional[str] = None) -> str:
    """'1 article', '3 articles', '0 article' (French: zero is singular)."""
    word = singular if count <= 1 else (plural_form or singular + "s")
    return f"{count} {word}"
