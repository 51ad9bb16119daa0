"""Queries run in worker processes the server can kill: pyoxigraph cannot cancel a running query.

Each worker is a spawned process holding its own copy of the graph (loaded from an N-Quads
dump of the server's store). The server sends it one job at a time over a pipe and waits at
most ``timeout`` seconds: a query still running then is stopped by killing its worker (by its
own PID), and a fresh worker is started in the background. A worker that crashes (the engine
aborting on some input) is replaced the same way; the server process never runs a query.

Workers also apply the result-size limit (they stop reading solutions at ``max_results + 1``)
and serialize the answer, so only bytes cross the pipe.

A worker cannot reach the network: it moves itself into a network namespace of its own, with
no interface up, before it loads anything (pyoxigraph would otherwise make HTTP requests for a
``SERVICE`` clause; docs/engine-notes.md, "SERVICE and the query guard"). Its memory is capped
(``RLIMIT_AS``) at what it holds once the graph is loaded plus ``query_memory`` bytes; a query
that needs more stops it, and is answered 503 like a timeout (docs/engine-notes.md, "Memory of
a query worker").
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import signal
import threading
from dataclasses import dataclass

#: How long a new worker may take to load the graph before the server gives up on it.
STARTUP_TIMEOUT = 120.0
#: Memory a query may add to its worker by default (bytes of address space).
DEFAULT_QUERY_MEMORY = 1024 * 1024 * 1024

# linux/sched.h
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


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

def execute(store, job: Job) -> tuple:
    """Run ``job`` on a pyoxigraph store and serialize the answer (used inside a worker)."""
    import pyoxigraph as ox

    from .protocol import ProtocolError, check_query

    try:
        check_query(job.query)
    except ProtocolError as exc:
        return ("error", exc.status, exc.message, exc.headers)
    options = {}
    merged = None
    if job.default_graphs is not None or job.named_graphs is not None:
        # the protocol's dataset replaces the server's (SPARQL 1.1 Protocol §2.1.4); without
        # one the default graph is the merge of every graph, which load_merged put in place
        default_graphs = list(dict.fromkeys(ox.NamedNode(i) for i in job.default_graphs or []))
        if len(default_graphs) > 1:
            # Oxigraph reads several default graphs as a bag, a triple once per graph holding it;
            # the protocol's default graph is their RDF merge, a set (§2.1.4 again): copied into a
            # graph of its own, named by a fresh blank node that no request can name (nor see, since
            # the dataset's named graphs are the request's), and dropped once answered.
            merged = ox.BlankNode()
            options["default_graph"] = [merged]
        else:
            options["default_graph"] = default_graphs
        options["named_graphs"] = [ox.NamedNode(i) for i in job.named_graphs or []]
    try:
        if merged is not None:
            store.extend([ox.Quad(q.subject, q.predicate, q.object, merged) for graph in default_graphs
                          for q in store.quads_for_pattern(None, None, None, graph)])
        return _evaluate(store, job, options)
    finally:
        if merged is not None:
            store.remove_graph(merged)


def _evaluate(store, job: Job, options: dict) -> tuple:
    """Run ``job`` over the dataset ``options`` names and serialize the answer, read to its end."""
    import itertools

    import pyoxigraph as ox

    from ..sparql.query import Result
    from ..sparql.results import format_result
    from ..sparql.syntax import bind, engine_error_problem
    from .protocol import (BOOLEAN_TYPES, GRAPH_TYPES, SOLUTION_TYPES, ProtocolError, negotiate, not_acceptable,
                           term_from_wire)

    # Bound as every store binds them (a VALUES block: the planner starts from it).
    text, late = bind(job.query, {k: term_from_wire(v) for k, v in (job.bindings or {}).items()})
    substitutions = {ox.Variable(k): term for k, term in late.items()}
    try:
        answer = store.query(text, substitutions=substitutions, **options)
    except SyntaxError as exc:  # Oxigraph refuses some queries rdflib's parser reads (SELECT * with GROUP BY)
        problem = engine_error_problem(str(exc), text)
        return ("error", 400, problem.render() if problem else f"SPARQL syntax error: {exc}", {})
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


def isolate_network() -> str | None:
    """Move this process into a new network namespace, where no interface is up: from then on
    every connection it tries fails (ENETUNREACH), loopback included. Its open pipes and sockets
    keep working.

    As root a network namespace suffices; otherwise it is made inside a new user namespace
    (Linux allows that to any user unless the system forbids it). Call it while the process has
    one thread: a user namespace refuses a threaded process.

    :returns: None when isolated, else why not (the OS's reason).
    """
    import ctypes
    import os

    try:
        unshare = ctypes.CDLL(None, use_errno=True).unshare
    except (OSError, AttributeError):
        return "this system has no unshare(2)"
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if unshare(flags) == 0:
            return None
    return f"unshare(2) refused: {os.strerror(ctypes.get_errno())}"


def _address_space() -> int:
    """This process's address space now, in bytes (/proc/self/statm)."""
    import os

    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _cap_memory(query_memory: int) -> None:
    """Cap this process's address space at what it uses now plus ``query_memory`` bytes."""
    import resource

    limit = _address_space() + query_memory
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _worker_main(conn, dump: bytes, query_memory: int | None = DEFAULT_QUERY_MEMORY) -> None:
    """A worker process: cut itself off the network, load the graph, cap its memory, then
    answer jobs until the pipe closes."""
    import sys

    isolation = isolate_network()  # first: while this process has one thread
    import pyoxigraph as ox

    from .protocol import PARSER_RECURSION_LIMIT

    sys.setrecursionlimit(PARSER_RECURSION_LIMIT)
    store = load_merged(dump)
    del dump
    execute(store, Job(query="ASK { ?s ?p ?o }", accept=None, max_results=1))  # the engine's threads, before the cap
    if query_memory is not None:
        _cap_memory(query_memory)
    conn.send(("ready", isolation))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = execute(store, job)
        except MemoryError:
            reply = _out_of_memory(query_memory)
        except Exception as exc:  # noqa: BLE001 - a worker reports every failure as an answer
            reply = ("error", 500, f"query failed: {type(exc).__name__}: {exc}", {})
        conn.send(reply)


def load_merged(dump: bytes):
    """A store of the graph in N-Quads ``dump``, with the merge of all its graphs as its default graph.

    A query without a dataset of its own reads the default graph as the union of every graph.
    Oxigraph's union default graph is a bag (a triple in three named graphs is matched three
    times: COUNT gave 7,020 for 6,976 distinct triples); the SPARQL RDF merge is a set
    (docs/engine-notes.md, "The default graph is not the union"). So each named graph is copied
    into the default graph, inside Oxigraph, where a triple is held once; the named graphs stay
    as they are for ``GRAPH``. It costs the worker a second copy of the distinct triples.
    """
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(input=dump, format=ox.RdfFormat.N_QUADS)
    # one load of every graph's triples: a blank node two graphs share stays one node
    merged = b"".join(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) for name in list(store.named_graphs()))
    if merged:
        store.bulk_load(input=merged, format=ox.RdfFormat.N_TRIPLES)
    return store


