"""Regenerate the illustrated vejledning: run Trin 1-5, frame each target, shoot, render.

One code path: ``flows.steps.run_procedure`` walks the step catalogue; at each scene this
module frames the elements to click in red, hides secrets, takes the screenshot and removes
the frame; ``flows.render`` then writes HTML, PDF and Markdown from the same catalogue.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import click

from flows import detail, first_line, overlay, steps
from flows.embedded import credentials_for, portal_or_embedded

DEVICE_SCALE = 2  # sharp when printed
MASK_COLOUR = "#d0d4d9"
DEFAULT_OUT = Path("screenshots")
# Written beside the screenshots: what made them. Pixels depend on the browser build (text
# edges differ between Chromium builds), so --check names a different build when it fails.
MANIFEST = "guide.json"
# Below the portal's content the guide keeps this much of the page (CSS px), then cuts.
CONTENT_PADDING = 16


class GuideError(RuntimeError):
    """The guide could not be made; the message names the step."""


@dataclass
class GuideRun:
    """What one generation produced."""

    folder: Path
    shots: dict[str, Path]
    files: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    browser: str = ""
    scenes: dict[str, "Shot"] = field(default_factory=dict)


@dataclass
class Target:
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
    targets: list[Target]
    crops: list[detail.Box]
    details: list[Path]


def browser_build(browser) -> str:
    """'chromium 156.0.8078.108': the build whose pixels the screenshots are."""
    return f"{browser.browser_type.name} {browser.version}"


def write_manifest(folder: Path, browser: str) -> None:
    """Record what made the screenshots in ``folder`` (see MANIFEST)."""
    from flows import browser as browsers

    data = {
        "browser": browser,
        "viewport": browsers.VIEWPORT,
        "device_scale_factor": DEVICE_SCALE,
        "locale": browsers.LOCALE,
        "timezone": browsers.TIMEZONE,
    }
    (folder / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def committed_browser(folder: Path) -> str | None:
    """The browser build recorded beside committed screenshots, or None."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("browser")
    except (OSError, ValueError, AttributeError):
        return None


def browser_hint(run: GuideRun, committed: Path) -> str | None:
    """A line explaining a failed --check by a different browser build, or None."""
    made_with = committed_browser(committed)
    if not made_with or not run.browser or made_with == run.browser:
        return None
    return (f"The guide in {committed} was made with {made_with}; this run used {run.browser}. Text edges "
            "differ between browser builds: compare with the same build (SESAG_CHROMIUM), or regenerate.")


def _echo(message: str) -> None:
    click.echo(message, err=True)


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
    from flows.pages import PortalSheet

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


def shoot(walk: steps.Walk, scene: steps.Scene, path: Path) -> Shot:
    """Frame (and number) the scene's targets, shoot the portal's page with secrets masked, unframe.

    Then cut the magnified details around the frames from the shot.
    """
    page = walk.page
    targets = scene.targets(walk)
    drawn = overlay.mark(page, targets)
    try:
        area = shot_area(page)
        page.screenshot(
            path=str(path),
            clip={"x": area.x, "y": area.y, "width": area.width, "height": area.height},
            animations="disabled",
            caret="hide",
            scale="device",
            mask=walk.login.secrets(),
            mask_color=MASK_COLOUR,
        )
        labels = [target.evaluate(_LABEL_PX) for target in targets]
    finally:
        overlay.clear(page)
    frames = [detail.Box(**d["outer"]).moved(-area.x, -area.y) for d in drawn]
    crops = detail.plan(frames, detail.Box(0, 0, area.width, area.height))
    return Shot(path=path, area=area, targets=[Target(f, px) for f, px in zip(frames, labels)],
                crops=crops, details=detail.cut(path, crops, area.width))


