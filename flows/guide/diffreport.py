"""`sesag guide check`'s findings: which shots changed, and a report a person can review.

``compare_folders`` compares every shot of a fresh guide with the committed one of the same
scene (scenes added and removed included), keeps the new shots and writes a diff image per
changed scene into the report folder; ``write_report`` writes ``index.html`` there: one
self-contained page with, per changed scene, the committed shot, the new shot and the diff
side by side, a slider between old and new, the changed regions outlined with their size,
and the near misses (differences below a glyph) even when the check passes.
"""

from __future__ import annotations

import base64
import html
import json
import shlex
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flows.core import folders
from flows.errors import UnusableFolder
from flows.guide.imagediff import Diff, compare_files, diff_image

NEW = "new"  # the report folder's copy of the fresh shots: what approve takes
RUN_FILE = "run.json"  # how the fresh shots were made (language, right, ...): approve renders with it
REPORT = "index.html"


def _own_files(report_dir: Path) -> tuple[list[Path], list[str]]:
    """What an earlier check wrote into ``report_dir`` (files), and the names of anything else."""
    own, foreign = [], []
    for path in sorted(report_dir.iterdir()):
        if path.name == NEW and path.is_dir():
            for kept in sorted(path.iterdir()):
                if kept.is_file() and kept.suffix in (".png", ".json"):  # shots, details, guide.json, run.json
                    own.append(kept)
                else:
                    foreign.append(f"{NEW}/{kept.name}")
        elif path.is_file() and (path.name == REPORT or path.name.endswith("-diff.png")):
            own.append(path)
        else:
            foreign.append(path.name + ("/" if path.is_dir() else ""))
    return own, foreign


def check_report_dir(report_dir: Path) -> None:
    """Refuse (UnusableFolder) a --diff-dir a check may not write into, before any work: a
    file; a folder holding anything a check does not write (a check empties the folder of its
    own files only); a place that cannot be written."""
    folders.check_folder(
        report_dir,
        "--diff-dir",
        lambda folder: _own_files(folder)[1],
        "a check",
        "the folder of an earlier check",
        UnusableFolder,
    )


@dataclass(frozen=True)
class SceneResult:
    """One shot: ``status`` is 'same', 'changed', 'added' (no committed shot) or 'removed'."""

    scene: str
    status: str
    committed: Path | None = None
    new: Path | None = None
    diff: Diff | None = None
    diff_image: Path | None = None

    @property
    def failed(self) -> bool:
        return self.status != "same"

    def line(self) -> str:
        """What the terminal says about this scene."""
        if self.status == "added":
            return f"{self.scene}: new scene (no committed shot)"
        if self.status == "removed":
            return f"{self.scene}: scene removed (committed shot has no new counterpart)"
        return f"{self.scene}: {self.diff.summary()}"


def compare_folders(committed: dict[str, Path], fresh: dict[str, Path], report_dir: Path) -> list[SceneResult]:
    """Compare the fresh shots with the committed ones (scene -> PNG); keep the new ones in the report.

    The report folder is emptied of an earlier check's files first (it always shows one check);
    anything else in it is refused (check_report_dir), never removed.
    """
    check_report_dir(report_dir)
    if report_dir.is_dir():
        for path in _own_files(report_dir)[0]:
            path.unlink()
    (report_dir / NEW).mkdir(parents=True, exist_ok=True)
    old, new = committed, fresh
    results = []
    for scene in list(new) + [name for name in old if name not in new]:
        if scene not in new:
            results.append(SceneResult(scene, "removed", committed=old[scene]))
            continue
        kept = report_dir / NEW / new[scene].name
        shutil.copyfile(new[scene], kept)
        if scene not in old:
            results.append(SceneResult(scene, "added", new=kept))
            continue
        comparison = compare_files(old[scene], kept)
        if not comparison.diff.changed and not comparison.diff.near_misses:
            results.append(SceneResult(scene, "same", committed=old[scene], new=kept, diff=comparison.diff))
            continue
        picture = report_dir / f"{scene}-diff.png"
        diff_image(comparison).save(picture, compress_level=6)
        status = "changed" if comparison.diff.changed else "same"
        results.append(
            SceneResult(scene, status, committed=old[scene], new=kept, diff=comparison.diff, diff_image=picture)
        )
    return results


