"""flows.errors: one hierarchy, each failure carrying the exit code every command ends with."""

from __future__ import annotations

import inspect

import click
import pytest
from click.testing import CliRunner

from flows import errors
from flows.admin import bulk, commands
from flows.core.browser_command import browser_command
from flows.demo import show
from flows.errors import ExitStatus
from flows.guide import commands as guide_commands

KINDS = {
    errors.SesagError: ExitStatus.FAILED,
    errors.UsageError: ExitStatus.USAGE,
    errors.UnusableFolder: ExitStatus.USAGE,
    errors.BrowserNotFound: ExitStatus.BROWSER,
    errors.CredentialsError: ExitStatus.LOGIN,
    errors.PortalError: ExitStatus.PORTAL,
    errors.PortalUnavailable: ExitStatus.PORTAL,
    errors.PortalUnreachable: ExitStatus.PORTAL,
    errors.LoginFailed: ExitStatus.LOGIN,
    errors.NotLoggedIn: ExitStatus.PORTAL,
    errors.GrantError: ExitStatus.FAILED,
    errors.EmployeeNotFound: ExitStatus.EMPLOYEE,
    errors.AmbiguousEmployee: ExitStatus.EMPLOYEE,
    errors.RuleRefused: ExitStatus.REFUSED,
    errors.SaveRefused: ExitStatus.REFUSED,
    errors.PortalDown: ExitStatus.PORTAL,
    errors.LoginError: ExitStatus.LOGIN,
    errors.VerificationFailed: ExitStatus.UNVERIFIED,
    errors.StaleSave: ExitStatus.FAILED,
    errors.GuideError: ExitStatus.PORTAL,
}


@pytest.mark.parametrize(("kind", "status"), KINDS.items(), ids=lambda item: getattr(item, "__name__", str(item)))
def test_each_failure_carries_its_exit_code(kind, status):
    assert errors.exit_status_of(kind("x")) == status


def test_every_failure_of_the_tool_is_a_sesag_error_and_named_here():
    defined = {
        value
        for value in vars(errors).values()
        if inspect.isclass(value) and issubclass(value, Exception) and value.__module__ == errors.__name__
    }
    assert defined - {errors.StepFailed} == set(KINDS)
    assert all(issubclass(kind, errors.SesagError) for kind in defined)
    assert errors.exit_status_of(RuntimeError("x")) == ExitStatus.FAILED == 1


def test_a_failed_step_ends_as_its_cause_does():
    step, scene = type("Step", (), {"number": 3})(), type("Scene", (), {"id": "trin-3"})()
    assert errors.StepFailed(step, scene, errors.LoginFailed("nej"), "nej").exit_status == ExitStatus.LOGIN
    assert errors.StepFailed(step, scene, TimeoutError("t"), "t").exit_status == ExitStatus.PORTAL


# Which codes each command can end with: every one is listed in its --help with the same meaning.
COMMANDS = {
    commands.grant_command: {0, 1, 2, 3, 4, 5, 6, 7, 10},
    bulk.bulk_command: {0, 1, 2, 5, 6, 8, 10, 130},
    guide_commands.build_command: {0, 1, 2, 5, 6, 7, 10},
    guide_commands.check_command: {0, 1, 2, 5, 6, 7, 9, 10},
    guide_commands.approve_command: {0, 1, 2, 10},
    show.demo_command: {0, 1, 2, 5, 6, 10},
    browser_command: {0, 2, 10},
}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.name)
def test_each_command_lists_its_codes_and_each_code_means_one_thing(command):
    shown = CliRunner().invoke(command, ["--help"], terminal_width=120).output.split("Exit codes:", 1)[1]
    listed = {int(line.split()[0]) for line in shown.splitlines() if line.strip()[:1].isdigit()}
    assert listed == COMMANDS[command]
    assert isinstance(command, click.Command)
