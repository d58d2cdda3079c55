"""Page objects: the one place that knows how each portal screen is found and clicked.

One class per screen. Locators are built in ``__init__`` by role and label (the portal's
accessibility contract), so they can be highlighted by the guide before anything is clicked;
methods are named for what an administrator does and wait on conditions (a navigation, a
URL, an element), never on the clock. They do not assert: they return what they see, and raise
only when the flow cannot go on (a log-in refused, the portal answering 5xx).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: F401 - the flows catch it as pages.PlaywrightTimeout

import catalogue
from flows import first_line
from flows.errors import LoginFailed, NotLoggedIn, PortalError, PortalUnavailable, PortalUnreachable

if TYPE_CHECKING:
    from flows.core.credentials import Credentials

# Right key (the CLI's word) -> (checkbox accessible name, checkbox value), from the catalogue's rights table.
AES = "Arbejdsmarkedets Erhvervssikring"
RIGHTS = {right.key: (right.portal_label, right.portal_id) for right in catalogue.rights()}
# Words of the portal's messages that the flows react to.
STALE_HINT = "genindlæs"
EVENT_GRANTED = "tildelt"
EVENT_REVOKED = "fjernet"

_RIGHTS_URL = re.compile(r"/selvbetjening/medarbejdere/[^/?#]+/rettigheder/?(?:[?#].*)?$")


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


def _on_login_page(page: Page) -> bool:
    return bool(re.search(r"/log-paa(?:/|$|\?)", page.url))


def _ensure_logged_in(page: Page) -> None:
    if _on_login_page(page):
        raise NotLoggedIn("the portal asks for a log-in again (session ended)")


class FrontPage:
    """``/``: NEMID MEDARBEJDERSIGNATUR with the link list."""

    def __init__(self, page: Page, base_url: str, force: bool = False):
        self.page = page
        self.force = force  # clicks without actionability checks (see ``click``)
        self.base_url = base_url.rstrip("/")
        self.heading = page.get_by_role("heading", name=exactly("NemID medarbejdersignatur"))
        self.login_link = page.get_by_role("link", name="Log på NemID selvbetjening", exact=True)

    def open(self) -> None:
        goto(self.page, self.base_url + "/")

    def go_to_login(self) -> None:
        navigate(self.page, lambda: click(self.login_link, self.force))


class PortalSheet:
    """The portal's page itself, without the grey desk around it: what the guide shoots."""

    def __init__(self, page: Page):
        self.page = page
        self.sheet = page.locator("body > .page")
        # The left menu, the content and the account box: where the page's content ends.
        self.columns = page.locator("body > .page > .body > *")


