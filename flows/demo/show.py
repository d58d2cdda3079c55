"""Show the procedure to new administrators: captioned live run, or an animated walkthrough.

Both read the step catalogue: the live demo captions each scene with *Trin N* and its text and
frames the target before clicking it; ``--out`` shoots the same scenes with the targets framed,
notes where the targets are (from the catalogue's ``Scene.targets``, as the guide frames them),
and turns them into an animated WebP/GIF (and an MP4 when imageio-ffmpeg is installed) in which
each scene is held as long as its caption takes to read, zooms into its targets and a pointer
clicks them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import click
from playwright.sync_api import sync_playwright

from flows.core import browser as browsers
from flows.core import overlay, steps
from flows.core.browser import display_available
from flows.core.embedded import credentials_for, portal_or_embedded
from flows.core.running import run_command, to_stderr
from flows.demo.animation import READING_SPEED, Frame, build_walkthrough, reading_seconds

# Characters a second a viewer reads a caption at.
SPEEDS = {"slow": READING_SPEED * 2 / 3, "normal": READING_SPEED}


def live_demo(
    page,
    base_url: str,
    credentials,
    employee: str,
    right: str,
    lang: str,
    pause: Callable[[str], float] = reading_seconds,
) -> None:
    """Run Trin 1-5 on ``page`` with a caption box and the target framed before each click,
    pausing ``pause(caption)`` seconds on each scene."""
    walk = steps.Walk(page=page, base_url=base_url, credentials=credentials, employee=employee, right=right)

    def on_scene(step: steps.Step, scene: steps.ActedScene, walk: steps.Walk) -> None:
        to_stderr(f"{step.title(lang)}: {scene.caption[lang]}")
        overlay.show_caption(page, step.title(lang), scene.caption[lang])
        overlay.mark(page, scene.targets(walk))
        # A pause for a person to read: the one place where waiting on the clock is the point.
        page.wait_for_timeout(pause(scene.caption[lang]) * 1000)
        overlay.clear(page)

    steps.run_procedure(walk, on_scene)


def shoot_scene(walk: steps.Walk, scene: steps.ActedScene, path: Path) -> tuple:
    """Frame the scene's targets, screenshot the viewport (secrets masked) and return where the
    targets are in it: the pointer and the zoom of the walkthrough go there."""
    page, targets = walk.page, scene.targets(walk)
    overlay.mark(page, targets)  # scrolls each target into view first
    try:
        boxes = tuple(
            (box["x"], box["y"], box["width"], box["height"])
            for box in (target.bounding_box() for target in targets)
            if box
        )
        page.screenshot(
            path=str(path),
            animations="disabled",
            caret="hide",
            mask=walk.login.secrets(),
            mask_color=overlay.MASK_COLOUR,
        )
    finally:
        overlay.clear(page)
    return boxes


def shows_only(scene: steps.ActedScene) -> bool:
    """True for a scene that only shows its targets (the confirmation): nothing to click."""
    return scene.action.act is steps.Action.act  # the default: no click leads on


def walkthrough(
    out: Path, base_url: str, credentials, employee: str, right: str, lang: str, speed: float, browser
) -> dict:
    """Shoot every scene and write the animated, captioned walkthrough into ``out``."""
    context = browser.new_context(**browsers.context_options(device_scale_factor=1))
    walk = steps.Walk(
        page=context.new_page(), base_url=base_url, credentials=credentials, employee=employee, right=right
    )
    frames: list[Frame] = []
    with tempfile.TemporaryDirectory(prefix="sesag-demo-") as folder:

        def on_scene(step: steps.Step, scene: steps.ActedScene, walk: steps.Walk) -> None:
            to_stderr(f"  {step.title(lang)}  {scene.id}")
            caption = scene.caption[lang]
            targets = shoot_scene(walk, scene, Path(folder) / f"{scene.id}.png")
            frames.append(
                Frame(
                    image=Path(folder) / f"{scene.id}.png",
                    title=step.title(lang),
                    caption=caption,
                    seconds=reading_seconds(caption, speed),
                    targets=targets,
                    clicks=not shows_only(scene),
                )
            )

        steps.run_procedure(walk, on_scene)
        if not walk.rights.is_held(right):
            raise RuntimeError(f"Trin 5: after saving, {steps.right_label(right, lang)} is not shown as held")
        context.close()
        out.mkdir(parents=True, exist_ok=True)
        to_stderr(f"Rendering the walkthrough ({len(frames)} scenes) ...")
        files = build_walkthrough(frames, out)
        files["vtt"] = write_captions(frames, files.scene_seconds, out / "walkthrough.vtt")
        for kind, why in files.skipped.items():
            to_stderr(f"{kind}: not written ({why})")
        return files


def _timestamp(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}:{rest:06.3f}"


def write_captions(frames, scene_seconds: list[float], path: Path) -> Path:
    """The walkthrough's captions as WebVTT, one cue per scene for as long as the scene shows
    (subtitles for the MP4)."""
    lines, start = ["WEBVTT", ""], 0.0
    for number, (frame, seconds) in enumerate(zip(frames, scene_seconds, strict=False), start=1):
        end = start + seconds
        lines += [str(number), f"{_timestamp(start)} --> {_timestamp(end)}", f"{frame.title}: {frame.caption}", ""]
        start = end
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def headless_notice(headed: bool, display: bool) -> str | None:
    """What the live demo says when nobody can see its window, and how to see it."""
    if headed and display:
        return None
    animation = "or write it as an animation to open in any browser: sesag demo --out demo/ (demo/walkthrough.webp)"
    if not display:
        return (
            "No display found: the demo runs headless and no window shows it. To watch it, run "
            f"sesag demo --headed on a machine with a screen, {animation}."
        )
    return f"Running headless: no window shows the demo. To watch it, add --headed, {animation}."


@click.command("demo")
@click.option("--base-url", help="Run against this portal instead of the embedded mock.")
@click.option("--right", type=click.Choice(steps.RIGHT_KEYS), default="sagsbehandler", show_default=True)
@click.option("--employee", default=steps.DEFAULT_EMPLOYEE, show_default=True)
@click.option("--lang", type=click.Choice(steps.LANGUAGES), default="da", show_default=True)
@click.option(
    "--speed",
    type=click.Choice(sorted(SPEEDS)),
    default="normal",
    show_default=True,
    help="Reading speed: each step shows as long as its caption takes to read (normal: 15 characters a second, at least 2.5 s; slow: 10).",
)
@click.option("--headed", is_flag=True, help="Show the browser window (when a display exists).")
@browsers.connect_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write an animated walkthrough (WebP, GIF, MP4) here instead of a live run.",
)
def demo_command(base_url, right, employee, lang, speed, headed, connect, out):
    """Show Trin 1-5 to new NemID administrators.

    Without --out: runs the procedure in a browser with a caption box (Trin N and its text)
    and the element to click framed in red, pausing on each step as long as its caption takes
    to read. Use --headed on a machine with a display to watch it; without a display it runs
    headless and says so.

    With --out DIR: writes walkthrough.webp and walkthrough.gif (and walkthrough.mp4 when
    imageio-ffmpeg is installed) for slides, intranets and projectors: each scene is held as
    long as its caption takes to read (15 characters a second, at least 2.5 s), zooms into
    the element to click, and a pointer moves to it and clicks; walkthrough.vtt has the
    captions as subtitles.

    Without --base-url the embedded mock portal is started with fresh demo data.

    \b
    Exit codes:
      0  the walkthrough ran (or was written)
      1  unexpected error
      2  usage error
      5  the portal unreachable or failing, or a screen not as the steps expect (an --employee
         the list does not show, a renamed button)
      6  log-in failed
      10 no browser (run `sesag browser`), or the browser failed
    """
    notice = None if out else headless_notice(headed, display_available())
    if notice:
        to_stderr(notice)
    run_command(lambda: _show(base_url, right, employee, lang, speed, headed, connect, out), any_error_in_one_line=True)


def _show(base_url, right, employee, lang, speed, headed, connect, out) -> None:
    with ExitStack() as stack:
        url, embedded = stack.enter_context(portal_or_embedded(base_url))
        playwright = stack.enter_context(sync_playwright())
        browser = browsers.open_browser(playwright, browsers.BrowserSpec(connect=connect, headed=headed))
        stack.callback(browser.close)
        credentials = credentials_for(embedded)
        if out:
            files = walkthrough(out, url, credentials, employee, right, lang, SPEEDS[speed], browser)
            for kind, path in sorted(files.items()):
                to_stderr(f"{kind}: {path} ({path.stat().st_size / 1e6:.1f} MB)")
            return
        context = browser.new_context(**browsers.context_options())
        live_demo(
            context.new_page(),
            url,
            credentials,
            employee,
            right,
            lang,
            pause=lambda caption: reading_seconds(caption, SPEEDS[speed]),
        )
        to_stderr("Done: the employee now holds the right.")
