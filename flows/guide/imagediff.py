"""Compare two screenshots the way a reader would: rendering noise passes, any real change fails.

1. Pixels whose colours differ by more than ``threshold`` in pixelmatch's perceptual YIQ
   distance are *mismatches* (mapbox/pixelmatch is the reference; this is its algorithm over
   numpy, checked against the ``pixelmatch`` package in the tests).
2. A mismatch that pixelmatch's detector calls anti-aliasing (an intensity step between a
   darker and a brighter neighbour that both sit in flat colour, in both shots) is *noise*.
   A pixel in flat colour in both shots that differs at all is a mismatch however faint: noise
   lives on edges, a flat area changing colour is the portal changing colour.
3. The remaining mismatches are grouped into *regions* (mismatches in the same or touching
   CELL x CELL cells join, so one word is one region). A region fails the scene when it is
   the size of a glyph or more: ``min_pixels`` changed pixels. Smaller regions are *near
   misses*: reported, never failing. The thresholds are pixels and sizes, never a share of the image,
   so a renamed link in a large shot fails as surely as in a small one.

A difference in size is a change of its own (nothing else is compared). Byte-identical
images, the normal case on one machine, are recognised without decoding the pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageColor, ImageDraw

from flows.core.overlay import MARK_COLOUR

THRESHOLD = 0.1  # pixelmatch's default: the YIQ distance, 0..1, below which colours are "the same"
MAX_YIQ_DELTA = 35215  # the largest squared YIQ distance (black against white)
CELL = 8  # mismatches in the same or neighbouring 8x8 cells form one region
# The smallest glyph of the portal's smallest text (a '.' of 11 px type at device scale 2) covers
# about 16 pixels; the noise between two renderings leaves regions of 1-9 (measured on the guide).
MIN_PIXELS = 16

DIFF_RED = (*ImageColor.getrgb(MARK_COLOUR), 255)
NOISE_YELLOW = (255, 204, 0, 255)
FRAME_COLOUR = (255, 0, 170, 255)  # magenta: stands apart from the red changes and the red target frames
NEAR_MISS_COLOUR = (0, 120, 255, 255)
FRAME_WIDTH = 6
FRAME_PADDING = 12


@dataclass(frozen=True)
class Region:
    """One group of changed pixels. ``box`` is (left, top, right, bottom), right/bottom exclusive."""

    box: tuple[int, int, int, int]
    pixels: int
    fails: bool

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    def describe(self) -> str:
        """'48x22 px at (310, 402), 517 changed pixels'."""
        return f"{self.width}x{self.height} px at ({self.box[0]}, {self.box[1]}), {self.pixels} changed pixels"


@dataclass(frozen=True)
class Diff:
    """How a new shot differs from the committed one."""

    expected_size: tuple[int, int]
    actual_size: tuple[int, int]
    regions: tuple[Region, ...] = ()
    noise_pixels: int = 0  # mismatches recognised as anti-aliasing
    identical: bool = False

    @property
    def size_changed(self) -> bool:
        return self.expected_size != self.actual_size

    @property
    def failing(self) -> tuple[Region, ...]:
        return tuple(region for region in self.regions if region.fails)

    @property
    def near_misses(self) -> tuple[Region, ...]:
        return tuple(region for region in self.regions if not region.fails)

    @property
    def changed(self) -> bool:
        return self.size_changed or bool(self.failing)

    @property
    def changed_pixels(self) -> int:
        return sum(region.pixels for region in self.regions)

    def summary(self) -> str:
        """One line for the terminal."""
        if self.size_changed:
            return f"size {_size(self.expected_size)} -> {_size(self.actual_size)}"
        if self.failing:
            biggest = max(self.failing, key=lambda region: region.pixels)
            more = f" (+{len(self.failing) - 1} more)" if len(self.failing) > 1 else ""
            return f"{len(self.failing)} changed region(s), largest {biggest.describe()}{more}"
        if self.near_misses:
            return f"unchanged; {len(self.near_misses)} near miss(es) below a glyph, {self.noise_pixels} anti-aliasing pixels"
        return "identical" if self.identical else f"unchanged; {self.noise_pixels} anti-aliasing pixels"


def _size(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def load(path: Path) -> np.ndarray:
    """The image as an (height, width, 4) uint8 RGBA array."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGBA"))


