"""`veille refresh`, the one-pass command for cron: never overlapping, resumable after a kill."""
import signal
import subprocess
import sys

from tests.veille.conftest import output_of, stop, wait_for
from tests.veille.test_scheduler import assert_everything_indexed

HOLD_RUN_LOCK = ("import sys, time; from pathlib import Path; from veille.locks import DataLock; "
                 "lock = DataLock(Path(sys.argv[1]), 'run.lock', 'scheduler collecte:presse').acquire(); "
                 "print('held', flush=True); time.sleep(120)")


def test_refresh_of_one_group_crawls_only_that_group(folder):
    refresh = folder.veille("refresh", "--sources", "agenda")
    assert refresh.wait(timeout=300) == 0, output_of(refresh)
    [run] = folder.runs("refresh")
    assert run["command"] == "refresh agenda" and run["outcome"].startswith("ok")
    assert "sources=1, feeds=1, entries=2" in output_of(refresh)


def test_unknown_group_is_a_usage_error(folder):
    refresh = folder.veille("refresh", "--sources", "presse-quotidienne")
    assert refresh.wait(timeout=60) == 2
    assert "groupe de sources inconnu : presse-quotidienne" in output_of(refresh)
    assert not folder.runs()


def test_refresh_finding_the_lock_held_exits_75_and_does_nothing(folder):
    folder.data.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_RUN_LOCK, str(folder.data)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        refresh = folder.veille("refresh")
        assert refresh.wait(timeout=60) == 75
        message = output_of(refresh)
        assert "Une autre exécution travaille déjà" in message and "scheduler collecte:presse" in message
        assert str(holder.pid) in message
        assert not folder.runs() and not (folder.data / "spool.sqlite").exists()
    finally:
        holder.kill()
        holder.wait()


def test_a_refresh_killed_mid_run_is_completed_by_the_next_one(folder):
    from veille.spool import Spool

    def some_articles_spooled():
        path = folder.data / "spool.sqlite"
        if not path.exists():
            return False
        with Spool(path) as spool:
            return spool.count_articles() > 0

    first = folder.veille("refresh", "--sources", "presse")
    wait_for(some_articles_spooled, what="articles in the spool")
    assert stop(first, signal.SIGKILL) == -signal.SIGKILL
    [killed] = folder.runs("refresh")
    assert killed["finished_at"] is None

    second = folder.veille("refresh", "--sources", "presse")
    assert second.wait(timeout=300) == 0, output_of(second)  # the lock died with the killed process
    assert_everything_indexed(folder)
    status = subprocess.run([sys.executable, "-m", "veille", "status", "--config", str(folder.config)],
                            capture_output=True, text=True, env={"VEILLE_DATA": str(folder.data), "COLUMNS": "200",
                                                                 "PATH": "/usr/bin:/bin"})
    assert "en cours ou interrompu" in status.stdout, status.stderr
