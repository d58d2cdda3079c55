"""Make a page hold still before a screenshot, so two runs give the same bytes.

What made runs differ: text in form fields drawn with the system's font (fixed in the portal's
CSS), and what a screenshot can catch mid-way: a web font still loading, the focus ring and caret
of the field just typed in, a frame not yet painted after the last change.
"""

from __future__ import annotations

_SETTLE = """async () => {
  await document.fonts.ready;
  const focused = document.activeElement;
  if (focused && focused !== document.body) focused.blur();
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""


def settle(page) -> None:
    """Wait for the fonts, drop the focus (ring and caret), and let two frames paint."""
    page.evaluate(_SETTLE)
