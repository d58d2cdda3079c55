"""``sesag`` (``python -m flows.cli``) in a subprocess of its own, as a user runs it.

A subprocess, because the pytest-playwright session already runs Playwright's sync API in this
process (the command starts its own), and so that a signal reaches only the command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flows.core.credentials import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
# The demo administrator's log-in, as a user puts it in the environment.
DEMO_LOGIN = {"SESAG_USER": "admin", "SESAG_PASSWORD": DEMO_PASSWORD, "SESAG_KEYCARD": "demo"}


def demo_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without its SESAG_* settings (a developer's own log-in, say),
    with the demo log-in and PYTHONPATH=ROOT, and ``env`` on top."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SESAG_")}
    environment.update({**DEMO_LOGIN, "PYTHONPATH": str(ROOT)})
    environment.update(env or {})
    return environment


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args]


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``sesag *args`` run to its end in ROOT, its output captured as text; ``env`` None: this
    process's environment as it is."""
    return subprocess.run(command(*args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``sesag *args`` started in ROOT (stdout and stderr piped, as text), for a test that signals
    it or waits on it (``communicate``)."""
    return subprocess.Popen(
        command(*args), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
