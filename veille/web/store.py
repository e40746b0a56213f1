"""What the experts add to the watch: accounts, judgements, saved searches (one SQLite file).

Judgements are also appended, one JSON line each, to `DATA/judgements.jsonl`,
the file `veille train` learns from; `export_judgements` rewrites it whole.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS judgements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL,
    url TEXT NOT NULL,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT,
    label TEXT,
    relevant INTEGER,
    themes TEXT,
    markets TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS judgements_article ON judgements(article_id);
CREATE TABLE IF NOT EXISTS saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    query_string TEXT NOT NULL,
    frequency TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_notified TEXT
);
"""


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Judgement:
    """One expert's verdict on an article: relevant or not for a label, and/or corrected labels."""
    article_id: str
    url: str
    who: str
    kind: Optional[str] = None            # "theme" or "market" when judging one label
    label: Optional[str] = None
    relevant: Optional[bool] = None
    themes: Optional[list[str]] = None    # corrected themes (the whole set), when given
    markets: Optional[list[str]] = None
    note: str = ""
    at: str = field(default_factory=now_utc)
    id: Optional[int] = None


@dataclass
class SavedSearch:
    id: int
    owner: str
    name: str
    query_string: str
    frequency: str
    email: str
    created_at: str
    last_notified: Optional[str]


class WebStore:
    def __init__(self, data_dir: Path):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "web.sqlite"
        self.jsonl = data_dir / "judgements.jsonl"
        self._lock = threading.Lock()
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # --- users -----------------------------------------------------------------

    def set_user(self, username: str, password_hash: str) -> None:
        with self._lock:
            self.db.execute("INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?) "
                            "ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash",
                            (username, password_hash, now_utc()))

    def password_hash(self, username: str) -> Optional[str]:
        with self._lock:
            row = self.db.execute("SELECT password_hash FROM users WHERE username = ?", (username,)).fetchone()
        return row[0] if row else None

    def users(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self.db.execute("SELECT username FROM users ORDER BY username")]

    # --- judgements ------------------------------------------------------------

    def add_judgement(self, judgement: Judgement) -> Judgement:
        with self._lock:
            cursor = self.db.execute(
                "INSERT INTO judgements (article_id, url, who, at, kind, label, relevant, themes, markets, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (judgement.article_id, judgement.url, judgement.who, judgement.at, judgement.kind, judgement.label,
                 None if judgement.relevant is None else int(judgement.relevant),
                 None if judgement.themes is None else json.dumps(judgement.themes),
                 None if judgement.markets is None else json.dumps(judgement.markets), judgement.note))
            judgement.id = cursor.lastrowid
            with self.jsonl.open("a", encoding="utf-8") as out:
                out.write(json.dumps(asdict(judgement), ensure_ascii=False) + "\n")
        return judgement

    def judgements(self, article_id: Optional[str] = None) -> list[Judgement]:
        sql = "SELECT id, article_id, url, who, at, kind, label, relevant, themes, markets, note FROM judgements"
        args: tuple = ()
        if article_id:
            sql, args = sql + " WHERE article_id = ?", (article_id,)
        with self._lock:
            rows = self.db.execute(sql + " ORDER BY id", args).fetchall()
        return [Judgement(id=r[0], article_id=r[1], url=r[2], who=r[3], at=r[4], kind=r[5], label=r[6],
                          relevant=None if r[7] is None else bool(r[7]),
                          themes=None if r[8] is None else json.loads(r[8]),
                          markets=None if r[9] is None else json.loads(r[9]), note=r[10]) for r in rows]

    def export_judgements(self, path: Optional[Path] = None) -> Path:
        """Write every judgement as JSON lines (default: DATA/judgements.jsonl, atomically)."""
        target = path or self.jsonl
        tmp = target.with_name(target.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            for judgement in self.judgements():
                out.write(json.dumps(asdict(judgement), ensure_ascii=False) + "\n")
        tmp.replace(target)
        return target

    # --- saved searches --------------------------------------------------------

    def save_search(self, owner: str, name: str, query_string: str, frequency: str, email: str) -> int:
        with self._lock:
            return self.db.execute(
                "INSERT INTO saved_searches (owner, name, query_string, frequency, email, created_at, last_notified)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (owner, name, query_string, frequency, email, now_utc(), now_utc())).lastrowid

    def saved_searches(self, owner: Optional[str] = None) -> list[SavedSearch]:
        sql = ("SELECT id, owner, name, query_string, frequency, email, created_at, last_notified "
               "FROM saved_searches")
        args: tuple = ()
        if owner is not None:
            sql, args = sql + " WHERE owner = ?", (owner,)
        with self._lock:
            rows = self.db.execute(sql + " ORDER BY id", args).fetchall()
        return [SavedSearch(*row) for row in rows]

    def delete_search(self, owner: str, search_id: int) -> bool:
        with self._lock:
            return self.db.execute("DELETE FROM saved_searches WHERE id = ? AND owner = ?",
                                   (search_id, owner)).rowcount > 0

    def mark_notified(self, search_id: int, when: str) -> None:
        with self._lock:
            self.db.execute("UPDATE saved_searches SET last_notified = ? WHERE id = ?", (when, search_id))
