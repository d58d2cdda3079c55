"""The employees list: the table, AVANCERET SØGNING, paging."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Locator, Page

from flows.core.pages.shared import EmployeeRow, LoggedInPage, click, exactly, labelled, navigate


class EmployeesPage(LoggedInPage):
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
