"""One employee's page: ADMINISTRÉR MEDARBEJDER."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from flows.core.pages.shared import LoggedInPage, SaveResult, exactly, labelled


class EmployeePage(LoggedInPage):
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
