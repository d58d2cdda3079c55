"""Pixel comparison for `sesag guide --check`: unchanged, changed, resized, and the diff image."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from flows.imagediff import DIFF_RED, compare, write_diff_image

SIZE = (400, 300)


def page_like(path: Path, size=SIZE, box_colour=(0, 40, 85)) -> Path:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 30), fill=(0, 40, 85))
    draw.rectangle((50, 100, 150, 140), fill=box_colour)
    draw.text((60, 200), "Administrér rettigheder", fill="black")
    image.save(path)
    return path


@pytest.fixture
def expected(tmp_path) -> Path:
    return page_like(tmp_path / "expected.png")


def test_identical_images_are_unchanged(expected, tmp_path):
    same = page_like(tmp_path / "same.png")
    diff = compare(expected, same)
    assert (diff.changed, diff.changed_ratio, diff.size_mismatch, diff.bbox) == (False, 0.0, False, None)


def test_faint_noise_below_the_channel_threshold_is_ignored(expected, tmp_path):
    image = Image.open(expected).convert("RGB")
    noisy = image.point(lambda value: min(value + 10, 255) if value < 250 else value - 10)
    noisy.save(tmp_path / "noisy.png")
    assert not compare(expected, tmp_path / "noisy.png").changed
    assert compare(expected, tmp_path / "noisy.png", channel_threshold=5).changed


def test_a_visible_change_is_changed_with_its_box(expected, tmp_path):
    actual = page_like(tmp_path / "actual.png", box_colour=(227, 6, 19))
    diff = compare(expected, actual)
    assert diff.changed and not diff.size_mismatch
    assert diff.bbox == (50, 100, 151, 141)
    assert diff.changed_ratio == pytest.approx(101 * 41 / (SIZE[0] * SIZE[1]))


def test_a_change_within_tolerance_is_not_changed(expected, tmp_path):
    image = Image.open(expected).convert("RGB")
    image.putpixel((5, 290), (255, 0, 0))
    image.save(tmp_path / "one-pixel.png")
    diff = compare(expected, tmp_path / "one-pixel.png", tolerance=0.001)
    assert not diff.changed and diff.bbox == (5, 290, 6, 291)
    assert compare(expected, tmp_path / "one-pixel.png", tolerance=0).changed


def test_transparency_counts(expected, tmp_path):
    image = Image.open(expected).convert("RGBA")
    image.paste((255, 255, 255, 0), (300, 200, 400, 300))
    image.save(tmp_path / "holes.png")
    assert compare(expected, tmp_path / "holes.png").changed


def test_different_sizes_are_changed(expected, tmp_path):
    bigger = page_like(tmp_path / "bigger.png", size=(400, 320))
    diff = compare(expected, bigger)
    assert diff.changed and diff.size_mismatch and diff.changed_ratio == 1.0


def test_diff_image_paints_changes_red_on_a_dimmed_shot(expected, tmp_path):
    actual = page_like(tmp_path / "actual.png", box_colour=(0, 160, 0))
    out = tmp_path / "diffs" / "trin-5-diff.png"
    diff = write_diff_image(expected, actual, out)
    assert diff.changed
    picture = Image.open(out).convert("RGB")
    assert picture.size == SIZE
    assert picture.getpixel((100, 120)) == DIFF_RED[:3]  # a changed pixel
    unchanged = picture.getpixel((10, 10))  # the dark-blue bar, now grey and faded
    assert unchanged[0] == unchanged[1] == unchanged[2] and unchanged[0] > 140
    assert picture.getpixel((300, 280)) == (255, 255, 255)  # white stays white
    # The frame around the changes: a coloured pixel just outside the changed box.
    left, top, right, bottom = diff.bbox
    framed = picture.getpixel((left - 10, (top + bottom) // 2))
    assert framed[0] > 200 and framed[1] < 60


def test_diff_image_of_a_resized_shot(expected, tmp_path):
    bigger = page_like(tmp_path / "bigger.png", size=(400, 320))
    out = tmp_path / "diff.png"
    diff = write_diff_image(expected, bigger, out)
    picture = Image.open(out).convert("RGB")
    assert picture.size == (400, 320)
    assert picture.getpixel((200, 305)) == DIFF_RED[:3]  # beyond the old image: all changed
    assert diff.size_mismatch and diff.changed


def test_unchanged_diff_image_has_no_red(expected, tmp_path):
    out = tmp_path / "diff.png"
    diff = write_diff_image(expected, page_like(tmp_path / "same.png"), out)
    assert not diff.changed
    colours = {colour for _, colour in Image.open(out).convert("RGB").getcolors(1 << 16)}
    assert all(r == g == b for r, g, b in colours)
