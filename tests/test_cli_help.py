"""The ``sesag`` group: every command's --help says what its exit codes mean."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from flows import cli


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_every_command_documents_its_exit_codes(name):
    shown = CliRunner().invoke(cli.main, [name, "--help"])
    assert shown.exit_code == 0, shown.output
    assert "Exit codes:" in shown.output, shown.output
    codes = shown.output.split("Exit codes:", 1)[1].split("Options:", 1)[0].split()
    assert "0" in codes and "2" in codes, "the codes are listed, 0 and 2 (usage) among them"
