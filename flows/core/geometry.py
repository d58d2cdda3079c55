"""Rectangles on a page, in CSS px: where targets, frames, badges, text and details are."""

from __future__ import annotations

import math
from dataclasses import dataclass


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

    def overlaps(self, other: Box) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom

    def cuts(self, other: Box) -> bool:
        """Whether an edge of this box cuts ``other``: it is partly inside, partly outside."""
        return self.overlaps(other) and not self.contains(other)

    def padded(self, pad: float) -> Box:
        return Box(self.x - pad, self.y - pad, self.width + 2 * pad, self.height + 2 * pad)

    def clipped(self, area: Box) -> Box | None:
        """The part of this box inside ``area``, or None."""
        x, y = max(self.x, area.x), max(self.y, area.y)
        right, bottom = min(self.right, area.right), min(self.bottom, area.bottom)
        return Box(x, y, right - x, bottom - y) if right > x and bottom > y else None

    def outward(self) -> Box:
        """Rounded to whole px, outwards."""
        x, y = math.floor(self.x), math.floor(self.y)
        return Box(x, y, math.ceil(self.right) - x, math.ceil(self.bottom) - y)
