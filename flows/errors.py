"""What can go wrong when a right is granted or revoked, and the exit codes of grant and bulk.

Each exception carries its exit code (``exit_status``); ``ExitStatus`` is the one list of the
codes. ``employee`` is the employee the portal found (name, e-mail) when the error came after
the lookup, so reports can name whom a refusal was about.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.core.pages import EmployeeRow


class ExitStatus(IntEnum):
    """How ``sesag grant`` and ``sesag bulk`` end (their --help lists the same)."""

    OK = 0
    FAILED = 1  # unexpected, or (bulk) some lines failed
    USAGE = 2
    EMPLOYEE = 3  # not found, or more than one matches
    REFUSED = 4  # the one-right rule, or the portal refused the save
    PORTAL = 5  # unreachable or failing after the retries
    LOGIN = 6  # log-in failed or credentials missing
    UNVERIFIED = 7  # saved, but the rights or events page does not confirm it
    REPORT = 8  # bulk: the report could not be written mid-run; stopped before the next change
    SIGINT = 130  # 128 + the signal's number, as a shell reports it
    SIGTERM = 143


class GrantError(Exception):
    """A grant that could not be done."""

    exit_status = ExitStatus.FAILED

    def __init__(self, message: str, employee: EmployeeRow | None = None):
        super().__init__(message)
        self.employee = employee


class EmployeeNotFound(GrantError):
    """No active employee has that exact e-mail or name."""

    exit_status = ExitStatus.EMPLOYEE

    def __init__(self, message: str, candidates: list | None = None):
        super().__init__(message)
        self.candidates = candidates or []


class AmbiguousEmployee(EmployeeNotFound):
    """More than one employee has that name."""


class RuleRefused(GrantError):
    """The one-right rule: the employee holds the other AES right."""

    exit_status = ExitStatus.REFUSED


class SaveRefused(GrantError):
    """The portal refused the save (its alert text is the message)."""

    exit_status = ExitStatus.REFUSED


class PortalDown(GrantError):
    """The portal did not answer, or kept failing, after the retries."""

    exit_status = ExitStatus.PORTAL


class PortalUnreachable(PortalDown):
    """Nothing answered at the portal's address, after the retries."""


class LoginError(GrantError):
    """Missing credentials, or the portal refused the log-in."""

    exit_status = ExitStatus.LOGIN


class VerificationFailed(GrantError):
    """Saved, but the rights or events page does not show the change."""

    exit_status = ExitStatus.UNVERIFIED


class StaleSave(Exception):
    """The save met a newer version of the employee's rights: read again and retry."""
