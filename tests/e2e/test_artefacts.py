"""What a failing browser test leaves (pytest-playwright's trace) holds no secret.

Runs a pytest of its own with this folder's conftest, one test that logs in to the demo portal
and then fails, and ``--tracing retain-on-failure`` as CI passes it.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from flows.core import redact
from mock_portal import demo_data

HERE = Path(__file__).parent

FAILING_TEST = """
from flows.core.credentials import Credentials
from flows.core.pages import LoginPage


def test_logs_in_then_fails(page, portal):
    login = LoginPage(page)
    login.open(portal.url)
    login.log_in(Credentials.demo())
    assert False, "fails on purpose, after the log-in"
"""


def test_a_failing_browser_test_keeps_a_trace_without_secrets(pytester, monkeypatch):
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    pytester.makeconftest((HERE / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_fails=FAILING_TEST)
    result = pytester.runpytest_subprocess(
        "--tracing", "retain-on-failure", "--output", "results", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(failed=1)
    traces = sorted((pytester.path / "results").rglob("trace.zip"))
    assert len(traces) == 1, traces
    with zipfile.ZipFile(traces[0]) as trace:
        members = {name: trace.read(name) for name in trace.namelist()}
    for secret in demo_data.secrets():
        for form in redact.spellings(secret):
            holding = [name for name, data in members.items() if redact.holds(data, form)]
            assert not holding, f"{secret!r} (as {form!r}) is in {holding}"
    events = [json.loads(line) for line in members["trace.trace"].decode().splitlines() if line.strip()]
    assert [e for e in events if e.get("method") == "fill"], "the trace still shows the steps"
    assert not [e for e in events if e.get("type") == "screencast-frame"]
