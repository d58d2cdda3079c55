"""The animated walkthrough: a captioned still per scene, held as long as its caption takes to
read, then a zoom into its targets and a pointer that moves to each and clicks."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from flows.core import steps
from flows.demo import animation
from flows.demo.animation import Frame, build_walkthrough

SCENES = [(step, scene) for step in steps.procedure() for scene in step.scenes]


def shot(path: Path, index: int, size=(1280, 900)) -> Path:
    image = Image.new("RGB", size, (245, 247, 250))
    ImageDraw.Draw(image).rectangle((100 + 40 * index, 200, 500 + 40 * index, 260), outline=(227, 6, 19), width=4)
    image.save(path)
    return path


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> list[Path]:
    """One screenshot per scene, drawn once for the module (the tests only read them)."""
    folder = tmp_path_factory.mktemp("shots")
    return [shot(folder / f"{scene.id}.png", i) for i, (_, scene) in enumerate(SCENES)]


@pytest.fixture
def frames(shots) -> list[Frame]:
    return [
        Frame(
            image=image,
            title=step.title("da"),
            caption=scene.caption["da"],
            seconds=3 + i * 0.5,
        )
        for i, ((step, scene), image) in enumerate(zip(SCENES, shots, strict=True))
    ]


def shortened(frames: list[Frame], seconds=(0.5, 1.2, 0.8)) -> list[Frame]:
    """The first few frames, each held a short time of its own: an animation as cheap to encode
    (and decode) as can be, with still one hold per scene to add up."""
    return [replace(frame, seconds=held) for frame, held in zip(frames, seconds, strict=False)]


def durations(path: Path) -> list[int]:
    with Image.open(path) as image:
        found = []
        for index in range(image.n_frames):
            image.seek(index)
            image.load()  # WebP reports a frame's duration once it is decoded
            found.append(image.info["duration"])
        return found


def test_without_targets_webp_and_gif_have_one_frame_per_scene_held_its_time(frames, tmp_path):
    frames = shortened(frames)
    files = build_walkthrough(frames, tmp_path / "demo", formats=("webp", "gif"))
    assert set(files) == {"webp", "gif"}
    wanted = [round(frame.seconds * 1000) for frame in frames]
    for kind in ("webp", "gif"):
        with Image.open(files[kind]) as image:
            assert image.n_frames == len(frames) == 3
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
    joined = " ".join(" ".join(drawn).split())
    for step, scene in SCENES:
        assert step.title("da") in drawn
        assert " ".join(scene.caption["da"].split()) in joined, "the whole caption, its words in order"


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
    assert (
        ImageChops.difference(
            with_text.crop((0, 0, animation.WIDTH, shot_height)), without.crop((0, 0, animation.WIDTH, shot_height))
        ).getbbox()
        is None
    )


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


def ffmpeg():
    """imageio_ffmpeg (the video extra); skipped on a developer's machine without it, never in CI."""
    if os.environ.get("CI") == "true":
        import imageio_ffmpeg  # CI installs .[test,video]: missing there is a failure

        return imageio_ffmpeg
    return pytest.importorskip("imageio_ffmpeg", reason="pip install -e '.[video]' for the MP4 tests")


def test_mp4_skipped_without_imageio_ffmpeg(frames, tmp_path, monkeypatch):
    monkeypatch.setattr(animation, "_ffmpeg", lambda: None)
    files = build_walkthrough(shortened(frames), tmp_path, formats=("webp", "mp4"))
    assert set(files) == {"webp"}
    assert "mp4" in files.skipped and "imageio-ffmpeg" in files.skipped["mp4"]
    assert not (tmp_path / "walkthrough.mp4").exists()


def test_mp4_written_when_imageio_ffmpeg_is_installed(frames, tmp_path):
    imageio_ffmpeg = ffmpeg()
    frames = shortened(frames)  # 2.5 s of video: the sum of three holds, not one of them
    files = build_walkthrough(frames, tmp_path, basename="demo", formats=("mp4",))
    assert files["mp4"] == tmp_path / "demo.mp4" and files.skipped == {}
    _, seconds = imageio_ffmpeg.count_frames_and_secs(str(files["mp4"]))
    assert seconds == pytest.approx(sum(frame.seconds for frame in frames), abs=0.2)


def test_mp4_lasts_as_long_as_the_pointer_and_zoom_too(tmp_path):
    imageio_ffmpeg = ffmpeg()
    files = build_walkthrough([scene_with(tmp_path, seconds=0.5)], tmp_path, formats=("mp4",))
    _, seconds = imageio_ffmpeg.count_frames_and_secs(str(files["mp4"]))
    assert seconds == pytest.approx(files.scene_seconds[0], abs=0.2)


