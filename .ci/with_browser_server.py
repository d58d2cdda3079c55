"""Run a command against a local Playwright browser server, then stop the server.

    .venv/bin/python .ci/with_browser_server.py [--timeout 60] -- COMMAND [ARG ...]

Starts ``playwright launch-server --browser chromium`` with the Chromium and flags that
``sesag browser`` finds for this machine (flows.core.browser.server_config), waits for the server's
ws:// endpoint, runs COMMAND with SESAG_CONNECT set to it, stops the server and exits with
COMMAND's status. A server that does not come up within --timeout seconds is one clear message
and exit 3.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.core import browser  # the checkout's flows, also when run from elsewhere

SERVER_DID_NOT_START = 3


def endpoint_lines(stream, found: queue.Queue) -> None:
    """Pass the server's output on; hand the first ws:// line to ``found``."""
    for line in stream:
        if line.startswith("ws://"):
            found.put(line.strip())
        else:
            sys.stderr.write(f"launch-server: {line}")
    found.put(None)  # the server closed its output: it has stopped


def start_server(config: Path) -> subprocess.Popen:
    playwright_cli = Path(sys.executable).with_name("playwright")
    return subprocess.Popen(
        [str(playwright_cli), "launch-server", "--browser", "chromium", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: stopping it stops node and Chromium too
    )


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60, help="seconds the server may take to start (default 60)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run (after --)")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        config = browser.server_config(playwright)
    with tempfile.TemporaryDirectory(prefix="sesag-browser-server-") as folder:
        config_file = Path(folder) / "launch-server.json"
        config_file.write_text(json.dumps({**config, "host": "127.0.0.1"}), encoding="utf-8")
        server = start_server(config_file)
        try:
            found: queue.Queue = queue.Queue()
            threading.Thread(target=endpoint_lines, args=(server.stdout, found), daemon=True).start()
            try:
                endpoint = found.get(timeout=args.timeout)
            except queue.Empty:
                endpoint = None
            if endpoint is None:
                print(
                    f"error: the Playwright browser server did not come up within {args.timeout:g} s "
                    f"(playwright launch-server --browser chromium, config {json.dumps(config)})",
                    file=sys.stderr,
                )
                return SERVER_DID_NOT_START
            print(
                f"Playwright browser server: {endpoint} (Chromium {config.get('executablePath', 'bundled')})",
                flush=True,
            )
            return subprocess.run(command, env={**os.environ, browser.CONNECT_ENV: endpoint}).returncode
        finally:
            stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
