"""Regenerate the illustrated vejledning: run Trin 1-5, frame each target, shoot, render.

One code path: ``flows.core.steps.run_procedure`` walks the step catalogue; at each scene
``flows.guide.capture`` frames the elements to click in red, hides secrets, takes the screenshot
and removes the frame; ``flows.guide.render`` then writes HTML, PDF and Markdown from the same
catalogue; ``flows.guide.publishing`` puts the new guide in place of the old.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

from flows.core import browser as browsers
from flows.core import failure, redact, steps
from flows.core.embedded import credentials_for, example_for, portal_or_embedded
from flows.core.running import to_stderr
from flows.errors import GuideError
from flows.guide import render
from flows.guide.capture import Shot, capture
from flows.guide.manifest import DEVICE_SCALE, browser_build, write_manifest
from flows.guide.publishing import check_out, publish, staged

DEFAULT_OUT = Path("screenshots")


@dataclass
class GuideRun:
    """What one generation produced."""

    folder: Path
    shots: dict[str, Path]
    files: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    browser: str = ""
    options: dict = field(default_factory=dict)  # lang, right, employee, portal_label: what --approve renders with
    scenes: dict[str, Shot] = field(default_factory=dict)


def generate(
    folder: Path,
    previous: Path = DEFAULT_OUT,
    base_url: str | None = None,
    right: str = "sagsbehandler",
    employee: str | None = None,
    lang: str = "da",
    formats: tuple[str, ...] = ("html", "pdf", "md"),
    headed: bool = False,
    trace: Path | None = None,
    progress: Callable[[str], None] = to_stderr,
    connect: str | None = None,
) -> GuideRun:
    """Make the guide in ``folder`` (which exists and is empty) and return it.

    ``previous`` is the guide it would replace (unchanged shots keep its date); nothing is
    written there. On the embedded portal ``right`` picks the edition's worked example (who
    logs in, and ``employee`` when None: ``flows.core.embedded.example_for``); elsewhere the
    credentials come from the environment and ``employee`` defaults to the guide's own row. On
    failure the trace of the browser session, without its secrets (``flows.core.redact``), is
    saved to ``trace`` and GuideError raised.
    """
    steps.right_label(right)  # unknown right: a clear error before any browser starts
    steps.guide_text(lang)
    started = time.perf_counter()
    with ExitStack() as stack:
        url, embedded = stack.enter_context(portal_or_embedded(base_url))
        credentials, employee = _who_and_for_whom(embedded, right, employee)
        progress(f"Portal: {url}{' (embedded mock)' if embedded else ''}; {steps.right_label(right)} for {employee}")
        browser = _open_browser(stack, connect, headed)
        made_with = browser_build(browser)
        copies = render.Copies() if {"html", "pdf"} & set(formats) else None
        taken: dict[str, Shot] = {}
        walk = dict(base_url=url, credentials=credentials, folder=folder, employee=employee, right=right)
        shots = _shoot(browser, walk | dict(progress=progress, taken=taken, copies=copies), trace, progress)
        write_manifest(folder, made_with, [path.name for path in shots.values()])
        options = {
            "lang": lang,
            "right": right,
            "employee": employee,
            "portal_label": "" if embedded else url,  # recorded, not shown: the reader needs no address of ours
        }
        files: dict[str, Path] = {}
        if formats:
            progress(f"Rendering {', '.join(formats)} ...")
            files = render_documents(folder, shots, formats, browser, previous=previous, copies=copies, **options)
    return GuideRun(folder, shots, files, time.perf_counter() - started, made_with, options, taken)


def _who_and_for_whom(embedded: bool, right: str, employee: str | None):
    """Who logs in and the employee the right goes to: the edition's example on the embedded
    portal, else the credentials of the environment and the guide's own row."""
    if embedded:
        example = example_for(right)
        return example.credentials, employee or example.employee
    return credentials_for(embedded), employee or steps.DEFAULT_EMPLOYEE


def _open_browser(stack: ExitStack, connect: str | None, headed: bool):
    playwright = stack.enter_context(sync_playwright())
    browser = browsers.open_browser(playwright, browsers.BrowserSpec(connect=connect, headed=headed))
    stack.callback(browser.close)
    return browser


def _shoot(browser, walk: dict, trace: Path | None, progress: Callable[[str], None]) -> dict[str, Path]:
    """``capture`` (``walk``: its arguments after the page) in a context of the guide's own, traced when
    ``trace``: a failing walk leaves its trace without secrets and the page as it was."""
    context = browser.new_context(**browsers.context_options(device_scale_factor=DEVICE_SCALE))
    context.set_default_timeout(15_000)
    if trace:
        # DOM snapshots find the failing step; a screencast only slows every run
        context.tracing.start(screenshots=False, snapshots=True)
    page = context.new_page()
    try:
        shots = capture(page, **walk)
    except GuideError:
        if trace:
            redact.save_trace(context, trace, walk["credentials"].secrets())
            progress(f"Trace saved: {trace} (open with `playwright show-trace {trace}`)")
            if failure.save_page(page, trace.with_suffix(".png")):
                progress(f"The page as it was: {trace.with_suffix('.png')}")
        raise
    if trace:
        context.tracing.stop()
    context.close()
    return shots


def build(out: Path = DEFAULT_OUT, **options) -> GuideRun:
    """Make the guide and put it into ``out``, replacing only the guide's own files there
    (``check_out``, ``staged``, ``publish``); ``options`` as for ``generate``."""
    check_out(out)
    with staged(out) as folder:
        run = generate(folder, previous=out, **options)
        publish(folder, out)
    run.folder = out
    run.shots = {scene: out / path.name for scene, path in run.shots.items()}
    run.files = {kind: out / path.name for kind, path in run.files.items()}
    return run


def render_documents(
    folder: Path,
    shots: dict[str, Path],
    formats: tuple[str, ...],
    browser,
    *,
    previous: Path,
    portal_label: str,
    lang: str = "da",
    right: str = "sagsbehandler",
    employee: str = steps.DEFAULT_EMPLOYEE,
    copies: render.Copies | None = None,
) -> dict[str, Path]:
    """Write the documents of ``shots`` into ``folder`` (for a new guide and for --approve).

    ``previous`` is the guide being replaced: unchanged shots keep its generation time;
    ``copies``: the shots' document copies, begun while they were taken.
    """
    capture_data = render.Capture(
        lang=lang,
        portal_url=portal_label,
        generated_at=render.generation_time(previous, shots),
        right=right,
        employee=employee,
        shots=shots,
    )
    return render.render_guide(capture_data, folder, formats=formats, browser=browser, copies=copies)
