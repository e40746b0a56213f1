"""Locks on a data folder, so that two processes never work on it at once.

`run.lock` is taken by every pipeline run (`veille run`, `veille refresh`, the
scheduler's jobs): a refresh and a scheduled run never overlap. `scheduler.lock`
is held by a `veille scheduler` for its whole life, because its job store cannot
be shared between two schedulers. Both are OS file locks (flock through
`filelock`), released by the kernel when the holder dies, even by SIGKILL, so a
crash never leaves a stale lock behind. Who holds a lock is written beside it,
for the messages.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from filelock import FileLock, Timeout

RUN_LOCK = "run.lock"
SCHEDULER_LOCK = "scheduler.lock"
FOLLOW_LOCK = "follow.lock"    # followed-search notices: never two senders at once


class LockHeld(RuntimeError):
    """The lock is held by another process; `holder` says which, when known."""

    def __init__(self, path: Path, holder: dict):
        self.path, self.holder = path, holder
        super().__init__(describe_holder(holder))


def describe_holder(holder: dict) -> str:
    if not holder:
        return "un autre processus"
    since = holder.get("since", "")
    return f"« {holder.get('command', '?')} » (pid {holder.get('pid', '?')}, depuis {since})"


class DataLock:
    """An exclusive lock on one data folder, for one purpose (run or scheduler)."""

    def __init__(self, data_dir: Path, name: str = RUN_LOCK, command: str = ""):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / name
        self.info_path = data_dir / f"{name}.json"
        self.command = command
        self._lock = FileLock(str(self.path), thread_local=False)

    def acquire(self, wait_seconds: float = 0) -> "DataLock":
        """Take the lock, waiting at most `wait_seconds`; raise LockHeld if another process keeps it."""
        try:
            self._lock.acquire(timeout=wait_seconds, poll_interval=0.2)
        except Timeout:
            raise LockHeld(self.path, self.holder()) from None
        self.info_path.write_text(json.dumps({
            "pid": os.getpid(), "command": self.command,
            "since": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        }), encoding="utf-8")
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self.info_path.unlink(missing_ok=True)
            self._lock.release(force=True)

    def holder(self) -> dict:
        try:
            return json.loads(self.info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def is_held_elsewhere(self) -> Optional[dict]:
        """The holder's description if another process holds the lock now, else None."""
        if self._lock.is_locked:
            return None
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return self.holder() or {"command": "?"}
        self._lock.release(force=True)
        return None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
