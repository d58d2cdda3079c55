"""`sesag demo` without a browser: the headless notice, the reading speed, the captions' timing."""

from __future__ import annotations

from pathlib import Path

from flows.core import steps
from flows.demo import show as demo
from flows.demo.animation import Frame, reading_seconds


def test_without_a_display_it_says_headless_and_how_to_see_it():
    for headed in (True, False):
        notice = demo.headless_notice(headed=headed, display=False)
        assert "headless" in notice and "--headed" in notice and "--out" in notice


def test_with_a_display_but_not_headed_it_says_how_to_see_it():
    notice = demo.headless_notice(headed=False, display=True)
    assert "headless" in notice and "--headed" in notice


def test_a_visible_window_needs_no_notice():
    assert demo.headless_notice(headed=True, display=True) is None


def test_normal_speed_reads_15_characters_a_second():
    caption = "x" * 90
    assert reading_seconds(caption, demo.SPEEDS["normal"]) == 6.0
    assert reading_seconds(caption, demo.SPEEDS["slow"]) > 6.0


def test_only_the_confirmation_is_shown_without_a_click():
    scenes = [scene for step in steps.procedure() for scene in step.scenes]
    assert [scene.id for scene in scenes if demo.shows_only(scene)] == ["trin-5-gemt"]


def test_captions_last_as_long_as_their_scene(tmp_path):
    frames = [Frame(Path("a.png"), "Trin 1", "Første", 2.5), Frame(Path("b.png"), "Trin 2", "Anden", 3.0)]
    path = demo.write_captions(frames, [5.25, 6.0], tmp_path / "w.vtt")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT")
    assert "00:00:00.000 --> 00:00:05.250\nTrin 1: Første" in text
    assert "00:00:05.250 --> 00:00:11.250\nTrin 2: Anden" in text
