"""Benchmark: what the imports kept inside functions save a command's start.

A few modules import Playwright's page objects, the portal (Flask) or openpyxl where they are
first used, not at their top, so that `sesag --help`, `sesag bulk --help` and `sesag guide --help`
(and `sesag portal`) do not load them (decision 0013). This measures that, each side a fresh
interpreter, interleaved (A B A B, the order rotating each round):

- lazy: the command as it is;
- eager: the same command after importing the deferred modules first, as imports at the top
  would.

Prints each side's median wall time per command and eager/lazy; and the import time of each
deferred module alone, after `flows.cli` (median of the rounds).

    .venv/bin/python bench/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = (["--help"], ["bulk", "--help"], ["guide", "--help"], ["grant", "--help"])
# What the lazy imports leave out of a command's start.
DEFERRED = ("flows.core.pages", "mock_portal", "openpyxl")


def run(code: str) -> float:
    """Seconds a fresh interpreter takes to run ``code``."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def command_code(args: list[str], eager: bool) -> str:
    first = "".join(f"import {name}\n" for name in DEFERRED) if eager else ""
    return f"{first}import sys\nsys.argv = ['sesag', *{args!r}]\nfrom flows.cli import main\nmain()\n"


def import_code(name: str) -> str:
    return f"import flows.cli, time\nt = time.perf_counter()\nimport {name}\nprint(time.perf_counter() - t)\n"


def import_seconds(name: str) -> float:
    done = subprocess.run([sys.executable, "-c", import_code(name)], check=True, capture_output=True, text=True)
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="rounds (each runs every side once)")
    runs = parser.parse_args().runs
    times: dict[tuple[str, bool], list[float]] = {}
    imports: dict[str, list[float]] = {name: [] for name in DEFERRED}
    for round_number in range(runs):
        sides = [(args, eager) for args in COMMANDS for eager in (False, True)]
        if round_number % 2:
            sides.reverse()
        for args, eager in sides:
            times.setdefault((" ".join(args), eager), []).append(run(command_code(args, eager)))
        for name in DEFERRED:
            imports[name].append(import_seconds(name))
        print(f"round {round_number + 1}/{runs} done", file=sys.stderr)
    print(f"{'command':<22} {'lazy ms':>8} {'eager ms':>9} {'eager/lazy':>11}")
    for args in COMMANDS:
        label = " ".join(args)
        lazy = statistics.median(times[(label, False)]) * 1000
        eager = statistics.median(times[(label, True)]) * 1000
        print(f"sesag {label:<16} {lazy:8.0f} {eager:9.0f} {eager / lazy:10.2f}x")
    print("\nimport after flows.cli (median ms):")
    for name, seconds in imports.items():
        print(f"  {name:<18} {statistics.median(seconds) * 1000:6.1f}")


if __name__ == "__main__":
    main()
