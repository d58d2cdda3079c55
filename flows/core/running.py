"""How every command ends: a known failure becomes one line on stderr and its exit code.

One function for grant, bulk, guide, demo and browser, so a failure of one kind ends with the same
code in every command (``flows.errors.ExitStatus``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click
from playwright.sync_api import Error as PlaywrightError

from flows import first_line
from flows.errors import ExitStatus, SesagError, exit_status_of


def to_stderr(message: str) -> None:
    """A progress line on stderr, where it does not mix with what a command prints for scripts."""
    click.echo(message, err=True)


def run_command(
    work: Callable[[], int | None],
    after_error: Callable[[SesagError], None] | None = None,
    any_error_in_one_line: bool = False,
) -> None:
    """Run a command's body and exit with its code (None: OK).

    A ``SesagError`` is printed as ``Error: <message>`` (then ``after_error``, for a line such as
    "the guide was left as it was") and ends with the code it carries; the browser itself failing
    (crashed, closed, not started) ends with ``ExitStatus.BROWSER``. With
    ``any_error_in_one_line`` (guide and demo, whose users are no programmers), any other
    exception is one line too, its type and first line, and ends with ``ExitStatus.FAILED``.
    """
    try:
        try:
            code = work()
        except (SesagError, PlaywrightError, KeyboardInterrupt):
            raise
        except Exception as exc:
            if not any_error_in_one_line:
                raise
            raise SesagError(f"{type(exc).__name__}: {first_line(exc)}") from exc
    except SesagError as exc:
        click.echo(f"Error: {exc}", err=True)
        if after_error is not None:
            after_error(exc)
        sys.exit(exit_status_of(exc))
    except PlaywrightError as exc:
        click.echo(f"Error: the browser failed: {first_line(exc)}", err=True)
        sys.exit(ExitStatus.BROWSER)
    sys.exit(ExitStatus.OK if code is None else code)
