"""Time to a stable draw of a view in headless Chromium, for synthetic graphs of 100 to 5,000 nodes.

Each graph is a seeded random graph (1.5 edges per node) rendered with the views' own
template, every node and edge with a tooltip carrying a quote. "Stable draw" is the page's
``data-ready`` mark: the first frame drawn after physics has settled (up to 300 nodes, where
physics runs from precomputed positions) or the first frame drawn (beyond 300, physics off).
The time runs from navigation to that mark, in a fresh page each run, file:// only.

Run:  .venv/bin/python benchmarks/views.py [--runs 5] [--sizes 100,1000,5000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.views.network import PHYSICS_LIMIT, View, force_layout, tooltip  # noqa: E402
from kg.views.graphdata import Quote  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def synthetic_view(n: int, seed: int = 1) -> tuple[View, float]:
    """A random view of ``n`` nodes; returns it and the seconds networkx took to lay it out."""
    rng = random.Random(seed)
    ids = [f"node-{i:05d}" for i in range(n)]
    edges = sorted({tuple(sorted(rng.sample(ids, 2))) for _ in range(int(n * 1.5))})
    started = time.perf_counter()
    positions = force_layout(ids, edges)
    layout = time.perf_counter() - started
    view = View("benchmark", f"Synthetic graph of {n} nodes", "Benchmark.")
    view.physics = True  # honoured up to PHYSICS_LIMIT nodes only
    for node in ids:
        x, y = positions[node]
        view.add_node(node, label=node, x=x, y=y, size=10,
                      tip=tooltip(node, "Synthetic", quotes=[Quote("A document", f"a quote about {node}")]))
    for a, b in edges:
        view.add_edge(a, b, tip=tooltip(f"{a} → {b}", "link"))
    return view, layout


def time_draw(browser, path: Path) -> float:
    """Seconds from navigation to the stable-draw mark, in a fresh page."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-ready='1']", state="attached", timeout=120_000)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,1000,5000")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in (int(s) for s in args.sizes.split(",")):
            view, layout = synthetic_view(n)
            path = Path(tmp) / f"view-{n}.html"
            path.write_text(view.generate_html(), encoding="utf-8")
            times = [time_draw(browser, path) for _ in range(args.runs)]
            rows.append((n, len(view.edges), "on" if n <= PHYSICS_LIMIT else "off", path.stat().st_size,
                         layout, statistics.median(times), min(times), max(times)))
        browser.close()
    print(f"Time to a stable draw in headless Chromium ({CHROMIUM}), median of {args.runs} runs:\n")
    print("| nodes | edges | physics | HTML size | layout (networkx) | draw: median | min | max |")
    print("| ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: |")
    for n, e, physics, size, layout, median, low, high in rows:
        print(f"| {n:,} | {e:,} | {physics} | {size / 1e6:.1f} MB | {layout:.1f} s | {median:.2f} s | {low:.2f} s | {high:.2f} s |")


if __name__ == "__main__":
    main()
