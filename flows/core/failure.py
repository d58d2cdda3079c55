"""A failing guide step, said in the page's words: which scene, which screen and URL, what was
looked for and what the page offered instead.

Playwright says "Locator.scroll_into_view_if_needed: Timeout 15000ms exceeded" and, in its call
log, which locator it waited for; this module turns that into "no button 'Gem rettigheder';
buttons on the page: Fortryd, Gem ændringer" with ``pages.offered``.

Best effort, for error messages only: Playwright's call log is text for people, not an API, and
may change with any release. A flow never decides anything on what is parsed here (a test checks
that only a failing step's message uses this module); when the parse finds nothing, the message
is Playwright's own first line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from flows import first_line

if TYPE_CHECKING:
    from flows.core.steps import StepFailed

# The last locator of the chain Playwright was waiting for: get_by_role("button", name=...).
_WAITING = re.compile(r"waiting for .*get_by_(role|label|text)\((.*)\)\s*$", re.MULTILINE)
_NAME = re.compile(r'(?:name=)?(?:re\.compile\(r?"(?P<pattern>(?:[^"\\]|\\.)*)"|"(?P<text>(?:[^"\\]|\\.)*)")')
# What a label names: the kinds of field a missing label is looked up among.
_FIELDS = ("textbox", "checkbox", "combobox", "radio", "spinbutton")
_PLURAL = {"checkbox": "checkboxes", "textbox": "text fields", "combobox": "selects", "field": "fields"}
MAX_NAMES = 30


def _readable(pattern: str) -> str:
    """``^\\s*Gem\\ rettigheder\\s*$`` -> ``Gem rettigheder``: the words a locator's regex wants."""
    pattern = re.sub(r"^\^(\\s\*)?", "", pattern)
    pattern = re.sub(r"(\\s\*|:\?|\\\*\?)*\$$", "", pattern)
    return re.sub(r"\\(.)", r"\1", pattern).strip()


def looked_for(error: BaseException) -> tuple[str, str] | None:
    """(role, name) of the element a Playwright error waited for; role 'field' for a label.

    Best effort, for the error message only: parsed from Playwright's human call log; None when
    it reads otherwise."""
    found = None
    for found in _WAITING.finditer(str(error)):  # noqa: B007 - the last match is the one wanted
        pass
    if found is None:
        return None
    kind, arguments = found.groups()
    if kind == "role":
        role, _, rest = arguments.partition(",")
        role = role.strip().strip('"')
    else:
        role, rest = ("field" if kind == "label" else "text"), arguments
    name = _NAME.search(rest)
    if name is None:
        return role, ""
    return role, _readable(name["pattern"]) if name["pattern"] is not None else name["text"]


def _plural(role: str) -> str:
    return _PLURAL.get(role, role + "s")


def what_is_missing(page, error: BaseException) -> str | None:
    """ "no button 'X'; buttons on the page: A, B" for a locator that never came, else None."""
    # The page objects on first use: --help loads this module and needs no browser (decision 0013).
    from flows.core.pages import offered

    wanted = looked_for(error)
    if wanted is None or wanted[0] == "text":
        return None
    role, name = wanted
    roles = _FIELDS if role == "field" else (role,)
    names = [found for kind in roles for found in offered(page, kind)]
    shown = ", ".join(names[:MAX_NAMES]) + (f", ... ({len(names)} in all)" if len(names) > MAX_NAMES else "")
    there = f"{_plural(role)} on the page: {shown}" if names else f"the page has no {_plural(role)}"
    return f"no {role} '{name}'; {there}"


def explain(failed: StepFailed, page) -> str:
    """The message of a failing step: scene, screen, URL, and what was missing in the page's words."""
    cause = failed.__cause__ or failed
    missing = what_is_missing(page, cause)
    where = f"Trin {failed.step.number} ({failed.scene.id}) failed on the {failed.scene.screen} screen at {page.url}"
    return f"{where}: {missing or first_line(cause)}"


def save_page(page, path: Path) -> Path | None:
    """A screenshot of the page as it was when the step failed (secrets masked), or None."""
    # The page objects on first use: --help loads this module and needs no browser (decision 0013).
    from flows.core.pages import LoginPage

    try:
        page.screenshot(path=str(path), animations="disabled", caret="hide", mask=LoginPage(page).secrets())
    except Exception:  # noqa: BLE001 - the browser may be gone; the message still says what failed
        return None
    return path
