"""flows.guide.diffreport: which shots changed (added and removed scenes too) and the review page."""

from __future__ import annotations

import html
import re
import shlex
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from flows import errors
from flows.guide import diffreport


@pytest.fixture
def folders(tmp_path, make_shot):
    """committed/ and fresh/ with one unchanged, one changed, one resized, one removed, one added scene."""
    committed, fresh = tmp_path / "committed", tmp_path / "fresh"
    for folder in (committed, fresh):
        make_shot(folder / "trin-1-forside.png")
    make_shot(committed / "trin-2-selvbetjening.png")
    make_shot(fresh / "trin-2-selvbetjening.png", colour=(227, 6, 19))
    make_shot(committed / "trin-3-medarbejdere.png")
    make_shot(fresh / "trin-3-medarbejdere.png", size=(320, 240))
    make_shot(committed / "trin-4-gammel.png")
    make_shot(fresh / "trin-1-noeglekort.png")
    return shots_of(committed), shots_of(fresh), tmp_path / "guide-diff"


def shots_of(folder: Path) -> dict[str, Path]:
    return {path.stem: path for path in sorted(folder.glob("*.png"))}


def test_every_scene_gets_its_status(folders):
    committed, fresh, report = folders
    results = {result.scene: result for result in diffreport.compare_folders(committed, fresh, report)}
    assert {scene: result.status for scene, result in results.items()} == {
        "trin-1-forside": "same",
        "trin-2-selvbetjening": "changed",
        "trin-3-medarbejdere": "changed",
        "trin-1-noeglekort": "added",
        "trin-4-gammel": "removed",
    }
    assert "size 320x200 -> 320x240" in results["trin-3-medarbejdere"].line()
    assert results["trin-1-noeglekort"].line() == "trin-1-noeglekort: new scene (no committed shot)"
    assert "scene removed" in results["trin-4-gammel"].line()
    assert results["trin-2-selvbetjening"].diff_image.exists()
    assert sorted(path.name for path in (report / diffreport.NEW).iterdir()) == sorted(
        path.name for path in fresh.values()
    )


def test_the_report_is_self_contained_and_shows_each_change(folders):
    committed, fresh, report = folders
    results = diffreport.compare_folders(committed, fresh, report)
    page = diffreport.write_report(results, report, Path("screenshots"), notes=["made with another build"]).read_text(
        encoding="utf-8"
    )
    assert not re.search(r'src="(?!data:)', page), "every image is inline"
    assert "4 of 5 shots changed" in page
    for scene in ("trin-2-selvbetjening", "trin-3-medarbejdere", "trin-1-noeglekort", "trin-4-gammel"):
        assert f'id="{scene}"' in page
    assert 'id="trin-1-forside"' not in page  # unchanged scenes are not shown
    assert 'type="range"' in page  # the slider between old and new
    assert 'class="box"' in page and "changed pixels" in page  # regions outlined, with their size
    assert "made with another build" in page
    approve = re.search(r"sesag guide approve ([\w -]+)", page)
    assert approve and set(approve[1].split()) == {
        "trin-1-noeglekort",
        "trin-2-selvbetjening",
        "trin-3-medarbejdere",
        "trin-4-gammel",
    }


def test_near_misses_are_listed_when_the_check_passes(tmp_path, make_shot):
    committed, fresh = tmp_path / "committed", tmp_path / "fresh"
    make_shot(committed / "trin-1-forside.png")
    image = Image.open(make_shot(fresh / "trin-1-forside.png")).convert("RGB")
    image.putpixel((300, 150), (0, 0, 0))
    image.save(fresh / "trin-1-forside.png")
    results = diffreport.compare_folders(shots_of(committed), shots_of(fresh), tmp_path / "report")
    assert [result.status for result in results] == ["same"]
    page = diffreport.write_report(results, tmp_path / "report", committed).read_text(encoding="utf-8")
    assert "All 1 shots match" in page
    assert "near miss" in page and 'class="box near"' in page


