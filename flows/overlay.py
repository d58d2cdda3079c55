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


def mark(page: "Page", targets: list["Locator"]) -> None:
    """Frame each target in red (scrolling it into view first)."""
    for target in targets:
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        if box is None:
            raise LookupError(f"cannot mark {target}: it is not visible")
        page.evaluate(_DRAW_FRAME, [box, MARK_COLOUR, FRAME_PADDING])


def show_caption(page: "Page", title: str, text: str) -> None:
    """Show a caption box (title and text) at the bottom of the viewport."""
    clear(page, "caption")
    page.evaluate(_DRAW_CAPTION, [title, text])


def clear(page: "Page", kind: str | None = None) -> None:
    """Remove the frames and captions we drew (only ``kind`` when given)."""
    page.evaluate(_CLEAR, kind)
