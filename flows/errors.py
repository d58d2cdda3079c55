"""Every failure a sesag command can end in, and the exit codes of all commands.

One hierarchy: each exception carries its exit code (``exit_status``), and ``ExitStatus`` is the
one list of the codes, each with one meaning in every command (each command's --help lists the
ones it can end with; docs/decisions/0011-exit-codes.md). ``employee`` is the employee the portal
found (name, e-mail) when a grant's error came after the lookup, so reports can name whom a
refusal was about.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.core.pages import EmployeeRow
    from flows.core.steps import ActedScene, Step


class ExitStatus(IntEnum):
    """How every ``sesag`` command ends."""

    OK = 0
    FAILED = 1  # not all done: an unexpected error, or (bulk) some lines failed or were not run
    USAGE = 2  # an option, file or folder that cannot be used; nothing was done
    EMPLOYEE = 3  # not found, or more than one matches
    REFUSED = 4  # the one-right rule, or the portal refused the save
    PORTAL = 5  # unreachable, failing after the retries, or a page the flows do not know
    LOGIN = 6  # log-in failed or credentials missing
    UNVERIFIED = 7  # saved, but the rights or events page does not confirm it
    REPORT = 8  # bulk: the report could not be written mid-run; stopped before the next change
    CHANGED = 9  # guide check: a screenshot differs from the approved one
    BROWSER = 10  # no browser to run (`sesag browser` installs one), or the browser failed
    SIGINT = 130  # 128 + the signal's number, as a shell reports it
    SIGTERM = 143


class SesagError(Exception):
    """A failure a command reports in one line and ends with its ``exit_status``."""

    exit_status = ExitStatus.FAILED


class UsageError(SesagError):
    """An option, file or folder the command cannot use; nothing was done."""

    exit_status = ExitStatus.USAGE


class BrowserNotFound(SesagError):
    """No usable Chromium (or no browser server answering)."""

    exit_status = ExitStatus.BROWSER


class CredentialsError(SesagError, ValueError):
    """Credentials are missing or unusable; the message never contains a secret."""

    exit_status = ExitStatus.LOGIN


class PortalError(SesagError):
    """The portal could not be used: a page it should show did not come."""

    exit_status = ExitStatus.PORTAL


class PortalUnavailable(PortalError):
    """The portal did not answer, or answered with a server error (worth retrying)."""


class PortalUnreachable(PortalUnavailable):
    """Nothing answered at the address at all (connection refused, unknown host, ...)."""


class LoginFailed(PortalError):
    """The portal refused the log-in; the message is the portal's own alert text."""

    exit_status = ExitStatus.LOGIN


class NotLoggedIn(PortalError):
    """The portal sent us to the log-in page (session ended; worth logging in again)."""


class GrantError(SesagError):
    """A grant that could not be done."""

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
    """The portal did not answer, or kept failing, after the retries (``unreachable``: nothing
    answered at its address at all)."""

    exit_status = ExitStatus.PORTAL

    def __init__(self, message: str, employee: EmployeeRow | None = None, unreachable: bool = False):
        super().__init__(message, employee)
        self.unreachable = unreachable


class LoginError(GrantError):
    """Missing credentials, or the portal refused the log-in (after ``LoginFailed``)."""

    exit_status = ExitStatus.LOGIN


class VerificationFailed(GrantError):
    """Saved, but the rights or events page does not show the change."""

    exit_status = ExitStatus.UNVERIFIED


class StaleSave(SesagError):
    """The save met a newer version of the employee's rights: read again and retry."""


class StepFailed(SesagError):
    """A scene of the procedure failed: names the step and scene, and ends as its cause does."""

    def __init__(self, step: Step, scene: ActedScene, cause: BaseException, text: str):
        super().__init__(f"Trin {step.number} ({scene.id}) failed: {text}")
        self.step = step
        self.scene = scene
        self.exit_status = exit_status_of(cause, ExitStatus.PORTAL)


class GuideError(SesagError):
    """The guide could not be made; the message names the step (``exit_status`` as its cause's)."""

    def __init__(self, message: str, exit_status: ExitStatus = ExitStatus.PORTAL):
        super().__init__(message)
        self.exit_status = exit_status


class UnusableFolder(UsageError):
    """--out or --diff-dir cannot take what the command writes: a file, a folder of other files,
    or not writable."""


def exit_status_of(exc: BaseException, default: ExitStatus = ExitStatus.FAILED) -> ExitStatus:
    """The exit code ``exc`` carries (``default`` for an exception of no sesag kind)."""
    return getattr(exc, "exit_status", default)