def approve_command(scenes: Iterable[str], options: Sequence[str] = ()) -> str:
    """The ``sesag guide approve`` line for ``scenes``, shell-quoted for the user to copy.

    Scene names are file names from guide.json: anything may be in them, so each is quoted,
    and a "--" goes before them when one starts with "-" (a name is never taken for an option).
    """
    scenes = list(scenes)
    end_of_options = ["--"] if any(scene.startswith("-") for scene in scenes) else []
    return shlex.join(["sesag", "guide", "approve", *options, *end_of_options, *scenes])


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


_STYLE = """
body { font: 15px/1.45 system-ui, "Liberation Sans", Arial, sans-serif; margin: 0 24px 48px; color: #1a1a1a; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 36px; border-top: 1px solid #ccd; padding-top: 16px; }
.fail { color: #b00018; } .pass { color: #116622; }
.row { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
.shot { position: relative; border: 1px solid #ccd; line-height: 0; }
.shot img { width: 100%; height: auto; display: block; }
.box { position: absolute; border: 2px solid #ff00aa; box-sizing: border-box; }
.box.near { border-color: #0078ff; border-style: dashed; }
.slider { position: relative; max-width: 1100px; margin-top: 12px; line-height: 0; border: 1px solid #ccd; }
.slider img { width: 100%; height: auto; display: block; }
.slider .over { position: absolute; inset: 0; overflow: hidden; clip-path: inset(0 50% 0 0); }
.slider input { width: 100%; margin: 8px 0 0; }
table { border-collapse: collapse; margin-top: 8px; } td, th { border: 1px solid #ccd; padding: 3px 8px; text-align: left; }
code { background: #f2f3f5; padding: 1px 4px; }
"""

_SLIDER_SCRIPT = """
document.querySelectorAll('.slider input').forEach(function (range) {
  range.addEventListener('input', function () {
    range.closest('.compare').querySelector('.over').style.clipPath = 'inset(0 ' + (100 - range.value) + '% 0 0)';
  });
});
"""


def _boxes(diff: Diff, size: tuple[int, int]) -> str:
    """Outlines of the regions over a shot of ``size``, in percent so they scale with it."""
    width, height = size
    out = []
    for region in diff.regions:
        left, top, right, bottom = region.box
        style = (
            f"left:{100 * left / width:.3f}%;top:{100 * top / height:.3f}%;"
            f"width:{max(100 * (right - left) / width, 0.3):.3f}%;height:{max(100 * (bottom - top) / height, 0.3):.3f}%"
        )
        kind = "box" if region.fails else "box near"
        out.append(f'<div class="{kind}" style="{style}" title="{html.escape(region.describe())}"></div>')
    return "".join(out)


def _figure(title: str, path: Path | None, overlay: str = "") -> str:
    if path is None:
        return f"<figure><figcaption>{html.escape(title)}</figcaption><p>(none)</p></figure>"
    return (
        f'<figure><figcaption>{html.escape(title)}</figcaption><div class="shot">'
        f'<img src="{_data_uri(path)}" alt="{html.escape(title)}">{overlay}</div></figure>'
    )


def _regions_table(diff: Diff) -> str:
    if not diff.regions:
        return ""
    rows = "".join(
        f"<tr><td>{'changed' if region.fails else 'near miss'}</td><td>{region.width} x {region.height}</td>"
        f"<td>({region.box[0]}, {region.box[1]})</td><td>{region.pixels}</td></tr>"
        for region in diff.regions
    )
    return f"<table><tr><th>region</th><th>size (px)</th><th>at (x, y)</th><th>changed pixels</th></tr>{rows}</table>"


