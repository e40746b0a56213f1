"""`veille scheduler`: the long-running APScheduler 3 process.

Jobs come from the config: one crawl job per source group (`settings.schedule.
sources`) and one digest job per profile (its day and time), in the settings'
timezone. They live in a SQLAlchemy job store in the data folder, so a run that
fell due while the scheduler was down is still known at restart: with
`coalesce` it runs once, if it is within its `misfire_grace_time`; beyond it,
APScheduler reports it missed, and so do we (log line and a `runs` record).

At start the stored jobs are reconciled with the config: unchanged jobs are
left alone (their pending run time is what makes the missed-run catch-up work),
changed ones are rescheduled, removed ones deleted. Jobs run one at a time in
this process and take the data folder's run lock, shared with `veille refresh`.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Optional

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from veille.config import Config
from veille.cron import cron_trigger
from veille.locks import RUN_LOCK, SCHEDULER_LOCK, DataLock, LockHeld, describe_holder
from veille.pipeline import COLLECT, Pipeline, spool_path
from veille.spool import Spool

log = logging.getLogger("veille.scheduler")
JOBSTORE_FILE = "scheduler.sqlite"


class SchedulerAlreadyRunning(RuntimeError):
    pass


@dataclass
class JobSpec:
    id: str
    func: Callable
    args: tuple
    crontab: str
    grace_seconds: int


# --- what the jobs run -----------------------------------------------------------------

class Runtime:
    """What the jobs of this process work with: the config loaded at start and the stop flag."""

    def __init__(self, config: Config):
        self.config = config
        self.stopping = threading.Event()


_runtime: Optional[Runtime] = None


def run_pipeline(command: str, stages: tuple, wait_seconds: float, groups=None, profiles=None) -> None:
    """One scheduled run under the run lock; a held lock or a failure is recorded, never silent."""
    runtime = _runtime
    if runtime is None or runtime.stopping.is_set():
        return
    config = runtime.config
    lock = DataLock(config.data_dir, RUN_LOCK, command)
    try:
        lock.acquire(wait_seconds=wait_seconds)
    except LockHeld as exc:
        record_skipped(config, command, f"sauté : le dossier de données est occupé par {exc}")
        return
    try:
        pipeline = Pipeline(config, groups=groups, profiles=profiles, command=command,
                            should_stop=runtime.stopping.is_set)
        try:
            report = pipeline.run(stages)
        finally:
            pipeline.close()
    finally:
        lock.release()
    if not report.ok:
        raise RuntimeError(f"{command} : {report.outcome} — {report.failure}")


def crawl_job(group: str) -> None:
    grace = _runtime.config.settings.schedule.crawl_grace_seconds if _runtime else 0
    run_pipeline(f"scheduler collecte:{group}", COLLECT, grace, groups=[group])


def digest_job(profile_id: str) -> None:
    grace = _runtime.config.settings.schedule.digest_grace_seconds if _runtime else 0
    run_pipeline(f"scheduler synthèse:{profile_id}", ("digest",), grace, profiles=[profile_id])


def follow_job() -> None:
    """Mail the followed searches that are due; a miss is retried by the next day's run."""
    from veille.locks import FOLLOW_LOCK
    from veille.web.follow import notify_all

    runtime = _runtime
    if runtime is None or runtime.stopping.is_set():
        return
    config = runtime.config
    lock = DataLock(config.data_dir, FOLLOW_LOCK, "scheduler suivis")
    try:
        lock.acquire(wait_seconds=60)
    except LockHeld as exc:
        record_skipped(config, "scheduler suivis", f"sauté : avis déjà en cours d'envoi par {exc}")
        return
    try:
        report = notify_all(config)
    finally:
        lock.release()
    log.info("command=%s event=follow-notices due=%d sent=%d empty=%d failed=%d unsubscribed=%d",
             "scheduler suivis", report.due, report.sent, report.empty, report.failed, report.unsubscribed)
    if report.failed:
        raise RuntimeError(" ; ".join(report.problems))


def record_skipped(config: Config, command: str, outcome: str) -> None:
    log.warning("command=%s event=skipped reason=%r", command, outcome)
    with Spool(spool_path(config)) as spool:
        run_id = datetime.now().strftime("%Y%m%dT%H%M%S.%f")
        spool.start_run(run_id, command)
        spool.finish_run(run_id, outcome, {})