def capture(
    page,
    base_url: str,
    credentials,
    folder: Path,
    employee: str = steps.DEFAULT_EMPLOYEE,
    right: str = "sagsbehandler",
    progress: Callable[[str], None] = _echo,
    taken: dict[str, Shot] | None = None,
) -> dict[str, Path]:
    """Walk Trin 1-5 on ``page`` and save one PNG per scene (and its details) in ``folder``.

    ``taken``, when given, receives each scene's Shot (areas, targets, details).
    """
    walk = steps.Walk(page=page, base_url=base_url, credentials=credentials, employee=employee, right=right)
    shots: dict[str, Path] = {}
    total = len(steps.catalogue())

    def on_scene(step: steps.Step, scene: steps.Scene, walk: steps.Walk) -> None:
        started = time.perf_counter()
        path = folder / f"{scene.id}.png"
        shot = shoot(walk, scene, path)
        shots[scene.id] = path
        if taken is not None:
            taken[scene.id] = shot
        progress(f"  Trin {step.number}/{total}  {scene.id:<22} {time.perf_counter() - started:5.2f} s")

    try:
        steps.run_procedure(walk, on_scene)
        held = walk.rights.is_held(right)
    except steps.StepFailed as failed:
        raise GuideError(str(failed)) from failed
    except Exception as exc:  # noqa: BLE001 - the check after Trin 5 failed
        raise GuideError(f"Trin 5 (check) failed: {first_line(exc)}") from exc
    if not held:
        raise GuideError(f"Trin 5: after saving, {steps.right_label(right)} is not shown as held")
    return shots


