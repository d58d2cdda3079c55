"""Playwright flows, the illustrated guide and the demo for the Se Sag procedure.

The words they follow are the ``catalogue`` package's, which the mock portal reads too.
"""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none): one
    clear line for the user instead of a traceback or Playwright's multi-line call log."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