def _blended(pixels: np.ndarray) -> np.ndarray:
    """RGB as float64, semi-transparent pixels blended with white (as pixelmatch does)."""
    rgb = pixels[..., :3].astype(np.float64)
    alpha = pixels[..., 3:4].astype(np.float64) / 255.0
    return np.where(alpha < 1.0, 255.0 + (rgb - 255.0) * alpha, rgb)


def _luma(pixels: np.ndarray) -> np.ndarray:
    rgb = _blended(pixels)
    return rgb[..., 0] * 0.29889531 + rgb[..., 1] * 0.58662247 + rgb[..., 2] * 0.11448223


def yiq_delta(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """pixelmatch's squared YIQ distance between two arrays of RGBA pixels (0 .. 35215)."""
    a, b = _blended(first), _blended(second)
    d = a - b
    y = d[..., 0] * 0.29889531 + d[..., 1] * 0.58662247 + d[..., 2] * 0.11448223
    i = d[..., 0] * 0.59597799 - d[..., 1] * 0.27417610 - d[..., 2] * 0.32180189
    q = d[..., 0] * 0.21147017 - d[..., 1] * 0.52261711 + d[..., 2] * 0.31114694
    return 0.5053 * y * y + 0.299 * i * i + 0.1957 * q * q


def _words(image: np.ndarray) -> np.ndarray:
    """An RGBA array as one uint32 per pixel (height, width): equal words are equal pixels."""
    return np.ascontiguousarray(image).view(np.uint32)[..., 0]


# The 8 neighbours in pixelmatch's order (x outer, y inner): ties keep the first one found.
_NEIGHBOURS = tuple((dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx, dy) != (0, 0))


def _on_border(ys: np.ndarray, xs: np.ndarray, height: int, width: int) -> np.ndarray:
    return (xs == 0) | (xs == width - 1) | (ys == 0) | (ys == height - 1)


def _has_many_siblings(image: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """Per pixel: 3 or more of its neighbours (a border counts as one) have exactly its colour."""
    height, width = image.shape[:2]
    words = _words(image).reshape(-1)  # one uint32 per pixel: one comparison per neighbour
    count = _on_border(ys, xs, height, width).astype(np.int8)
    centre = words[ys * width + xs]
    for dx, dy in _NEIGHBOURS:
        nx, ny = xs + dx, ys + dy
        inside = (nx >= 0) & (nx < width) & (ny >= 0) & (ny < height)
        count += inside & (words[np.clip(ny, 0, height - 1) * width + np.clip(nx, 0, width - 1)] == centre)
    return count > 2


def _antialiased(image: np.ndarray, other: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """pixelmatch's anti-aliasing detector for the pixels (ys, xs) of ``image``."""
    height, width = image.shape[:2]
    zeroes = _on_border(ys, xs, height, width).astype(np.int8)
    centre = _luma(image[ys, xs])
    darkest = np.zeros(len(ys))
    brightest = np.zeros(len(ys))
    dark_x, dark_y = np.zeros_like(xs), np.zeros_like(ys)
    bright_x, bright_y = np.zeros_like(xs), np.zeros_like(ys)
    for dx, dy in _NEIGHBOURS:
        nx, ny = xs + dx, ys + dy
        inside = (nx >= 0) & (nx < width) & (ny >= 0) & (ny < height)
        nx, ny = np.clip(nx, 0, width - 1), np.clip(ny, 0, height - 1)
        delta = centre - _luma(image[ny, nx])
        zero = inside & (delta == 0)
        zeroes += zero
        darker = inside & ~zero & (delta < darkest)
        brighter = inside & ~zero & ~darker & (delta > brightest)
        darkest = np.where(darker, delta, darkest)
        dark_x, dark_y = np.where(darker, nx, dark_x), np.where(darker, ny, dark_y)
        brightest = np.where(brighter, delta, brightest)
        bright_x, bright_y = np.where(brighter, nx, bright_x), np.where(brighter, ny, bright_y)
    result = (zeroes <= 2) & (darkest != 0) & (brightest != 0)  # an intensity slope: maybe anti-aliasing
    slope = np.flatnonzero(result)
    dark_y, dark_x, bright_y, bright_x = dark_y[slope], dark_x[slope], bright_y[slope], bright_x[slope]
    flat_dark = _has_many_siblings(image, dark_y, dark_x) & _has_many_siblings(other, dark_y, dark_x)
    flat_bright = _has_many_siblings(image, bright_y, bright_x) & _has_many_siblings(other, bright_y, bright_x)
    result[slope] = flat_dark | flat_bright
    return result


def mismatches(expected: np.ndarray, actual: np.ndarray, threshold: float = THRESHOLD, flat_changes: bool = True):
    """(changed, noise): (ys, xs) of the pixels that changed, and of those that are anti-aliasing.

    Same-size RGBA arrays. Without ``flat_changes`` this is pixelmatch with includeAA=False:
    its red pixels (changed) and yellow ones (noise). With it (the default), a pixel that sits
    in flat colour in both shots and differs at all is changed too, however faint: rendering
    noise lives on edges, so a flat area that changes colour is the portal changing colour.
    """
    width = expected.shape[1]
    ys, xs = np.divmod(np.flatnonzero(_words(expected) != _words(actual)), width)
    over = yiq_delta(expected[ys, xs], actual[ys, xs]) > MAX_YIQ_DELTA * threshold * threshold
    noise = np.zeros(len(ys), dtype=bool)
    noise[over] = _antialiased(expected, actual, ys[over], xs[over]) | _antialiased(
        actual, expected, ys[over], xs[over]
    )
    changed = over & ~noise
    if flat_changes:
        faint = ~over
        changed[faint] = _has_many_siblings(expected, ys[faint], xs[faint]) & _has_many_siblings(
            actual, ys[faint], xs[faint]
        )
    return (ys[changed], xs[changed]), (ys[noise], xs[noise])


def regions(ys: np.ndarray, xs: np.ndarray, min_pixels: int = MIN_PIXELS) -> tuple[Region, ...]:
    """Group changed pixels: pixels in the same or touching CELL x CELL cells are one region."""
    if len(ys) == 0:
        return ()
    columns = int(xs.max()) // CELL + 3  # a cell's key is row * columns + column; +3 keeps neighbours apart
    keys, members = np.unique((ys // CELL) * columns + xs // CELL, return_inverse=True)
    members = members.reshape(-1)
    cells = np.stack(np.divmod(keys, columns), axis=1)
    index = {(int(r), int(c)): n for n, (r, c) in enumerate(cells)}
    label = [-1] * len(cells)
    groups = 0
    for start in range(len(cells)):
        if label[start] >= 0:
            continue
        label[start] = groups
        todo = [start]
        while todo:
            row, col = cells[todo.pop()]
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    other = index.get((int(row) + dr, int(col) + dc))
                    if other is not None and label[other] < 0:
                        label[other] = groups
                        todo.append(other)
        groups += 1
    pixel_group = np.asarray(label)[members]
    counts = np.bincount(pixel_group, minlength=groups)
    edges = []
    for values, reduce, start in (
        (xs, np.minimum, np.iinfo(np.int64).max),
        (ys, np.minimum, np.iinfo(np.int64).max),
        (xs, np.maximum, -1),
        (ys, np.maximum, -1),
    ):
        edge = np.full(groups, start, dtype=np.int64)
        reduce.at(edge, pixel_group, values)
        edges.append(edge)
    left, top, right, bottom = edges
    found = [
        Region(
            box=(int(left[g]), int(top[g]), int(right[g]) + 1, int(bottom[g]) + 1),
            pixels=int(counts[g]),
            fails=bool(counts[g] >= min_pixels),
        )
        for g in range(groups)
    ]
    return tuple(sorted(found, key=lambda region: (region.box[1], region.box[0])))


@dataclass
class Comparison:
    """A Diff plus the pixels it was made from (to draw the diff image)."""

    diff: Diff
    expected: np.ndarray | None = None
    actual: np.ndarray | None = None
    changed: tuple[np.ndarray, np.ndarray] | None = None
    noise: tuple[np.ndarray, np.ndarray] | None = None


def _png_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def compare_files(
    expected: Path, actual: Path, threshold: float = THRESHOLD, min_pixels: int = MIN_PIXELS
) -> Comparison:
    """Compare two PNG files (see the module's docstring)."""
    if Path(expected).read_bytes() == Path(actual).read_bytes():
        size = _png_size(actual)
        return Comparison(Diff(size, size, identical=True))
    before, after = load(expected), load(actual)
    return compare_arrays(before, after, threshold, min_pixels)


def compare_arrays(
    before: np.ndarray, after: np.ndarray, threshold: float = THRESHOLD, min_pixels: int = MIN_PIXELS
) -> Comparison:
    """Compare two RGBA arrays (see the module's docstring)."""
    expected_size, actual_size = (before.shape[1], before.shape[0]), (after.shape[1], after.shape[0])
    if expected_size != actual_size:
        return Comparison(Diff(expected_size, actual_size), before, after)
    changed, noise = mismatches(before, after, threshold)
    diff = Diff(
        expected_size,
        actual_size,
        regions(*changed, min_pixels=min_pixels),
        noise_pixels=len(noise[0]),
        identical=bool(np.array_equal(before, after)),
    )
    return Comparison(diff, before, after, changed, noise)


def compare(expected: Path, actual: Path, **options) -> Diff:
    """The Diff of two PNG files."""
    return compare_files(expected, actual, **options).diff


def _frame(draw: ImageDraw.ImageDraw, box, size, colour, width: int) -> None:
    left, top, right, bottom = box
    draw.rectangle(
        (
            max(left - FRAME_PADDING, 0),
            max(top - FRAME_PADDING, 0),
            min(right + FRAME_PADDING, size[0]) - 1,
            min(bottom + FRAME_PADDING, size[1]) - 1,
        ),
        outline=colour,
        width=width,
    )


def diff_image(comparison: Comparison) -> Image.Image:
    """The new shot dimmed to grey, changed pixels red, anti-aliasing yellow, regions framed.

    Failing regions get a thick magenta frame, near misses a thin blue one. With different
    sizes the new shot is shown dimmed and framed whole.
    """
    after = comparison.actual
    if after is None:
        raise ValueError("identical images have no diff image")
    grey = (np.asarray(Image.fromarray(after, "RGBA").convert("L"), dtype=np.uint16) * 105 // 255 + 150).astype(
        np.uint8
    )
    canvas = np.dstack([grey, grey, grey, np.full_like(grey, 255)])
    if comparison.noise is not None:
        canvas[comparison.noise] = NOISE_YELLOW
    if comparison.changed is not None:
        canvas[comparison.changed] = DIFF_RED
    picture = Image.fromarray(canvas, "RGBA")
    draw = ImageDraw.Draw(picture)
    diff = comparison.diff
    if diff.size_changed:
        _frame(draw, (0, 0, *diff.actual_size), diff.actual_size, FRAME_COLOUR, FRAME_WIDTH)
    for region in diff.regions:
        if region.fails:
            _frame(draw, region.box, diff.actual_size, FRAME_COLOUR, FRAME_WIDTH)
        else:
            _frame(draw, region.box, diff.actual_size, NEAR_MISS_COLOUR, 2)
    return picture.convert("RGB")


def write_diff_image(expected: Path, actual: Path, out: Path, **options) -> Diff:
    """Compare two PNGs and write their diff image (see diff_image) to ``out``; return the Diff."""
    comparison = compare_files(expected, actual, **options)
    if comparison.actual is None:
        comparison = compare_arrays(load(expected), load(actual), **options)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    diff_image(comparison).save(out, optimize=False, compress_level=6)
    return comparison.diff
