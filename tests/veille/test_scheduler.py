"""`veille scheduler` as a real process on the fixture web, with second-level cron triggers."""
import json
import signal
import subprocess
import sys
import time
from datetime import datetime

from tests.veille.conftest import cron_at, output_of, soon, stop, wait_for

JOB = "scheduler collecte:agenda"


def finished(folder, command=JOB):
    return [r for r in folder.runs(command) if r["finished_at"]]


def stored_jobs(folder) -> dict:
    status = subprocess.run([sys.executable, "-m", "veille", "status", "--json", "--config", str(folder.config)],
                            capture_output=True, text=True, env={**__import__("os").environ,
                                                                 "VEILLE_DATA": str(folder.data)})
    assert status.returncode == 0, status.stderr
    jobs = json.loads(status.stdout)["jobs"]
    return {j["id"]: j["next_run"] for j in jobs["jobs"]} if jobs["from"] == "scheduler" else {}


def test_job_fires_at_its_time_and_sigterm_stops_cleanly(folder):
    due = soon(8)
    folder.write(groups=["agenda"], schedule={"agenda": cron_at(due)})
    scheduler = folder.veille("scheduler")
    try:
        runs = wait_for(lambda: finished(folder), what="the scheduled crawl")
        started = datetime.fromisoformat(runs[0]["started_at"])
        assert started >= due.replace(microsecond=0)
        assert runs[0]["outcome"].startswith("ok")
        assert folder.load().data_dir.joinpath("index.sqlite").exists()
    finally:
        code = stop(scheduler)
    assert code == 0, output_of(scheduler)
    assert len(folder.runs(JOB)) == 1


def test_a_second_scheduler_on_the_same_data_folder_is_refused(folder):
    folder.write(groups=["agenda"], schedule={"agenda": "0 9 * * *"})
    first = folder.veille("scheduler")
    try:
        wait_for(lambda: "Planificateur démarré" in output_of(first), what="the first scheduler")
        second = folder.veille("scheduler")
        assert second.wait(timeout=60) == 75
        message = output_of(second)
        assert "un planificateur tourne déjà" in message and str(first.pid) in message
        assert first.poll() is None
    finally:
        assert stop(first) == 0


def test_restart_across_the_scheduled_time_runs_the_missed_job_once(folder):
    due = soon(20)  # the first scheduler is surely stopped by then, even on a loaded machine
    folder.write(groups=["agenda"], schedule={"agenda": cron_at(due)})
    first = folder.veille("scheduler")
    wait_for(lambda: "collecte:agenda" in stored_jobs(folder), what="the job in the store")
    assert stop(first) == 0
    assert not folder.runs(JOB)
    time.sleep(max(0.0, (due - soon(0)).total_seconds()) + 2)  # the due time passes while it is down

    second = folder.veille("scheduler")
    try:
        wait_for(lambda: finished(folder), what="the catch-up run")
    finally:
        assert stop(second) == 0
    third = folder.veille("scheduler")  # a further restart must not run it again
    try:
        wait_for(lambda: "Planificateur démarré" in output_of(third), what="the third scheduler")
        time.sleep(3)
    finally:
        assert stop(third) == 0
    assert len(folder.runs(JOB)) == 1
    assert datetime.fromisoformat(stored_jobs(folder)["collecte:agenda"]) > due  # next one: tomorrow


def test_a_run_missed_beyond_its_grace_time_is_reported_not_run(folder):
    due = soon(20)  # the first scheduler is surely stopped by then, even on a loaded machine
    folder.write(groups=["agenda"], schedule={"agenda": cron_at(due)}, grace_minutes=0.05)  # 3 s
    first = folder.veille("scheduler")
    wait_for(lambda: "collecte:agenda" in stored_jobs(folder), what="the job in the store")
    assert stop(first) == 0
    assert not folder.runs("collecte:agenda"), "the first scheduler was still up at the due time"
    time.sleep(max(0.0, (due - soon(0)).total_seconds()) + 6)

    second = folder.veille("scheduler")
    try:
        missed = wait_for(lambda: folder.runs("collecte:agenda"), what="the missed-run record")
    finally:
        assert stop(second) == 0
    assert len(missed) == 1 and missed[0]["outcome"].startswith("manqué")
    assert "event=skipped" in output_of(second)
    status = subprocess.run([sys.executable, "-m", "veille", "status", "--config", str(folder.config)],
                            capture_output=True, text=True, env={**__import__("os").environ,
                                                                 "VEILLE_DATA": str(folder.data), "COLUMNS": "200"})
    assert "manqué" in status.stdout


