"""The outside validators of the guide, as the project's setup installs them (pinned, offline).

- ``pdfua`` (PyPI, pinned in the test extras): the machine-checkable rules of PDF/UA-1;
- the Nu HTML checker (npm ``vnu-jar``, pinned in tools/validators/package.json; Java from
  Debian's default-jre-headless), the W3C's HTML conformance checker.

A validator that is not installed skips its test, and fails it under CI=true: `make setup`
installs both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "validators"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"  # the package's documented path


def require(tool, name: str, setup: str = "make setup"):
    """``tool``, or a skip (a failure under CI=true) naming how the project installs it."""
    if tool:
        return tool
    message = f"{name} is not installed: `{setup}` installs it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def pdfua_command() -> list[str] | None:
    """How to run ``pdfua`` (the one beside this Python, else on PATH), or None."""
    beside = Path(sys.executable).with_name("pdfua")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("pdfua")
    return [found] if found else None


def pdfua_errors(path: Path) -> tuple[int, list[str]]:
    """(errors, their messages) that ``pdfua check`` reports for the PDF at ``path``."""
    command = require(pdfua_command(), "pdfua")
    done = subprocess.run([*command, "check", "--format", "json", str(path)], capture_output=True, text=True)
    report = json.loads(done.stdout)
    errors = [f"{f['rule_id']} {f['location']}: {f['message']}" for f in report["findings"] if f["severity"] == "error"]
    return report["summary"]["errors"], errors


def vnu_command() -> list[str] | None:
    """How to run the Nu HTML checker, or None when Java or the jar is missing."""
    java = shutil.which("java")
    return [java, "-jar", str(VNU_JAR)] if java and VNU_JAR.is_file() else None


def vnu_messages(*pages: Path) -> list[str]:
    """The Nu HTML checker's errors and warnings for the HTML ``pages`` (empty: valid)."""
    command = require(vnu_command(), "The Nu HTML checker (vnu-jar and Java)")
    done = subprocess.run([*command, "--format", "json", "--stdout", *map(str, pages)], capture_output=True, text=True)
    messages = json.loads(done.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('subType', m['type'])}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning" or m["type"] == "non-document-error"
    ]
