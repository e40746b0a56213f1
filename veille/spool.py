"""The crawl spool: the durable hand-over between stages (one SQLite file).

Crawled pages land in `pages`; extraction turns them into article records in
`articles`, whose `state` says which stage they reached (extracted, enriched,
indexed). A crash or an unreachable index loses nothing: the next run picks up
every record that has not reached the last stage. Errors of each run are kept
in `errors` so that they can be reported with their URL and reason.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Optional

from veille.record import Article

STATES = ("extracted", "enriched", "indexed")

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    encoding TEXT NOT NULL DEFAULT '',
    body BLOB,
    entry TEXT NOT NULL DEFAULT '{}',
    fetched_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'fetched'
);
CREATE INDEX IF NOT EXISTS pages_state ON pages(state);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    page_url TEXT NOT NULL,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL DEFAULT '',
    record TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_state ON articles(state);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS errors (
    run_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS source_health (
    source TEXT PRIMARY KEY,
    last_attempt TEXT NOT NULL,
    last_success TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    last_error_at TEXT
);
"""


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Spool:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def transaction(self):
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- pages (written by the crawler) ---------------------------------

    def known_page_urls(self) -> set[str]:
        """URLs whose page was fetched successfully: not fetched again."""
        return {row[0] for row in self.db.execute("SELECT url FROM pages WHERE state != 'failed'")}

    def put_page(self, *, url: str, source: str, final_url: str, status: int, content_type: str,
                 encoding: str, body: bytes, entry: dict) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO pages (url, source, final_url, status, content_type, encoding, body,"
            " entry, fetched_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'fetched')",
            (url, source, final_url, status, content_type, encoding, body,
             json.dumps(entry, ensure_ascii=False, default=str), utcnow()),
        )

    def pages_to_extract(self) -> Iterator[dict]:
        cursor = self.db.execute(
            "SELECT url, source, final_url, content_type, encoding, body, entry FROM pages WHERE state = 'fetched'"
        )
        for url, source, final_url, content_type, encoding, body, entry in cursor:
            yield {"url": url, "source": source, "final_url": final_url, "content_type": content_type,
                   "encoding": encoding, "body": body, "entry": json.loads(entry)}

    def mark_page(self, url: str, state: str) -> None:
        self.db.execute("UPDATE pages SET state = ? WHERE url = ?", (state, url))

    # --- articles (extracted, enriched, indexed) ------------------------

    def put_articles(self, articles: Iterable[Article], state: str, page_urls: Optional[dict] = None) -> int:
        """Store records at a stage; an unchanged record keeps its later state."""
        assert state in STATES
        count = 0
        now = utcnow()
        with self.transaction() as db:
            for article in articles:
                page_url = (page_urls or {}).get(article.id, article.url)
                db.execute(
                    "INSERT INTO articles (id, page_url, source, content_hash, record, state, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(id) DO UPDATE SET record = excluded.record, state = excluded.state,"
                    " content_hash = excluded.content_hash, updated_at = excluded.updated_at"
                    " WHERE articles.content_hash != excluded.content_hash OR ? != 'extracted'",
                    (article.id, page_url, article.source, article.content_hash, article.to_json(), state, now,
                     state),
                )
                count += 1
        return count

    def mark_articles(self, ids: Iterable[str], state: str) -> None:
        assert state in STATES
        with self.transaction() as db:
            db.executemany("UPDATE articles SET state = ?, updated_at = ? WHERE id = ?",
                           [(state, utcnow(), i) for i in ids])

    def ids_in(self, state: str) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM articles WHERE state = ? ORDER BY id", (state,))]

    def get_articles(self, ids: list[str]) -> list[Article]:
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(f"SELECT record FROM articles WHERE id IN ({marks}) ORDER BY id", ids)
        return [Article.from_json(record) for (record,) in rows]

    def batches_in(self, state: str, size: int) -> Iterator[list[Article]]:
        """Records at a stage, in batches, from a snapshot of their ids taken now."""
        ids = self.ids_in(state)
        for start in range(0, len(ids), size):
            yield self.get_articles(ids[start:start + size])

    def content_hashes(self, ids: list[str]) -> dict[str, str]:
        """id -> content hash of the stored records among `ids` (to tell new from updated)."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT id, content_hash FROM articles WHERE id IN ({marks})", chunk))
        return found

    def count_articles(self, state: Optional[str] = None) -> int:
        if state is None:
            return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return self.db.execute("SELECT COUNT(*) FROM articles WHERE state = ?", (state,)).fetchone()[0]

    def story_of(self, content_hash_value: str, article_id: str) -> str:
        """Story id for exact duplicates: the first article seen with that content."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE content_hash = ? AND id != ? ORDER BY updated_at, id LIMIT 1",
            (content_hash_value, article_id),
        ).fetchone()
        return row[0] if row else article_id

    # --- runs and errors -------------------------------------------------

    def start_run(self, run_id: str, command: str) -> None:
        self.db.execute("INSERT INTO runs (id, command, started_at) VALUES (?, ?, ?)", (run_id, command, utcnow()))

    def finish_run(self, run_id: str, outcome: str, counts: dict) -> None:
        self.db.execute("UPDATE runs SET finished_at = ?, outcome = ?, counts = ? WHERE id = ?",
                        (utcnow(), outcome, json.dumps(counts, ensure_ascii=False), run_id))

    def add_error(self, run_id: str, stage: str, reason: str, source: str = "", url: str = "") -> None:
        self.db.execute("INSERT INTO errors (run_id, stage, source, url, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                        (run_id, stage, source, url, reason, utcnow()))

    def recent_runs(self, limit: int = 10) -> list[dict]:
        rows = self.db.execute("SELECT id, command, started_at, finished_at, outcome, counts FROM runs "
                               "ORDER BY started_at DESC, id DESC LIMIT ?", (limit,))
        return [{"id": r[0], "command": r[1], "started_at": r[2], "finished_at": r[3],
                 "outcome": r[4] or ("en cours ou interrompu" if r[3] is None else ""),
                 "counts": json.loads(r[5] or "{}")} for r in rows]

    def backlog(self) -> dict:
        """What is waiting for a stage: pages to extract, records to enrich or to index."""
        pages = self.db.execute("SELECT COUNT(*) FROM pages WHERE state = 'fetched'").fetchone()[0]
        return {"pages_to_extract": pages, "to_enrich": self.count_articles("extracted"),
                "to_index": self.count_articles("enriched"), "indexed": self.count_articles("indexed")}

    # --- source health ---------------------------------------------------

    def record_source_health(self, source: str, ok: bool, error: str = "") -> None:
        now = utcnow()
        if ok:
            self.db.execute(
                "INSERT INTO source_health (source, last_attempt, last_success, consecutive_failures) "
                "VALUES (?, ?, ?, 0) ON CONFLICT(source) DO UPDATE SET last_attempt = excluded.last_attempt, "
                "last_success = excluded.last_success, consecutive_failures = 0", (source, now, now))
        else:
            self.db.execute(
                "INSERT INTO source_health (source, last_attempt, consecutive_failures, last_error, last_error_at) "
                "VALUES (?, ?, 1, ?, ?) ON CONFLICT(source) DO UPDATE SET last_attempt = excluded.last_attempt, "
                "consecutive_failures = consecutive_failures + 1, last_error = excluded.last_error, "
                "last_error_at = excluded.last_error_at", (source, now, error, now))

    def source_health(self) -> dict[str, dict]:
        rows = self.db.execute("SELECT source, last_attempt, last_success, consecutive_failures, last_error, "
                               "last_error_at FROM source_health")
        keys = ("last_attempt", "last_success", "consecutive_failures", "last_error", "last_error_at")
        return {r[0]: dict(zip(keys, r[1:])) for r in rows}

    def errors_of(self, run_id: str) -> list[dict]:
        rows = self.db.execute("SELECT stage, source, url, reason FROM errors WHERE run_id = ? ORDER BY rowid",
                               (run_id,))
        return [dict(zip(("stage", "source", "url", "reason"), row)) for row in rows]
