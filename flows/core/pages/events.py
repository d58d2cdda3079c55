"""An employee's events page (HÆNDELSER) and how its rows are read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page

from flows.core.browser import TIMEZONE
from flows.core.pages.shared import EVENT_GRANTED, EVENT_REVOKED, RIGHTS, LoggedInPage

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


class EventsPage(LoggedInPage):
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
