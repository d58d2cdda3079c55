"""An employee's rights page: the rights tree, FORTRYD, GEM RETTIGHEDER."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from flows.core.pages.shared import AES, RIGHTS, LoggedInPage, SaveResult, click, exactly, set_checked
from flows.errors import PortalError

_RIGHTS_URL = re.compile(r"/selvbetjening/medarbejdere/[^/?#]+/rettigheder/?(?:[?#].*)?$")


class RightsPage(LoggedInPage):
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
