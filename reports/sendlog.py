"""The per-recipient send log: DATA/sendlog.sqlite.

One row per (message key, recipient). Statuses:

- `refused`, `failed`: not delivered (recipient refused, server or connection
  error before the message was handed over): retried on the next run;
- `sending`: written just before the message body is handed over (DATA);
- `unknown`: the connection dropped after DATA began, before the server's
  answer: the server may or may not have accepted it;
- `sent`: the server accepted it.

A row left at `sending` (the process died during DATA) counts as `unknown`.
`unknown` is never retried automatically: a missing digest is better than a
duplicate, so it is reported at every run until an operator clears it
(`veille digest resend-unknown KEY`), which makes it `failed` (retried).
Digest approvals live here too (key, hash of the approved draft).

Opt-outs too (`optouts`: list, address, when, how — web page, one-click
POST from a mail provider, CLI): they are per-recipient delivery state like
the rest of this file, every send already opens it, and the web app's
unsubscribe page writes here (WAL: a write waits for a running send's
commit, never the reverse for long). A list is "digest:<profile id>" or
"follow:<saved search id>" (reports/unsubscribe.py).
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional

RETRIED = ("refused", "failed")
DONE = ("sent",)
UNCERTAIN = ("sending", "unknown")

SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    key TEXT NOT NULL, recipient TEXT NOT NULL, status TEXT NOT NULL, message_id TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,
    PRIMARY KEY (key, recipient));
CREATE TABLE IF NOT EXISTS approvals (
    key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, approved_at TEXT NOT NULL, approved_by TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS optouts (
    list TEXT NOT NULL, address TEXT NOT NULL, opted_out_at TEXT NOT NULL, how TEXT NOT NULL,
    PRIMARY KEY (list, address));
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SendLog:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")   # a `sending` mark must reach the disk before DATA
        self.db.executescript(SCHEMA)

    @classmethod
    def of(cls, data_dir: str | Path) -> "SendLog":
        return cls(Path(data_dir) / "sendlog.sqlite")

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- deliveries ---------------------------------------------------------

    def status(self, key: str, recipient: str) -> Optional[str]:
        row = self.db.execute("SELECT status FROM deliveries WHERE key = ? AND recipient = ?",
                              (key, recipient.lower())).fetchone()
        return row[0] if row else None

    def mark(self, key: str, recipient: str, status: str, message_id: str = "", error: str = "") -> None:
        attempt = 1 if status == "sending" else 0
        self.db.execute(
            "INSERT INTO deliveries (key, recipient, status, message_id, attempts, last_error, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key, recipient) DO UPDATE SET status = excluded.status, "
            "message_id = CASE WHEN excluded.message_id != '' THEN excluded.message_id ELSE message_id END, "
            "attempts = attempts + excluded.attempts, last_error = excluded.last_error, "
            "updated_at = excluded.updated_at",
            (key, recipient.lower(), status, message_id, attempt, error[:500], _now()))

    def rows(self, key: Optional[str] = None) -> list[dict]:
        query = "SELECT key, recipient, status, message_id, attempts, last_error, updated_at FROM deliveries"
        args: tuple = ()
        if key is not None:
            query, args = query + " WHERE key = ?", (key,)
        names = ("key", "recipient", "status", "message_id", "attempts", "last_error", "updated_at")
        return [dict(zip(names, row)) for row in self.db.execute(query + " ORDER BY key, recipient", args)]

    def release_unknown(self, key: str) -> int:
        """An operator checked: the uncertain deliveries of `key` become `failed` (sent again next run)."""
        cursor = self.db.execute("UPDATE deliveries SET status = 'failed', last_error = 'relancé par un opérateur', "
                                 "updated_at = ? WHERE key = ? AND status IN ('sending', 'unknown')", (_now(), key))
        return cursor.rowcount

    # --- approvals ------------------------------------------------------------

    def approve(self, key: str, sha256: str, by: str = "") -> None:
        self.db.execute("INSERT OR REPLACE INTO approvals (key, sha256, approved_at, approved_by) VALUES (?, ?, ?, ?)",
                        (key, sha256, _now(), by))

    def approval(self, key: str) -> Optional[str]:
        row = self.db.execute("SELECT sha256 FROM approvals WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def approval_details(self, key: str) -> Optional[dict]:
        row = self.db.execute("SELECT sha256, approved_at, approved_by FROM approvals WHERE key = ?",
                              (key,)).fetchone()
        return dict(zip(("sha256", "approved_at", "approved_by"), row)) if row else None

    # --- opt-outs -------------------------------------------------------------

    def opt_out(self, list_id: str, address: str, how: str) -> bool:
        """Record that `address` left `list_id`; False when it had already (the first record is kept)."""
        cursor = self.db.execute("INSERT OR IGNORE INTO optouts (list, address, opted_out_at, how) VALUES (?, ?, ?, ?)",
                                 (list_id, address.strip().lower(), _now(), how))
        return cursor.rowcount == 1

    def opted_out(self, list_id: str, addresses: Iterable[str]) -> set[str]:
        """Those of `addresses` (as given) who left `list_id`."""
        left = {row[0] for row in self.db.execute("SELECT address FROM optouts WHERE list = ?", (list_id,))}
        return {address for address in addresses if address.strip().lower() in left}

    def optouts(self, address: Optional[str] = None) -> list[dict]:
        query, args = "SELECT list, address, opted_out_at, how FROM optouts", ()
        if address is not None:
            query, args = query + " WHERE address = ?", (address.strip().lower(),)
        names = ("list", "address", "opted_out_at", "how")
        return [dict(zip(names, row)) for row in self.db.execute(query + " ORDER BY list, address", args)]

    def resubscribe(self, address: str, list_id: Optional[str] = None) -> int:
        """Forget `address`'s opt-outs (of one list, or all): it is sent to again."""
        query, args = "DELETE FROM optouts WHERE address = ?", (address.strip().lower(),)
        if list_id is not None:
            query, args = query + " AND list = ?", args + (list_id,)
        return self.db.execute(query, args).rowcount
