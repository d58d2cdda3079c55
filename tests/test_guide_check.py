"""flows.guide without a browser: the manifest and what --check says about another build."""
from pathlib import Path

from flows import guide


def _run(browser: str) -> guide.GuideRun:
    return guide.GuideRun(folder=Path("unused"), shots={}, browser=browser)


def test_manifest_round_trip(tmp_path):
    guide.write_manifest(tmp_path, "chromium 156.0.8078.108")
    assert guide.committed_browser(tmp_path) == "chromium 156.0.8078.108"


def test_no_or_broken_manifest_is_no_browser(tmp_path):
    assert guide.committed_browser(tmp_path) is None
    (tmp_path / guide.MANIFEST).write_text("not json", encoding="utf-8")
    assert guide.committed_browser(tmp_path) is None


def test_hint_only_when_the_builds_differ(tmp_path):
    guide.write_manifest(tmp_path, "chromium 156.0.8078.108")
    assert guide.browser_hint(_run("chromium 156.0.8078.108"), tmp_path) is None
    hint = guide.browser_hint(_run("chromium 145.0.7632.6"), tmp_path)
    assert "chromium 156.0.8078.108" in hint and "chromium 145.0.7632.6" in hint
    assert "differ between browser builds" in hint


def test_no_hint_without_a_manifest(tmp_path):
    assert guide.browser_hint(_run("chromium 145.0.7632.6"), tmp_path) is None
