"""flows.guide.imagediff: rendering noise passes, any real change (text, a 2 px shift, a colour) fails.

The noise fixtures in tests/data/imagediff are crops of the same guide shot made by two runs of
the same Chromium build (the anti-aliasing along text-field edges that the old 0.1 % tolerance
was chosen to hide).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from flows.guide.imagediff import (
    DIFF_RED,
    MIN_PIXELS,
    compare,
    compare_arrays,
    diff_image,
    load,
    mismatches,
    regions,
    write_diff_image,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "imagediff"
SIZE = (640, 360)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT = ImageFont.truetype(str(DEJAVU), 26) if DEJAVU.exists() else ImageFont.load_default(size=26)


def page_like(
    path: Path, *, link="Se hændelser", box_colour=(0, 40, 85), margin=0, size=SIZE, remove_button=False
) -> Path:
    """A small portal-like shot: a bar, a button, a link; each argument is one real change."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 40), fill=(0, 40, 85))
    if not remove_button:
        draw.rounded_rectangle((40, 100 + margin, 260, 150 + margin), radius=6, fill=box_colour)
        draw.text((60, 110 + margin), "Gem", fill="white", font=FONT)
    draw.text((40, 220 + margin), link, fill=(0, 96, 160), font=FONT)
    image.save(path)
    return path


@pytest.fixture
def committed(tmp_path) -> Path:
    return page_like(tmp_path / "committed.png")


def test_identical_files_are_identical(committed, tmp_path):
    diff = compare(committed, page_like(tmp_path / "same.png"))
    assert diff.identical and not diff.changed and diff.regions == ()


@pytest.mark.parametrize("fixture", ["fields", "table", "focus"])
def test_anti_aliasing_noise_between_two_runs_passes(fixture):
    diff = compare(DATA / f"{fixture}-before.png", DATA / f"{fixture}-after.png")
    assert not diff.identical and diff.noise_pixels > 0
    assert not diff.changed, diff.summary()


@pytest.mark.parametrize(
    "change",
    [
        {"link": "Se alle hændelser"},  # one word added to a link (the 2,123 pixels, 0.046 %)
        {"link": "Se hændelsen"},  # one letter
        {"margin": 2},  # a 2 px layout shift
        {"box_colour": (0, 51, 102)},  # a subtle colour change, below pixelmatch's 0.1 threshold
        {"box_colour": (227, 6, 19)},  # an obvious one
        {"remove_button": True},  # an element removed
    ],
)
def test_real_changes_fail(committed, tmp_path, change):
    diff = compare(committed, page_like(tmp_path / "changed.png", **change))
    assert diff.changed and diff.failing, change
    assert all(region.pixels >= MIN_PIXELS for region in diff.failing)


def test_a_renamed_link_fails_however_large_the_shot(tmp_path):
    """Thresholds are pixels, never a share of the image: a 2560x1800 shot fails like a small one."""
    big = (2560, 1800)
    diff = compare(
        page_like(tmp_path / "a.png", size=big), page_like(tmp_path / "b.png", size=big, link="Se alle hændelser")
    )
    assert diff.changed
    assert diff.changed_pixels / (big[0] * big[1]) < 0.001  # below the old tolerance, and still caught


def test_the_changed_region_is_where_the_change_is(committed, tmp_path):
    diff = compare(committed, page_like(tmp_path / "changed.png", box_colour=(227, 6, 19)))
    (region,) = diff.failing
    left, top, right, bottom = region.box
    assert left >= 40 and top >= 100 and right <= 261 and bottom <= 151
    assert region.describe().startswith(f"{region.width}x{region.height} px at ({left}, {top})")


def test_a_few_stray_pixels_are_a_near_miss_not_a_failure(committed, tmp_path):
    image = Image.open(committed).convert("RGB")
    for x, y in ((500, 300), (501, 300), (300, 320)):
        image.putpixel((x, y), (0, 0, 0))
    image.save(tmp_path / "stray.png")
    diff = compare(committed, tmp_path / "stray.png")
    assert not diff.changed
    assert [region.pixels for region in diff.near_misses] == [2, 1]
    assert "near miss" in diff.summary()


