"""Crawl state that outlives a crawl: each feed's validators for conditional
GET, each watched page's text blocks at the last visit, and each source's
polling interval and next due time (adaptive polling, see crawlers.polling),
and each source's weighted failure record (see crawlers.health).

Kept in the spool file (its own table), written by the item pipeline when the
crawl ends normally: a killed crawl stores no validators, so the next one reads
every feed again and loses no entry.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_validators (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failed_pages (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS source_volume (
    source TEXT NOT NULL,
    at TEXT NOT NULL,
    new INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS source_volume_source ON source_volume(source, at);
CREATE TABLE IF NOT EXISTS source_failures (
    source TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    score REAL NOT NULL,
    failing_since TEXT,
    last_health TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS source_schedule (
    source TEXT PRIMARY KEY,
    interval_minutes REAL NOT NULL,
    next_due TEXT NOT NULL,
    last_polled TEXT NOT NULL,
    last_new TEXT
);
CREATE TABLE IF NOT EXISTS watched_pages (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    blocks TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class CrawlState:
    def __init__(self, path: str | Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def validators(self) -> dict[str, dict]:
        rows = self.db.execute("SELECT url, etag, last_modified FROM feed_validators")
        return {url: {"etag": etag, "last_modified": modified} for url, etag, modified in rows}

    def put_validators(self, url: str, source: str, etag: str, last_modified: str) -> None:
        if not etag and not last_modified:
            self.db.execute("DELETE FROM feed_validators WHERE url = ?", (url,))
            return
        self.db.execute(
            "INSERT INTO feed_validators (url, source, etag, last_modified, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,"
            " updated_at = excluded.updated_at",
            (url, source, etag, last_modified, _now()))

    def snapshots(self) -> dict[str, list[str]]:
        rows = self.db.execute("SELECT url, blocks FROM watched_pages")
        return {url: json.loads(blocks) for url, blocks in rows}

    def put_snapshot(self, url: str, source: str, blocks: list[str]) -> None:
        self.db.execute(
            "INSERT INTO watched_pages (url, source, blocks, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET blocks = excluded.blocks, updated_at = excluded.updated_at",
            (url, source, json.dumps(blocks, ensure_ascii=False), _now()))

    def schedule(self) -> dict[str, dict]:
        rows = self.db.execute("SELECT source, interval_minutes, next_due, last_polled, last_new FROM source_schedule")
        keys = ("interval_minutes", "next_due", "last_polled", "last_new")
        return {row[0]: dict(zip(keys, row[1:])) for row in rows}

    def put_schedule(self, source: str, interval_minutes: float, next_due: str, had_new: bool) -> None:
        now = _now()
        self.db.execute(
            "INSERT INTO source_schedule (source, interval_minutes, next_due, last_polled, last_new)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET interval_minutes = excluded.interval_minutes,"
            " next_due = excluded.next_due, last_polled = excluded.last_polled,"
            " last_new = COALESCE(excluded.last_new, source_schedule.last_new)",
            (source, interval_minutes, next_due, now, now if had_new else None))

    def failures(self) -> dict[str, dict]:
        rows = self.db.execute("SELECT source, url, score, failing_since, last_health FROM source_failures")
        return {r[0]: {"url": r[1], "score": r[2], "failing_since": r[3], "last_health": r[4]} for r in rows}

    def put_failure(self, source: str, record: dict) -> None:
        self.db.execute(
            "INSERT INTO source_failures (source, url, score, failing_since, last_health) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(source) DO UPDATE SET url = excluded.url, score = excluded.score,"
            " failing_since = excluded.failing_since, last_health = excluded.last_health",
            (source, record["url"], record["score"], record["failing_since"], record["last_health"]))

    def volume_history(self, source: str, limit: int = 30) -> list[int]:
        """New-page counts of the source's last polls, oldest first."""
        rows = self.db.execute("SELECT new FROM source_volume WHERE source = ? ORDER BY at DESC, rowid DESC LIMIT ?",
                               (source, limit)).fetchall()
        return [new for (new,) in reversed(rows)]

    def add_volume(self, source: str, new: int) -> None:
        self.db.execute("INSERT INTO source_volume (source, at, new) VALUES (?, ?, ?)", (source, _now(), new))
        self.db.execute("DELETE FROM source_volume WHERE source = ? AND rowid NOT IN (SELECT rowid FROM "
                        "source_volume WHERE source = ? ORDER BY at DESC, rowid DESC LIMIT 100)", (source, source))

    def failed_pages(self, since: str) -> set[str]:
        """Article URLs that failed for good after `since` (ISO time): not requested again yet."""
        return {url for (url,) in self.db.execute("SELECT url FROM failed_pages WHERE failed_at >= ?", (since,))}

    def put_failed_page(self, url: str, source: str, reason: str) -> None:
        self.db.execute("INSERT INTO failed_pages (url, source, reason, failed_at) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT(url) DO UPDATE SET reason = excluded.reason, failed_at = excluded.failed_at",
                        (url, source, reason, _now()))
