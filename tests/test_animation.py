"""The animated walkthrough: one captioned frame per scene, held long enough to read."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from flows import animation, steps
from flows.animation import Frame, build_walkthrough

SCENES = [(step, scene) for step in steps.catalogue() for scene in step.scenes]


def shot(path: Path, index: int, size=(1280, 900)) -> Path:
    image = Image.new("RGB", size, (245, 247, 250))
    ImageDraw.Draw(image).rectangle((100 + 40 * index, 200, 500 + 40 * index, 260), outline=(227, 6, 19), width=4)
    image.save(path)
    return path


@pytest.fixture
def frames(tmp_path) -> list[Frame]:
    return [
        Frame(image=shot(tmp_path / f"{scene.id}.png", i), title=step.title("da"), caption=scene.caption["da"],
              seconds=3 + i * 0.5)
        for i, (step, scene) in enumerate(SCENES)
    ]


def durations(path: Path) -> list[int]:
    with Image.open(path) as image:
        found = []
        for index in range(image.n_frames):
            image.seek(index)
            image.load()  # WebP reports a frame's duration once it is decoded
            found.append(image.info["duration"])
        return found


def test_webp_and_gif_have_one_frame_per_scene_held_its_time(frames, tmp_path):
    files = build_walkthrough(frames, tmp_path / "demo", formats=("webp", "gif"))
    assert set(files) == {"webp", "gif"}
    wanted = [round(frame.seconds * 1000) for frame in frames]
    for kind in ("webp", "gif"):
        with Image.open(files[kind]) as image:
            assert image.n_frames == len(SCENES)
            assert image.width == animation.WIDTH and image.height % 16 == 0
        assert durations(files[kind]) == wanted
        assert files[kind].stat().st_size < 3_000_000


def test_default_hold_is_readable():
    assert Frame(image=Path("x.png"), title="Trin 1", caption="c").seconds >= 3


def test_caption_title_and_text_are_drawn(frames, monkeypatch):
    drawn: list[str] = []
    original = ImageDraw.ImageDraw.text

    def spy(self, xy, text, *args, **kwargs):
        drawn.append(text)
        return original(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", spy)
    animation.render_frames(frames)
    joined = " ".join(drawn)
    for step, scene in SCENES:
        assert step.title("da") in drawn
        assert " ".join(scene.caption["da"].split()) in joined or all(word in joined for word in scene.caption["da"].split())


def test_caption_pixels_differ_from_a_blank_band(frames):
    frame = frames[0]
    blank = Frame(image=frame.image, title="", caption="", seconds=frame.seconds)
    shot_height = animation.scaled_height([frame])
    band = animation.band_height([frame])
    with_text = animation.compose(frame, 0, 7, animation.WIDTH, shot_height, band)
    without = animation.compose(blank, 0, 7, animation.WIDTH, shot_height, band)
    top = shot_height + animation.SEPARATOR_HEIGHT
    box = (0, top, animation.WIDTH, with_text.height - animation.PROGRESS_HEIGHT)
    assert ImageChops.difference(with_text.crop(box), without.crop(box)).getbbox() is not None
    # ... and the screenshot above the band is the same either way.
    assert ImageChops.difference(with_text.crop((0, 0, animation.WIDTH, shot_height)),
                                 without.crop((0, 0, animation.WIDTH, shot_height))).getbbox() is None


def test_long_captions_wrap_inside_the_frame():
    _, font = animation.fonts()
    lines = animation.wrap("ord " * 80, font, 400)
    assert len(lines) > 3 and all(font.getlength(line) <= 400 for line in lines)


def test_frames_of_different_sizes_share_one_size(tmp_path):
    frames = [
        Frame(shot(tmp_path / "a.png", 0, (2560, 1800)), "Trin 1", "a"),
        Frame(shot(tmp_path / "b.png", 1, (1280, 1000)), "Trin 2", "b"),
    ]
    images = animation.render_frames(frames)
    assert len({image.size for image in images}) == 1


def test_mp4_skipped_without_imageio_ffmpeg(frames, tmp_path, monkeypatch):
    monkeypatch.setattr(animation, "_ffmpeg", lambda: None)
    files = build_walkthrough(frames, tmp_path, formats=("webp", "mp4"))
    assert set(files) == {"webp"}
    assert "mp4" in files.skipped and "imageio-ffmpeg" in files.skipped["mp4"]
    assert not (tmp_path / "walkthrough.mp4").exists()


def test_mp4_written_when_imageio_ffmpeg_is_installed(frames, tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    files = build_walkthrough(frames, tmp_path, basename="demo", formats=("mp4",))
    assert files["mp4"] == tmp_path / "demo.mp4" and files.skipped == {}
    _, seconds = imageio_ffmpeg.count_frames_and_secs(str(files["mp4"]))
    assert seconds == pytest.approx(sum(frame.seconds for frame in frames), abs=0.6)


def test_bad_input_is_refused(frames, tmp_path):
    with pytest.raises(ValueError):
        build_walkthrough([], tmp_path)
    with pytest.raises(ValueError, match="avi"):
        build_walkthrough(frames, tmp_path, formats=("avi",))
