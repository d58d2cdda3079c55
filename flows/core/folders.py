"""Whether a folder the user names may be written into: the one check behind every command's
output folder (``sesag guide --out``, ``--diff-dir``), so that none deletes or overwrites what
it did not write."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path


def nearest_existing(path: Path) -> Path:
    """``path`` itself, or the nearest of its parents that exists."""
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_folder(
    folder: Path,
    option: str,
    foreign: Callable[[Path], Iterable[str]],
    writer: str,
    reuse: str,
    error: type[Exception],
) -> None:
    """Raise ``error`` with one line when ``option`` ``folder`` cannot be written into: it is a
    file, or below one; it holds what ``foreign`` names (files ``writer`` did not write); or it
    cannot be written. ``reuse`` says which folder would do besides a new or empty one."""
    if folder.exists() and not folder.is_dir():
        raise error(f"{option} {folder} is a file, not a folder")
    if folder.is_dir():
        others = sorted(foreign(folder))
        if others:
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            raise error(
                f"{option} {folder} holds files {writer} did not write ({shown}): give a new or empty folder, or {reuse}"
            )
        where = folder
    else:
        where = nearest_existing(folder)
        if not where.is_dir():
            raise error(f"{option} {folder}: {where} is a file, not a folder")
    if not os.access(where, os.W_OK | os.X_OK):
        raise error(f"{option} {folder}: {where} cannot be written")
