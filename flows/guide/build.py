"""Regenerate the illustrated vejledning: run Trin 1-5, frame each target, shoot, render.

One code path: ``flows.core.steps.run_procedure`` walks the step catalogue; at each scene this
module frames the elements to click in red, hides secrets, takes the screenshot and removes
the frame; ``flows.guide.render`` then writes HTML, PDF and Markdown from the same catalogue.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click

from flows import first_line
from flows.core import browser as browsers
from flows.core import failure, folders, overlay, redact, steady, steps
from flows.core.embedded import credentials_for, example_for, portal_or_embedded
from flows.core.running import run_command
from flows.errors import ExitStatus, GuideError, StepFailed, UnusableFolder, UsageError, exit_status_of
from flows.guide import detail, diffreport, render

DEVICE_SCALE = 2  # sharp when printed
MASK_COLOUR = overlay.MASK_COLOUR
DEFAULT_OUT = Path("screenshots")
DEFAULT_DIFF_DIR = Path("guide-diff")
# Written beside the screenshots: what made them. Pixels depend on the browser build (text
# edges differ between Chromium builds), so --check names a different build when it fails.
MANIFEST = "guide.json"
# Below the portal's content the guide keeps this much of the page (CSS px), then cuts.
CONTENT_PADDING = 16
# The hidden folder inside --out that a new guide is written into before it replaces the old one.
STAGING_PREFIX = ".sesag-new-"
DOCUMENTS = tuple(f"{render.BASENAME}.{kind}" for kind in render.FORMATS)


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
    text: str = ""  # the visible text in the shot
    marked: list[str] = field(default_factory=list)  # each target's name (its label, or its text)
    texts: list[detail.Box] = field(default_factory=list)  # lines of text, fields, icons (shot's CSS px)
    badges: list[detail.Box] = field(default_factory=list)  # the numbered badges drawn
    context: list[list[detail.Box]] = field(default_factory=list)  # per target, what its detail must show


def browser_build(browser) -> str:
    """'chromium 156.0.8078.108': the build whose pixels the screenshots are."""
    return f"{browser.browser_type.name} {browser.version}"


def write_manifest(folder: Path, browser: str, shots: list[str] | None = None) -> None:
    """Record what made the screenshots in ``folder`` (see MANIFEST), and which files they are."""

    data = {
        "browser": browser,
        "shots": shots if shots is not None else sorted(path.name for path in folder.glob("*.png")),
        "viewport": browsers.VIEWPORT,
        "device_scale_factor": DEVICE_SCALE,
        "locale": browsers.LOCALE,
        "timezone": browsers.TIMEZONE,
    }
    (folder / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def scene_shots(folder: Path) -> dict[str, Path]:
    """Scene -> screenshot of the guide in ``folder``: those its manifest lists, else every PNG
    that is not a detail.

    (The details beside them are cut from these, not compared.)
    """
    try:
        names = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["shots"]
    except (OSError, ValueError, KeyError, TypeError):
        names = [path.name for path in sorted(folder.glob("*.png")) if not detail.is_detail(path)]
    return {Path(name).stem: folder / name for name in names if (folder / name).exists()}


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
    return (
        f"The guide in {committed} was made with {made_with}; this run used {run.browser}. Text edges "
        "differ between browser builds: compare with the same build (SESAG_CHROMIUM), or regenerate."
    )


def _echo(message: str) -> None:
    click.echo(message, err=True)


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
    from flows.core.pages import PortalSheet

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
            mask_color=MASK_COLOUR,
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
        targets=[Target(f, px) for f, px in zip(frames, labels, strict=False)],
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
    progress: Callable[[str], None] = _echo,
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

    def on_scene(step: steps.Step, scene: steps.Scene, walk: steps.Walk) -> None:
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
    progress: Callable[[str], None] = _echo,
    connect: str | None = None,
) -> GuideRun:
    """Make the guide in ``folder`` (which exists and is empty) and return it.

    ``previous`` is the guide it would replace (unchanged shots keep its date); nothing is
    written there. On the embedded portal ``right`` picks the edition's worked example (who
    logs in, and ``employee`` when None: ``flows.core.embedded.example_for``); elsewhere the
    credentials come from the environment and ``employee`` defaults to the guide's own row. On failure the trace of the browser session, without its secrets
    (``flows.core.redact``), is saved to ``trace`` and GuideError raised.
    """
    from playwright.sync_api import sync_playwright

    steps.right_label(right)  # unknown right: a clear error before any browser starts
    steps.guide_text(lang)
    started = time.perf_counter()
    with ExitStack() as stack:
        url, embedded = stack.enter_context(portal_or_embedded(base_url))
        if embedded:
            example = example_for(right)
            credentials, employee = example.credentials, employee or example.employee
        else:
            credentials, employee = credentials_for(embedded), employee or steps.DEFAULT_EMPLOYEE
        progress(f"Portal: {url}{' (embedded mock)' if embedded else ''}; {steps.right_label(right)} for {employee}")
        playwright = stack.enter_context(sync_playwright())
        browser = browsers.open_browser(playwright, browsers.BrowserSpec(connect=connect, headed=headed))
        stack.callback(browser.close)
        build = browser_build(browser)
        context = browser.new_context(**browsers.context_options(device_scale_factor=DEVICE_SCALE))
        context.set_default_timeout(15_000)
        if trace:
            context.tracing.start(
                screenshots=False, snapshots=True
            )  # DOM snapshots find the failing step; a screencast only slows every run
        page = context.new_page()
        taken: dict[str, Shot] = {}
        copies = render.Copies() if {"html", "pdf"} & set(formats) else None
        try:
            shots = capture(page, url, credentials, folder, employee, right, progress, taken, copies)
        except GuideError:
            if trace:
                redact.save_trace(context, trace, credentials.secrets())
                progress(f"Trace saved: {trace} (open with `playwright show-trace {trace}`)")
                if failure.save_page(page, trace.with_suffix(".png")):
                    progress(f"The page as it was: {trace.with_suffix('.png')}")
            raise
        if trace:
            context.tracing.stop()
        context.close()
        write_manifest(folder, build, [path.name for path in shots.values()])
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
    return GuideRun(
        folder=folder,
        shots=shots,
        files=files,
        seconds=time.perf_counter() - started,
        browser=build,
        options=options,
        scenes=taken,
    )


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


def owned_files(folder: Path) -> set[str]:
    """The names of the files in ``folder`` that the guide wrote, from its manifest: the
    ``files`` it lists, or (a manifest from before that list) its shots, their details and the
    documents. Empty when there is no manifest: then nothing there is the guide's."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(data, dict):
        return set()
    listed = data.get("files")
    if isinstance(listed, list):
        names = {name for name in listed if isinstance(name, str)}
    else:
        shots = [name for name in data.get("shots") or [] if isinstance(name, str)]
        names = {*shots, *DOCUMENTS} | {path.name for name in shots for path in detail.details_of(folder / name)}
    names.add(MANIFEST)
    return {name for name in names if name not in ("", ".", "..") and Path(name).name == name}  # names in folder only


