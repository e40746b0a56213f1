"""A config folder on disk bound to the running fixture web, for commands run as real processes."""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")


class Folder:
    """A config folder (shipped taxonomy, demo sources bound to the fixture web) and its data folder."""

    def __init__(self, newsweb, tmp_path: Path):
        self.newsweb = newsweb
        self.config = tmp_path / "config"
        self.data = tmp_path / "data"
        self.config.mkdir()
        for name in ("themes", "markets", "actors"):
            (self.config / f"{name}.yaml").write_bytes((ROOT / "config" / f"{name}.yaml").read_bytes())
        (self.config / "profiles.yaml").write_bytes((ROOT / "config" / "demo" / "profiles.yaml").read_bytes())
        self.write(groups=None, schedule={"default": "0 9 * * *"})

    def write(self, groups=None, schedule=None, grace_minutes=30, profiles=None):
        """Sources of the given groups (all when None) and the given crawl schedule."""
        from veille.config import load_config

        demo = load_config(ROOT / "config", overlay=ROOT / "config" / "demo")
        bound = self.newsweb.bind(demo)
        sources = [s.model_dump(exclude_defaults=True) | {"url": s.url, "allow_private": True}
                   for s in bound.sources if groups is None or s.group in groups]
        (self.config / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True))
        settings = yaml.safe_load((ROOT / "config" / "demo" / "settings.yaml").read_text(encoding="utf-8"))
        settings["data_dir"] = str(self.data)
        settings["schedule"] = {"sources": schedule or {"default": "0 9 * * *"},
                                "crawl_grace_minutes": grace_minutes, "digest_grace_minutes": grace_minutes}
        (self.config / "settings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True))
        if profiles is not None:
            (self.config / "profiles.yaml").write_text(yaml.safe_dump({"profiles": profiles}, allow_unicode=True))

    def load(self):
        from veille.config import load_config

        return load_config(self.config)

    def veille(self, *args, **popen) -> subprocess.Popen:
        """`veille ARGS --config FOLDER` as a real process (stdout and stderr to files in tmp)."""
        env = {**os.environ, "VEILLE_DATA": str(self.data), "COLUMNS": "200", "PYTHONUNBUFFERED": "1"}
        env.update(popen.pop("env", {}))
        log = open(self.data.parent / f"veille-{time.monotonic_ns()}.log", "w+")
        process = subprocess.Popen([sys.executable, "-m", "veille", *args, "--config", str(self.config)],
                                   stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.data.parent, **popen)
        process.log = log
        return process

    def runs(self, command_part: str = "") -> list[dict]:
        path = self.data / "spool.sqlite"
        if not path.exists():
            return []
        db = sqlite3.connect(path, timeout=30)
        try:
            rows = db.execute("SELECT command, started_at, finished_at, outcome FROM runs ORDER BY started_at, id")
            return [dict(zip(("command", "started_at", "finished_at", "outcome"), r)) for r in rows
                    if command_part in r[0]]
        except sqlite3.OperationalError:
            return []
        finally:
            db.close()


def output_of(process: subprocess.Popen) -> str:
    process.log.flush()
    process.log.seek(0)
    return process.log.read()


def wait_for(condition, timeout: float = 90, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def stop(process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 120) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    return process.wait(timeout=timeout)


def cron_at(moment: datetime) -> str:
    """A six-field cron expression firing once a day at that second (Paris time)."""
    moment = moment.astimezone(PARIS)
    return f"{moment.second} {moment.minute} {moment.hour} * * *"


def soon(seconds: float) -> datetime:
    return datetime.now(PARIS).replace(microsecond=0) + timedelta(seconds=seconds)


@pytest.fixture
def folder(newsweb, tmp_path):
    return Folder(newsweb, tmp_path)