class LoginPage:
    """``/log-paa`` (bruger-id, adgangskode) and ``/log-paa/noeglekort`` (the key card)."""

    def __init__(self, page: Page, force: bool = False):
        self.page = page
        self.force = force  # clicks without actionability checks (see ``click``)
        self.user_field = labelled(page, "Bruger-id")
        self.password_field = labelled(page, "Adgangskode")
        self.next_button = page.get_by_role("button", name=exactly("Næste"))
        self.key_code = page.get_by_test_id("key-code")
        self.key_number = page.get_by_text(re.compile(r"^\s*Nøgle nr\.")).first  # 'Nøgle nr. 0427'
        self.key_field = labelled(page, "Nøgle")
        self.demo_hint = page.get_by_role("note", name="Kun til demo")
        self.demo_key = self.demo_hint.get_by_test_id("demo-key")
        self.login_button = page.get_by_role("button", name=exactly("Log på"))
        self.error = page.get_by_role("alert")

    def open(self, base_url: str) -> None:
        goto(self.page, base_url.rstrip("/") + "/log-paa")

    def enter_user_id(self, user: str) -> None:
        """Type the bruger-id only."""
        self.user_field.fill(user)

    def enter_password(self, credentials: Credentials) -> None:
        """Type the bruger-id and the adgangskode (what the guide shows before 'Næste')."""
        self.user_field.fill(credentials.user)
        try:
            self.password_field.fill(credentials.password)
        except PlaywrightError:
            raise PortalError("the log-in page has no field 'Adgangskode'") from None

    def press_next(self) -> None:
        """Click 'Næste' and wait for the key-card page; LoginFailed when the portal refuses."""
        navigate(self.page, lambda: click(self.next_button, self.force))
        if not self.page.url.rstrip("/").endswith("/noeglekort") or self.key_field.count() == 0:
            raise self._refused("Log-in refused")

    def enter_key(self, credentials: Credentials) -> None:
        """Type the key for the code the key-card page asks for."""
        key = credentials.key_for(self.code_asked(), self.demo_key_shown())
        try:
            self.key_field.fill(key)
        except PlaywrightError:
            raise PortalError("the key-card page has no field 'Nøgle'") from None

    def press_log_in(self) -> None:
        """Click 'Log på' on the key-card page; LoginFailed when the portal refuses the key."""
        navigate(self.page, lambda: click(self.login_button, self.force))
        if _on_login_page(self.page):
            raise self._refused("Key card refused")

    def hide_demo_hint(self) -> None:
        """Hide the demo mock's key hint on this page (the guide shoots the page as a real portal
        shows it; the hint stays in the portal for trainees). Nothing happens where there is none."""
        self.demo_hint.evaluate_all("notes => notes.forEach(note => { note.hidden = true; })")

    def secrets(self) -> list[Locator]:
        """What a screenshot must mask: the password, the key typed and the demo key."""
        return [self.password_field, self.key_field, self.demo_key]

    def error_text(self) -> str | None:
        """The portal's alert on this page, or None."""
        texts = self.error.all_inner_texts()
        return " ".join(texts[0].split()) if texts else None

    def code_asked(self) -> str:
        """The key card's code number the portal asks for (4 digits)."""
        text = self.key_code.inner_text()
        found = re.search(r"\d{4}", text)
        return found.group(0) if found else text.strip()

    def demo_key_shown(self) -> str | None:
        """The key in the demo mock's hint box, or None on a real portal."""
        if self.demo_key.count() == 0:
            return None
        found = re.search(r"\d{6}", self.demo_key.inner_text())
        return found.group(0) if found else None

    def _refused(self, what: str) -> LoginFailed:
        return LoginFailed(f"{what}: {self.error_text() or 'the portal did not accept it'}")

    def log_in(self, credentials: Credentials) -> None:
        """Bruger-id + adgangskode, 'Næste', the key for the code shown, 'Log på'.

        Raises LoginFailed with the portal's alert text when it refuses either page.
        """
        self.enter_password(credentials)
        self.press_next()
        self.enter_key(credentials)
        self.press_log_in()


class _LoggedInPage:
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
        _ensure_logged_in(self.page)

    def _load(self, url: str) -> None:
        """Load ``url`` and check we are still logged in."""
        goto(self.page, url)
        _ensure_logged_in(self.page)

    def _submit(self, button: Locator) -> SaveResult:
        """Click a save button and return the portal's refusal (alert) or confirmation (status)."""
        self._click_through(button)
        alert = self.error_text()
        if alert:
            return SaveResult(False, alert, stale=STALE_HINT in alert.lower())
        return SaveResult(True, self.status_text() or "")


class SelfServicePage(_LoggedInPage):
    """``/selvbetjening``: NEMID SELVBETJENING TIL ERHVERV."""

    def __init__(self, page: Page, force: bool = False):
        super().__init__(page, force)
        self.heading = page.get_by_role("heading", name=exactly("NemID selvbetjening til erhverv"))
        self.employees_link = self.menu.get_by_role("link", name="Administrér medarbejdere", exact=True)

    def open_employees(self) -> None:
        self._click_through(self.employees_link)


@dataclass(frozen=True)
class EmployeeRow:
    """One row of the employee table."""

    name: str
    email: str
    group: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.group})" if self.group else f"{self.name} <{self.email}>"