def test_a_new_check_empties_the_old_report(folders):
    committed, fresh, report = folders
    (report / "stale-diff.png").parent.mkdir(parents=True)
    (report / "stale-diff.png").write_bytes(b"old")
    diffreport.compare_folders(committed, fresh, report)
    assert not (report / "stale-diff.png").exists()


def test_run_options_round_trip(tmp_path):
    (tmp_path / diffreport.NEW).mkdir()
    assert diffreport.load_run(tmp_path) == {}
    diffreport.save_run(tmp_path, lang="da", right="sagsbehandler", employee="Medlem - Lra", portal_label="mock")
    assert diffreport.load_run(tmp_path)["employee"] == "Medlem - Lra"


HOSTILE = "<img src=x onerror=alert(1)>"


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_hostile_scene_names_are_escaped_and_quoted(tmp_path, make_shot):
    """A scene named like markup is text in every place the report shows it (#20, 3)."""
    committed, fresh = tmp_path / "committed", tmp_path / "fresh"
    for status in ("changed", "removed", "added"):
        name = f"{HOSTILE}{status}.png"
        if status != "added":
            make_shot(committed / name)
        if status != "removed":
            make_shot(fresh / name, colour=(227, 6, 19) if status == "changed" else (0, 40, 85))
    results = diffreport.compare_folders(shots_of(committed), shots_of(fresh), tmp_path / "report")
    assert sorted(result.status for result in results) == ["added", "changed", "removed"]
    page = diffreport.write_report(results, tmp_path / "report", Path("screenshots")).read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert not [(tag, attrs) for tag, attrs in parser.tags if any(name.startswith("on") for name in attrs)]
    assert all(attrs["src"].startswith("data:image/png;base64,") for tag, attrs in parser.tags if tag == "img")
    assert "&lt;img src=x onerror=alert(1)&gt;changed" in page
    command = html.unescape(re.search(r"<code>(sesag guide approve [^<]*)</code>", page)[1])
    assert sorted(shlex.split(command)[3:]) == sorted(
        f"{HOSTILE}{status}" for status in ("changed", "added", "removed")
    )


def test_approve_command_is_shell_quoted():
    assert diffreport.approve_command(["trin-1-forside", "a b", "$(rm -rf ~)"]) == (
        "sesag guide approve trin-1-forside 'a b' '$(rm -rf ~)'"
    )
    assert diffreport.approve_command(["-x"]) == "sesag guide approve -- -x"  # a name is never an option
    assert diffreport.approve_command(["s"], ["--out", "my guide"]) == "sesag guide approve --out 'my guide' s"


def test_a_new_check_keeps_what_it_did_not_write(folders):
    """The report folder is emptied of a check's own files only: never rmtree'd (#20, 13)."""
    committed, fresh, report = folders
    diffreport.compare_folders(committed, fresh, report)
    diffreport.write_report([], report, Path("screenshots"))
    diffreport.check_report_dir(report)  # an earlier check's folder is fine
    diffreport.compare_folders(committed, {}, report)
    assert not list((report / diffreport.NEW).iterdir()) and not list(report.glob("*-diff.png"))


@pytest.mark.parametrize("case", ["a file", "parent is a file", "other files", "other files in new"])
def test_an_unusable_report_folder_is_refused_with_one_line(tmp_path, case):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    report = {
        "a file": tmp_path / "notes.txt",
        "parent is a file": tmp_path / "notes.txt" / "guide-diff",
        "other files": tmp_path,
        "other files in new": tmp_path / "guide-diff",
    }[case]
    if case == "other files in new":
        (report / diffreport.NEW).mkdir(parents=True)
        (report / diffreport.NEW / "thesis.docx").write_bytes(b"mine")
    with pytest.raises(errors.UnusableFolder) as refused:
        diffreport.check_report_dir(report)
    message = str(refused.value)
    assert message.startswith(f"--diff-dir {report}") and "\n" not in message
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
