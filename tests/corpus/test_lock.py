"""The project lock excludes another process, and reports a clear error when it waits too long."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from kg.corpus.lock import LOCK_NAME, project_lock
from kg.errors import KgError, LockError

# a process that takes the lock, says so, and keeps it until its stdin closes
HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from kg.corpus.lock import project_lock
    with project_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        sys.stdin.read()
""")


def test_another_process_holding_the_lock_makes_a_writer_fail_clearly_then_succeed(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"  # the barrier: the other process holds it now
        with pytest.raises(LockError) as caught:
            with project_lock(tmp_path, timeout=0):
                pytest.fail("the lock was taken twice")
        assert str(tmp_path / LOCK_NAME) in str(caught.value) and "another writer" in str(caught.value)
        assert isinstance(caught.value, KgError) and caught.value.exit_code == 2
    finally:
        holder.stdin.close()
        holder.wait()
    with project_lock(tmp_path, timeout=0) as path:  # released when the holder is done
        assert path == tmp_path / LOCK_NAME


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    holder.kill()
    holder.wait()
    holder.stdin.close()
    with project_lock(tmp_path, timeout=0):
        pass


def test_a_second_holder_in_the_same_process_is_excluded_too(tmp_path):
    with project_lock(tmp_path):
        with pytest.raises(LockError):
            with project_lock(tmp_path, timeout=0):
                pass


def test_a_missing_project_folder_is_named(tmp_path):
    with pytest.raises(LockError, match="cannot open the project lock"):
        with project_lock(tmp_path / "absent", timeout=0):
            pass
