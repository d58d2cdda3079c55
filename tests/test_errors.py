"""flows.errors: every failure a grant can end in carries the exit code the commands print."""

from __future__ import annotations

import pytest

from flows import errors
from flows.admin import commands
from flows.core.credentials import CredentialsError
from flows.errors import ExitStatus

KINDS = {
    errors.EmployeeNotFound: ExitStatus.EMPLOYEE,
    errors.AmbiguousEmployee: ExitStatus.EMPLOYEE,
    errors.RuleRefused: ExitStatus.REFUSED,
    errors.SaveRefused: ExitStatus.REFUSED,
    errors.PortalDown: ExitStatus.PORTAL,
    errors.LoginError: ExitStatus.LOGIN,
    CredentialsError: ExitStatus.LOGIN,
    errors.VerificationFailed: ExitStatus.UNVERIFIED,
}


@pytest.mark.parametrize(("kind", "status"), KINDS.items(), ids=lambda item: getattr(item, "__name__", str(item)))
def test_each_failure_carries_its_exit_code(kind, status):
    assert commands.exit_code_for(kind("x")) == status


def test_every_grant_error_is_named_here_and_anything_else_is_1():
    named = {kind for kind in KINDS if issubclass(kind, errors.GrantError)}
    assert set(errors.GrantError.__subclasses__()) | set(errors.EmployeeNotFound.__subclasses__()) == named
    assert commands.exit_code_for(RuntimeError("x")) == ExitStatus.FAILED == 1


def test_the_codes_are_the_ones_grant_help_lists():
    from click.testing import CliRunner

    shown = CliRunner().invoke(commands.grant_command, ["--help"]).output.split("Exit codes:", 1)[1]
    for status in (ExitStatus.OK, ExitStatus.USAGE, *KINDS.values()):
        assert f"  {int(status)}  " in shown, status
