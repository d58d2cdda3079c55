"""Shooting the guide: walk Trin 1-5, frame each scene's targets in red, mask the secrets,
take the screenshot, unframe, and cut the magnified details from it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flows import first_line
from flows.core import failure, overlay, steady, steps
from flows.core.pages import PortalSheet
from flows.core.running import to_stderr
from flows.errors import ExitStatus, GuideError, StepFailed, exit_status_of
from flows.guide import detail, render

# Below the portal's content the guide keeps this much of the page (CSS px), then cuts.
CONTENT_PADDING = 16


@dataclass
class FramedTarget:
    """One framed target of a shot: its frame (with badge) and the height of its label.

    ``frame`` is in the shot's CSS px; ``label_px`` is the target's font size in CSS px, or
    its height when it has no text (a tick box, an icon).
    """

    frame: detail.Box
    label_px: float


@dataclass
class Shot:
    """One scene's screenshot: the full shot, the part of the viewport it is, its targets, details."""

    path: Path
    area: detail.Box
    targets: list[FramedTarget]
    crops: list[detail.Box]
    details: list[Path]
    text: str = ""  # the visible text in the shot
    marked: list[str] = field(default_factory=list)  # each target's name (its label, or its text)
    texts: list[detail.Box] = field(default_factory=list)  # lines of text, fields, icons (shot's CSS px)
    badges: list[detail.Box] = field(default_factory=list)  # the numbered badges drawn
    context: list[list[detail.Box]] = field(default_factory=list)  # per target, what its detail must show


# A target's name as a reader sees it: its label, else its accessible name or text.
_NAME = """(el) => {
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return (label || el.getAttribute('aria-label') || el.innerText || el.value || '').trim();
}"""

# The text of the page inside the shot's area (text nodes with a line box there), in order.
_TEXT_IN = """([x, y, w, h]) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || parent.closest('[data-sesag-overlay]')) continue;
    if (!parent.checkVisibility({ visibilityProperty: true })) continue;  // a closed <details>' content
    range.selectNodeContents(node);
    const inside = Array.from(range.getClientRects()).some(
      (r) => r.width > 0 && r.height > 0 && r.x < x + w && x < r.right && r.y < y + h && y < r.bottom);
    if (inside) found.push(node.textContent.trim());
  }
  return found.join(' ');
}"""

# A target's label height: its font size, or its height when it shows no text.
_LABEL_PX = """(el) => {
  const tick = el.matches('input[type=checkbox], input[type=radio]');
  const text = (el.innerText || el.value || '').trim();
  const field = el.matches('input, select, textarea');
  return !tick && (text || field) ? parseFloat(getComputedStyle(el).fontSize) : el.getBoundingClientRect().height;
}"""


def shot_area(page) -> detail.Box:
    """The part of the viewport a shot keeps: the portal's page, from its top to its content's end.

    Leaves out the grey desk on either side and, on short pages, the empty page and footer.
    """
    sheet = PortalSheet(page)
    box = sheet.sheet.bounding_box()
    viewport = page.viewport_size
    if box is None:  # not the portal's layout: the whole viewport
        return detail.Box(0, 0, viewport["width"], viewport["height"])
    content_end = sheet.columns.evaluate_all("els => Math.max(0, ...els.map(e => e.getBoundingClientRect().bottom))")
    top = max(0, round(box["y"]))
    bottom = min(viewport["height"], round(box["y"] + box["height"]), round(content_end) + CONTENT_PADDING)
    left = max(0, round(box["x"]))
    right = min(viewport["width"], round(box["x"] + box["width"]))
    return detail.Box(left, top, right - left, bottom - top)


def shoot(walk: steps.Walk, scene: steps.ActedScene, path: Path) -> Shot:
    """Frame (and number) the scene's targets, shoot the portal's page with secrets masked, unframe.

    Then cut the magnified details around the frames from the shot.
    """
    page = walk.page
    walk.login.hide_demo_hint()  # read already (the key is typed); no reader's portal shows it
    steady.settle(page)
    targets = scene.targets(walk)
    marked = [target.evaluate(_NAME) for target in targets]
    drawn = overlay.mark(page, targets)
    try:
        area = shot_area(page)
        text = page.evaluate(_TEXT_IN, [area.x, area.y, area.width, area.height])
        texts = [box.moved(-area.x, -area.y) for box in overlay.text_boxes(page)]
        context = []
        for extra in scene.context(walk):
            boxes = [box for locator in extra if (box := locator.bounding_box()) is not None]
            context.append([detail.Box(**box).moved(-area.x, -area.y) for box in boxes])
        page.screenshot(
            path=str(path),
            clip={"x": area.x, "y": area.y, "width": area.width, "height": area.height},
            animations="disabled",
            caret="hide",
            scale="device",
            mask=walk.login.secrets(),
            mask_color=overlay.MASK_COLOUR,
        )
        labels = [target.evaluate(_LABEL_PX) for target in targets]
    finally:
        overlay.clear(page)
    frames = [detail.Box(**d["outer"]).moved(-area.x, -area.y) for d in drawn]
    crops = detail.plan(frames, detail.Box(0, 0, area.width, area.height), context=context, texts=texts)
    badges = [detail.Box(**d["badge"]).moved(-area.x, -area.y) for d in drawn if d["badge"]]
    return Shot(
        path=path,
        area=area,
        targets=[FramedTarget(f, px) for f, px in zip(frames, labels, strict=False)],
        crops=crops,
        details=detail.cut(path, crops, area.width),
        text=text,
        marked=marked,
        texts=texts,
        badges=badges,
        context=context,
    )


def capture(
    page,
    base_url: str,
    credentials,
    folder: Path,
    employee: str = steps.DEFAULT_EMPLOYEE,
    right: str = "sagsbehandler",
    progress: Callable[[str], None] = to_stderr,
    taken: dict[str, Shot] | None = None,
    copies: render.Copies | None = None,
) -> dict[str, Path]:
    """Walk Trin 1-5 on ``page`` and save one PNG per scene (and its details) in ``folder``.

    ``taken``, when given, receives each scene's Shot (areas, targets, details); ``copies``
    begins each shot's document copies while the walk goes on.
    """
    walk = steps.Walk(page=page, base_url=base_url, credentials=credentials, employee=employee, right=right)
    shots: dict[str, Path] = {}
    total = len(steps.procedure())

    def on_scene(step: steps.Step, scene: steps.ActedScene, walk: steps.Walk) -> None:
        started = time.perf_counter()
        path = folder / f"{scene.id}.png"
        shot = shoot(walk, scene, path)
        shots[scene.id] = path
        if copies is not None:
            copies.start([path, *shot.details])
        if taken is not None:
            taken[scene.id] = shot
        progress(f"  Trin {step.number}/{total}  {scene.id:<22} {time.perf_counter() - started:5.2f} s")

    try:
        steps.run_procedure(walk, on_scene)
        held = walk.rights.is_held(right)
    except StepFailed as failed:
        raise GuideError(failure.explain(failed, page), failed.exit_status) from failed
    except Exception as exc:
        raise GuideError(f"Trin 5 (check) failed: {first_line(exc)}", exit_status_of(exc, ExitStatus.PORTAL)) from exc
    if not held:
        raise GuideError(
            f"Trin 5: after saving, {steps.right_label(right)} is not shown as held", ExitStatus.UNVERIFIED
        )
    return shots
