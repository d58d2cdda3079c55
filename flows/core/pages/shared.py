"""Shared by every page object: the rights table, the locating helpers (``exactly``, ``labelled``),
the click and the page loads (``click``, ``navigate``, ``goto``), what every logged-in page has
(``LoggedInPage``), and the plain values the screens return (``EmployeeRow``, ``SaveResult``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

import catalogue
from flows import first_line
from flows.errors import NotLoggedIn, PortalError, PortalUnavailable, PortalUnreachable

# Right key (the CLI's word) -> (checkbox accessible name, checkbox value), from the catalogue's rights table.
AES = "Arbejdsmarkedets Erhvervssikring"
RIGHTS = {right.key: (right.portal_label, right.portal_id) for right in catalogue.rights()}
# Words of the portal's messages that the flows react to.
STALE_HINT = "genindlæs"
EVENT_GRANTED = "tildelt"
EVENT_REVOKED = "fjernet"

# Chromium's errors for "no answer at this address" (not a page that failed to load).
UNREACHABLE = re.compile(
    r"net::ERR_(?:CONNECTION_REFUSED|NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|ADDRESS_UNREACHABLE|"
    r"CONNECTION_TIMED_OUT|INTERNET_DISCONNECTED)"
)


def exactly(text: str) -> re.Pattern:
    """A whole-name match ignoring case: the portal may write labels in capitals or by CSS."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$", re.IGNORECASE)


def labelled(page: Page, label: str) -> Locator:
    """The form field labelled ``label``; a trailing ':' or required-'*' in the label is allowed.

    (Playwright matches a label's whole text, aria-hidden '*' included.)
    """
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*:?\s*\*?\s*:?\s*$", re.IGNORECASE))


def click(target: Locator, force: bool = False) -> None:
    """Click ``target`` as a person would: Playwright waits until it is there, visible, steady,
    enabled and not covered, then clicks its middle.

    ``force`` (the fast profile only, docs/decisions/0001-fast-profile.md) skips those checks:
    its browser draws no frames, and "steady" is measured over two animation frames. What the
    flows do next checks what the click did (the next page came, the box is ticked).
    """
    target.click(force=force)


def set_checked(box: Locator, checked: bool, force: bool = False) -> None:
    """Tick or untick ``box`` by clicking it (see ``click``); Playwright then checks its state."""
    box.set_checked(checked, force=force)


class _ActionFailed(Exception):
    def __init__(self, error: PlaywrightError):
        self.error = error


def navigate(page: Page, action: Callable[[], None]) -> None:
    """Do ``action`` (a click that loads a new document) and wait for that document.

    The element not being there is a PortalError (the page is not the one expected); the
    portal not answering, or answering 5xx, is PortalUnavailable (worth retrying).
    """
    try:
        with page.expect_navigation(wait_until="domcontentloaded") as info:
            try:
                action()
            except PlaywrightError as exc:
                raise _ActionFailed(exc) from None
        response = info.value
    except _ActionFailed as failed:
        raise PortalError(f"unexpected page {page.url}: {first_line(failed.error)}") from None
    except PlaywrightError as exc:
        raise PortalUnavailable(f"the portal did not answer: {first_line(exc)}") from None
    check_response(response)


def check_response(response) -> None:
    """Raise PortalUnavailable when a document response is a server error."""
    if response is not None and response.status >= 500:
        raise PortalUnavailable(f"the portal answered HTTP {response.status} for {response.url}")


def goto(page: Page, url: str) -> None:
    """Load ``url`` as a person typing it would; raise PortalUnavailable on 5xx/no answer."""
    try:
        response = page.goto(url, wait_until="domcontentloaded")
    except PlaywrightError as exc:
        unreachable = UNREACHABLE.search(str(exc))
        if unreachable:
            raise PortalUnreachable(unreachable.group(0)) from None
        raise PortalUnavailable(f"cannot reach the portal at {url}: {first_line(exc)}") from None
    check_response(response)


def on_login_page(page: Page) -> bool:
    """The portal shows one of its log-in pages (``/log-paa``, ``/log-paa/noeglekort``)."""
    return bool(re.search(r"/log-paa(?:/|$|\?)", page.url))


def ensure_logged_in(page: Page) -> None:
    """NotLoggedIn when the portal has sent us back to its log-in page."""
    if on_login_page(page):
        raise NotLoggedIn("the portal asks for a log-in again (session ended)")


@dataclass(frozen=True)
class EmployeeRow:
    """One row of the employee table."""

    name: str
    email: str
    group: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.group})" if self.group else f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class SaveResult:
    """What the portal said after 'GEM RETTIGHEDER'."""

    saved: bool
    message: str
    stale: bool = False  # refused because someone saved in between: read again and retry


class LoggedInPage:
    """What every logged-in page has: the left menu, the status/alert messages, LOG AF."""

    def __init__(self, page: Page, force: bool = False):
        self.page = page
        self.force = force  # clicks without actionability checks (see ``click``)
        self.menu = page.get_by_role("navigation", name="NemID medarbejdersignatur")
        self.status = page.get_by_role("status")
        self.error = page.get_by_role("alert")

    def error_text(self) -> str | None:
        """The portal's alert (role=alert) on this page, or None."""
        texts = self.error.all_inner_texts()
        return " ".join(texts[0].split()) if texts else None

    def status_text(self) -> str | None:
        """The portal's confirmation (role=status) on this page, or None."""
        texts = self.status.all_inner_texts()
        return " ".join(texts[0].split()) if texts else None

    def _click_through(self, target: Locator) -> None:
        """Click ``target``, wait for the next document, and check we are still logged in."""
        navigate(self.page, lambda: click(target, self.force))
        ensure_logged_in(self.page)

    def _load(self, url: str) -> None:
        """Load ``url`` and check we are still logged in."""
        goto(self.page, url)
        ensure_logged_in(self.page)

    def _submit(self, button: Locator) -> SaveResult:
        """Click a save button and return the portal's refusal (alert) or confirmation (status)."""
        self._click_through(button)
        alert = self.error_text()
        if alert:
            return SaveResult(False, alert, stale=STALE_HINT in alert.lower())
        return SaveResult(True, self.status_text() or "")


def offered(page: Page, role: str) -> list[str]:
    """The accessible names of the elements of ``role`` on the page, in page order (no duplicates).

    What the page offers instead of a missing element, in the page's own words (a failing step
    says "no button 'Gem rettigheder'; buttons on the page: Fortryd, Gem ændringer").

    Best effort, for error messages only (``flows.core.failure``): it reads the YAML of
    ``aria_snapshot()`` with a regex, and that text's form is Playwright's to change. No flow
    decides anything on it; on any doubt it returns fewer names, or none.
    """
    try:
        tree = page.locator("body").aria_snapshot(timeout=2_000)
    except PlaywrightError:
        return []
    names = re.findall(rf'^\s*- {re.escape(role)} "((?:[^"\\]|\\.)*)"', tree, flags=re.MULTILINE)
    return list(dict.fromkeys(name.replace('\\"', '"') for name in names))