class EmployeesPage(_LoggedInPage):
    """``/selvbetjening/medarbejdere``: the table, AVANCERET SØGNING, paging."""

    PATH = "/selvbetjening/medarbejdere"
    PENCIL_PREFIX = "Administrér "

    def __init__(self, page: Page, force: bool = False):
        super().__init__(page, force)
        self.heading = page.get_by_role("heading", name=exactly("Administrér medarbejdere"))
        # <summary> has no ARIA role in Playwright's engine; its visible text is its name.
        self.advanced_search = page.get_by_text(exactly("Avanceret søgning"))
        self.name_field = labelled(page, "Navn")
        self.email_field = labelled(page, "E-mail-adresse")
        self.group_select = labelled(page, "Medarbejdergruppe")
        self.status_select = labelled(page, "Status")
        self.search_button = page.get_by_role("button", name=exactly("Søg"))
        self.table = page.get_by_role("table")
        self.rows = self.table.get_by_role("row").filter(has=page.get_by_role("cell"))
        self.pager = page.get_by_role("navigation", name="Sider")
        self.next_page_link = self.pager.get_by_role("link", name=exactly("Næste"))

    def open(self, base_url: str) -> None:
        """Load the list directly (what the left menu link does)."""
        self._load(base_url.rstrip("/") + self.PATH)

    def open_search(self, base_url: str, name: str | None = None, email: str | None = None) -> None:
        """Open the result of AVANCERET SØGNING for ``name``/``email`` directly.

        The same GET its 'Søg' button sends (the form has no side effects), one page load
        instead of two; the flows use it, the guide shows the form (``search``).
        """
        query = urlencode({"navn": name or "", "email": email or ""})
        self._load(f"{base_url.rstrip('/')}{self.PATH}?{query}")

    def open_advanced_search(self) -> None:
        """Unfold AVANCERET SØGNING unless it is open already."""
        if not self.name_field.is_visible():
            click(self.advanced_search, self.force)
            self.name_field.wait_for(state="visible")

    def search(
        self, name: str | None = None, email: str | None = None, group: str | None = None, status: str | None = None
    ) -> None:
        """Fill AVANCERET SØGNING (empty fields for None) and click 'Søg'."""
        self.open_advanced_search()
        self.name_field.fill(name or "")
        self.email_field.fill(email or "")
        if group is not None:
            self.group_select.select_option(label=group)
        if status is not None:
            self.status_select.select_option(status)
        self._click_through(self.search_button)

    def results(self) -> list[EmployeeRow]:
        """The rows of the table on this page."""
        # The name is read from the pencil's accessible name: the cell may also hold a tag
        # such as 'inaktiv'.
        cells = self.rows.evaluate_all(
            """(rows, prefix) => rows.map(r => {
                 const text = Array.from(r.cells).slice(0, 3).map(c => c.innerText.trim());
                 const pencil = Array.from(r.querySelectorAll('a[aria-label]'))
                   .map(a => a.getAttribute('aria-label')).find(l => l.startsWith(prefix));
                 if (pencil) text[0] = pencil.slice(prefix.length).trim();
                 return text;
               })""",
            self.PENCIL_PREFIX,
        )
        return [EmployeeRow(*(list(c) + ["", "", ""])[:3]) for c in cells]

    def has_next_page(self) -> bool:
        return self.next_page_link.count() > 0

    def next_page(self) -> None:
        navigate(self.page, lambda: click(self.next_page_link, self.force))

    def all_results(self, limit_pages: int = 20) -> list[EmployeeRow]:
        """Rows of this page and the following ones (the search may span pages)."""
        found = self.results()
        for _ in range(limit_pages):
            if not self.has_next_page():
                break
            self.next_page()
            found += self.results()
        return found

    def pencil(self, name: str, email: str | None = None) -> Locator:
        """The pencil link of ``name`` (in the row showing ``email`` when given)."""
        link_name = f"{self.PENCIL_PREFIX}{name}"
        if email:
            row = self.rows.filter(has=self.page.get_by_role("cell", name=email, exact=True))
            return row.get_by_role("link", name=link_name, exact=True)
        return self.page.get_by_role("link", name=link_name, exact=True)

    def name_cell(self, name: str) -> Locator:
        """The cell showing ``name`` in its row: whose row a pencil is on."""
        return self.rows.filter(has=self.pencil(name)).get_by_role("cell", name=name, exact=True).first

    def open_employee(self, name: str, email: str | None = None) -> None:
        """Click the pencil of ``name`` (of the row with ``email`` when names repeat)."""
        self._click_through(self.pencil(name, email).first)


