"""Queries run in worker processes the server can kill: pyoxigraph cannot cancel a running query.

Each worker is a spawned process holding its own copy of the graph (loaded from an N-Quads
dump of the server's store). The server sends it one job at a time over a pipe and waits at
most ``timeout`` seconds: a query still running then is stopped by killing its worker (by its
own PID), and a fresh worker is started in the background. A worker that crashes (the engine
aborting on some input) is replaced the same way; the server process never runs a query.

Workers also apply the result-size limit (they stop reading solutions at ``max_results + 1``)
and serialize the answer, so only bytes cross the pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import re
from dataclasses import dataclass

#: How long a new worker may take to load the graph before the server gives up on it.
STARTUP_TIMEOUT = 120.0


@dataclass
class Job:
    """One query to run: the text, the negotiation input and the dataset."""

    query: str
    accept: str | None
    max_results: int
    bindings: dict[str, tuple] | None = None          # variable -> term_to_wire tuple
    default_graphs: list[str] | None = None           # protocol dataset; None: the server's
    named_graphs: list[str] | None = None


# A reply is ("ok", content_type, body, headers) or ("error", status, message, headers).

_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def execute(store, job: Job) -> tuple:
    """Run ``job`` on a pyoxigraph store and serialize the answer (used inside a worker)."""
    import itertools

    import pyoxigraph as ox

    from ..sparql.query import Result
    from ..sparql.results import format_result
    from ..sparql.syntax import bind
    from .protocol import (BOOLEAN_TYPES, GRAPH_TYPES, SOLUTION_TYPES, ProtocolError, negotiate,
                           not_acceptable, term_from_wire)

    options = {}
    if job.default_graphs is None and job.named_graphs is None:
        options["use_default_graph_as_union"] = True
    else:  # the protocol's dataset replaces the server's (SPARQL 1.1 Protocol §2.1.4)
        options["default_graph"] = [ox.NamedNode(i) for i in job.default_graphs or []]
        options["named_graphs"] = [ox.NamedNode(i) for i in job.named_graphs or []]
    # Bound as every store binds them (a VALUES block: the planner starts from it).
    text, late = bind(job.query, {k: term_from_wire(v) for k, v in (job.bindings or {}).items()})
    substitutions = {ox.Variable(k): term for k, term in late.items()}
    try:
        answer = store.query(text, substitutions=substitutions, **options)
    except SyntaxError as exc:
        found = _SYNTAX.match(str(exc))
        if found:
            line, col, message = found.groups()
            return ("error", 400, f"SPARQL syntax error at line {line}, column {col}: {message}", {})
        return ("error", 400, f"SPARQL syntax error: {exc}", {})
    try:
        if isinstance(answer, ox.QueryBoolean):
            media = negotiate(job.accept, BOOLEAN_TYPES)
            if media is None:
                raise not_acceptable(BOOLEAN_TYPES, "an ASK result")
            body = format_result(Result(boolean=bool(answer)), media.writer)
            return ("ok", media.content_type, body.encode("utf-8"), {})
        kinds = SOLUTION_TYPES if isinstance(answer, ox.QuerySolutions) else GRAPH_TYPES
        media = negotiate(job.accept, kinds)
        if media is None:
            raise not_acceptable(kinds, "a SELECT result" if kinds is SOLUTION_TYPES else "a graph")
        if kinds is SOLUTION_TYPES:
            variables = [v.value for v in answer.variables]
            rows = [[s[v] for v in variables] for s in itertools.islice(answer, job.max_results + 1)]
            if len(rows) > job.max_results:
                return _too_many(job.max_results, "rows")
            body = format_result(Result(variables=variables, rows=rows), media.writer)
        else:
            triples = list(itertools.islice(answer, job.max_results + 1))
            if len(triples) > job.max_results:
                return _too_many(job.max_results, "triples")
            body = format_result(Result(triples=triples), media.writer)
        return ("ok", media.content_type, body.encode("utf-8"), {})
    except ProtocolError as exc:
        return ("error", exc.status, exc.message, exc.headers)
    except (OSError, ValueError, RuntimeError) as exc:  # evaluation errors reported by Oxigraph
        return ("error", 500, f"query evaluation failed: {exc}", {})


def _too_many(limit: int, what: str) -> tuple:
    # An error, not a silent truncation: a client that ignores headers must not take a cut
    # result for the whole answer (Virtuoso's silent cut-off is the trap to avoid).
    return ("error", 422, f"the result has more than {limit} {what} (the server's result limit); "
                          f"add a LIMIT of at most {limit}, or page with LIMIT and OFFSET",
            {"X-Result-Limit": str(limit)})


def _worker_main(conn, dump: bytes) -> None:
    """A worker process: load the graph, then answer jobs until the pipe closes."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(input=dump, format=ox.RdfFormat.N_QUADS)
    del dump
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = execute(store, job)
        except Exception as exc:  # noqa: BLE001 - a worker reports every failure as an answer
            reply = ("error", 500, f"query failed: {type(exc).__name__}: {exc}", {})
        conn.send(reply)