def test_a_size_change_is_a_change_not_a_crash(committed, tmp_path):
    diff = compare(committed, page_like(tmp_path / "taller.png", size=(640, 380)))
    assert diff.changed and diff.size_changed
    assert diff.summary() == "size 640x360 -> 640x380"


def test_regions_join_pixels_of_one_word_and_split_far_ones():
    ys = np.array([10, 10, 12, 200])
    xs = np.array([10, 20, 30, 400])
    found = regions(ys, xs, min_pixels=3)
    assert [(region.box, region.pixels, region.fails) for region in found] == [
        ((10, 10, 31, 13), 3, True),
        ((400, 200, 401, 201), 1, False),
    ]


def _pixelmatch_reference(before: Image.Image, after: Image.Image) -> tuple[set, set]:
    """The pixelmatch package's red (changed) and yellow (anti-aliasing) pixels."""
    from pixelmatch.contrib.PIL import pixelmatch

    output = Image.new("RGBA", before.size)
    pixelmatch(before, after, output, threshold=0.1, aa_color=(255, 255, 0), diff_color=(255, 0, 0))
    colours = np.asarray(output)
    red = np.all(colours[..., :3] == (255, 0, 0), axis=-1)
    yellow = np.all(colours[..., :3] == (255, 255, 0), axis=-1)
    return set(zip(*np.nonzero(red), strict=False)), set(zip(*np.nonzero(yellow), strict=False))


@pytest.mark.parametrize(
    "fixture,box", [("fields", (40, 0, 200, 60)), ("table", (0, 60, 140, 120)), ("focus", (0, 0, 140, 60))]
)
def test_same_pixels_as_the_pixelmatch_package(fixture, box):
    """The numpy port agrees pixel for pixel with pixelmatch (on crops: the package is pure Python)."""
    before = Image.open(DATA / f"{fixture}-before.png").convert("RGBA").crop(box)
    after = Image.open(DATA / f"{fixture}-after.png").convert("RGBA").crop(box)
    changed, noise = mismatches(np.asarray(before), np.asarray(after), flat_changes=False)
    red, yellow = _pixelmatch_reference(before, after)
    assert yellow, "the crop should hold anti-aliasing noise"
    assert set(zip(*changed, strict=False)) == red
    assert set(zip(*noise, strict=False)) == yellow


def test_same_pixels_as_pixelmatch_on_a_real_change(committed, tmp_path):
    before = Image.open(committed).convert("RGBA").crop((30, 200, 330, 260))
    after = (
        Image.open(page_like(tmp_path / "changed.png", link="Se alle hændelser"))
        .convert("RGBA")
        .crop((30, 200, 330, 260))
    )
    changed, noise = mismatches(np.asarray(before), np.asarray(after), flat_changes=False)
    red, yellow = _pixelmatch_reference(before, after)
    assert red and set(zip(*changed, strict=False)) == red and set(zip(*noise, strict=False)) == yellow


def test_diff_image_paints_changes_red_and_frames_them(committed, tmp_path):
    out = tmp_path / "diff" / "scene-diff.png"
    diff = write_diff_image(committed, page_like(tmp_path / "changed.png", box_colour=(0, 160, 0)), out)
    picture = Image.open(out).convert("RGB")
    assert picture.size == SIZE
    assert picture.getpixel((150, 140)) == DIFF_RED[:3]
    bar = picture.getpixel((600, 10))  # unchanged dark bar: grey and faded
    assert bar[0] == bar[1] == bar[2] and bar[0] > 140
    (region,) = diff.failing
    frame = picture.getpixel((region.box[0] - 10, (region.box[1] + region.box[3]) // 2))
    assert frame[0] > 200 and frame[1] < 60


def test_diff_image_of_a_resized_shot(committed, tmp_path):
    comparison = compare_arrays(load(committed), load(page_like(tmp_path / "taller.png", size=(640, 380))))
    assert diff_image(comparison).size == (640, 380)
