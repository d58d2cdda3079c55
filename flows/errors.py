"""What can go wrong when a right is granted or revoked.

The exceptions say what happened; ``flows.admin.commands.EXIT_CODES`` is the one table that turns
them into exit codes. ``employee`` is the employee the portal found (name, e-mail) when the
error came after the lookup, so reports can name whom a refusal was about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.core.pages import EmployeeRow


class GrantError(Exception):
    """A grant that could not be done."""

    def __init__(self, message: str, employee: EmployeeRow | None = None):
        super().__init__(message)
        self.employee = employee


class EmployeeNotFound(GrantError):
    """No active employee has that exact e-mail or name."""

    def __init__(self, message: str, candidates: list | None = None):
        super().__init__(message)
        self.candidates = candidates or []


class AmbiguousEmployee(EmployeeNotFound):
    """More than one employee has that name."""


class RuleRefused(GrantError):
    """The one-right rule: the employee holds the other AES right."""


class SaveRefused(GrantError):
    """The portal refused the save (its alert text is the message)."""


class PortalDown(GrantError):
    """The portal did not answer, or kept failing, after the retries."""


class PortalUnreachable(PortalDown):
    """Nothing answered at the portal's address, after the retries."""


class LoginError(GrantError):
    """Missing credentials, or the portal refused the log-in."""


class VerificationFailed(GrantError):
    """Saved, but the rights or events page does not show the change."""


class StaleSave(Exception):
    """The save met a newer version of the employee's rights: read again and retry."""
