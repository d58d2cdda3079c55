"""What the guide and the demo draw on a page: red frames around targets, a caption box.

Drawn as our own absolutely positioned elements (tagged ``data-sesag-overlay``) so the
portal's layout does not move, and removed again before anything else happens on the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

MARK_COLOUR = "#e30613"  # the red of the official guides' frames
FRAME_PADDING = 4

_DRAW_FRAME = """([box, colour, pad]) => {
  const frame = document.createElement('div');
  frame.dataset.sesagOverlay = 'mark';
  Object.assign(frame.style, {
    position: 'absolute', zIndex: 2147483647, pointerEvents: 'none', boxSizing: 'border-box',
    left: (box.x + window.scrollX - pad) + 'px', top: (box.y + window.scrollY - pad) + 'px',
    width: (box.width + 2 * pad) + 'px', height: (box.height + 2 * pad) + 'px',
    border: '3px solid ' + colour, borderRadius: '3px',
  });
  document.body.appendChild(frame);
}"""

# A numbered badge on the frame's top-left corner: the order of the clicks when a scene has more
# than one (Trin 3: the search, then the pencil).
MARKER_SIZE = 24

_DRAW_MARKER = """([box, colour, pad, size, number]) => {
  const badge = document.createElement('div');
  badge.dataset.sesagOverlay = 'marker';
  badge.textContent = String(number);
  Object.assign(badge.style, {
    position: 'absolute', zIndex: 2147483647, pointerEvents: 'none', boxSizing: 'border-box',
    left: (box.x + window.scrollX - pad - size / 2) + 'px', top: (box.y + window.scrollY - pad - size / 2) + 'px',
    width: size + 'px', height: size + 'px', borderRadius: '50%', border: '2px solid #fff',
    background: colour, color: '#fff', textAlign: 'center', lineHeight: (size - 4) + 'px',
    font: 'bold 14px Arial, "Liberation Sans", sans-serif', boxShadow: '0 1px 3px rgba(0,0,0,.35)',
  });
  document.body.appendChild(badge);
}"""

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
    frame in the order given. Returns per target its box and the outer box of its frame and
    badge, in viewport CSS px after the last scroll (dicts with x, y, width, height).
    """
    numbered = len(targets) > 1 if numbered is None else numbered
    for target in targets:
        target.scroll_into_view_if_needed()
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
        if numbered:
            page.evaluate(_DRAW_MARKER, [box, MARK_COLOUR, FRAME_PADDING, MARKER_SIZE, number])
            half = MARKER_SIZE / 2
            outer = {
                "x": outer["x"] - half,
                "y": outer["y"] - half,
                "width": outer["width"] + half,
                "height": outer["height"] + half,
            }
        drawn.append({"box": box, "outer": outer})
    return drawn


def show_caption(page: Page, title: str, text: str) -> None:
    """Show a caption box (title and text) at the bottom of the viewport."""
    clear(page, "caption")
    page.evaluate(_DRAW_CAPTION, [title, text])


def clear(page: Page, kind: str | None = None) -> None:
    """Remove the frames and captions we drew (only ``kind`` when given)."""
    page.evaluate(_CLEAR, kind)
