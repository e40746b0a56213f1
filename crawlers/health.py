"""Source health: failures weighted by kind, and sources failing for long
disabled automatically (and reported) until their address changes.

Each crawl classifies each source: `ok`, `partial` (read, but some pages
failed), `temporary` (timeout, 5xx, 429: may pass by itself) or `hard` (404,
unreadable feed, refused address, unknown host). Hard failures weigh 1,
temporary ones 0.25; a success resets the score. A source whose score reaches
DISABLE_SCORE after failing for more than DISABLE_AFTER_DAYS is skipped by the
next crawls, with a reason in the run report, until its URL is changed in
sources.yaml (or its failure record is cleared).

Volume: the number of new pages of each crawl is kept; a source that used to
bring items and brought none in its last polls, or that suddenly brings far
more than usual, is flagged in the run report (a broken feed that still
answers 200, a site redesign, a spam flood).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Optional

WEIGHTS = {"hard": 1.0, "temporary": 0.25, "partial": 0.0}
DISABLE_SCORE = 6.0
DISABLE_AFTER_DAYS = 3


def classify(stats: dict) -> str:
    """The health of one source after a crawl, from its report entry."""
    if stats.get("feeds", 0) > 0:
        return "partial" if stats.get("errors") else "ok"
    return stats.get("failure") or "hard"


def next_record(previous: Optional[dict], url: str, health: str, now: datetime) -> dict:
    """The source's failure record after this crawl."""
    if previous and previous.get("url") != url:
        previous = None  # the address was fixed: start afresh
    if health == "ok" or health == "partial":
        return {"url": url, "score": 0.0, "failing_since": None, "last_health": health}
    score = (previous or {}).get("score", 0.0) + WEIGHTS[health]
    since = (previous or {}).get("failing_since") or now.isoformat(timespec="seconds")
    return {"url": url, "score": score, "failing_since": since, "last_health": health}


def disabled_reason(record: Optional[dict], url: str, now: Optional[datetime] = None) -> str:
    """Why the source is disabled (French), or '' when it should be crawled."""
    if not record or record.get("url") != url or not record.get("failing_since"):
        return ""
    since = datetime.fromisoformat(record["failing_since"])
    now = now or datetime.now(timezone.utc)
    if record["score"] >= DISABLE_SCORE and now - since > timedelta(days=DISABLE_AFTER_DAYS):
        return (f"source désactivée automatiquement : en échec depuis le {since:%d/%m/%Y} "
                f"(score d'échec {record['score']:g}) ; corriger son adresse dans sources.yaml la réactive")
    return ""


MIN_HISTORY = 5        # polls needed before judging a source's volume
QUIET_POLLS = 5        # "dropped to nothing": this many polls in a row without new items...
BUSY_AVERAGE = 2.0     # ...for a source that averaged at least this many new items a poll before
JUMP_FACTOR = 4.0      # "jumped": more than this many times the usual volume...
JUMP_MARGIN = 10       # ...plus this margin


def volume_flag(history: list[int], current: int) -> str:
    """A French warning when the new-page volume drops to nothing or jumps, else ''.
    `history` is the new-page counts of the previous polls, oldest first."""
    if len(history) < MIN_HISTORY:
        return ""
    recent = history[-(QUIET_POLLS - 1):] + [current]
    before = history[:-(QUIET_POLLS - 1)]
    if before and sum(before) / len(before) >= BUSY_AVERAGE and not any(recent):
        return (f"volume tombé à zéro : aucun nouvel article depuis {QUIET_POLLS} collectes "
                f"(auparavant {sum(before) / len(before):.1f} par collecte)")
    average = sum(history) / len(history)
    if current > JUMP_FACTOR * average + JUMP_MARGIN:
        return f"volume inhabituel : {current} nouveaux articles (d'habitude {average:.1f} par collecte)"
    return ""
