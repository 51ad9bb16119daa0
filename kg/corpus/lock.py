"""The project lock: one writer of a project's corpus at a time, across processes.

``kg add`` (and every other writer of ``corpus/``) holds it while it picks a slug and
publishes its files, so that N concurrent writers give N documents or a clear refusal,
never a silent overwrite. It is an advisory ``flock(2)`` on ``<project>/.kg.lock``: the
kernel releases it when the holder exits, however it exits (a crash or SIGKILL leaves no
stale lock behind), and the file itself is empty and may stay.

Locks are per open file, so two threads of one process exclude each other too; the lock is
not re-entrant (a holder that asks again waits for itself until the timeout).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import LockError

#: The lock file, in the project's root folder (git-ignored).
LOCK_NAME = ".kg.lock"

# between two tries: short enough that a waiter follows quickly, long enough not to spin
_POLL = 0.05


@contextmanager
def project_lock(root: Path, *, timeout: float = 30.0) -> Iterator[Path]:
    """Hold the project's write lock for the duration of the ``with`` block.

    :param root: the project folder (the one holding ``corpus/``).
    :param timeout: seconds to wait for another writer to finish; 0 tries once.
    :returns: (as the ``with`` target) the lock file's path.
    :raises LockError: naming the lock file when another writer still holds it after
        ``timeout`` seconds, or when the file cannot be opened.
    """
    path = Path(root) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise LockError(f"{path}: cannot open the project lock: {exc.strerror}") from exc
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise LockError(
                        f"{path}: another writer (kg add, or the review page) is changing this project; "
                        f"waited {timeout:g} s for it to finish. Try again when it is done.") from None
                time.sleep(min(_POLL, left))
        try:
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
