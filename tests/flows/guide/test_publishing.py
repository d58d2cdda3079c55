"""Where `sesag guide` writes: never over or away what it did not write (flows.guide's
check_out, staged, publish and owned_files; the command's refusal before any work)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.errors import ExitStatus
from flows.guide import commands as guide_commands
from flows.guide import manifest, publishing


def old_guide(folder: Path, shots=("trin-1-forside.png", "trin-9-gone.png")) -> None:
    """A guide as an earlier version left it: a manifest without "files", shots, a detail, documents."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in shots:
        (folder / name).write_bytes(b"old " + name.encode())
    (folder / "trin-9-gone.detail-1.png").write_bytes(b"old detail")
    (folder / "vejledning.html").write_text("old", encoding="utf-8")
    (folder / "vejledning.pdf").write_bytes(b"old pdf")
    (folder / manifest.MANIFEST).write_text(
        json.dumps({"browser": "chromium 1", "shots": list(shots)}), encoding="utf-8"
    )


def new_guide(staging: Path) -> None:
    (staging / "trin-1-forside.png").write_bytes(b"new shot")
    (staging / "trin-1-forside.detail-1.png").write_bytes(b"new detail")
    (staging / "vejledning.html").write_text("new", encoding="utf-8")
    manifest.write_manifest(staging, "chromium 2", ["trin-1-forside.png"])


def user_files(folder: Path) -> None:
    (folder / "important.txt").write_text("mine", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "notes.md").write_text("also mine", encoding="utf-8")


def test_a_folder_of_other_files_is_refused_before_any_work(tmp_path):
    out = tmp_path / "home"
    out.mkdir()
    user_files(out)
    done = CliRunner().invoke(guide_commands.guide_command, ["--out", str(out)])
    assert done.exit_code == ExitStatus.USAGE, done.output
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and "holds files the guide did not write (important.txt, sub/)" in lines[0]
    assert (out / "important.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "sub" / "notes.md").read_text(encoding="utf-8") == "also mine"
    assert sorted(path.name for path in out.iterdir()) == ["important.txt", "sub"]


@pytest.mark.parametrize("below", ["", "guide"], ids=["out is a file", "out under a file"])
def test_an_out_that_cannot_be_a_folder_is_one_line_and_exit_2(tmp_path, below):
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    out = tmp_path / "README.md" / below if below else tmp_path / "README.md"
    done = CliRunner().invoke(guide_commands.guide_command, ["--out", str(out)])
    assert done.exit_code == ExitStatus.USAGE and len(done.output.strip().splitlines()) == 1, done.output
    assert "is a file, not a folder" in done.output


def test_a_new_folder_an_empty_one_and_a_guides_own_are_accepted(tmp_path):
    publishing.check_out(tmp_path / "new" / "screenshots")
    (tmp_path / "empty").mkdir()
    publishing.check_out(tmp_path / "empty")
    old_guide(tmp_path / "guide")
    user_files(tmp_path / "guide")  # a guide's folder may hold other files too: they are kept
    publishing.check_out(tmp_path / "guide")


def test_publish_replaces_only_the_guides_own_files(tmp_path):
    out = tmp_path / "screenshots"
    old_guide(out)
    user_files(out)
    with publishing.staged(out) as staging:
        new_guide(staging)
        written = publishing.publish(staging, out)
    assert (out / "important.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "sub" / "notes.md").read_text(encoding="utf-8") == "also mine"
    assert (out / "trin-1-forside.png").read_bytes() == b"new shot"
    assert (out / "vejledning.html").read_text(encoding="utf-8") == "new"
    # the old guide's files the new one has not are gone; they were the guide's
    for gone in ("trin-9-gone.png", "trin-9-gone.detail-1.png", "vejledning.pdf"):
        assert not (out / gone).exists(), gone
    assert not [path for path in out.iterdir() if path.name.startswith(publishing.STAGING_PREFIX)]
    recorded = json.loads((out / manifest.MANIFEST).read_text(encoding="utf-8"))
    assert (
        recorded["files"]
        == written
        == sorted(["trin-1-forside.png", "trin-1-forside.detail-1.png", "vejledning.html", manifest.MANIFEST])
    )
    assert manifest.owned_files(out) == set(written)


def test_a_manifest_cannot_make_the_guide_remove_a_file_elsewhere(tmp_path):
    out = tmp_path / "screenshots"
    out.mkdir()
    (tmp_path / "precious.txt").write_text("keep", encoding="utf-8")
    (out / manifest.MANIFEST).write_text(json.dumps({"files": ["../precious.txt", "/etc/passwd"]}), encoding="utf-8")
    with publishing.staged(out) as staging:
        new_guide(staging)
        publishing.publish(staging, out)
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "keep"


def test_out_dot_works_in_a_guides_folder(tmp_path, monkeypatch):
    old_guide(tmp_path)
    monkeypatch.chdir(tmp_path)
    with publishing.staged(Path(".")) as staging:
        new_guide(staging)
        publishing.publish(staging, Path("."))
    assert (tmp_path / "trin-1-forside.png").read_bytes() == b"new shot"
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]


def test_a_failed_run_leaves_no_folder_it_made(tmp_path):
    out = tmp_path / "a" / "b" / "screenshots"
    with pytest.raises(RuntimeError), publishing.staged(out) as staging:
        (staging / "half.png").write_bytes(b"x")
        raise RuntimeError("a step failed")
    assert not (tmp_path / "a").exists()


def published_manifest(out: Path) -> dict:
    return json.loads((out / manifest.MANIFEST).read_text(encoding="utf-8"))


def published_once_and_restaged(tmp_path) -> tuple[Path, Path]:
    """``out`` holding a published guide (made with "chromium 2"), and ``second``: the same guide
    staged again, to be published over it."""
    out, first, second = tmp_path / "out", tmp_path / "first", tmp_path / "second"
    for staging in (first, second, out):
        staging.mkdir()
    for staging in (first, second):
        new_guide(staging)
    publishing.publish(first, out)
    return out, second


def test_a_new_build_alone_leaves_the_manifest_as_it_was(tmp_path):
    """Same pictures, byte for byte, from another browser build: guide.json does not change (a
    fresh clone stays clean after `make guide`)."""
    out, second = published_once_and_restaged(tmp_path)
    before = (out / manifest.MANIFEST).read_bytes()
    manifest.write_manifest(second, "chromium 3", ["trin-1-forside.png"])
    publishing.publish(second, out)
    assert (out / manifest.MANIFEST).read_bytes() == before
    assert published_manifest(out)["browser"] == "chromium 2"


def test_a_changed_picture_records_the_build_that_made_it(tmp_path):
    out, second = published_once_and_restaged(tmp_path)
    (second / "trin-1-forside.detail-1.png").write_bytes(b"another detail")
    manifest.write_manifest(second, "chromium 3", ["trin-1-forside.png"])
    publishing.publish(second, out)
    assert published_manifest(out)["browser"] == "chromium 3"