def generate(
    out: Path = DEFAULT_OUT,
    base_url: str | None = None,
    right: str = "sagsbehandler",
    employee: str = steps.DEFAULT_EMPLOYEE,
    lang: str = "da",
    formats: tuple[str, ...] = ("html", "pdf", "md"),
    headed: bool = False,
    trace: Path | None = None,
    progress: Callable[[str], None] = _echo,
) -> GuideRun:
    """Make the guide in a temporary folder next to ``out`` and return it (``out`` untouched).

    On failure the trace of the browser session is saved to ``trace`` and GuideError raised.
    """
    from playwright.sync_api import sync_playwright

    from flows import browser as browsers
    from flows import render

    steps.right_label(right)  # unknown right: a clear error before any browser starts
    steps.guide_text(lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    folder.chmod(0o755)  # mkdtemp makes it private; the guide is for everyone to read
    started = time.perf_counter()
    try:
        with ExitStack() as stack:
            url, embedded = stack.enter_context(portal_or_embedded(base_url))
            progress(f"Portal: {url}{' (embedded mock)' if embedded else ''}")
            playwright = stack.enter_context(sync_playwright())
            browser = browsers.open_browser(playwright, headed=headed)
            stack.callback(browser.close)
            build = browser_build(browser)
            context = browser.new_context(**browsers.context_options(device_scale_factor=DEVICE_SCALE))
            context.set_default_timeout(15_000)
            if trace:
                context.tracing.start(screenshots=False, snapshots=True)  # DOM snapshots find the failing step; a screencast only slows every run
            page = context.new_page()
            taken: dict[str, Shot] = {}
            try:
                shots = capture(page, url, credentials_for(embedded), folder, employee, right, progress, taken)
            except GuideError:
                if trace:
                    context.tracing.stop(path=str(trace))
                    progress(f"Trace saved: {trace} (open with `playwright show-trace {trace}`)")
                raise
            if trace:
                context.tracing.stop()
            context.close()
            write_manifest(folder, build)
            files: dict[str, Path] = {}
            if formats:
                progress(f"Rendering {', '.join(formats)} ...")
                capture_data = render.Capture(
                    lang=lang,
                    portal_url=steps.guide_text(lang)["embedded_portal"] if embedded else url,
                    generated_at=render.generation_time(out, shots),
                    right=right,
                    employee=employee,
                    shots=shots,
                )
                files = render.render_guide(capture_data, folder, formats=formats, browser=browser)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return GuideRun(folder=folder, shots=shots, files=files, seconds=time.perf_counter() - started, browser=build,
                    scenes=taken)


def replace_folder(new: Path, out: Path) -> None:
    """Put ``new`` where ``out`` is, so a reader never sees half a guide."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def check(run: GuideRun, committed: Path, diff_dir: Path, tolerance: float) -> list[str]:
    """Compare fresh shots with the committed ones; write a diff image per changed scene."""
    from flows.imagediff import compare, write_diff_image

    changed = []
    for scene_id, fresh in run.shots.items():
        expected = committed / fresh.name
        if not expected.exists():
            changed.append(f"{scene_id}: no committed screenshot {expected}")
            continue
        diff = compare(expected, fresh, tolerance=tolerance)
        if diff.changed:
            diff_dir.mkdir(parents=True, exist_ok=True)
            target = diff_dir / f"{scene_id}-diff.png"
            write_diff_image(expected, fresh, target)
            shutil.copyfile(fresh, diff_dir / f"{scene_id}-new.png")
            how = "size changed" if diff.size_mismatch else f"{diff.changed_ratio:.2%} of pixels"
            changed.append(f"{scene_id}: {how}; diff image {target}")
    return changed


@click.command("guide")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True, help="Folder of the guide.")
@click.option("--base-url", help="Run against this portal instead of the embedded mock (credentials from SESAG_USER, SESAG_PASSWORD, SESAG_KEYCARD).")
@click.option("--right", type=click.Choice(steps.RIGHT_KEYS), default="sagsbehandler", show_default=True, help="The right the guide grants.")
@click.option("--employee", default=steps.DEFAULT_EMPLOYEE, show_default=True, help="The employee the guide grants it to.")
@click.option("--lang", type=click.Choice(steps.LANGUAGES), default="da", show_default=True)
@click.option("--formats", default="html,pdf,md", show_default=True, help="Comma-separated: html, pdf, md.")
@click.option("--check", "check_only", is_flag=True, help="Regenerate into a temporary folder and compare the screenshots with --out; exit 1 on any change.")
@click.option("--tolerance", type=float, default=0.001, show_default=True, help="With --check: share of pixels that may differ.")
@click.option("--diff-dir", type=click.Path(path_type=Path), default=Path("guide-diff"), show_default=True, help="With --check: where diff images go.")
@click.option("--trace", type=click.Path(path_type=Path), default=Path("guide-trace.zip"), show_default=True, help="Where a failing run saves its Playwright trace.")
@click.option("--headed", is_flag=True, help="Show the browser (needs a display).")
@click.option("--connect", metavar="WS_URL", help="Use a remote Playwright browser server (default: SESAG_CONNECT).")
def guide_command(out, base_url, right, employee, lang, formats, check_only, tolerance, diff_dir, trace, headed, connect):
    """Regenerate the illustrated vejledning into --out (default screenshots/).

    Without --base-url it starts the embedded mock portal with fresh demo data, so one
    command rebuilds everything: one framed screenshot per scene of Trin 1-5, and
    vejledning.html, vejledning.pdf and vejledning.md. The previous guide is replaced only
    when every step succeeded.

    With --check it regenerates the screenshots into a temporary folder, compares them with
    those in --out and writes a diff image per changed step into --diff-dir: exit 0 when
    nothing changed, 1 when something did (the regression test QA runs when the portal
    changes), 2 when the guide could not be made.
    """
    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = sorted(set(wanted) - {"html", "pdf", "md"})
    if unknown:
        raise click.UsageError(f"unknown format(s): {', '.join(unknown)}; choose from html, pdf, md")
    if check_only:
        wanted = ()
    from flows.browser import remote

    click.get_current_context().with_resource(remote(connect))  # open_browser connects while the command runs
    _echo(f"Generating the vejledning ({lang}, {steps.right_label(right)} for {employee}) ...")
    try:
        run = generate(out, base_url, right, employee, lang, wanted, headed, trace)
    except GuideError as exc:
        _echo(f"Error: {exc}")
        _echo(f"The guide in {out} was left as it was.")
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - portal down, browser missing: one clear line
        _echo(f"Error: {type(exc).__name__}: {first_line(exc)}")
        sys.exit(2)
    if check_only:
        try:
            changed = check(run, out, diff_dir, tolerance)
        finally:
            shutil.rmtree(run.folder, ignore_errors=True)
        if changed:
            _echo(f"{len(changed)} screenshot(s) changed:")
            for line in changed:
                _echo(f"  {line}")
            hint = browser_hint(run, out)
            if hint:
                _echo(hint)
            sys.exit(1)
        _echo(f"All {len(run.shots)} screenshots match {out} ({run.seconds:.1f} s).")
        return
    replace_folder(run.folder, out)
    _echo(f"Done in {run.seconds:.1f} s: {len(run.shots)} screenshots and {', '.join(sorted(run.files)) or 'no documents'} in {out}/")
