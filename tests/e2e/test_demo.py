"""`sesag demo`: the captioned live run and the animated walkthrough."""

from __future__ import annotations

import re

from PIL import Image
from playwright.sync_api import expect

from flows.core import overlay, steps
from flows.core.credentials import Credentials
from flows.demo import show as demo
from flows.demo.animation import reading_seconds

from helpers.sesag_cli import run

SCENES = [(step, scene) for step in steps.procedure() for scene in step.scenes]


def test_live_demo_captions_every_scene_and_grants(page, portal, monkeypatch):
    seen = []
    real_caption = overlay.show_caption

    def caption_and_check(page_, title, text):
        real_caption(page_, title, text)
        expect(page_.get_by_role("note", name=title)).to_contain_text(text)
        seen.append((title, text))

    monkeypatch.setattr(overlay, "show_caption", caption_and_check)
    demo.live_demo(
        page,
        portal.url,
        Credentials.demo(),
        steps.DEFAULT_EMPLOYEE,
        "kommunal-sagsbehandler",
        "da",
        pause=lambda caption: 0,
    )
    assert seen == [(step.title("da"), scene.caption["da"]) for step, scene in SCENES]
    assert page.get_by_role("note", name="Trin 5").count() == 0  # captions are removed again
    assert steps.Walk(page, portal.url, Credentials.demo()).rights.is_held("kommunal-sagsbehandler")


def test_the_targets_noted_for_the_pointer_are_the_ones_framed_in_the_shot(page, portal, tmp_path):
    """The pointer and the zoom go where the red frames are: the catalogue's targets, in the shot."""
    walk = steps.Walk(page=page, base_url=portal.url, credentials=Credentials.demo())
    noted = {}

    def shoot(step, scene, walk):
        noted[scene.id] = demo.shoot_scene(walk, scene, tmp_path / f"{scene.id}.png")

    steps.run_procedure(walk, shoot)
    assert set(noted) == {scene.id for _, scene in SCENES}
    red = tuple(int(overlay.MARK_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    for scene_id, boxes in noted.items():
        assert boxes, scene_id
        image = Image.open(tmp_path / f"{scene_id}.png").convert("RGB")
        assert image.size == (1280, 900)
        for x, y, width, height in boxes:
            # The frame's bottom edge, mid-way: FRAME_PADDING outside the target, 3 px wide (the
            # numbered badge sits on the top-left corner).
            edge = (round(x + width / 2), round(y + height + overlay.FRAME_PADDING - 2))
            shown = image.getpixel(edge)
            assert max(abs(a - b) for a, b in zip(shown, red, strict=True)) <= 8, (
                f"{scene_id}: no red frame at {edge}: {shown}"
            )


def test_walkthrough_holds_each_scene_to_read_it_and_points_at_the_targets(tmp_path):
    out = tmp_path / "demo"
    done = run("demo", "--out", str(out), "--speed", "normal", timeout=480)
    assert done.returncode == 0, done.stderr
    assert "headless" not in done.stderr  # nothing to watch: files are the point
    stills = [round(reading_seconds(scene.caption["da"]) * 1000) for _, scene in SCENES]
    for name in ("walkthrough.webp", "walkthrough.gif"):
        image = Image.open(out / name)
        assert image.n_frames > 3 * len(SCENES), name  # still, zoom, pointer and clicks per scene
        assert (out / name).stat().st_size < 8_000_000
    gif = Image.open(out / "walkthrough.gif")
    assert gif.info["duration"] == stills[0] == 2500  # a short caption still gets 2.5 s
    captions = (out / "walkthrough.vtt").read_text(encoding="utf-8")
    cues = re.findall(r"(\d\d):(\d\d):(\d\d\.\d{3}) --> (\d\d):(\d\d):(\d\d\.\d{3})\n(.+)", captions)
    assert len(cues) == len(SCENES)
    for (step, scene), still, cue in zip(SCENES, stills, cues, strict=False):
        start = int(cue[0]) * 3600 + int(cue[1]) * 60 + float(cue[2])
        end = int(cue[3]) * 3600 + int(cue[4]) * 60 + float(cue[5])
        assert end - start > still / 1000  # read, then zoom and pointer
        assert cue[6] == f"{step.title('da')}: {scene.caption['da']}"


def test_live_demo_without_a_display_says_it_runs_headless(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    done = run("demo", "--speed", "normal", "--headed", "--base-url", "http://127.0.0.1:9", timeout=120)
    assert "No display found: the demo runs headless" in done.stderr
    assert "sesag demo --out" in done.stderr
