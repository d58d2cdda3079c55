"""flows.guide.build without a browser: the manifest, the build line, --check and --approve over
folders of shots, and a failing step said in the page's words."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.core import failure
from flows.errors import ExitStatus
from flows.guide import build as builder
from flows.guide import commands as guide_commands
from flows.guide import diffreport, manifest, publishing, review


def _run(browser: str) -> builder.GuideRun:
    return builder.GuideRun(folder=Path("unused"), shots={}, browser=browser)


def test_manifest_round_trip(tmp_path):
    manifest.write_manifest(tmp_path, "chromium 156.0.8078.108", ["trin-1-forside.png"])
    assert manifest.committed_browser(tmp_path) == "chromium 156.0.8078.108"
    (tmp_path / "trin-1-forside.png").write_bytes(b"png")
    (tmp_path / "trin-1-forside-detail.png").write_bytes(b"png")  # made from a shot by the documents: not compared
    assert manifest.scene_shots(tmp_path) == {"trin-1-forside": tmp_path / "trin-1-forside.png"}


def test_without_a_manifest_every_png_is_a_shot(tmp_path):
    (tmp_path / "a.png").write_bytes(b"png")
    assert manifest.scene_shots(tmp_path) == {"a": tmp_path / "a.png"}


def test_no_or_broken_manifest_is_no_browser(tmp_path):
    assert manifest.committed_browser(tmp_path) is None
    (tmp_path / manifest.MANIFEST).write_text("not json", encoding="utf-8")
    assert manifest.committed_browser(tmp_path) is None


def test_hint_only_when_the_builds_differ(tmp_path):
    manifest.write_manifest(tmp_path, "chromium 156.0.8078.108")
    assert review.browser_hint(_run("chromium 156.0.8078.108"), tmp_path) is None
    hint = review.browser_hint(_run("chromium 145.0.7632.6"), tmp_path)
    assert "chromium 156.0.8078.108" in hint and "chromium 145.0.7632.6" in hint
    assert "differ between browser builds" in hint


def test_no_hint_without_a_manifest(tmp_path):
    assert review.browser_hint(_run("chromium 145.0.7632.6"), tmp_path) is None


# --check and --approve over folders of shots (no browser: the guide has no documents here).


@pytest.fixture
def checked(tmp_path, make_shot):
    """A committed guide, a fresh run with one scene changed and one added, and the check's report."""
    committed, fresh, report = tmp_path / "screenshots", tmp_path / "fresh", tmp_path / "guide-diff"
    for scene in ("trin-1-forside", "trin-2-selvbetjening"):
        make_shot(committed / f"{scene}.png")
    make_shot(fresh / "trin-1-forside.png")
    make_shot(fresh / "trin-2-selvbetjening.png", colour=(227, 6, 19))
    make_shot(fresh / "trin-1-noeglekort.png")
    manifest.write_manifest(committed, "chromium 145.0.1")
    manifest.write_manifest(fresh, "chromium 156.0.8078.108")
    run = builder.GuideRun(
        folder=fresh,
        shots=manifest.scene_shots(fresh),
        browser="chromium 156.0.8078.108",
        options={"lang": "da", "right": "sagsbehandler", "employee": "Medlem - Lra", "portal_label": "mock"},
    )
    results = review.check(run, committed, report)
    return committed, report, results


def test_check_names_changed_and_added_scenes_and_writes_the_report(checked):
    committed, report, results = checked
    assert {result.scene for result in results if result.failed} == {"trin-2-selvbetjening", "trin-1-noeglekort"}
    page = (report / diffreport.REPORT).read_text(encoding="utf-8")
    assert "chromium 145.0.1" in page and "chromium 156.0.8078.108" in page  # the build line
    assert diffreport.load_run(report)["right"] == "sagsbehandler"
    assert manifest.committed_browser(report / diffreport.NEW) == "chromium 156.0.8078.108"


def test_approve_named_scenes_only(checked):
    committed, report, _ = checked
    before = (committed / "trin-2-selvbetjening.png").read_bytes()
    assert review.approve_shots(committed, report, ("trin-1-noeglekort",), progress=lambda _: None) == [
        "trin-1-noeglekort"
    ]
    assert (committed / "trin-1-noeglekort.png").exists()
    assert (committed / "trin-2-selvbetjening.png").read_bytes() == before


def test_approve_all_then_the_shots_are_the_new_ones(checked):
    committed, report, _ = checked
    approved = review.approve_shots(committed, report, progress=lambda _: None)
    assert set(approved) == {"trin-1-forside", "trin-1-noeglekort", "trin-2-selvbetjening"}
    for scene in approved:
        assert (committed / f"{scene}.png").read_bytes() == (report / diffreport.NEW / f"{scene}.png").read_bytes()
    assert manifest.committed_browser(committed) == "chromium 156.0.8078.108"
    assert not [path for path in committed.iterdir() if path.name.startswith(publishing.STAGING_PREFIX)]


def test_approving_all_never_takes_a_detail_for_a_scene(checked, make_shot):
    """The check keeps each new shot's magnified details beside it; approving all takes them with
    their shot, never as scenes of their own (else every later check says "scene removed")."""
    committed, report, _ = checked
    make_shot(report / diffreport.NEW / "trin-2-selvbetjening.detail-1.png", size=(80, 60))
    approved = review.approve_shots(committed, report, progress=lambda _: None)
    assert not [scene for scene in approved if ".detail-" in scene]
    assert (committed / "trin-2-selvbetjening.detail-1.png").is_file()
    assert set(manifest.scene_shots(committed)) == {"trin-1-forside", "trin-1-noeglekort", "trin-2-selvbetjening"}