class _Worker:
    _ids = itertools.count(1)

    def __init__(self, context, dump: bytes):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, dump), daemon=True,
                                       name=f"kg-query-worker-{next(self._ids)}")
        self._child = child

    def start(self) -> None:
        """Start the process and wait until it has loaded the graph (blocking: call in a thread)."""
        self.process.start()
        self._child.close()
        if not self.conn.poll(STARTUP_TIMEOUT):
            self.kill()
            raise RuntimeError(f"a query worker did not load the graph within {STARTUP_TIMEOUT:.0f} s")
        try:
            message = self.conn.recv()
        except EOFError:
            message = f"the process exited with code {self.process.exitcode}"
        if message != ("ready",):
            self.kill()
            raise RuntimeError(f"a query worker failed to start: {message!r}")

    def exchange(self, job: Job, timeout: float) -> tuple:
        """Send a job and wait for its reply (blocking: call in a thread).

        :raises TimeoutError: when no reply came within ``timeout`` seconds.
        :raises EOFError: when the worker died.
        """
        self.conn.send(job)
        if not self.conn.poll(timeout):
            raise TimeoutError
        return self.conn.recv()

    def kill(self) -> None:
        """Stop this worker's process (its own PID only) and reap it."""
        if self.process.pid is not None and self.process.is_alive():
            self.process.kill()
        if self.process.pid is not None:
            self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        """Ask the worker to exit, then make sure it has."""
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        if self.process.pid is not None:
            self.process.join(2)
        self.kill()


class QueryPool:
    """A fixed number of killable query workers shared by all requests.

    :param dump: the graph as N-Quads bytes (each worker loads its own copy).
    :param size: how many queries may run at once.
    :param timeout: seconds a query may run before its worker is killed.
    """

    def __init__(self, dump: bytes, size: int = 2, timeout: float = 10.0):
        self.dump = dump
        self.size = max(1, size)
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")  # never fork a threaded server
        self._idle: asyncio.Queue | None = None
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._lock: asyncio.Lock | None = None
        self._closed = False
        self.killed = 0  # workers stopped on a timeout or found dead: for tests and logs

    async def start(self) -> None:
        """Start the workers (idempotent); returns once all have loaded the graph."""
        if self._idle is None:
            self._idle, self._lock = asyncio.Queue(), asyncio.Lock()
        async with self._lock:
            missing = self.size - len(self._workers)
            if missing > 0:
                await asyncio.gather(*(self._spawn() for _ in range(missing)))

    async def _spawn(self) -> None:
        worker = _Worker(self._context, self.dump)
        self._workers.add(worker)
        try:
            await asyncio.to_thread(worker.start)
        except Exception:
            self._workers.discard(worker)
            raise
        if self._closed:
            worker.stop()
            self._workers.discard(worker)
        else:
            self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._workers.discard(worker)
        self.killed += 1
        if not self._closed:
            task = asyncio.get_running_loop().create_task(self._spawn())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def run(self, job: Job) -> tuple:
        """Run a job on an idle worker; the reply, or an error reply on timeout or crash."""
        await self.start()
        wait = self.timeout + STARTUP_TIMEOUT  # a replacement worker may still be loading
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=wait)
        except TimeoutError:
            return ("error", 503, "every query worker is busy; try again later", {"Retry-After": "5"})
        # Shielded: if the client goes away, the exchange still ends and the worker comes back.
        return await asyncio.shield(self._exchange(worker, job))

    async def _exchange(self, worker: _Worker, job: Job) -> tuple:
        try:
            reply = await asyncio.to_thread(worker.exchange, job, self.timeout)
        except TimeoutError:
            self._replace(worker)
            return ("error", 503, f"query stopped: it ran longer than the server's limit of {self.timeout:g} s; "
                                  "narrow it or add a LIMIT", {})
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return ("error", 500, "the query engine crashed on this query; the worker was restarted", {})
        self._idle.put_nowait(worker)
        return reply

    def close(self) -> None:
        """Stop every worker (blocking, a few seconds at most)."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._workers):
            worker.stop()
        self._workers.clear()
