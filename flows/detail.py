"""The magnified details of a scene: the framed targets and their surroundings, cut from its shot.

A guide page shows the whole portal page (where) and beside it each detail at about twice
the shot's size (what). Targets close together share one detail; targets far apart (the tick
box and 'Gem rettigheder') get one each. Details are cut from the PNG the guide already took,
so they are the same pixels, and are saved beside it as ``<scene>.detail-<n>.png``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

MAGNIFICATION = 2  # a detail is placed at this many times the full shot's scale ...
MAX_WIDTH = 490  # ... which fits it on the full shot's width up to this many CSS px (980 / 2)
MAX_HEIGHT = 230  # taller groups of targets are split into a detail per target
MARGIN_X, MARGIN_Y = 40, 26  # surroundings kept around the frames, CSS px
MIN_WIDTH = 260  # a lone small target (the pencil) still shows what is beside it


@dataclass(frozen=True)
class Box:
    """A rectangle in CSS px."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def union(self, other: Box) -> Box:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Box(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)

    def contains(self, other: Box) -> bool:
        return (
            self.x <= other.x + 0.5
            and self.y <= other.y + 0.5
            and other.right <= self.right + 0.5
            and other.bottom <= self.bottom + 0.5
        )

    def moved(self, dx: float, dy: float) -> Box:
        return Box(self.x + dx, self.y + dy, self.width, self.height)


def _grow(box: Box, area: Box) -> Box:
    """``box`` with its surroundings (at least MIN_WIDTH wide), kept inside ``area``."""
    width = min(area.width, max(box.width + 2 * MARGIN_X, MIN_WIDTH))
    height = min(area.height, box.height + 2 * MARGIN_Y)
    x = min(max(area.x, box.x + box.width / 2 - width / 2), area.right - width)
    y = min(max(area.y, box.y + box.height / 2 - height / 2), area.bottom - height)
    return Box(round(x), round(y), round(width), round(height))


def plan(targets: list[Box], area: Box) -> list[Box]:
    """The detail crops for ``targets`` (frames, in the same coordinates as ``area``).

    Targets in the order given; each next one joins the current detail while the two still
    fit MAX_WIDTH x MAX_HEIGHT, else starts a detail of its own.
    """
    groups: list[Box] = []
    for target in targets:
        if groups:
            joined = groups[-1].union(target)
            if joined.width + 2 * MARGIN_X <= MAX_WIDTH and joined.height + 2 * MARGIN_Y <= MAX_HEIGHT:
                groups[-1] = joined
                continue
        groups.append(target)
    return [_grow(group, area) for group in groups]


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
