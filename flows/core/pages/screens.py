"""The page objects of every screen over one tab."""

from __future__ import annotations

from playwright.sync_api import Page

from flows.core.pages.employee import EmployeePage
from flows.core.pages.employees import EmployeesPage
from flows.core.pages.events import EventsPage
from flows.core.pages.front import FrontPage
from flows.core.pages.login import LoginPage
from flows.core.pages.rights import RightsPage
from flows.core.pages.self_service import SelfServicePage


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
