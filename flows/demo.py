"""Show the procedure to new administrators: captioned live run, or an animated walkthrough.

Both read the step catalogue: the live demo captions each scene with *Trin N* and its text and
frames the target before clicking it; ``--out`` shoots the same scenes (as the guide does) and
turns them into an animated WebP/GIF (and an MP4 when imageio-ffmpeg is installed).
"""
from __future__ import annotations

import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import click

from flows import first_line, overlay, steps

# Seconds a viewer gets to read each scene.
SPEEDS = {"slow": 6.0, "normal": 3.5}


def _echo(message: str) -> None:
    click.echo(message, err=True)


def live_demo(page, base_url: str, credentials, employee: str, right: str, lang: str, pause: float) -> None:
    """Run Trin 1-5 on ``page`` with a caption box and the target framed before each click."""
    walk = steps.Walk(page=page, base_url=base_url, credentials=credentials, employee=employee, right=right)

    def on_scene(step: steps.Step, scene: steps.Scene, walk: steps.Walk) -> None:
        _echo(f"{step.title(lang)}: {scene.caption[lang]}")
        overlay.show_caption(page, step.title(lang), scene.caption[lang])
        overlay.mark(page, scene.targets(walk))
        # A pause for a person to read: the one place where waiting on the clock is the point.
        page.wait_for_timeout(pause * 1000)
        overlay.clear(page)

    steps.run_procedure(walk, on_scene)


def walkthrough(out: Path, base_url: str, credentials, employee: str, right: str, lang: str, seconds: float, browser) -> dict:
    """Shoot every scene and write the animated, captioned walkthrough into ``out``."""
    from flows import browser as browsers
    from flows.animation import Frame, build_walkthrough
    from flows.guide import capture

    context = browser.new_context(**browsers.context_options(device_scale_factor=1))
    page = context.new_page()
    with tempfile.TemporaryDirectory(prefix="sesag-demo-") as folder:
        shots = capture(page, base_url, credentials, Path(folder), employee, right, progress=_echo)
        context.close()
        frames = [
            Frame(image=shots[scene.id], title=step.title(lang), caption=scene.caption[lang], seconds=seconds)
            for step in steps.catalogue()
            for scene in step.scenes
        ]
        out.mkdir(parents=True, exist_ok=True)
        files = build_walkthrough(frames, out)
        files["vtt"] = write_captions(frames, out / "walkthrough.vtt")
        for kind, why in getattr(files, "skipped", {}).items():
            _echo(f"{kind}: not written ({why})")
        return files


def _timestamp(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}:{rest:06.3f}"


def write_captions(frames, path: Path) -> Path:
    """The walkthrough's captions as WebVTT, timed like its frames (subtitles for the MP4)."""
    lines, start = ["WEBVTT", ""], 0.0
    for number, frame in enumerate(frames, start=1):
        end = start + frame.seconds
        lines += [str(number), f"{_timestamp(start)} --> {_timestamp(end)}", f"{frame.title}: {frame.caption}", ""]
        start = end
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@click.command("demo")
@click.option("--base-url", help="Run against this portal instead of the embedded mock.")
@click.option("--right", type=click.Choice(steps.RIGHT_KEYS), default="sagsbehandler", show_default=True)
@click.option("--employee", default=steps.DEFAULT_EMPLOYEE, show_default=True)
@click.option("--lang", type=click.Choice(steps.LANGUAGES), default="da", show_default=True)
@click.option("--speed", type=click.Choice(sorted(SPEEDS)), default="normal", show_default=True, help="Time to read each step.")
@click.option("--headed", is_flag=True, help="Show the browser window (when a display exists).")
@click.option("--out", type=click.Path(path_type=Path), help="Write an animated walkthrough (WebP, GIF, MP4) here instead of a live run.")
def demo_command(base_url, right, employee, lang, speed, headed, out):
    """Show Trin 1-5 to new NemID administrators.

    Without --out: runs the procedure in a browser with a caption box (Trin N and its text)
    and the element to click framed in red, pausing on each step so it can be read. Use
    --headed on a machine with a display to watch it.

    With --out DIR: writes walkthrough.webp and walkthrough.gif (and walkthrough.mp4 when
    imageio-ffmpeg is installed), one captioned frame per scene, for slides and intranets,
    and walkthrough.vtt with the captions as subtitles.

    Without --base-url the embedded mock portal is started with fresh demo data.
    """
    from playwright.sync_api import sync_playwright

    from flows import browser as browsers
    from flows.browser import display_available
    from flows.embedded import credentials_for, portal_or_embedded

    if headed and not display_available():
        _echo("No display found: running headless.")
    try:
        with ExitStack() as stack:
            url, embedded = stack.enter_context(portal_or_embedded(base_url))
            playwright = stack.enter_context(sync_playwright())
            browser = browsers.open_browser(playwright, headed=headed)
            stack.callback(browser.close)
            credentials = credentials_for(embedded)
            if out:
                files = walkthrough(out, url, credentials, employee, right, lang, SPEEDS[speed], browser)
                for kind, path in sorted(files.items()):
                    _echo(f"{kind}: {path} ({path.stat().st_size / 1e6:.1f} MB)")
                return
            context = browser.new_context(**browsers.context_options())
            live_demo(context.new_page(), url, credentials, employee, right, lang, SPEEDS[speed])
            _echo("Done: the employee now holds the right.")
    except Exception as exc:  # noqa: BLE001 - one clear line for the trainer
        _echo(f"Error: {first_line(exc)}")
        sys.exit(2)
