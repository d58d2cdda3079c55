"""The self-service start page (``/selvbetjening``)."""

from __future__ import annotations

from playwright.sync_api import Page

from flows.core.pages.shared import LoggedInPage, exactly


class SelfServicePage(LoggedInPage):
    """``/selvbetjening``: NEMID SELVBETJENING TIL ERHVERV."""

    def __init__(self, page: Page, force: bool = False):
        super().__init__(page, force)
        self.heading = page.get_by_role("heading", name=exactly("NemID selvbetjening til erhverv"))
        self.employees_link = self.menu.get_by_role("link", name="Administrér medarbejdere", exact=True)

    def open_employees(self) -> None:
        self._click_through(self.employees_link)