class EmployeePage(_LoggedInPage):
    """``/selvbetjening/medarbejdere/<id>``: ADMINISTRÉR MEDARBEJDER: <navn>."""

    def __init__(self, page: Page, force: bool = False):
        super().__init__(page, force)
        self.heading = page.get_by_role("heading", name=re.compile(r"^\s*Administrér medarbejder:", re.I))
        self.name_field = labelled(page, "Navn")
        self.email_field = labelled(page, "E-mail-adresse")
        self.address_field = labelled(page, "Adresse")
        self.save_button = page.get_by_role("button", name=exactly("Gem"))
        self.rights_link = page.get_by_role("link", name=exactly("Administrér rettigheder"))
        self.events_link = page.get_by_role("link", name=exactly("Se hændelser"))

    def edit(self, name: str | None = None, email: str | None = None, address: str | None = None) -> None:
        """Change the fields given (not saved yet)."""
        for locator, value in ((self.name_field, name), (self.email_field, email), (self.address_field, address)):
            if value is not None:
                locator.fill(value)

    def save(self) -> SaveResult:
        """Click 'Gem' and return the portal's confirmation or refusal."""
        return self._submit(self.save_button)

    def open_rights(self) -> None:
        self._click_through(self.rights_link)

    def open_events(self) -> None:
        self._click_through(self.events_link)


@dataclass(frozen=True)
class SaveResult:
    """What the portal said after 'GEM RETTIGHEDER'."""

    saved: bool
    message: str
    stale: bool = False  # refused because someone saved in between: read again and retry


class RightsPage(_LoggedInPage):
    """``.../rettigheder``: the rights tree, FORTRYD, GEM RETTIGHEDER."""

    def __init__(self, page: Page, force: bool = False):
        super().__init__(page, force)
        self.heading = page.get_by_role("heading", name=re.compile(r"^\s*Administrér rettigheder for", re.I))
        self.aes_group = page.get_by_role("group", name=AES, exact=True)
        self.aes_node = page.get_by_text(exactly(AES))
        self.save_button = page.get_by_role("button", name=exactly("Gem rettigheder"))

    def checkbox(self, right_key: str) -> Locator:
        """The 'Tildel rettighed' checkbox of ``sagsbehandler`` | ``kommunal-sagsbehandler``."""
        try:
            label, _value = RIGHTS[right_key]
        except KeyError:
            raise ValueError(f"unknown right {right_key!r}; choose one of {', '.join(RIGHTS)}") from None
        return self.aes_group.get_by_role("checkbox", name=label, exact=True)

    def is_shown(self) -> bool:
        return bool(_RIGHTS_URL.search(self.page.url))

    def is_held(self, right_key: str) -> bool:
        return self.checkbox(right_key).is_checked()

    def held(self) -> dict[str, bool]:
        """Every Se Sag right key -> ticked (read in one go)."""
        boxes = self.aes_group.get_by_role("checkbox").evaluate_all(
            "boxes => boxes.map(b => [Array.from(b.labels || []).map(l => l.innerText.trim()).join(' '), b.checked])"
        )
        ticked = {" ".join(label.split()): checked for label, checked in boxes}
        missing = [label for label, _value in RIGHTS.values() if label not in ticked]
        if missing:
            raise PortalError(f"the rights page shows no checkbox {', '.join(missing)} under {AES}")
        return {key: ticked[label] for key, (label, _value) in RIGHTS.items()}

    def expand(self) -> None:
        """Unfold Arbejdsmarkedets Erhvervssikring when it is folded (it opens by default)."""
        first = self.checkbox(next(iter(RIGHTS)))
        if not first.is_visible():
            click(self.aes_node.first, self.force)
            first.wait_for(state="visible")

    def set_right(self, right_key: str, held: bool) -> None:
        """Tick or untick the right (not saved yet)."""
        self.expand()
        set_checked(self.checkbox(right_key), held, self.force)

    def save(self) -> SaveResult:
        """Click 'GEM RETTIGHEDER' and return the portal's confirmation or refusal."""
        return self._submit(self.save_button)

    def reload(self) -> None:
        """Read the page again from the portal (a GET, also after a refused save)."""
        self._load(self.page.url)

    def open(self, url: str) -> None:
        """Load the rights page at ``url`` (one found by the search before, in this run)."""
        self._load(url)

    def employee_name(self) -> str:
        """Whose rights these are, as the heading names them."""
        return re.sub(r"^\s*Administrér rettigheder for\s*", "", self.heading.inner_text(), flags=re.I).strip()

    def events_url(self) -> str:
        """The 'Se hændelser' page of the same employee."""
        return re.sub(r"/rettigheder/?(?=[?#]|$)", "/haendelser", self.page.url.split("?")[0])