def test_config_changes_are_picked_up_on_restart(folder):
    folder.write(schedule={"presse": "0 9 * * *", "agenda": "0 8 * * *"})
    first = folder.veille("scheduler")
    expected = {"collecte:presse", "collecte:agenda", "synthese:zoom-spatial-defense"}
    wait_for(lambda: expected <= set(stored_jobs(folder)), what="all the stored jobs")
    assert stop(first) == 0

    folder.write(groups=["presse"], schedule={"presse": "30 6 * * *"},
                 profiles=[{"id": "zoom-spatial-defense", "name": "Zoom", "themes": ["aeronautique-spatial"]}])
    second = folder.veille("scheduler")
    try:
        wait_for(lambda: "Planificateur démarré" in output_of(second), what="the restarted scheduler")
    finally:
        assert stop(second) == 0
    jobs = stored_jobs(folder)
    assert set(jobs) == {"collecte:presse", "synthese:zoom-spatial-defense"}
    assert jobs["collecte:presse"][11:16] == "06:30"


def test_sigterm_during_a_run_finishes_the_stage_and_the_next_run_completes(folder):
    due = soon(5)
    folder.write(groups=["presse"], schedule={"presse": cron_at(due)})
    scheduler = folder.veille("scheduler")
    command = "scheduler collecte:presse"
    try:
        wait_for(lambda: folder.runs(command), what="the scheduled run to start")
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(timeout=120) == 0, output_of(scheduler)
    finally:
        stop(scheduler, signal.SIGKILL)
    run = folder.runs(command)[0]
    assert run["finished_at"] and run["outcome"] == "interrompu (arrêt demandé)", run
    assert "stop requested" in output_of(scheduler)

    refresh = folder.veille("refresh")
    assert refresh.wait(timeout=300) == 0, output_of(refresh)
    assert_everything_indexed(folder)


def assert_everything_indexed(folder, at_least=50):
    """Nothing waits in the spool, and the index holds every article the spool knows, once."""
    from index import open_index
    from veille.spool import Spool

    config = folder.load()
    with Spool(folder.data / "spool.sqlite") as spool:
        assert spool.backlog() | {"indexed": 0} == {"pages_to_extract": 0, "to_enrich": 0, "to_index": 0,
                                                    "indexed": 0}
        articles = spool.count_articles()
    with open_index(config) as index:
        assert index.count() == articles >= at_least


def test_refresh_during_a_scheduled_run_is_refused_with_exit_75(folder):
    due = soon(4)
    folder.write(groups=["presse"], schedule={"presse": cron_at(due)})
    scheduler = folder.veille("scheduler")
    try:
        wait_for(lambda: folder.runs("scheduler collecte:presse"), what="the scheduled run to start")
        refresh = folder.veille("refresh")
        assert refresh.wait(timeout=60) == 75
        assert "scheduler collecte:presse" in output_of(refresh)
        wait_for(lambda: finished(folder, "scheduler collecte:presse"), what="the scheduled run to end")
    finally:
        assert stop(scheduler) == 0
    assert not folder.runs("refresh")


def test_a_job_falling_due_during_a_refresh_waits_for_it_and_never_overlaps(folder):
    folder.write(groups=["presse", "agenda"], schedule={"presse": "0 9 * * *", "agenda": cron_at(soon(6))})
    refresh = folder.veille("refresh", "--sources", "presse")
    wait_for(lambda: folder.runs("refresh"), what="the refresh to start")
    scheduler = folder.veille("scheduler")
    try:
        assert refresh.wait(timeout=300) == 0, output_of(refresh)
        job = wait_for(lambda: finished(folder), what="the scheduled run after the refresh")[0]
    finally:
        assert stop(scheduler) == 0
    [done] = folder.runs("refresh")
    assert job["started_at"] >= done["finished_at"], (done, job)
    assert job["outcome"].startswith("ok")
