"""A fake portal for grant's and bulk's tests without Chromium: one employee's rights and events,
with failures to inject, behind a ``Session`` whose screens are small fakes."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

from flows import errors
from flows.admin import grant
from flows.admin.session import Session
from flows.core.credentials import Credentials
from flows.core.pages import EVENT_TIME, EmployeeRow, Event, SaveResult

LRA = EmployeeRow("Medlem - Lra", "lra@nets.dk", "Lra Nøglefil")


class FakePortal:
    """One employee's rights and events, with failures to inject."""

    def __init__(self, **held):
        self.held = {"sagsbehandler": False, "kommunal-sagsbehandler": False, **held}
        self.ticked = dict(self.held)
        self.events: list[Event] = []
        self.saves = 0
        self.fail_save_answer = 0  # the POST lands but its answer is lost this many times
        self.resent_as_stale = 0  # the POST lands, the browser resends it, the portal answers 409
        self.fail_open = 0  # the rights page fails this many times
        self.refuse = None

    def change_by_someone(self, key, value, by="Anden Admin (other)", minutes_ago=0):
        """The portal's record of a change (what HÆNDELSER shows), newest first."""
        label = {"sagsbehandler": "Sagsbehandler", "kommunal-sagsbehandler": "Kommunal sagsbehandler"}[key]
        at = datetime.now(ZoneInfo("Europe/Copenhagen")) - timedelta(minutes=minutes_ago)
        self.events.insert(
            0, Event(at.strftime(EVENT_TIME), by, f"Rettigheden {label} er {'tildelt' if value else 'fjernet'}")
        )
        self.held[key] = value

    # page objects
    def open_employee(self, name, email=None):
        pass

    def open_rights(self):
        if self.fail_open:
            self.fail_open -= 1
            raise errors.PortalUnavailable("HTTP 503")
        self.ticked = dict(self.held)

    def held_now(self):
        return dict(self.ticked)

    def set_right(self, key, value):
        self.ticked[key] = value

    def save(self):
        if self.refuse:
            return SaveResult(False, self.refuse)
        self.saves += 1
        for key in self.held:
            if self.held[key] != self.ticked[key]:
                self.change_by_someone(key, self.ticked[key], by="Admin Demo (admin)")
        self.held = dict(self.ticked)
        if self.fail_save_answer:
            self.fail_save_answer -= 1
            raise errors.PortalUnavailable("the portal did not answer: timeout")
        if self.resent_as_stale:
            self.resent_as_stale -= 1
            return SaveResult(False, "Rettighederne er ændret af en anden. Genindlæs siden.", stale=True)
        return SaveResult(True, "Rettighederne er gemt for Medlem - Lra.")


def make_session(portal, monkeypatch, rows=(LRA,)):
    """A session on ``portal``, finding the employees in ``rows`` (grant.find_employee patched)."""
    session = Session(
        page=mock.MagicMock(),
        base_url="http://portal/",
        credentials=Credentials.demo(),
        retries=2,
        backoff=0.01,
        sleep=lambda s: None,
    )
    session.screens = SimpleNamespace(
        employees=mock.Mock(open_employee=portal.open_employee),
        employee_page=mock.Mock(open_rights=portal.open_rights),
        rights=mock.Mock(
            held=portal.held_now,
            set_right=portal.set_right,
            save=portal.save,
            is_shown=lambda: True,
            events_url=lambda: "http://portal/x/haendelser",
            open=lambda url: portal.open_rights(),  # the next row of the same employee comes straight here
            employee_name=lambda: LRA.name,
        ),
        events=mock.Mock(open=lambda url: None, entries=lambda: list(portal.events)),
    )

    def find(session_, query):
        matches = [row for row in rows if query.casefold() in (row.email.casefold(), row.name.casefold())]
        if not matches:
            raise errors.EmployeeNotFound(f"No active employee with {query!r}.")
        if len(matches) > 1:
            raise errors.AmbiguousEmployee(f"{len(matches)} employees match {query!r}", matches)
        return matches[0]

    monkeypatch.setattr(grant, "find_employee", find)
    return session
