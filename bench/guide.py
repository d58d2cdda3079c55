"""Benchmark: `sesag guide` against bare screenshots, and `sesag guide check` against its shots.

All sides start the embedded mock and a browser, and walk the same step catalogue through
the same page objects:

- bare: only ``page.screenshot`` at each scene;
- guide: what `sesag guide` does (frames, masks, verifies, renders HTML, PDF and Markdown);
- shots: `sesag guide check` without the comparison (the shots it takes);
- check: `sesag guide check` whole: the shots, compared with a guide made before, the report.

The sides run interleaved (one of each per round, the order rotating) so drift on a shared
machine falls on all of them alike. Prints each side's median of --runs, guide/bare (target
<= 1.5x; also the median of each round's own ratio, steadier on a loaded machine; the guide
includes the tagged PDF's printing and finishing and the documents' image copies) and what the check adds to its shots (target <= 1 s): the difference of the medians,
the median of each round's difference, and the comparison's own time (the check runs the same
code as the shots side and then compares: on a busy machine the first two are mostly noise).

    .venv/bin/python bench/guide.py [--runs 3] [--guide-only]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from flows.core import browser as browsers
from flows.core import steps
from flows.core.credentials import Credentials
from flows.core.embedded import embedded_portal
from flows.guide import build as builder
from flows.guide import manifest, review


def bare_screenshots(folder: Path) -> None:
    """Visit the pages of Trin 1-5 and take the same viewport screenshots, nothing else."""
    with embedded_portal() as portal, sync_playwright() as playwright:
        browser = browsers.open_browser(playwright)
        context = browser.new_context(**browsers.context_options(device_scale_factor=manifest.DEVICE_SCALE))
        page = context.new_page()
        walk = steps.Walk(page=page, base_url=portal.url, credentials=Credentials.demo())
        steps.run_procedure(walk, lambda step, scene, w: page.screenshot(path=str(folder / f"{scene.id}.png")))
        browser.close()


def full_guide(folder: Path) -> None:
    """What `sesag guide` does, into ``folder``."""
    builder.build(folder / "screenshots", progress=lambda message: None)


def shots_only(folder: Path) -> None:
    """What `sesag guide check` does before comparing: the shots, no documents."""
    shots = folder / "shots"
    shots.mkdir()
    builder.generate(shots, formats=(), progress=lambda message: None)
    shutil.rmtree(shots)


def checker(committed: Path, comparing: list[float]):
    """`sesag guide check` against ``committed``: the shots, the comparison and the report.

    The comparison's own time (after the shots) is appended to ``comparing``.
    """

    def check(folder: Path) -> None:
        shots = folder / "shots"
        shots.mkdir()
        run = builder.generate(shots, previous=committed, formats=(), progress=lambda message: None)
        started = time.perf_counter()
        results = review.check(run, committed, folder / "guide-diff")
        comparing.append(time.perf_counter() - started)
        shutil.rmtree(run.folder)
        if any(result.failed for result in results):
            raise SystemExit(
                "the check found a change against a guide made a moment ago: the figures would not be the check's"
            )

    return check


def once(function) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        function(Path(folder))
        return time.perf_counter() - started


def interleaved(sides: dict, runs: int) -> dict[str, list[float]]:
    """Each side ``runs`` times, one of each per round, the order rotating (A B C, B C A, ...)."""
    names = list(sides)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(runs):
        order = names[round_number % len(names) :] + names[: round_number % len(names)]
        for name in order:
            times[name].append(once(sides[name]))
    return times


def _line(name: str, times: list[float]) -> str:
    return f"{name:<18}: median {statistics.median(times):6.2f} s  runs {', '.join(f'{t:.2f}' for t in times)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--guide-only", action="store_true", help="only the bare and guide sides (no --check)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as reference:
        committed = Path(reference) / "screenshots"
        builder.build(committed, formats=(), progress=lambda message: None)  # also warms caches
        comparing: list[float] = []
        sides = {"bare screenshots": bare_screenshots, "sesag guide (all)": full_guide}
        if not args.guide_only:
            sides |= {"check: shots": shots_only, "check: whole": checker(committed, comparing)}
        times = interleaved(sides, args.runs)
    for name, measured in times.items():
        print(_line(name, measured))
    median = {name: statistics.median(measured) for name, measured in times.items()}
    ratio = median["sesag guide (all)"] / median["bare screenshots"]
    rounds = [g / b for g, b in zip(times["sesag guide (all)"], times["bare screenshots"], strict=True)]
    print(
        f"ratio guide/bare  : {ratio:.2f}x between medians, {statistics.median(rounds):.2f}x median of the rounds' "
        f"ratios ({', '.join(f'{r:.2f}' for r in rounds)})  (target <= 1.5x: "
        f"{'met' if max(ratio, statistics.median(rounds)) <= 1.5 else 'NOT met'})"
    )
    if args.guide_only:
        return
    extra = median["check: whole"] - median["check: shots"]
    paired = statistics.median(
        whole - shots for whole, shots in zip(times["check: whole"], times["check: shots"], strict=False)
    )
    print(_line("comparing alone", comparing))
    print(
        f"check - shots     : {extra:+.2f} s between medians, {paired:+.2f} s median of the rounds' differences, "
        f"{statistics.median(comparing):.3f} s the comparison itself  (target <= 1 s: "
        f"{'met' if statistics.median(comparing) <= 1 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
