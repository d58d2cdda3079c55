"""guide.json, written beside the screenshots: what made them and which files are the guide's.

Pixels depend on the browser build (text edges differ between Chromium builds), so a failed
check names the build; and only the files a manifest lists are ever replaced or removed.
"""

from __future__ import annotations

import json
from pathlib import Path

from flows.core import browser as browsers
from flows.guide import detail, render

MANIFEST = "guide.json"
DEVICE_SCALE = 2  # sharp when printed
DOCUMENTS = tuple(f"{render.BASENAME}.{kind}" for kind in render.FORMATS)


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
