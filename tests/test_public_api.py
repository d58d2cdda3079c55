"""The code uses public APIs only: no ``playwright._impl``, none of Playwright's private
attributes (the sync API's event loop, dispatcher greenlet, implementation objects), and a test
suite that patches no pytest or Werkzeug internals."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("flows", "mock_portal", "tests", "bench", ".ci")
PRIVATE = re.compile(r"playwright\._impl|\b_impl_obj\b|\._loop\b|\b_dispatcher_fiber\b")
# pytest's and Werkzeug's internals the suite once patched for speed (issue 21).
SUITE_PRIVATE = re.compile(
    r"\b_pytest\b|_compile_builder|\bsys\.meta_path\b|PYTEST_DEBUG_TEMPROOT|AssertionRewritingHook"
)
# This file names them, to look for them.
ITSELF = Path(__file__).resolve()


def sources(folders=CHECKED) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py") if path.resolve() != ITSELF)


def uses(pattern: re.Pattern, paths: list[Path]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]


def test_no_file_uses_playwrights_private_api():
    checked = sources()
    assert len(checked) > 20  # the folders are there
    found = uses(PRIVATE, checked)
    assert not found, "Playwright's private API in use:\n" + "\n".join(found)


def test_the_test_suite_patches_no_pytest_or_werkzeug_internals():
    found = uses(SUITE_PRIVATE, sources(("tests", "flows", "mock_portal")))
    assert not found, "private pytest / Werkzeug internals in use:\n" + "\n".join(found)


# The best-effort parsers of text meant for people (Playwright's call log, aria_snapshot's YAML):
# their callers, outside flows/core/failure.py, may only use them to word an error.
BEST_EFFORT = re.compile(r"\b(?:offered|looked_for|what_is_missing|failure\.explain)\(")


def test_best_effort_parsers_only_word_error_messages():
    calls = [line for line in uses(BEST_EFFORT, sources(("flows",))) if "def " not in line]
    outside = [line for line in calls if not line.startswith("flows/core/failure.py:")]
    assert outside, "failure.explain words the guide's error"
    assert all("raise GuideError(failure.explain(" in line for line in outside), outside
