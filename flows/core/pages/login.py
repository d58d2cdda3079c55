"""The log-in pages: bruger-id and adgangskode, then the key card."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from flows.core.pages.shared import click, exactly, goto, labelled, navigate, on_login_page
from flows.errors import LoginFailed, PortalError

if TYPE_CHECKING:
    from flows.core.credentials import Credentials


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
        if on_login_page(self.page):
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
