"""The magnified details of a scene: the framed targets and their surroundings, cut from its shot.

A guide page shows the whole portal page (where) and beside it each detail at about twice
the shot's size (what). Targets close together share one detail; targets far apart (the tick
box and 'Gem rettigheder') get one each. Details are cut from the PNG the guide already took,
so they are the same pixels, and are saved beside it as ``<scene>.detail-<n>.png``.

A detail's edges never cut a line of text: given the page's text boxes (each line of text, each
field and icon), an edge that would cut one moves out to take it in whole, with PADDING to
spare, or, when that would make the detail too big, in to leave it out. A target may bring
context that its detail must show (the employee's name on the pencil's row, 'Nøgle nr.').
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from PIL import Image

from flows.core.geometry import Box

MAGNIFICATION = 2  # a detail is placed at this many times the full shot's scale ...
MAX_WIDTH = 490  # ... which fits it on the full shot's width up to this many CSS px (980 / 2)
MAX_HEIGHT = 230  # taller groups of targets are split into a detail per target
MARGIN_X, MARGIN_Y = 40, 26  # surroundings kept around the frames, CSS px
MIN_WIDTH = 260  # a lone small target (the pencil) still shows what is beside it
PADDING = 6  # CSS px kept between a detail's edge and the text it takes in
SNAP_STEPS = 40  # enough for every line near a detail's edges; a guard against going round


def _grow(box: Box, area: Box) -> Box:
    """``box`` with its surroundings (at least MIN_WIDTH wide), kept inside ``area``."""
    width = min(area.width, max(box.width + 2 * MARGIN_X, MIN_WIDTH))
    height = min(area.height, box.height + 2 * MARGIN_Y)
    x = min(max(area.x, box.x + box.width / 2 - width / 2), area.right - width)
    y = min(max(area.y, box.y + box.height / 2 - height / 2), area.bottom - height)
    return Box(round(x), round(y), round(width), round(height))


def _clean_edge(crop: Box, texts: list[Box], side: str, start: float) -> float:
    """Where ``side`` of ``crop`` can go, from ``start`` inwards, without crossing a text box."""
    position = start
    for _ in range(len(texts) + 1):
        if side in ("top", "bottom"):
            across = [t for t in texts if t.x < crop.right and crop.x < t.right and t.y < position < t.bottom]
        else:
            across = [t for t in texts if t.y < crop.bottom and crop.y < t.bottom and t.x < position < t.right]
        if not across:
            break
        if side == "top":
            position = math.ceil(max(t.bottom for t in across))
        elif side == "bottom":
            position = math.floor(min(t.y for t in across))
        elif side == "left":
            position = math.ceil(max(t.right for t in across))
        else:
            position = math.floor(min(t.x for t in across))
    return position


def _snap(crop: Box, keep: Box, area: Box, texts: list[Box]) -> Box:
    """``crop`` with no edge cutting a text box: each cut one that is mostly inside is taken in
    (PADDING around it) while the crop stays within its size limits; one mostly outside, or too
    big, is left out by moving one edge in to a line clear of text; ``keep`` stays inside. A text
    that cannot be left out without cutting ``keep`` is taken in."""
    limit_width = max(MAX_WIDTH, keep.width + 2 * MARGIN_X)
    limit_height = max(MAX_HEIGHT, keep.height + 2 * MARGIN_Y)
    for _ in range(SNAP_STEPS):
        cut = next((text for text in texts if crop.cuts(text)), None)
        if cut is None:
            break
        grown = (crop.union(cut).clipped(area) or crop).outward()
        fits = grown.width <= limit_width and grown.height <= limit_height and not grown.cuts(cut)
        inside = cut.clipped(crop)
        mostly_in = inside is not None and inside.width * inside.height * 3 >= 2 * cut.width * cut.height
        if fits and mostly_in:
            crop = grown
            continue
        # Mostly outside, or too big to take in: move the one edge that leaves it out and loses the least.
        left = _clean_edge(crop, texts, "left", math.ceil(cut.right))
        top = _clean_edge(crop, texts, "top", math.ceil(cut.bottom))
        right = _clean_edge(crop, texts, "right", math.floor(cut.x))
        bottom = _clean_edge(crop, texts, "bottom", math.floor(cut.y))
        candidates = [
            Box(left, crop.y, crop.right - left, crop.height),
            Box(crop.x, top, crop.width, crop.bottom - top),
            Box(crop.x, crop.y, right - crop.x, crop.height),
            Box(crop.x, crop.y, crop.width, bottom - crop.y),
        ]
        fitting = [c for c in candidates if c.width > 0 and c.height > 0 and c.contains(keep) and not c.cuts(cut)]
        if fitting:
            crop = max(fitting, key=lambda c: c.width * c.height)
            continue
        if fits:
            crop = grown
            continue
        # The text reaches into what the detail must show: take it in, and let the detail be that big.
        crop = grown
        limit_width, limit_height = max(limit_width, grown.width), max(limit_height, grown.height)
    return crop


def plan(
    targets: list[Box], area: Box, context: list[list[Box]] | None = None, texts: list[Box] | tuple[Box, ...] = ()
) -> list[Box]:
    """The detail crops for ``targets`` (frames, in the same coordinates as ``area``).

    ``context``: per target, boxes its detail must show too. ``texts``: the page's text boxes
    (lines, fields, icons), none of which a crop's edge may cut. Targets in the order given
    (with their context); each next one joins the current detail while the two still fit
    MAX_WIDTH x MAX_HEIGHT, else starts a detail of its own.
    """
    context = context or [[] for _ in targets]
    wanted = []
    for target, extra in zip(targets, context, strict=True):
        for box in extra:
            target = target.union(box)
        wanted.append(target)
    groups: list[Box] = []
    for target in wanted:
        if groups:
            joined = groups[-1].union(target)
            if joined.width + 2 * MARGIN_X <= MAX_WIDTH and joined.height + 2 * MARGIN_Y <= MAX_HEIGHT:
                groups[-1] = joined
                continue
        groups.append(target)
    # Each text with PADDING around it: an edge keeps that far from the text on either side.
    lines = [clipped.padded(PADDING) for text in texts if (clipped := text.clipped(area)) is not None]
    return [_snap(_grow(group, area), group.clipped(area) or group, area, lines) for group in groups]


def detail_path(shot: Path, number: int) -> Path:
    """Where detail ``number`` (from 1) of ``shot`` is saved."""
    return shot.with_name(f"{shot.stem}.detail-{number}.png")


def is_detail(path: Path) -> bool:
    """Whether ``path`` is named as a detail (``<scene>.detail-N.png``), not a scene's shot."""
    return re.search(r"\.detail-\d+\.png$", path.name) is not None


def details_of(shot: Path) -> list[Path]:
    """The details saved beside ``shot``, in order."""
    found = []
    while (path := detail_path(shot, len(found) + 1)).is_file():
        found.append(path)
    return found


def cut(shot: Path, crops: list[Box], css_width: float) -> list[Path]:
    """Save each crop (CSS px of ``shot``, which is ``css_width`` CSS px wide) beside ``shot``."""
    paths = []
    with Image.open(shot) as image:
        scale = image.width / css_width
        for number, crop in enumerate(crops, start=1):
            pixels = tuple(round(v * scale) for v in (crop.x, crop.y, crop.right, crop.bottom))
            path = detail_path(shot, number)
            image.crop(pixels).save(path, optimize=False)
            paths.append(path)
    return paths
