"""kg.run publishes the exports and the views as one set (issue 14, item 3): a failure or a kill
before the swap leaves the previous set whole, and the next run removes what the killed one left."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import kg

from .conftest import RED_LINE, ROOT


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _first_run(project, out):
    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    kg.run(project.root, exports=out, reason=False, validate=False)
    before = _snapshot(out)
    assert "impasse.ttl" in before and "views/index.html" in before
    project.add("second", "Tehran rejects talks on missiles again.\n")  # the next run writes other bytes
    return before


def test_a_failure_before_the_swap_leaves_the_previous_exports_whole(project, tmp_path):
    out = tmp_path / "out"
    before = _first_run(project, out)

    def fail(stage, _detail):
        if stage == "publishing":  # every new file is written: the last moment anything can fail
            raise OSError("disk full (as the test says)")

    with pytest.raises(OSError, match="disk full"):
        kg.run(project.root, exports=out, reason=False, validate=False, progress=fail)
    assert _snapshot(out) == before
    assert not list(tmp_path.glob(".out.staging-*"))
    kg.run(project.root, exports=out, reason=False, validate=False)
    assert _snapshot(out) != before and _snapshot(out).keys() == before.keys()


KILLED_RUN = textwrap.dedent("""
    import sys
    import kg

    def hold(stage, detail):
        if stage == "publishing":
            print("publishing", flush=True)
            sys.stdin.read()  # until the test kills this process

    kg.run(sys.argv[1], exports=sys.argv[2], reason=False, validate=False, progress=hold)
""")


def test_a_kill_before_the_swap_leaves_the_previous_exports_and_the_next_run_cleans_up(project, tmp_path):
    out = tmp_path / "out"
    before = _first_run(project, out)
    (out / ".impasse.ttl.k2j3h4.tmp").write_bytes(b"half a file")  # as a kill inside write_atomic leaves
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(project.root), str(out)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "publishing\n"  # the barrier: every new file staged, none swapped in
        proc.kill()
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
    assert _snapshot(out) == {**before, ".impasse.ttl.k2j3h4.tmp": b"half a file"}
    [stale] = tmp_path.glob(".out.staging-*")
    assert (stale / "impasse.ttl").read_bytes() != before["impasse.ttl"]
    kg.run(project.root, exports=out, reason=False, validate=False)
    assert not stale.exists() and not list(tmp_path.glob(".out.staging-*"))
    after = _snapshot(out)
    assert after.keys() == before.keys() and after != before  # the stale temporary file is gone too
