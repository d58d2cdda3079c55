"""Lighthouse scores of the guide's HTML editions: accessibility (target 100) and performance
(target >= 90), desktop preset, each page served on 127.0.0.1 and loaded by the system Chromium.

Not a test: Lighthouse's performance score is a simulation that varies from run to run and
with the machine's load, so it is printed here (`make lighthouse`), not asserted. Lighthouse
is pinned in tools/validators/package.json and installed by `make setup`.

    .venv/bin/python bench/lighthouse.py [--guide DIR] [--runs 1]

Without ``--guide`` the HTML of each language is rendered into a temporary folder from the
committed shots in screenshots/ (what `sesag guide` would write, without a browser).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.core import browser as browsers  # noqa: E402
from flows.core import steps  # noqa: E402
from flows.guide import build as builder  # noqa: E402
from flows.guide import manifest, render  # noqa: E402

LIGHTHOUSE = ROOT / "tools" / "validators" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("accessibility", "performance")
TARGETS = {"accessibility": 100, "performance": 90}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # Lighthouse's requests are not news
        pass


def editions(folder: Path) -> dict[str, Path]:
    """lang -> the HTML edition rendered from the committed shots into ``folder``."""
    shots = manifest.scene_shots(builder.DEFAULT_OUT)
    pages = {}
    for lang in steps.LANGUAGES:
        capture = render.Capture(
            lang=lang,
            portal_url=steps.guide_text(lang)["embedded_portal"],
            generated_at=render.generation_time(builder.DEFAULT_OUT, shots),
            right="sagsbehandler",
            employee=steps.DEFAULT_EMPLOYEE,
            shots=shots,
        )
        pages[lang] = render.render_guide(capture, folder / lang, formats=("html",))["html"]
    return pages


def scores(url: str, chromium: str, report: Path) -> dict[str, float]:
    """Lighthouse's category scores (0-100) for ``url``."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--preset=desktop",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chromium}, timeout=300)
    result = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guide", type=Path, help="a folder with vejledning.html (default: render both languages)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is printed")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"Lighthouse is not installed ({LIGHTHOUSE}): run `make setup`")
    chromium = browsers.system_chromium()
    if chromium is None:
        raise SystemExit("no system Chromium found (set SESAG_CHROMIUM): Lighthouse needs one")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        pages = {"guide": args.guide / "vejledning.html"} if args.guide else editions(scratch / "html")
        for name, page in pages.items():
            # Each page from a server of its own that serves only the page's folder.
            server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(page.parent)))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            try:
                url = f"http://127.0.0.1:{server.server_port}/{page.name}"
                runs = [scores(url, chromium, scratch / f"{name}-{n}.json") for n in range(args.runs)]
            finally:
                server.shutdown()
            median = {c: statistics.median(run[c] for run in runs) for c in CATEGORIES}
            verdict = ", ".join(
                f"{c} {median[c]:.0f} ({'met' if median[c] >= TARGETS[c] else 'NOT met'}: >= {TARGETS[c]})"
                for c in CATEGORIES
            )
            print(f"{name:<6} {page.stat().st_size / 1e6:.2f} MB  {verdict}  runs: {[tuple(r.values()) for r in runs]}")


if __name__ == "__main__":
    main()
