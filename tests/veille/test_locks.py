"""The data folder's locks: exclusive between processes, released when the holder dies."""
import signal
import subprocess
import sys

import pytest

from veille.locks import RUN_LOCK, DataLock, LockHeld

HOLD = ("import sys, time; from pathlib import Path; from veille.locks import DataLock; "
        "lock = DataLock(Path(sys.argv[1]), 'run.lock', 'holder-test').acquire(); print('held', flush=True); time.sleep(60)")


@pytest.fixture
def holder(tmp_path):
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    yield process
    process.kill()
    process.wait()


def test_a_held_lock_is_refused_and_names_its_holder(tmp_path, holder):
    with pytest.raises(LockHeld) as refused:
        DataLock(tmp_path, RUN_LOCK, "second").acquire(wait_seconds=0.5)
    assert "holder-test" in str(refused.value) and str(holder.pid) in str(refused.value)
    assert DataLock(tmp_path, RUN_LOCK).is_held_elsewhere()["pid"] == holder.pid


def test_a_lock_whose_holder_was_killed_is_free_again(tmp_path, holder):
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    lock = DataLock(tmp_path, RUN_LOCK, "after").acquire(wait_seconds=5)
    assert lock.holder()["command"] == "after"
    lock.release()
    assert DataLock(tmp_path, RUN_LOCK).is_held_elsewhere() is None


def test_two_locks_in_one_process_exclude_each_other(tmp_path):
    with DataLock(tmp_path, RUN_LOCK, "first"):
        with pytest.raises(LockHeld):
            DataLock(tmp_path, RUN_LOCK, "second").acquire()
    DataLock(tmp_path, RUN_LOCK, "third").acquire().release()