EVENT_TIME = "%d-%m-%Y kl. %H:%M"  # how HÆNDELSER writes a time (Copenhagen, to the minute)


@dataclass(frozen=True)
class Event:
    """One row of HÆNDELSER: when, by whom, what."""

    time: str
    by: str
    text: str

    def by_user(self, user_id: str) -> bool:
        """Done by the administrator logged in as ``user_id`` (the portal writes 'Name (user-id)')."""
        return self.by.strip().endswith(f"({user_id})")

    def at(self) -> datetime | None:
        """The time as an aware datetime (to the minute), or None when the portal wrote another form."""
        from flows.core.browser import TIMEZONE

        try:
            return datetime.strptime(" ".join(self.time.split()), EVENT_TIME).replace(tzinfo=ZoneInfo(TIMEZONE))
        except ValueError:
            return None

    def since(self, moment: datetime) -> bool:
        """At or after ``moment``, to the minute the portal shows."""
        at = self.at()
        return at is not None and at >= moment.replace(second=0, microsecond=0)


def event_mentions(text: str, right_label: str, granted: bool) -> bool:
    """True when an event text says ``right_label`` was granted (or revoked).

    'Sagsbehandler' is part of 'Kommunal sagsbehandler', so the longer label is taken out
    before looking for the shorter one.
    """
    lowered = " ".join(text.lower().split())
    word = EVENT_GRANTED if granted else EVENT_REVOKED
    if word not in lowered:
        return False
    label = right_label.lower()
    longer = [other.lower() for other, _ in RIGHTS.values() if other.lower() != label and label in other.lower()]
    for other in longer:
        lowered = lowered.replace(other, " ")
    return label in lowered


class EventsPage(_LoggedInPage):
    """``.../haendelser``: HÆNDELSER FOR <navn>, newest first."""

    def __init__(self, page: Page, force: bool = False):
        super().__init__(page, force)
        self.heading = page.get_by_role("heading", name=re.compile(r"^\s*Hændelser for", re.I))
        self.table = page.get_by_role("table")
        self.rows = self.table.get_by_role("row").filter(has=page.get_by_role("cell"))

    def open(self, url: str) -> None:
        self._load(url)

    def entries(self) -> list[Event]:
        """Every event row on the page, newest first."""
        cells = self.rows.evaluate_all(
            "rows => rows.map(r => Array.from(r.cells).slice(0, 3).map(c => c.innerText.trim()))"
        )
        return [Event(*(list(c) + ["", "", ""])[:3]) for c in cells]


class Screens:
    """The page objects of every screen over one tab: the one set both the procedure's walk
    (``flows.core.steps.Walk``) and the grant session (``flows.admin.session.Session``) use. ``force``:
    their clicks skip Playwright's actionability checks (the fast profile only, see ``click``)."""

    def __init__(self, page: Page, base_url: str, force: bool = False):
        self.front = FrontPage(page, base_url, force)
        self.login = LoginPage(page, force)
        self.self_service = SelfServicePage(page, force)
        self.employees = EmployeesPage(page, force)
        self.employee_page = EmployeePage(page, force)
        self.rights = RightsPage(page, force)
        self.events = EventsPage(page, force)


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
