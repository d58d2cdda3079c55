"""The ``sesag`` group: every command's --help says what its exit codes mean."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from flows import cli


def commands_and_subcommands() -> list[list[str]]:
    """Every command as typed: ``sesag grant``, and for a group (``sesag guide``) each subcommand."""
    found = []
    for name in sorted(cli.COMMANDS):
        command = cli.main.get_command(None, name)
        subcommands = sorted(command.commands) if isinstance(command, click.Group) else [None]
        found += [[name, sub] if sub else [name] for sub in subcommands]
    return found


@pytest.mark.parametrize("words", commands_and_subcommands(), ids=" ".join)
def test_every_command_documents_its_exit_codes(words):
    shown = CliRunner().invoke(cli.main, [*words, "--help"])
    assert shown.exit_code == 0, shown.output
    assert "Exit codes:" in shown.output, shown.output
    codes = shown.output.split("Exit codes:", 1)[1].split("Options:", 1)[0].split()
    assert "0" in codes and "2" in codes, "the codes are listed, 0 and 2 (usage) among them"


@pytest.mark.parametrize("args", [["--help"], ["portal", "--help"]], ids=["sesag", "portal"])
def test_the_top_level_help_and_the_portal_load_no_playwright(args):
    """Commands are loaded on first use: `sesag --help` and `sesag portal` never import Playwright."""
    code = (
        "import sys\nfrom flows.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] == 'playwright')[:3])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "LOADED []" in done.stdout, done.stdout[-300:] + done.stderr[-300:]


def test_sesag_help_lists_every_command_once():
    """`sesag --help` shows main's own list (the group does not import the commands to list them)."""
    shown = CliRunner().invoke(cli.main, ["--help"]).output
    listed = [line.split()[1] for line in shown.splitlines() if line.strip().startswith("sesag ")]
    assert sorted(listed) == sorted(cli.COMMANDS)
