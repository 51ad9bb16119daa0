"""Queries run where they can be stopped: a time limit and Ctrl-C end them at once (issue 14, item 6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kg.sparql.killable import ChildError, QueryTimeoutError, run_killable

from ..conftest import ROOT, run_cli

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def endless_query(started, pid_file: str) -> str:
    """A job that records its process id, then runs a query that would take hours."""
    from kg.store import load_graph

    Path(pid_file).write_text(str(os.getpid()), encoding="ascii")
    graph = load_graph(ROOT / "exports" / "impasse.ttl")
    started()
    return str(list(graph.query(CROSS)))


def failing_job(started) -> str:
    from kg.errors import InputError

    raise InputError("corpus/x.txt:3: a message from the child")


def _gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def test_ctrl_c_while_the_query_runs_stops_it_and_its_process(tmp_path):
    # Regression: Ctrl-C did nothing while pyoxigraph ran a query in the command's own thread.
    pid_file = tmp_path / "pid"

    def interrupt():  # the hook: the child has started its query; Ctrl-C now
        threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGINT)).start()

    with pytest.raises(KeyboardInterrupt):
        run_killable(endless_query, str(pid_file), timeout=600, on_started=interrupt)
    assert _gone(int(pid_file.read_text(encoding="ascii")))


def test_the_time_limit_stops_the_query_and_its_process(tmp_path):
    pid_file = tmp_path / "pid"
    with pytest.raises(QueryTimeoutError, match="time limit of 0.5 s"):
        run_killable(endless_query, str(pid_file), timeout=0.5)
    assert _gone(int(pid_file.read_text(encoding="ascii")))


def test_an_error_in_the_child_keeps_its_message_and_exit_code():
    with pytest.raises(ChildError, match="corpus/x.txt:3: a message from the child") as caught:
        run_killable(failing_job, timeout=60)
    assert caught.value.exit_code == 2


def test_kg_query_timeout_exits_2():
    result = run_cli("query", "-C", ROOT, "-e", CROSS, "--timeout", "0.5")
    assert result.exit_code == 2 and "time limit of 0.5 s" in result.output


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_sigint_to_kg_query_ends_it_with_130_and_no_process_left():
    proc = subprocess.Popen([sys.executable, "-m", "kg", "query", "-C", str(ROOT), "-e", CROSS, "--timeout", "600"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        children = []
        while not children:  # the barrier: kg query has started the process that runs the query
            assert proc.poll() is None, proc.stderr.read()
            children = [c for c in _children(proc.pid) if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]
            if not children:
                os.sched_yield()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130 and "Stopped by SIGINT" in err
    assert all(_gone(c) for c in children), err