def _not_the_guides(out: Path) -> list[str]:
    """What in ``out`` is not a guide's: all of it when it has no manifest (staging aside)."""
    if (out / MANIFEST).is_file():
        return []
    return [
        path.name + ("/" if path.is_dir() else "") for path in out.iterdir() if not path.name.startswith(STAGING_PREFIX)
    ]


def check_out(out: Path) -> None:
    """Refuse (UnusableFolder) an --out the guide may not write into, before any work is done: a
    file; a folder holding files the guide did not write and no guide of its own (a home or
    project folder given by mistake); a place that cannot be written."""
    folders.check_folder(out, "--out", _not_the_guides, "the guide", "a folder the guide was made in", UnusableFolder)


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A hidden folder inside ``out`` (made if missing) to write a new guide into, so that it
    can be put in place file by file on the same disk. Removed afterwards; so are the folders
    this made for ``out`` when they are left empty."""
    made = []
    for folder in reversed([out, *out.parents]):
        if not folder.exists():
            made.append(folder)
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    folder.chmod(0o755)  # mkdtemp makes it private; the guide is for everyone to read
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for made_folder in reversed(made):
            try:
                made_folder.rmdir()  # only when empty
            except OSError:
                break


def publish(staging: Path, out: Path) -> list[str]:
    """Move the new guide from ``staging`` into ``out``: the guide's own files are replaced by
    name (pictures first, then the documents, the manifest last, each in one step), the ones
    the old guide had and the new one has not are removed, and nothing else in ``out`` is
    touched. The manifest records the files written. Returns their names."""
    written = sorted(path.name for path in staging.iterdir() if path.is_file())
    if MANIFEST in written:
        data = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
        data["files"] = written
        kept_build = committed_browser(out)
        if kept_build and same_pictures(staging, out, written):
            # The build names whose pixels these are: the same pixels from another build are
            # still the old build's, and a fresh clone stays clean after `make guide`.
            data["browser"] = kept_build
        (staging / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    before = owned_files(out)
    order = sorted(written, key=lambda name: (name == MANIFEST, name in DOCUMENTS, name))
    for name in order:
        os.replace(staging / name, out / name)
    for name in sorted(before - set(written)):
        old = out / name
        if old.is_file() or old.is_symlink():
            old.unlink()
    return written


def same_pictures(new: Path, old: Path, names: list[str]) -> bool:
    """Whether the pictures among ``names`` in ``new`` are those of the guide in ``old``, byte
    for byte, and no picture of the old guide is gone."""
    pictures = {name for name in names if name.endswith(".png")}
    old_pictures = {name for name in owned_files(old) if name.endswith(".png")}
    if pictures != old_pictures:
        return False
    return all((old / name).is_file() and (old / name).read_bytes() == (new / name).read_bytes() for name in pictures)


def approve_options(out: Path, report_dir: Path) -> list[str]:
    """The --out and --diff-dir an --approve after this check needs (none when the defaults)."""
    options = ["--out", str(out)] if out != DEFAULT_OUT else []
    return options + (["--diff-dir", str(report_dir)] if report_dir != DEFAULT_DIFF_DIR else [])


def check(run: GuideRun, committed: Path, report_dir: Path) -> list[diffreport.SceneResult]:
    """Compare the fresh shots with the committed ones; write the report into ``report_dir``.

    The new shots stay in ``report_dir/new`` with how they were made, for ``--approve``.
    """
    results = diffreport.compare_folders(scene_shots(committed), run.shots, report_dir)
    for shot in run.shots.values():  # the magnified details go with their shot on --approve
        for path in detail.details_of(shot):
            shutil.copyfile(path, report_dir / diffreport.NEW / path.name)
    if (run.folder / MANIFEST).exists():
        shutil.copyfile(run.folder / MANIFEST, report_dir / diffreport.NEW / MANIFEST)
    diffreport.save_run(report_dir, **run.options)
    hint = browser_hint(run, committed)
    diffreport.write_report(
        results,
        report_dir,
        committed,
        notes=[hint] if hint else [],
        approve_options=approve_options(committed, report_dir),
    )
    return results


def approve_shots(
    out: Path,
    report_dir: Path,
    scenes: tuple[str, ...] = (),
    progress: Callable[[str], None] = _echo,
    connect: str | None = None,
) -> list[str]:
    """Take the shots of the last --check (all, or ``scenes``) into ``out`` and re-render its documents.

    A scene the check found removed is removed from ``out``. Returns the scenes approved.
    """
    from playwright.sync_api import sync_playwright

    new_dir = report_dir / diffreport.NEW
    fresh = scene_shots(new_dir)  # the check's manifest names its shots: a detail is never a scene
    if not fresh:
        raise UsageError(
            f"nothing to approve in {new_dir}: run `sesag guide --check` first, review {report_dir / diffreport.REPORT}, then approve"
        )
    removed = sorted(set(scene_shots(out)) - set(fresh))
    unknown = [scene for scene in scenes if scene not in fresh and scene not in removed]
    if unknown:
        raise click.UsageError(
            f"no new shot of {', '.join(unknown)} in {new_dir}; scenes: {', '.join([*fresh, *removed])}"
        )
    chosen = list(scenes) or [*fresh, *removed]
    run = diffreport.load_run(report_dir)
    formats = tuple(kind for kind in render.FORMATS if (out / f"{render.BASENAME}.{kind}").exists())
    check_out(out)
    with staged(out) as staging:
        for name in sorted(owned_files(out)):
            if (out / name).is_file():
                shutil.copyfile(out / name, staging / name)
        for scene in chosen:
            for old_detail in detail.details_of(staging / f"{scene}.png"):
                old_detail.unlink()
            if scene in fresh:
                for path in (fresh[scene], *detail.details_of(fresh[scene])):
                    shutil.copyfile(path, staging / path.name)
            else:
                (staging / f"{scene}.png").unlink(missing_ok=True)
        kept = [scene for scene in scene_shots(out) if scene in fresh or scene not in chosen]
        added = [scene for scene in chosen if scene in fresh and scene not in kept]
        write_manifest(staging, committed_browser(new_dir) or "", [f"{scene}.png" for scene in kept + added])
        shots = {
            scene.id: staging / f"{scene.id}.png"
            for step in steps.procedure()
            for scene in step.scenes
            if (staging / f"{scene.id}.png").exists()
        }
        if formats:
            progress(f"Rendering {', '.join(formats)} ...")
            with sync_playwright() as playwright:
                browser = browsers.open_browser(playwright, browsers.BrowserSpec(connect=connect))
                try:
                    render_documents(staging, shots, formats, browser, previous=out, **run)
                finally:
                    browser.close()
        publish(staging, out)
    return chosen


@click.command("guide")
@click.argument("scenes", nargs=-1, metavar="[SCENE ...]")
@click.option(
    "--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True, help="Folder of the guide."
)
@click.option(
    "--base-url",
    help="Run against this portal instead of the embedded mock (credentials from SESAG_USER, SESAG_PASSWORD, SESAG_KEYCARD).",
)
@click.option(
    "--right",
    type=click.Choice(steps.RIGHT_KEYS),
    default="sagsbehandler",
    show_default=True,
    help="The right the guide grants: the edition, and on the embedded portal its example (an insurer or a municipality).",
)
@click.option(
    "--employee",
    help="The employee the guide grants it to (default: the edition's example on the embedded portal, "
    f"'{steps.DEFAULT_EMPLOYEE}' on another).",
)
@click.option("--lang", type=click.Choice(steps.LANGUAGES), default="da", show_default=True)
@click.option("--formats", default="html,pdf,md", show_default=True, help="Comma-separated: html, pdf, md.")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Regenerate the shots into a temporary folder, compare them with --out and write the report --diff-dir/index.html; exit 9 on any change.",
)
@click.option(
    "--approve",
    is_flag=True,
    help="After reviewing a --check: take its new shots (all, or the SCENEs named) into --out and re-render the documents.",
)
@click.option(
    "--diff-dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_DIFF_DIR,
    show_default=True,
    help="With --check/--approve: the report and the new shots.",
)
@click.option(
    "--trace",
    type=click.Path(path_type=Path),
    default=Path("guide-trace.zip"),
    show_default=True,
    help="Where a failing run saves its Playwright trace (and a screenshot of the page beside it).",
)
@click.option("--headed", is_flag=True, help="Show the browser (needs a display).")
@browsers.connect_option
def guide_command(
    scenes, out, base_url, right, employee, lang, formats, check_only, approve, diff_dir, trace, headed, connect
):
    """Regenerate the illustrated vejledning into --out (default screenshots/).

    Without --base-url it starts the embedded mock portal with fresh demo data, so one
    command rebuilds everything: one framed screenshot per scene of Trin 1-5, and
    vejledning.html, vejledning.pdf and vejledning.md. The previous guide is replaced only
    when every step succeeded, and only the guide's own files in --out are replaced (those its
    guide.json lists); a folder holding other files and no guide is refused (exit 2).

    With --check it regenerates the screenshots into a temporary folder and compares each
    with the one in --out, region by region: anti-aliasing noise passes, a change the size
    of a glyph or more fails (text, a 2 px shift, a colour). It writes --diff-dir/index.html
    (committed, new and diff side by side, changed regions outlined, near misses listed)
    and keeps the new shots there. Exit 0 when nothing changed, 9 when something did.

    With --approve [SCENE ...], after reviewing that report, it takes the new shots (all,
    or the scenes named) into --out and re-renders the documents.

    When the guide could not be made, the message names the step, the screen, its URL and
    what was missing; the trace (without the password or any key) and a screenshot of the
    page (secrets masked) are saved.

    \b
    Exit codes:
      0  the guide was made (or approved); --check: nothing changed
      1  unexpected error
      2  usage error: an --out / --diff-dir that cannot be used, nothing to approve
      5  the portal unreachable or failing, or a screen not as the steps expect (an --employee
         the list does not show, a renamed button)
      6  log-in failed or credentials missing
      7  saved, but Trin 5 does not show the right as held
      9  --check: a screenshot changed (see --diff-dir/index.html)
      10 no browser (run `sesag browser`), or the browser failed
    """
    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = sorted(set(wanted) - {"html", "pdf", "md"})
    if unknown:
        raise click.UsageError(f"unknown format(s): {', '.join(unknown)}; choose from html, pdf, md")
    if check_only and approve:
        raise click.UsageError("--check and --approve go one after the other: check, review the report, then approve")
    if scenes and not approve:
        raise click.UsageError(f"scene names ({' '.join(scenes)}) only go with --approve")
    options = dict(
        base_url=base_url, right=right, employee=employee, lang=lang, headed=headed, trace=trace, connect=connect
    )
    if approve:
        run_command(lambda: _approve(out, diff_dir, scenes, connect))
    elif check_only:
        run_command(lambda: _check(out, diff_dir, options), any_error_in_one_line=True)
    else:
        run_command(
            lambda: _build(out, wanted, options),
            after_error=lambda exc: _left_as_it_was(exc, out),
            any_error_in_one_line=True,
        )


def _left_as_it_was(exc: Exception, out: Path) -> None:
    if not isinstance(exc, UsageError):
        _echo(f"The guide in {out} was left as it was.")


def _approve(out: Path, diff_dir: Path, scenes, connect) -> None:
    approved = approve_shots(out, diff_dir, scenes, connect=connect)
    _echo(f"Approved {len(approved)} shot(s) into {out}/: {', '.join(approved)}; documents re-rendered.")


def _generating(options: dict) -> None:
    _echo(f"Generating the vejledning ({options['lang']}, {steps.right_label(options['right'])}) ...")


def _build(out: Path, formats: tuple[str, ...], options: dict) -> None:
    check_out(out)  # before any work: a folder of other files is refused at once
    _generating(options)
    run = build(out, formats=formats, **options)
    _echo(
        f"Done in {run.seconds:.1f} s: {len(run.shots)} screenshots and {', '.join(sorted(run.files)) or 'no documents'} in {out}/"
    )


def _check(out: Path, diff_dir: Path, options: dict) -> int:
    diffreport.check_report_dir(diff_dir)
    _generating(options)
    with tempfile.TemporaryDirectory(prefix="sesag-check-") as folder:
        run = generate(Path(folder), previous=out, formats=(), **options)
        results = check(run, out, diff_dir)
    report = diff_dir / diffreport.REPORT
    changed = [result for result in results if result.failed]
    if changed:
        _echo(f"{len(changed)} of {len(results)} screenshots changed:")
        for result in changed:
            _echo(f"  {result.line()}")
        hint = browser_hint(run, out)
        if hint:
            _echo(hint)
        _echo(f"Review: {report}")
        command = diffreport.approve_command((result.scene for result in changed), approve_options(out, diff_dir))
        _echo(f"When the change is meant: {command}")
        return ExitStatus.CHANGED
    near = [result for result in results if result.diff and result.diff.near_misses]
    _echo(f"All {len(results)} screenshots match {out} ({run.seconds:.1f} s).")
    for result in near:
        _echo(f"  near miss, not failing: {result.line()}")
    _echo(f"Report: {report}")
    return ExitStatus.OK