def _out_of_memory(query_memory: int | None) -> tuple:
    limit = f"{query_memory // (1024 * 1024)} MiB" if query_memory else "its memory"
    return ("error", 503, f"query stopped: it needed more than the server's memory limit of {limit} per query; "
                          "narrow it or add a LIMIT", {})


class _Worker:
    _ids = itertools.count(1)

    def __init__(self, context, dump: bytes, query_memory: int | None):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, dump, query_memory), daemon=True,
                                       name=f"kg-query-worker-{next(self._ids)}")
        self._child = child
        self.isolation: str | None = None  # why the worker could not be cut off the network
        # start() runs in a thread that close() cannot cancel: a worker stopped before or while
        # its process starts must not start it (or it outlives the pool)
        self._state = threading.Lock()
        self._stopped = False

    def start(self) -> None:
        """Start the process and wait until it has loaded the graph (blocking: call in a thread).

        :raises RuntimeError: when the worker was stopped first, or its process fails to load.
        """
        with self._state:
            if self._stopped:
                raise RuntimeError("the query worker was stopped before it started")
            self.process.start()
        self._child.close()
        if not self.conn.poll(STARTUP_TIMEOUT):
            self.kill()
            raise RuntimeError(f"a query worker did not load the graph within {STARTUP_TIMEOUT:.0f} s")
        try:
            message = self.conn.recv()
        except EOFError:
            message = f"the process exited with code {self.process.exitcode}"
        if not (isinstance(message, tuple) and message[:1] == ("ready",)):
            self.kill()
            raise RuntimeError(f"a query worker failed to start: {message!r}")
        self.isolation = message[1]

    def send(self, job: Job) -> None:
        """Send a job (blocking: call in a thread)."""
        self.conn.send(job)

    def reply(self, timeout: float) -> tuple:
        """Wait for the reply to the job sent (blocking: call in a thread).

        :raises TimeoutError: when no reply came within ``timeout`` seconds.
        :raises EOFError: when the worker died.
        """
        if not self.conn.poll(timeout):
            raise TimeoutError
        return self.conn.recv()

    def kill(self) -> None:
        """Stop this worker's process (its own PID only) and reap it."""
        with self._state:
            self._stopped = True
        if self.process.pid is not None and self.process.is_alive():
            self.process.kill()
        if self.process.pid is not None:
            self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        """Ask the worker to exit, then make sure it has."""
        with self._state:
            self._stopped = True
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        if self.process.pid is not None:
            self.process.join(2)
        self.kill()