def test_bad_input_is_refused(frames, tmp_path):
    with pytest.raises(ValueError):
        build_walkthrough([], tmp_path)
    with pytest.raises(ValueError, match="avi"):
        build_walkthrough(frames, tmp_path, formats=("avi",))


def test_reading_time_is_15_characters_a_second_and_at_least_2_5_s():
    assert animation.reading_seconds("x" * 60) == pytest.approx(4.0)
    assert animation.reading_seconds("Vælg 'Log på'") == 2.5
    assert animation.reading_seconds("ord   ord\n" * 10) == pytest.approx(animation.reading_seconds("ord ord " * 10))
    assert animation.reading_seconds("x" * 60, speed=10) == pytest.approx(6.0)


TARGET = (400.0, 300.0, 120.0, 30.0)  # x, y, width, height in the 1280 x 900 screenshot


def scene_with(tmp_path, targets=(TARGET,), clicks=True, seconds=3.0) -> Frame:
    return Frame(
        image=shot(tmp_path / "t.png", 0),
        title="Trin 3",
        caption="Klik på blyanten.",
        seconds=seconds,
        targets=targets,
        clicks=clicks,
    )


def test_a_scene_is_its_still_then_the_zoom_then_the_pointer_clicking(tmp_path):
    images, milliseconds, scene_seconds = animation.timeline([scene_with(tmp_path)])
    clicks = len(animation.CLICK_SECONDS)
    assert len(images) == 2 + animation.MOVE_STEPS + clicks
    assert milliseconds[:2] == [3000, round(animation.ZOOM_SECONDS * 1000)]
    assert scene_seconds == [pytest.approx(sum(milliseconds) / 1000)]
    # The click's ring (the last image against the one before the click) is on the target's centre.
    scale = animation.WIDTH / 1280
    centre = ((TARGET[0] + TARGET[2] / 2) * scale, (TARGET[1] + TARGET[3] / 2) * scale)
    arrived = images[1 + animation.MOVE_STEPS]
    left, top, right, bottom = ImageChops.difference(arrived, images[-1]).getbbox()
    assert (left + right) / 2 == pytest.approx(centre[0], abs=3)
    assert (top + bottom) / 2 == pytest.approx(centre[1], abs=3)


def test_the_zoom_magnifies_the_targets(tmp_path):
    frame = scene_with(tmp_path)
    images, _, _ = animation.timeline([frame])
    shot_height = animation.scaled_height([frame])
    assert ImageChops.difference(
        images[0].crop((0, 0, animation.WIDTH, shot_height)), images[1].crop((0, 0, animation.WIDTH, shot_height))
    ).getbbox()
    box = animation.zoom_box((TARGET,), (1280, 900))
    assert (box[2] - box[0], box[3] - box[1]) == (640, 450)  # 2x, the screenshot's shape
    assert box[0] <= TARGET[0] and box[2] >= TARGET[0] + TARGET[2]
    assert box[1] <= TARGET[1] and box[3] >= TARGET[1] + TARGET[3]


def test_the_zoom_stays_inside_the_screenshot_and_grows_for_large_targets():
    assert animation.zoom_box(((1250, 880, 20, 15),), (1280, 900)) == (640, 450, 1280, 900)
    wide = animation.zoom_box(((100, 100, 1000, 40),), (1280, 900))
    assert wide[0] <= 100 and wide[2] >= 1100 and wide[2] <= 1280


def test_a_target_only_shown_gets_the_pointer_but_no_click(tmp_path):
    images, milliseconds, _ = animation.timeline([scene_with(tmp_path, clicks=False)])
    assert len(images) == 2 + animation.MOVE_STEPS + 1
    assert milliseconds[-1] == round(animation.REST_SECONDS * 1000)
    arrived = images[1 + animation.MOVE_STEPS]
    assert ImageChops.difference(arrived, images[-1]).getbbox() is None  # no ring: it rests there


def test_the_pointer_goes_to_each_target_in_turn(tmp_path):
    second = (800.0, 600.0, 100.0, 30.0)
    images, _, _ = animation.timeline([scene_with(tmp_path, targets=(TARGET, second))])
    per_target = animation.MOVE_STEPS + len(animation.CLICK_SECONDS)
    assert len(images) == 2 + 2 * per_target
    first_click, last_click = images[1 + per_target], images[-1]
    assert ImageChops.difference(first_click, last_click).getbbox()  # the pointer has moved on