def _section(result: SceneResult) -> str:
    title = html.escape(result.scene)
    if result.status in ("added", "removed"):
        label = "new scene" if result.status == "added" else "scene removed"
        return (
            f'<h2 id="{title}" class="fail">{title}: {label}</h2>'
            f'<div class="row">{_figure("committed", result.committed)}{_figure("new", result.new)}</div>'
        )
    diff = result.diff
    heading_class = "fail" if result.status == "changed" else "pass"
    parts = [f'<h2 id="{title}" class="{heading_class}">{title}: {html.escape(diff.summary())}</h2>']
    if diff.size_changed:
        parts.append(
            f"<p>The shot's size changed: {diff.expected_size[0]} x {diff.expected_size[1]} px committed, "
            f"{diff.actual_size[0]} x {diff.actual_size[1]} px new.</p>"
        )
    boxes = "" if diff.size_changed else _boxes(diff, diff.actual_size)
    parts.append(
        f'<div class="row">{_figure("committed", result.committed, boxes)}'
        f"{_figure('new', result.new, boxes)}{_figure('diff', result.diff_image)}</div>"
    )
    if not diff.size_changed:
        parts.append(
            f'<div class="compare"><div class="slider"><img src="{_data_uri(result.committed)}" alt="committed"><div class="over"><img src="{_data_uri(result.new)}" alt="new">'
            "</div></div><label>new (left of the cut) &harr; committed (right): "
            '<input type="range" min="0" max="100" value="50"></label></div>'
        )
    parts.append(_regions_table(diff))
    return "\n".join(parts)


def write_report(
    results: list[SceneResult],
    report_dir: Path,
    committed: Path,
    notes: list[str] = (),
    approve_options: Sequence[str] = (),
) -> Path:
    """Write ``report_dir/index.html`` (self-contained: every image inline) and return its path.

    Everything shown is escaped (scene names come from guide.json); ``approve_options`` go
    into the approve line it suggests (``--out``, ``--diff-dir`` when not the defaults).
    """
    changed = [result for result in results if result.failed]
    near = [result for result in results if result.status == "same" and result.diff and result.diff.near_misses]
    verdict = (
        f'<p class="fail"><strong>{len(changed)} of {len(results)} shots changed.</strong> Review them; '
        f"when the change is meant, run <code>{html.escape(approve_command((r.scene for r in changed), approve_options))}</code>.</p>"
        if changed
        else f'<p class="pass"><strong>All {len(results)} shots match.</strong></p>'
    )
    listing = "".join(
        f'<li><a href="#{html.escape(r.scene)}">{html.escape(r.scene)}</a>: {html.escape(r.line().split(": ", 1)[1])}</li>'
        for r in changed + near
    )
    body = [
        "<h1>Guide check: committed shots against the portal now</h1>",
        f"<p>Committed: <code>{html.escape(str(committed))}</code>. Changed regions are framed in magenta; "
        "near misses (smaller than a glyph, not failing) in dashed blue; in the diff, red is changed and yellow is "
        "anti-aliasing noise.</p>",
        verdict,
        *(f"<p>{html.escape(note)}</p>" for note in notes),
        f"<ul>{listing}</ul>" if listing else "",
        *(_section(result) for result in changed + near),
    ]
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Guide check</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>'
        f"<body>{''.join(body)}<script>{_SLIDER_SCRIPT}</script></body></html>"
    )
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / REPORT
    path.write_text(page, encoding="utf-8")
    return path


def save_run(report_dir: Path, **options) -> None:
    """Record how the new shots were made (``approve`` renders the documents with it)."""
    (report_dir / NEW / RUN_FILE).write_text(json.dumps(options, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_run(report_dir: Path) -> dict:
    """The options saved by save_run; {} when there are none."""
    try:
        return json.loads((report_dir / NEW / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
