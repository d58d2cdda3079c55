"""Putting a new guide into --out: refuse a folder that is not the guide's, write beside it, then
replace only the guide's own files (those its manifest lists), never anything else there."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.core import folders
from flows.errors import UnusableFolder
from flows.guide.manifest import DOCUMENTS, MANIFEST, committed_browser, owned_files

# The hidden folder inside --out that a new guide is written into before it replaces the old one.
STAGING_PREFIX = ".sesag-new-"


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
