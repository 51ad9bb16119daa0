"""Run a query where it can be stopped: in a child process, under a time limit.

pyoxigraph cannot cancel a query, and while one runs the Python thread that started it does
not get to run its signal handlers: Ctrl-C did nothing, a query ran for as long as it took.
:func:`run_killable` runs a job in a spawned child process and waits for it in the caller,
which stays free to handle signals; on the time limit, Ctrl-C or any other exception in the
caller, the child is killed (by its own PID) and reaped (docs/engine-notes.md, "Signals and
pyoxigraph"). The endpoint does the same with its
pool of workers (:mod:`kg.server.worker`).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable

from ..errors import KgError

#: Seconds the setup of a job (loading the graph) may take at least.
SETUP_TIMEOUT = 300.0


class QueryTimeoutError(KgError):
    """A query ran longer than its time limit and was stopped."""


class ChildError(KgError):
    """An error the job raised in the child process, with its message and exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


#: Held back while the child is being started (see _start).
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _child(conn, job: Callable, args: tuple) -> None:
    def started() -> None:
        conn.send(("started",))

    try:
        reply = ("ok", job(started, *args))
    except KgError as exc:
        reply = ("error", str(exc), exc.exit_code)
    except ValueError as exc:  # a result the chosen format cannot show (reported as a usage error)
        reply = ("value", str(exc), 2)
    conn.send(reply)
    conn.close()


def run_killable(job: Callable, *args, timeout: float, on_started: Callable[[], None] | None = None):
    """``job(started, *args)`` in a child process; its return value.

    :param job: a module-level function (it is imported by name in the child); it calls
        ``started()`` once it has done its setup and the query itself begins.
    :param timeout: seconds the query may run, from ``started()``; the setup before it (loading
        the graph) has :data:`SETUP_TIMEOUT` seconds, or ``timeout`` if that is longer.
    :param on_started: called in this process when the child calls ``started()``.
    :returns: what ``job`` returned (picklable).
    :raises QueryTimeoutError: when the time ran out (the child is killed).
    :raises ChildError: with the message and exit code of a :class:`KgError` the job raised.
    :raises ValueError: for a ValueError the job raised.
    """
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, job, args), daemon=True, name="kg-query")
    try:
        _start(process)
        child.close()  # this process keeps no write end: a child that dies is seen at once
        message = _receive(parent, process, max(timeout, SETUP_TIMEOUT), "loading the graph took")
        if message[0] == "started":
            if on_started is not None:
                on_started()
            message = _receive(parent, process, timeout, "the query ran")
        if message[0] == "ok":
            return message[1]
        if message[0] == "value":
            raise ValueError(message[1])
        raise ChildError(message[1], message[2])
    finally:
        if process.pid is not None:
            if process.is_alive():
                process.kill()
            process.join()
        parent.close()
        child.close()


def _receive(conn, process, timeout: float, what: str) -> tuple:
    if not conn.poll(timeout):
        raise QueryTimeoutError(f"{what} longer than its time limit of {timeout:g} s and was stopped; "
                                "narrow it, add a LIMIT, or allow it more time")
    try:
        return conn.recv()
    except EOFError:
        raise KgError(f"the query process ended without an answer (exit code {process.exitcode})") from None


def _start(process) -> None:
    """Start ``process``; a signal that comes meanwhile is handled once start() has returned.

    Handled inside start(), between the fork and the moment the child's PID is known, it would
    leave a child that nobody kills or reaps. Handlers can only be set from the main thread;
    elsewhere signals are not handled in this thread anyway.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        process.start()
        return
    caught: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, _frame: caught.append(signum)) for signum in _SIGNALS}
    try:
        process.start()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in caught:
            signal.raise_signal(signum)
