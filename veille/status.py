"""`veille status`: what the watch has been doing, for a person or for monitoring.

Everything is read, nothing is written or locked: the last runs and their
outcome, each source's health, the spool backlog, the index size, whether a
scheduler or a run holds the data folder, and the next scheduled jobs (from the
scheduler's job store when it has one, from the config otherwise).
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from veille.config import Config
from veille.cron import cron_trigger
from veille.locks import RUN_LOCK, SCHEDULER_LOCK, DataLock
from veille.pipeline import spool_path
from veille.scheduler import JOBSTORE_FILE, job_specs
from veille.spool import Spool


def gather_status(config: Config, runs: int = 10) -> dict:
    data = config.data_dir
    status = {"data_dir": str(data), "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    alerts: dict[str, list[str]] = {}
    if spool_path(config).exists():
        with Spool(spool_path(config)) as spool:
            status["runs"] = spool.recent_runs(runs)
            health = spool.source_health()
            status["backlog"] = spool.backlog()
        alerts = source_alerts(config)
    else:
        status["runs"], health, status["backlog"] = [], {}, {}
    status["sources"] = [_source_health(source, health.get(source.id)) | {"alerts": alerts.get(source.id, [])}
                         for source in config.sources]
    status["index"] = index_status(config)
    status["locks"] = {
        "scheduler": DataLock(data, SCHEDULER_LOCK).is_held_elsewhere() if data.exists() else None,
        "run": DataLock(data, RUN_LOCK).is_held_elsewhere() if data.exists() else None,
    }
    status["jobs"] = scheduled_jobs(config)
    return status


def _source_health(source, health: dict | None) -> dict:
    entry = {"id": source.id, "name": source.name, "group": source.group, "enabled": source.enabled}
    entry.update(health or {"last_attempt": None, "last_success": None, "consecutive_failures": 0,
                            "last_error": "", "last_error_at": None})
    return entry


def source_alerts(config: Config) -> dict[str, list[str]]:
    """French warnings per source from the crawl state: disabled for failing long, volume that
    dropped to nothing or jumped at its last poll (the same judgements the crawl report makes)."""
    from crawlers.health import disabled_reason, volume_flag
    from crawlers.state import CrawlState

    alerts: dict[str, list[str]] = {}
    with CrawlState(spool_path(config)) as state:
        failures = state.failures()
        for source in config.sources:
            found = [disabled_reason(failures.get(source.id), source.url)]
            history = state.volume_history(source.id)
            if history:
                found.append(volume_flag(history[:-1], history[-1]))
            if any(found):
                alerts[source.id] = [line for line in found if line]
    return alerts


def index_status(config: Config) -> dict:
    from index import BackendUnavailable, open_index

    settings = config.settings.index
    result = {"backend": settings.backend}
    try:
        with open_index(config) as index:
            result["articles"] = index.count()
    except BackendUnavailable as exc:
        result["error"] = str(exc)
    if settings.backend == "sqlite":
        path = config.data_dir / settings.path
        result["bytes"] = path.stat().st_size if path.exists() else 0
    return result


def scheduled_jobs(config: Config) -> dict:
    """Next runs: from the job store if a scheduler has used this data folder, else from the config."""
    store = config.data_dir / JOBSTORE_FILE
    tz = ZoneInfo(config.settings.timezone)
    if store.exists():
        db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT id, next_run_time FROM apscheduler_jobs ORDER BY next_run_time").fetchall()
        except sqlite3.OperationalError:
            rows = []
        finally:
            db.close()
        return {"from": "scheduler", "jobs": [
            {"id": job_id, "next_run": datetime.fromtimestamp(ts, tz).isoformat(timespec="minutes") if ts else None}
            for job_id, ts in rows]}
    now = datetime.now(tz)
    jobs = []
    for spec in job_specs(config).values():
        fire = cron_trigger(spec.crontab, config.settings.timezone).get_next_fire_time(None, now)
        jobs.append({"id": spec.id, "next_run": fire.isoformat(timespec="minutes") if fire else None})
    return {"from": "config", "jobs": sorted(jobs, key=lambda j: j["next_run"] or "")}
