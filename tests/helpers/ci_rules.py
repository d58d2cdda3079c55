"""The suite's rules, as a pytest plugin (tests/conftest.py loads it): the slow browser tests run
first, and under CI=true a skip is a failure that says what was missing.

``require`` is how a test asks for what lies outside the code (a file beside the checkout, an
optional package): missing, it skips locally and fails under CI=true.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType

import pytest


def pytest_collection_modifyitems(config, items):
    """The tests marked ``chromium`` (seconds each) first and together: pytest-xdist's first
    batch of tests for a worker is a run of consecutive ones, so one worker launches one browser
    and prints the shared PDF once for all of them, while the other starts on the rest; last,
    they were the tail of the run, with the other worker idle."""
    items.sort(key=lambda item: item.get_closest_marker("chromium") is None)  # stable: else as collected


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test fails, with its reason: every test here guards a
    regression, and one that skips in CI would let that regression pass unseen."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail") and running_in_ci():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{reason.removeprefix('Skipped: ')} (CI=true: a test that guards a regression may not skip)"


class Requirement:
    """What a test needs from outside the code; when it is missing the test skips and says what
    is missing (which fails under CI=true, see pytest_runtest_makereport)."""

    def file(self, path: Path, what: str) -> Path:
        """``path``, which must exist (``what`` says what it is and where it comes from)."""
        if not path.is_file():
            pytest.skip(f"{what} is missing: {path}")
        return path

    def module(self, name: str) -> ModuleType:
        """The optional package ``name``, imported."""
        try:
            return importlib.import_module(name)
        except ImportError:
            pytest.skip(f"the package {name} is not installed")


@pytest.fixture
def require() -> Requirement:
    """``require.file(path, what)``, ``require.module(name)``: see Requirement."""
    return Requirement()
