"""What the guide and the demo draw on a page: red frames around targets, a caption box.

Drawn as our own absolutely positioned elements (tagged ``data-sesag-overlay``) so the
portal's layout does not move, and removed again before anything else happens on the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flows.core.geometry import Box

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

MARK_COLOUR = "#e30613"  # the red of the official guides' frames
MASK_COLOUR = "#d0d4d9"  # what covers a secret in a screenshot (the guide's and the demo's)
FRAME_BORDER = 3
FRAME_GAP = 4  # white space between the frame's inner edge and its target
FRAME_PADDING = FRAME_BORDER + FRAME_GAP  # from the target's edge to the frame's outer edge

_DRAW_FRAME = """([box, colour, pad]) => {
  const frame = document.createElement('div');
  frame.dataset.sesagOverlay = 'mark';
  Object.assign(frame.style, {
    position: 'absolute', zIndex: 2147483647, pointerEvents: 'none', boxSizing: 'border-box',
    left: (box.x + window.scrollX - pad) + 'px', top: (box.y + window.scrollY - pad) + 'px',
    width: (box.width + 2 * pad) + 'px', height: (box.height + 2 * pad) + 'px',
    border: '3px solid ' + colour, borderRadius: '4px',
  });
  document.body.appendChild(frame);
}"""

# A numbered badge on the frame's top-left corner: the order of the clicks when a scene has more
# than one (Trin 3: the search, then the pencil).
MARKER_SIZE = 24

_DRAW_MARKER = """([at, colour, size, number]) => {
  const badge = document.createElement('div');
  badge.dataset.sesagOverlay = 'marker';
  badge.textContent = String(number);
  Object.assign(badge.style, {
    position: 'absolute', zIndex: 2147483647, pointerEvents: 'none', boxSizing: 'border-box',
    left: (at.x + window.scrollX) + 'px', top: (at.y + window.scrollY) + 'px',
    width: size + 'px', height: size + 'px', borderRadius: '50%', border: '2px solid #fff',
    background: colour, color: '#fff', textAlign: 'center', lineHeight: (size - 4) + 'px',
    font: 'bold 14px Arial, "Liberation Sans", sans-serif', boxShadow: '0 1px 3px rgba(0,0,0,.35)',
  });
  document.body.appendChild(badge);
}"""

# Every line of text on the page (a text node's line boxes), and every field, button and picture:
# what a badge must not cover and a detail's edge must not cut. Viewport CSS px [x, y, w, h].
# checkVisibility: the content of a closed <details> keeps its layout boxes, unpainted.
_TEXT_BOXES = """() => {
  const boxes = [];
  const shown = (el) => !el.closest('[data-sesag-overlay]') && el.checkVisibility({ visibilityProperty: true });
  const keep = (node) => node.textContent.trim() && shown(node.parentElement)
    ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, { acceptNode: keep });
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) boxes.push([r.x, r.y, r.width, r.height]);
  }
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, img, svg')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) boxes.push([r.x, r.y, r.width, r.height]);
  }
  return boxes;
}"""


def text_boxes(page: Page) -> list[Box]:
    """Every line of text, field, button and picture on the page, in viewport CSS px."""
    return [Box(*box) for box in page.evaluate(_TEXT_BOXES)]


def overlaps(one: Box, other: Box) -> bool:
    return one.overlaps(other)


def place_badge(frame: Box, texts: list[Box], viewport: Box) -> Box:
    """Where a numbered badge goes on ``frame`` (the frame's outer box): the top-left corner as
    the official guides have it, else beside the frame, wherever it covers no text of the
    target or a neighbour and stays in ``viewport``; failing all, where it covers least."""
    size, half, gap = MARKER_SIZE, MARKER_SIZE / 2, 2
    middle = frame.y + frame.height / 2 - half
    spots = [
        (frame.x - half, frame.y - half),  # on the top-left corner
        (frame.x - size - gap, middle),  # left of the frame
        (frame.x - size - gap, frame.y - half),  # left of the top-left corner
        (frame.right + gap, middle),  # right of the frame
        (frame.x - half, frame.bottom - half),  # on the bottom-left corner
        (frame.right - half, frame.y - half),  # on the top-right corner
        (frame.x - size - gap, frame.y - size - gap),  # above left, off the corner
    ]
    badges = [Box(x, y, size, size) for x, y in spots]
    inside = [badge for badge in badges if viewport.contains(badge)] or badges

    def covered(badge: Box) -> float:
        total = 0.0
        for text in texts:
            if (part := text.clipped(badge)) is not None:
                total += part.width * part.height
        return total

    return min(inside, key=lambda badge: (covered(badge) > 0, covered(badge), inside.index(badge)))


_DRAW_CAPTION = """([title, text]) => {
  const box = document.createElement('div');
  box.dataset.sesagOverlay = 'caption';
  box.setAttribute('role', 'note');
  box.setAttribute('aria-label', title);
  Object.assign(box.style, {
    position: 'fixed', left: '50%', bottom: '24px', transform: 'translateX(-50%)',
    zIndex: 2147483647, maxWidth: '760px', padding: '14px 20px', borderRadius: '6px',
    background: 'rgba(0, 40, 85, 0.94)', color: '#fff', pointerEvents: 'none',
    font: '16px/1.4 Arial, "Liberation Sans", sans-serif', boxShadow: '0 4px 16px rgba(0,0,0,.3)',
  });
  const heading = document.createElement('strong');
  heading.textContent = title;
  heading.style.display = 'block';
  heading.style.fontSize = '18px';
  const body = document.createElement('span');
  body.textContent = text;
  box.append(heading, body);
  document.body.appendChild(box);
}"""

_CLEAR = "(kind) => document.querySelectorAll(kind ? `[data-sesag-overlay=${kind}]` : '[data-sesag-overlay]').forEach(e => e.remove())"


def mark(page: Page, targets: list[Locator], numbered: bool | None = None) -> list[dict]:
    """Frame each target in red (scrolling it into view first); return what was drawn.

    ``numbered`` (default: when there is more than one target) adds a badge 1, 2, ... to each
    frame in the order given, placed where it covers no text (``place_badge``). Returns per
    target its box, the outer box of its frame and badge, and the badge's box (None without),
    in viewport CSS px after the last scroll (dicts with x, y, width, height).
    """
    numbered = len(targets) > 1 if numbered is None else numbered
    for target in targets:
        target.scroll_into_view_if_needed()
    texts = text_boxes(page) if numbered else []
    size = page.viewport_size or {"width": 1280, "height": 900}
    viewport = Box(0, 0, size["width"], size["height"])
    drawn = []
    for number, target in enumerate(targets, start=1):
        box = target.bounding_box()
        if box is None:
            raise LookupError(f"cannot mark {target}: it is not visible")
        page.evaluate(_DRAW_FRAME, [box, MARK_COLOUR, FRAME_PADDING])
        outer = {
            "x": box["x"] - FRAME_PADDING,
            "y": box["y"] - FRAME_PADDING,
            "width": box["width"] + 2 * FRAME_PADDING,
            "height": box["height"] + 2 * FRAME_PADDING,
        }
        badge = None
        if numbered:
            spot = place_badge(Box(**outer), texts, viewport)
            page.evaluate(_DRAW_MARKER, [{"x": spot.x, "y": spot.y}, MARK_COLOUR, MARKER_SIZE, number])
            badge = {"x": spot.x, "y": spot.y, "width": spot.width, "height": spot.height}
            joined = Box(**outer).union(spot)
            outer = {"x": joined.x, "y": joined.y, "width": joined.width, "height": joined.height}
        drawn.append({"box": box, "outer": outer, "badge": badge})
    return drawn


def show_caption(page: Page, title: str, text: str) -> None:
    """Show a caption box (title and text) at the bottom of the viewport."""
    clear(page, "caption")
    page.evaluate(_DRAW_CAPTION, [title, text])


def clear(page: Page, kind: str | None = None) -> None:
    """Remove the frames and captions we drew (only ``kind`` when given)."""
    page.evaluate(_CLEAR, kind)
