"""helpers.ci_rules: under CI=true a skip fails and says why; locally it stays a skip."""

from __future__ import annotations

import pytest

SKIPPING = """
def test_needs_a_file(require, tmp_path):
    require.file(tmp_path / "nowhere.pdf", "the committed PDF")

def test_xfail_stays_expected():
    import pytest
    pytest.xfail("known")
"""


@pytest.mark.parametrize("ci,outcome", [("true", {"failed": 1, "xfailed": 1}), ("", {"skipped": 1, "xfailed": 1})])
def test_a_skip_fails_only_under_ci(pytester, monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    pytester.makepyfile(SKIPPING)
    result = pytester.runpytest("-p", "helpers.ci_rules", "-p", "no:playwright")  # one playwright plugin per process
    result.assert_outcomes(**outcome)
    if ci:
        result.stdout.fnmatch_lines(
            ["*the committed PDF is missing*CI=true: a test that guards a regression may not skip*"]
        )
