"""`sesag demo`: the captioned live run and the animated walkthrough."""
from __future__ import annotations

import subprocess
import sys

from PIL import Image
from playwright.sync_api import expect

from flows import demo, overlay, steps
from flows.credentials import Credentials

SCENES = [(step, scene) for step in steps.catalogue() for scene in step.scenes]


def test_live_demo_captions_every_scene_and_grants(page, portal, monkeypatch):
    seen = []
    real_caption = overlay.show_caption

    def caption_and_check(page_, title, text):
        real_caption(page_, title, text)
        expect(page_.get_by_role("note", name=title)).to_contain_text(text)
        seen.append((title, text))

    monkeypatch.setattr(overlay, "show_caption", caption_and_check)
    demo.live_demo(page, portal.url, Credentials.demo(), steps.DEFAULT_EMPLOYEE, "kommunal-sagsbehandler", "da", pause=0)
    assert seen == [(step.title("da"), scene.caption["da"]) for step, scene in SCENES]
    assert page.get_by_role("note", name="Trin 5").count() == 0  # captions are removed again
    assert steps.Walk(page, portal.url, Credentials.demo()).rights.is_held("kommunal-sagsbehandler")


def test_walkthrough_has_a_frame_per_scene_and_the_captions(tmp_path):
    out = tmp_path / "demo"
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "demo", "--out", str(out), "--speed", "normal"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for name in ("walkthrough.webp", "walkthrough.gif"):
        image = Image.open(out / name)
        assert image.n_frames == len(SCENES), name
        assert (out / name).stat().st_size < 5_000_000
    gif = Image.open(out / "walkthrough.gif")
    assert gif.info["duration"] >= 3000  # long enough to read
    captions = (out / "walkthrough.vtt").read_text(encoding="utf-8")
    for step, scene in SCENES:
        assert f"{step.title('da')}: {scene.caption['da']}" in captions
