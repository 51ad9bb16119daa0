"""Time to review the proposals of new articles through the review page, in a scripted headless Chromium.

A copy of the project gets two dev-set articles by ``kg add``; the page is then driven by keys
only, as a reviewer would: the first ``--decisions`` proposals in page order are accepted
(``a``), every third fact rejected (``x``) and one decision in five an edit of a stance's
issue (``e``, the issue typed as a search and picked with Enter); entity proposals are accepted into the reference data. Each
decision is timed from the key press until the page has written it and drawn the document
again; then "Rebuild" (``b``) is timed until the views are linked. The reviewer's reading
time is not in these figures: they are what the tool adds to it.

Run:  .venv/bin/python benchmarks/review.py [--decisions 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import run_cli  # noqa: E402
from tests.review.conftest import Served  # noqa: E402

ARTICLES = ["wire-muscat-first-round", "opinion-interim-deal"]
CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("ontology", "queries", "corpus"):
            shutil.copytree(ROOT / name, root / name)
        for article in ARTICLES:
            result = run_cli("add", "-C", root, ROOT / "benchmarks" / "devset" / "us-iran" / f"{article}.txt")
            assert result.exit_code == 0, result.output
        served = Served(root)
        times: list[tuple[str, float]] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1500, "height": 950})
                page.goto(served.url("/"))
                slugs = [a.get_attribute("href").removeprefix("/doc/") for a in page.locator("tbody a").all()]
                started = time.perf_counter()
                facts_seen = 0
                for slug in slugs:
                    page.goto(f"{served.base}/doc/{slug}")
                    page.wait_for_selector("html[data-busy='0']", state="attached")
                    while len(times) < args.decisions:
                        item = page.evaluate("() => state.items[cursor]")
                        if item is None or item["status"] != "proposed":
                            break
                        if item["type"] == "fact":
                            facts_seen += 1
                        edits = sum(1 for a, _ in times if a == "edit")
                        edit = item["type"] == "fact" and "issue" in item["fact"] and edits < len(times) // 5
                        action = "edit" if edit else "x" if item["type"] == "fact" and facts_seen % 3 == 0 else "a"
                        t0 = time.perf_counter()
                        if action == "edit":
                            page.keyboard.press("e")
                            page.keyboard.press("Control+a")
                            page.keyboard.type("sanct")
                            page.wait_for_selector(".combo li")
                            page.keyboard.press("Enter")
                            page.keyboard.press("Enter")
                        else:
                            page.keyboard.press(action)
                        page.wait_for_function(f"() => !state.items.some(i => i.id === {item['id']!r} && i.status === 'proposed')"
                                               " && document.documentElement.dataset.busy === '0'")
                        times.append((action, time.perf_counter() - t0))
                    if len(times) >= args.decisions:
                        break
                total = time.perf_counter() - started
                t0 = time.perf_counter()
                page.keyboard.press("b")
                page.wait_for_selector("#build a", timeout=300_000)
                rebuild = time.perf_counter() - t0
                browser.close()
        finally:
            served.stop()
    per = [t for _, t in times]
    kinds = {a: sum(1 for b, _ in times if b == a) for a in ("a", "x", "edit")}
    print(f"{len(times)} decisions ({kinds['a']} accept, {kinds['x']} reject, {kinds['edit']} edit) in {total:.1f} s "
          f"(page loads included); per decision median {statistics.median(per) * 1000:.0f} ms, "
          f"max {max(per) * 1000:.0f} ms; rebuild {rebuild:.1f} s")


if __name__ == "__main__":
    main()
