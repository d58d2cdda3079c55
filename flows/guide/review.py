"""Reviewing a change of the portal: `check` compares fresh shots with the committed guide and
writes a report; `approve` takes the shots the reviewer accepts into the guide."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import click
from playwright.sync_api import sync_playwright

from flows.core import browser as browsers
from flows.core import steps
from flows.core.running import to_stderr
from flows.errors import UsageError
from flows.guide import detail, diffreport, render
from flows.guide.build import DEFAULT_OUT, GuideRun, render_documents
from flows.guide.manifest import MANIFEST, committed_browser, owned_files, scene_shots, write_manifest
from flows.guide.publishing import check_out, publish, staged

DEFAULT_DIFF_DIR = Path("guide-diff")


def browser_hint(run: GuideRun, committed: Path) -> str | None:
    """A line explaining a failed check by a different browser build, or None."""
    made_with = committed_browser(committed)
    if not made_with or not run.browser or made_with == run.browser:
        return None
    return (
        f"The guide in {committed} was made with {made_with}; this run used {run.browser}. Text edges "
        "differ between browser builds: compare with the same build (SESAG_CHROMIUM), or regenerate."
    )


def approve_options(out: Path, report_dir: Path) -> list[str]:
    """The --out and --diff-dir an approve after this check needs (none when the defaults)."""
    options = ["--out", str(out)] if out != DEFAULT_OUT else []
    return options + (["--diff-dir", str(report_dir)] if report_dir != DEFAULT_DIFF_DIR else [])


def check(run: GuideRun, committed: Path, report_dir: Path) -> list[diffreport.SceneResult]:
    """Compare the fresh shots with the committed ones; write the report into ``report_dir``.

    The new shots stay in ``report_dir/new`` with how they were made, for ``approve``.
    """
    results = diffreport.compare_folders(scene_shots(committed), run.shots, report_dir)
    for shot in run.shots.values():  # the magnified details go with their shot on approve
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
    progress: Callable[[str], None] = to_stderr,
    connect: str | None = None,
) -> list[str]:
    """Take the shots of the last check (all, or ``scenes``) into ``out`` and re-render its documents.

    A scene the check found removed is removed from ``out``. Returns the scenes approved.
    """
    new_dir = report_dir / diffreport.NEW
    fresh = scene_shots(new_dir)  # the check's manifest names its shots: a detail is never a scene
    chosen = _chosen(out, report_dir, fresh, scenes)
    run = diffreport.load_run(report_dir)
    formats = tuple(kind for kind in render.FORMATS if (out / f"{render.BASENAME}.{kind}").exists())
    check_out(out)
    with staged(out) as staging:
        shots = _take_into(staging, out, fresh, chosen, committed_browser(new_dir) or "")
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


def _chosen(out: Path, report_dir: Path, fresh: dict[str, Path], scenes: tuple[str, ...]) -> list[str]:
    """The scenes to approve: those named, or every one the check found new or removed."""
    new_dir = report_dir / diffreport.NEW
    if not fresh:
        raise UsageError(
            f"nothing to approve in {new_dir}: run `sesag guide check` first, review {report_dir / diffreport.REPORT}, then approve"
        )
    removed = sorted(set(scene_shots(out)) - set(fresh))
    unknown = [scene for scene in scenes if scene not in fresh and scene not in removed]
    if unknown:
        raise click.UsageError(
            f"no new shot of {', '.join(unknown)} in {new_dir}; scenes: {', '.join([*fresh, *removed])}"
        )
    return list(scenes) or [*fresh, *removed]


def _take_into(staging: Path, out: Path, fresh: dict[str, Path], chosen: list[str], build: str) -> dict[str, Path]:
    """Copy the guide in ``out`` into ``staging`` with the ``chosen`` scenes' new shots (and their
    details) in, removed scenes out, and its manifest rewritten; return the shots in step order."""
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
    write_manifest(staging, build, [f"{scene}.png" for scene in kept + added])
    return {
        scene.id: staging / f"{scene.id}.png"
        for step in steps.procedure()
        for scene in step.scenes
        if (staging / f"{scene.id}.png").exists()
    }
