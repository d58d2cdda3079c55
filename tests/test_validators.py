"""The outside validators' plumbing: a missing one skips its test, and fails it under CI=true."""

from __future__ import annotations

import pytest

from helpers.validators import require


def test_a_missing_validator_fails_under_ci_with_the_way_to_install_it(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"vnu is not installed: `make setup` installs it"):
        require(None, "vnu")


def test_a_missing_validator_skips_elsewhere(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="make setup"):
        require(None, "vnu")
    assert require(["java", "-jar", "vnu.jar"], "vnu") == ["java", "-jar", "vnu.jar"]