def test_without_a_manifest_a_detail_is_not_a_scene(tmp_path, make_shot):
    make_shot(tmp_path / "trin-1-forside.png")
    make_shot(tmp_path / "trin-1-forside.detail-1.png")
    assert set(manifest.scene_shots(tmp_path)) == {"trin-1-forside"}


def test_approve_an_unknown_scene_is_a_usage_error_that_changes_nothing(checked):
    committed, report, _ = checked
    before = {path.name: path.read_bytes() for path in committed.iterdir()}
    result = CliRunner().invoke(
        guide_commands.guide_command, ["--approve", "trin-9-nej", "--out", str(committed), "--diff-dir", str(report)]
    )
    assert result.exit_code == 2
    assert "trin-9-nej" in result.output and "trin-2-selvbetjening" in result.output
    assert {path.name: path.read_bytes() for path in committed.iterdir()} == before


def test_approve_without_a_check_says_what_to_run(tmp_path):
    result = CliRunner().invoke(
        guide_commands.guide_command, ["--approve", "--out", str(tmp_path / "s"), "--diff-dir", str(tmp_path / "d")]
    )
    assert result.exit_code == 2
    assert "sesag guide check" in result.output


def test_scene_names_need_approve(tmp_path):
    result = CliRunner().invoke(guide_commands.guide_command, ["trin-1-forside", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "only go with approve" in result.output


# A failing step in the page's words.


@pytest.mark.parametrize(
    "call_log,expected",
    [
        (
            '  - waiting for get_by_role("button", name=re.compile(r"^\\s*Gem\\ rettigheder\\s*$", re.IGNORECASE))',
            ("button", "Gem rettigheder"),
        ),
        ('  - waiting for get_by_role("link", name="Se hændelser", exact=True)', ("link", "Se hændelser")),
        (
            '  - waiting for get_by_role("group", name="AES", exact=True).get_by_role("checkbox", name="Sagsbehandler", exact=True)',
            ("checkbox", "Sagsbehandler"),
        ),
        (
            '  - waiting for get_by_label(re.compile(r"^\\s*Nøgle\\s*:?\\s*\\*?\\s*:?\\s*$", re.IGNORECASE))',
            ("field", "Nøgle"),
        ),
    ],
)
def test_what_a_locator_looked_for(call_log, expected):
    error = TimeoutError(f"Locator.scroll_into_view_if_needed: Timeout 15000ms exceeded.\nCall log:\n{call_log}\n")
    assert failure.looked_for(error) == expected


def test_an_error_without_a_locator_is_left_as_it_is():
    assert failure.looked_for(RuntimeError("the portal answered HTTP 500")) is None


def test_check_prints_a_quoted_approve_line_for_hostile_scene_names(tmp_path, make_shot, monkeypatch):
    """The terminal's --approve line runs as printed: every scene name shell-quoted, the
    --out and --diff-dir of the check kept (#20, 3)."""
    import shlex

    hostile = "<img src=x onerror=alert(1)>"
    committed, fresh, report = tmp_path / "my guide", tmp_path / "fresh", tmp_path / "the diff"
    make_shot(committed / f"{hostile}.png")
    make_shot(fresh / f"{hostile}.png", colour=(227, 6, 19))
    manifest.write_manifest(committed, "chromium 1", [f"{hostile}.png"])
    manifest.write_manifest(fresh, "chromium 1", [f"{hostile}.png"])

    def fake_generate(folder, **options):
        return builder.GuideRun(folder=fresh, shots=manifest.scene_shots(fresh), browser="chromium 1")

    monkeypatch.setattr(builder, "generate", fake_generate)
    result = CliRunner().invoke(
        guide_commands.guide_command, ["--check", "--out", str(committed), "--diff-dir", str(report)]
    )
    assert result.exit_code == ExitStatus.CHANGED, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("When the change is meant: "))
    command = shlex.split(line.split(": ", 1)[1])
    assert command == ["sesag", "guide", "approve", "--out", str(committed), "--diff-dir", str(report), hostile]


@pytest.mark.parametrize("case", ["a file", "parent is a file", "a folder of other files"])
def test_check_refuses_an_unusable_diff_dir_before_any_work(tmp_path, monkeypatch, case):
    """#20, 13: one line, exit 2, before the guide is made, and nothing of the user's removed."""
    (tmp_path / "important.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.md").write_text("keep", encoding="utf-8")
    diff_dir = {
        "a file": tmp_path / "important.txt",
        "parent is a file": tmp_path / "important.txt" / "guide-diff",
        "a folder of other files": tmp_path,
    }[case]
    monkeypatch.setattr(builder, "generate", lambda *args, **kwargs: pytest.fail("refused before any work"))
    result = CliRunner().invoke(
        guide_commands.guide_command, ["--check", "--out", str(tmp_path / "screenshots"), "--diff-dir", str(diff_dir)]
    )
    assert result.exit_code == ExitStatus.USAGE, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "--diff-dir" in errors[0]
    assert (tmp_path / "important.txt").read_text(encoding="utf-8") == "keep"
    assert (tmp_path / "sub" / "notes.md").read_text(encoding="utf-8") == "keep"