class QueryPool:
    """A fixed number of killable query workers shared by all requests.

    One worker is kept for short queries: a query that has run ``long_after`` seconds counts
    as long, and at most ``size - 1`` long queries run at once (``size`` when there is one
    worker); a query that would make one more is stopped there and answered 503. So a slow
    query never holds a fast one behind it for the full timeout.

    :param dump: the graph as N-Quads bytes (each worker loads its own copy).
    :param size: how many queries may run at once; exactly this many worker processes run.
    :param timeout: seconds a query may run before its worker is killed.
    :param long_after: seconds after which a running query counts as long.
    :param query_memory: bytes a query may add to its worker's memory (None: no cap).
    """

    def __init__(self, dump: bytes, size: int = 3, timeout: float = 10.0, *, long_after: float = 1.0,
                 query_memory: int | None = DEFAULT_QUERY_MEMORY):
        self.dump = dump
        self.size = max(1, size)
        self.timeout = timeout
        self.long_after = min(long_after, timeout)
        self.query_memory = query_memory
        self._context = multiprocessing.get_context("spawn")  # never fork a threaded server
        self._idle: asyncio.Queue | None = None
        self._long: asyncio.Semaphore | None = None
        # every worker of the pool, from the moment it is created (not once it has loaded):
        # start() and _replace() count the same set, so together they never make too many
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._lock: asyncio.Lock | None = None
        self._closed = False
        self.killed = 0  # workers stopped on a timeout or found dead: for tests and logs
        self.isolation: str | None = None  # why a worker could not be cut off the network (None: all were)

    async def start(self) -> None:
        """Start the workers (idempotent); returns once all have loaded the graph."""
        if self._idle is None:
            self._idle, self._lock = asyncio.Queue(), asyncio.Lock()
            self._long = asyncio.Semaphore(self.size - 1 if self.size > 1 else 1)
        async with self._lock:
            fresh = [self._new_worker() for _ in range(self.size - len(self._workers))]
            if fresh:
                await asyncio.gather(*(self._spawn(worker) for worker in fresh))

    def _new_worker(self) -> _Worker:
        worker = _Worker(self._context, self.dump, self.query_memory)
        self._workers.add(worker)
        return worker

    async def _spawn(self, worker: _Worker) -> None:
        try:
            await asyncio.to_thread(worker.start)
        except Exception:
            self._workers.discard(worker)
            raise
        if worker.isolation is not None:
            self.isolation = worker.isolation
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
            task = asyncio.get_running_loop().create_task(self._spawn(self._new_worker()))
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
            await asyncio.to_thread(worker.send, job)
            try:
                reply = await asyncio.to_thread(worker.reply, self.long_after)
            except TimeoutError:
                reply = await self._run_long(worker)
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            if worker.process.exitcode == -signal.SIGABRT:  # the engine's allocator gave up at the cap
                return _out_of_memory(self.query_memory)
            return ("error", 500, "the query engine crashed on this query; the worker was restarted", {})
        if reply is None:
            return ("error", 503, f"query stopped: it ran longer than {self.long_after:g} s while "
                                  f"{self.size - 1} other long queries were running; try again later",
                    {"Retry-After": "5"})
        if reply[0] == "timeout":
            return ("error", 503, f"query stopped: it ran longer than the server's limit of {self.timeout:g} s; "
                                  "narrow it or add a LIMIT", {})
        self._idle.put_nowait(worker)
        return reply

    async def _run_long(self, worker: _Worker) -> tuple | None:
        """Wait for a query that has turned long: in a free long slot, up to the timeout; None
        (its worker replaced) when every long slot is taken, ("timeout",) when it ran out."""
        if self._long.locked():
            self._replace(worker)
            return None
        async with self._long:
            try:
                return await asyncio.to_thread(worker.reply, self.timeout - self.long_after)
            except TimeoutError:
                self._replace(worker)
                return ("timeout",)

    def close(self) -> None:
        """Stop every worker (blocking, a few seconds at most)."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._workers):
            worker.stop()
        self._workers.clear()
