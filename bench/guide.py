"""Benchmark: `sesag guide` (all formats) against bare screenshots of the same pages.

Both sides start the embedded mock and a browser, and walk the same step catalogue through
the same page objects. The bare side only calls ``page.screenshot`` at each scene; the guide
side also frames targets, masks secrets, verifies, and renders HTML, PDF and Markdown.
Prints the median of --runs for each and their ratio (target: guide <= 1.5x bare).

    .venv/bin/python bench/guide.py [--runs 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from flows import browser as browsers  # noqa: E402
from flows import guide, steps  # noqa: E402
from flows.credentials import Credentials  # noqa: E402
from flows.embedded import embedded_portal  # noqa: E402


def bare_screenshots(folder: Path) -> None:
    """Visit the pages of Trin 1-5 and take the same viewport screenshots, nothing else."""
    with embedded_portal() as portal, sync_playwright() as playwright:
        browser = browsers.open_browser(playwright)
        context = browser.new_context(**browsers.context_options(device_scale_factor=guide.DEVICE_SCALE))
        page = context.new_page()
        walk = steps.Walk(page=page, base_url=portal.url, credentials=Credentials.demo())
        steps.run_procedure(walk, lambda step, scene, w: page.screenshot(path=str(folder / f"{scene.id}.png")))
        browser.close()


def full_guide(folder: Path) -> None:
    """What `sesag guide` does, into ``folder``."""
    run = guide.generate(out=folder / "screenshots", progress=lambda message: None)
    guide.replace_folder(run.folder, folder / "screenshots")


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            function(Path(folder))
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    timed(bare_screenshots, 1)  # warm caches (Chromium start-up, imports) for both sides
    bare = timed(bare_screenshots, args.runs)
    full = timed(full_guide, args.runs)
    ratio = statistics.median(full) / statistics.median(bare)
    print(f"bare screenshots : median {statistics.median(bare):6.2f} s  runs {', '.join(f'{t:.2f}' for t in bare)}")
    print(f"sesag guide (all): median {statistics.median(full):6.2f} s  runs {', '.join(f'{t:.2f}' for t in full)}")
    print(f"ratio guide/bare : {ratio:.2f}x  (target <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})")


if __name__ == "__main__":
    main()
