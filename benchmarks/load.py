"""Load on `kg serve`: concurrent clients on loopback, slow queries mixed in.

Starts `kg serve` (its own process, on a free loopback port), then runs, at once:

- ``--clients`` fast clients, each sending ``--requests`` short queries one after another
  (a SELECT with a LIMIT, an ASK, a named query with a parameter), keep-alive on;
- ``--slow`` slow clients, each sending an expensive query (a three-way cartesian product)
  again as soon as the last one is answered, for as long as the fast clients run.

It prints the fast queries' throughput and latency (p50, p95, p99, max) and the status codes
of both kinds. The target of issue 14: fast-query p99 under 1 s while two slow queries run
(one worker is kept for short queries: at most ``--workers - 1`` long queries run at once).
Bounded: every request has a client timeout, and the server is stopped by its own PID.

Run:  .venv/bin/python benchmarks/load.py [--clients 8] [--requests 50] [--slow 2] [--workers 3] [--timeout 10]
"""

from __future__ import annotations

import argparse
import collections
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TARGET_P99 = 1.0  # seconds, fast queries while the slow ones run
FAST = [
    ("/sparql", {"query": "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 20"}),
    ("/sparql", {"query": "ASK { ?s a <https://w3id.org/impasse/ontology#AgendaMismatch> }"}),
    ("/queries/actor-agenda", {"actor": "Tehran"}),
]
SLOW = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, timeout: float) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "kg", "serve", "-C", str(ROOT), "--port", str(port),
                               "--workers", str(workers), "--timeout", str(timeout)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"kg serve exited with code {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("kg serve did not answer within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=50, help="fast queries per fast client")
    parser.add_argument("--slow", type=int, default=2, help="slow clients")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's query time limit")
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, args.workers, args.timeout)
    latencies: list[float] = []
    fast_status: collections.Counter = collections.Counter()
    slow_status: collections.Counter = collections.Counter()
    lock = threading.Lock()
    done = threading.Event()

    def fast_client(index: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            for n in range(args.requests):
                path, params = FAST[(index + n) % len(FAST)]
                started = time.perf_counter()
                status = client.get(path, params=params, headers={"Accept": "application/sparql-results+json"}).status_code
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    fast_status[status] += 1

    def slow_client() -> None:
        with httpx.Client(base_url=base, timeout=args.timeout + 130) as client:
            while not done.is_set():
                status = client.get("/sparql", params=SLOW).status_code
                with lock:
                    slow_status[status] += 1

    try:
        slow = [threading.Thread(target=slow_client) for _ in range(args.slow)]
        for thread in slow:
            thread.start()
        time.sleep(min(2.0, args.timeout / 2))  # the slow queries are running (past the long mark) first
        fast = [threading.Thread(target=fast_client, args=(i,)) for i in range(args.clients)]
        started = time.perf_counter()
        for thread in fast:
            thread.start()
        for thread in fast:
            thread.join()
        wall = time.perf_counter() - started
        done.set()
        for thread in slow:
            thread.join()
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    print(f"kg serve --workers {args.workers} --timeout {args.timeout:g}; {args.clients} fast clients x "
          f"{args.requests} queries, {args.slow} slow clients; {os.cpu_count()} CPUs")
    print(f"fast queries: {len(ordered)} in {wall:.2f} s = {len(ordered) / wall:.1f} queries/s")
    print(f"fast latency: p50 {pct(50) * 1000:.0f} ms, p95 {pct(95) * 1000:.0f} ms, p99 {pct(99) * 1000:.0f} ms, "
          f"max {ordered[-1] * 1000:.0f} ms, mean {statistics.fmean(ordered) * 1000:.0f} ms")
    print(f"fast statuses: {dict(sorted(fast_status.items()))}; slow statuses: {dict(sorted(slow_status.items()))}")
    verdict = "meets" if pct(99) < TARGET_P99 else "MISSES"
    print(f"target: fast p99 < {TARGET_P99:g} s while {args.slow} slow queries run: {verdict}")


if __name__ == "__main__":
    main()