# --- the jobs the config asks for ------------------------------------------------------

def job_specs(config: Config) -> dict[str, JobSpec]:
    schedule = config.settings.schedule
    specs = {}
    for group in sorted({s.group for s in config.sources if s.enabled}):
        crontab = schedule.sources.get(group, schedule.sources.get("default"))
        specs[f"collecte:{group}"] = JobSpec(f"collecte:{group}", crawl_job, (group,), crontab,
                                             schedule.crawl_grace_seconds)
    for profile in config.profiles:
        specs[f"synthese:{profile.id}"] = JobSpec(f"synthese:{profile.id}", digest_job, (profile.id,),
                                                  profile.crontab, schedule.digest_grace_seconds)
    if config.settings.mail.host and config.settings.mail.scheduled:
        specs["suivis"] = JobSpec("suivis", follow_job, (), schedule.follow, schedule.digest_grace_seconds)
    return specs


def jobstore_url(config: Config) -> str:
    return f"sqlite:///{config.data_dir.resolve() / JOBSTORE_FILE}"


class VeilleScheduler:
    def __init__(self, config: Config):
        self.config = config
        self.lock = DataLock(config.data_dir, SCHEDULER_LOCK, "veille scheduler")
        self.scheduler: Optional[BackgroundScheduler] = None
        self.runtime = Runtime(config)

    def start(self) -> "VeilleScheduler":
        global _runtime
        try:
            self.lock.acquire(wait_seconds=0)
        except LockHeld as exc:
            raise SchedulerAlreadyRunning(
                f"un planificateur tourne déjà sur le dossier de données {self.config.data_dir} : "
                f"{describe_holder(exc.holder)} ; un seul planificateur par dossier de données "
                f"(leur base de tâches ne peut pas être partagée)") from None
        _runtime = self.runtime
        tz = self.config.settings.timezone
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=jobstore_url(self.config))},
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": self.config.settings.schedule.crawl_grace_seconds},
            timezone=tz,
        )
        self.scheduler.add_listener(self._on_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_EXECUTED)
        self.scheduler.start(paused=True)
        self.sync_jobs()
        self.scheduler.resume()
        log.info("event=scheduler-started data=%s jobs=%d", self.config.data_dir, len(self.scheduler.get_jobs()))
        return self

    def sync_jobs(self) -> None:
        tz = self.config.settings.timezone
        wanted = job_specs(self.config)
        for job in self.scheduler.get_jobs():
            spec = wanted.pop(job.id, None)
            if spec is None:
                job.remove()
                log.info("event=job-removed job=%s", job.id)
                continue
            trigger = cron_trigger(spec.crontab, tz)
            if str(job.trigger) != str(trigger) or str(job.trigger.timezone) != str(trigger.timezone):
                job.reschedule(trigger)
                log.info("event=job-rescheduled job=%s cron=%r", job.id, spec.crontab)
            if job.misfire_grace_time != spec.grace_seconds or job.args != spec.args:
                job.modify(misfire_grace_time=spec.grace_seconds, args=spec.args)
        for spec in wanted.values():
            self.scheduler.add_job(spec.func, cron_trigger(spec.crontab, tz), id=spec.id, name=spec.id,
                                   args=spec.args, misfire_grace_time=spec.grace_seconds)
            log.info("event=job-added job=%s cron=%r", spec.id, spec.crontab)

    def jobs(self) -> list[dict]:
        return [{"id": j.id, "next_run": j.next_run_time.isoformat() if j.next_run_time else None}
                for j in self.scheduler.get_jobs()]

    def _on_event(self, event: JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            when = event.scheduled_run_time.isoformat(timespec="minutes")
            record_skipped(self.config, f"scheduler {event.job_id}",
                           f"manqué : prévu le {when}, au-delà du délai de rattrapage")
        elif event.code == EVENT_JOB_ERROR:
            log.error("event=job-failed job=%s error=%r", event.job_id, str(event.exception))
        else:
            log.info("event=job-done job=%s", event.job_id)

    def request_stop(self) -> None:
        """Ask the running job to stop after its current stage (SIGTERM)."""
        self.runtime.stopping.set()

    def shutdown(self) -> None:
        global _runtime
        self.runtime.stopping.set()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        _runtime = None
        self.lock.release()
        log.info("event=scheduler-stopped")
