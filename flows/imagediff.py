"""Pixel comparison of two screenshots, for ``sesag guide --check``.

A pixel counts as changed when any channel (R, G, B or alpha) differs by more than
``channel_threshold``: that ignores the faint anti-aliasing noise of font rendering while
catching any visible change. Two images differ when the share of changed pixels exceeds
``tolerance``, or when their sizes differ. Everything runs in Pillow's C operations, so a
2560x1800 pair takes a few tens of milliseconds.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageColor, ImageDraw

from flows.overlay import MARK_COLOUR

DIFF_RED = (*ImageColor.getrgb(MARK_COLOUR), 255)
FRAME_COLOUR = (255, 0, 170, 255)  # magenta: stands apart from the red changes and the red target frames
FRAME_WIDTH = 6
FRAME_PADDING = 12


@dataclass(frozen=True)
class Diff:
    """How two screenshots differ. ``bbox`` is (left, top, right, bottom) of the changes."""

    changed: bool
    changed_ratio: float
    size_mismatch: bool
    bbox: tuple[int, int, int, int] | None
    changed_pixels: int = 0
    size: tuple[int, int] = (0, 0)


def _load(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGBA")


def _on_canvas(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` at the top left of a transparent canvas of ``size`` (outside: all changed)."""
    if image.size == size:
        return image
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    canvas.paste(image, (0, 0))
    return canvas


def _change_mask(expected: Image.Image, actual: Image.Image, channel_threshold: int) -> Image.Image:
    """An "L" mask of ``actual``'s size: 255 where a pixel changed, 0 elsewhere."""
    expected = _on_canvas(expected, actual.size)
    difference = ImageChops.difference(expected, actual)
    # Per channel: 255 above the threshold; then a pixel is changed when any channel is.
    table = [255 if value > channel_threshold else 0 for value in range(256)]
    channels = [band.point(table) for band in difference.split()]
    mask = channels[0]
    for band in channels[1:]:
        mask = ImageChops.lighter(mask, band)
    return mask


def _diff(expected: Image.Image, actual: Image.Image, mask: Image.Image, tolerance: float) -> Diff:
    changed_pixels = mask.histogram()[255]
    total = actual.width * actual.height
    ratio = changed_pixels / total if total else 0.0
    size_mismatch = expected.size != actual.size
    return Diff(
        changed=size_mismatch or ratio > tolerance,
        changed_ratio=1.0 if size_mismatch else ratio,
        size_mismatch=size_mismatch,
        bbox=mask.getbbox(),
        changed_pixels=changed_pixels,
        size=actual.size,
    )


def compare(expected: Path, actual: Path, tolerance: float = 0.001, channel_threshold: int = 16) -> Diff:
    """Compare two PNGs: changed when more than ``tolerance`` of the pixels differ, or the size."""
    before, after = _load(expected), _load(actual)
    if before.size != after.size:
        return Diff(changed=True, changed_ratio=1.0, size_mismatch=True, bbox=(0, 0, *after.size),
                    changed_pixels=after.width * after.height, size=after.size)
    return _diff(before, after, _change_mask(before, after, channel_threshold), tolerance)


def write_diff_image(expected: Path, actual: Path, out: Path, channel_threshold: int = 16,
                     tolerance: float = 0.001) -> Diff:
    """Write ``actual`` dimmed, its changed pixels red and the changed area framed, to ``out``.

    With different sizes, whatever lies outside the expected image counts as changed.
    Returns the comparison it drew.
    """
    before, after = _load(expected), _load(actual)
    mask = _change_mask(before, after, channel_threshold)
    # Dim: grey version of the new shot, faded towards white so the red stands out.
    grey = after.convert("L").point(lambda value: 150 + value * 105 // 255)
    picture = Image.merge("RGBA", (grey, grey, grey, Image.new("L", after.size, 255)))
    picture.paste(Image.new("RGBA", after.size, DIFF_RED), (0, 0), mask)
    diff = _diff(before, after, mask, tolerance)
    if diff.bbox:
        left, top, right, bottom = diff.bbox
        frame = (
            max(left - FRAME_PADDING, 0),
            max(top - FRAME_PADDING, 0),
            min(right + FRAME_PADDING, after.width) - 1,
            min(bottom + FRAME_PADDING, after.height) - 1,
        )
        ImageDraw.Draw(picture).rectangle(frame, outline=FRAME_COLOUR, width=FRAME_WIDTH)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    picture.convert("RGB").save(out, optimize=False, compress_level=6)
    return diff
