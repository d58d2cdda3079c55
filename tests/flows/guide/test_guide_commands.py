"""flows.guide.commands: `sesag guide` as build, check and approve, and today's flags that pick them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from flows.errors import ExitStatus, GuideError
from flows.guide import build as builder
from flows.guide import commands


@pytest.fixture
def recorded(monkeypatch):
    """What the guide was asked to make: each builder.build / builder.generate call, stopped there."""
    calls = []

    def stop(kind):
        def called(folder, **options):
            calls.append((kind, folder.name if kind == "build" else "temporary", options))
            raise GuideError("stopped here", ExitStatus.PORTAL)

        return called

    monkeypatch.setattr(builder, "build", stop("build"))
    monkeypatch.setattr(builder, "generate", stop("generate"))
    return calls


def test_the_group_lists_its_three_subcommands():
    shown = CliRunner().invoke(commands.guide_command, ["--help"]).output
    listed = shown.split("Commands:", 1)[1].split()
    assert [word for word in listed if word in ("build", "check", "approve")] == ["approve", "build", "check"]


@pytest.mark.parametrize(
    "old,new",
    [
        (["--out", "g", "--lang", "en"], ["build", "--out", "g", "--lang", "en"]),
        (["--lang", "en", "--out", "g"], ["build", "--lang", "en", "--out", "g"]),
        (["--check", "--out", "g", "--lang", "en"], ["check", "--out", "g", "--lang", "en"]),
        (
            ["--out", "g", "--check", "--right", "kommunal-sagsbehandler"],
            ["check", "--out", "g", "--right", "kommunal-sagsbehandler"],
        ),
    ],
    ids=["build", "build, options first", "check", "check, flag between"],
)
def test_todays_flags_run_the_same_as_the_subcommand(tmp_path, monkeypatch, recorded, old, new):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    before, after = runner.invoke(commands.guide_command, old), runner.invoke(commands.guide_command, new)
    assert before.exit_code == after.exit_code == ExitStatus.PORTAL, before.output + after.output
    assert before.output == after.output
    assert len(recorded) == 2 and recorded[0] == recorded[1]
    assert recorded[0][2]["lang"] in ("en", "da")


def test_no_arguments_builds_the_guide(tmp_path, monkeypatch, recorded):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(commands.guide_command, [])
    assert result.exit_code == ExitStatus.PORTAL, result.output
    assert [(kind, folder) for kind, folder, _ in recorded] == [("build", "screenshots")]


def test_approve_flag_and_subcommand_name_the_same_unknown_scene(tmp_path):
    """`--approve -- -x`: a scene named like an option is still a scene."""
    runner = CliRunner()
    args = ["--out", str(tmp_path / "s"), "--diff-dir", str(tmp_path / "d")]
    old = runner.invoke(commands.guide_command, ["--approve", *args, "--", "-x"])
    new = runner.invoke(commands.guide_command, ["approve", *args, "--", "-x"])
    assert old.exit_code == new.exit_code == ExitStatus.USAGE
    assert old.output == new.output and "sesag guide check" in new.output


def test_check_and_approve_together_are_a_usage_error(recorded):
    result = CliRunner().invoke(commands.guide_command, ["--check", "--approve"])
    assert result.exit_code == ExitStatus.USAGE and "one after the other" in result.output
    assert not recorded


@pytest.mark.parametrize("args", [["trin-1-forside"], ["--out", "g", "trin-1-forside"], ["--check", "trin-1-forside"]])
def test_scene_names_go_only_with_approve(recorded, args):
    result = CliRunner().invoke(commands.guide_command, args)
    assert result.exit_code == ExitStatus.USAGE and "only go with approve" in result.output, result.output
    assert not recorded


def test_an_option_value_is_not_taken_for_a_scene(tmp_path, monkeypatch, recorded):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(commands.guide_command, ["--employee", "Medlem - Lra", "--out", "g"])
    assert result.exit_code == ExitStatus.PORTAL, result.output
    assert recorded[0][2]["employee"] == "Medlem - Lra"


def test_build_refuses_an_unknown_format_before_any_work(recorded):
    result = CliRunner().invoke(commands.guide_command, ["build", "--formats", "html,docx"])
    assert result.exit_code == ExitStatus.USAGE and "docx" in result.output
    assert not recorded
