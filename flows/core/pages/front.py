"""The front page (``/``) and the portal's sheet the guide shoots."""

from __future__ import annotations

from playwright.sync_api import Page

from flows.core.pages.shared import click, exactly, goto, navigate


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
