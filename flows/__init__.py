"""Playwright flows, the illustrated guide and the demo for the Se Sag procedure.

The words they follow are the ``catalogue`` package's, which the mock portal reads too.
"""

import importlib.metadata


def tool_version() -> str:
    """The installed version of this tool (``sesag``), as its package metadata says."""
    try:
        return importlib.metadata.version("sesag")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "0+unknown"


def tool() -> str:
    """This tool and its version, as the guide's colophon and the PDF's Creator name it: 'sesag 0.1.0'."""
    return f"sesag {tool_version()}"


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none): one
    clear line for the user instead of a traceback or Playwright's multi-line call log."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
