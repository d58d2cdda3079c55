"""Page objects: the one place that knows how each portal screen is found and clicked.

One class per screen, one module per screen (``front``, ``login``, ``self_service``,
``employees``, ``employee``, ``rights``, ``events``; ``screens`` holds them all over one tab),
and what they share in ``shared``. Locators are built in ``__init__`` by role and label (the
portal's accessibility contract), so they can be highlighted by the guide before anything is
clicked; methods are named for what an administrator does and wait on conditions (a navigation,
a URL, an element), never on the clock. They do not assert: they return what they see, and raise
only when the flow cannot go on (a log-in refused, the portal answering 5xx).

Every name is importable from here (``from flows.core.pages import RightsPage``).
"""

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from flows.core.pages.employee import EmployeePage
from flows.core.pages.employees import EmployeesPage
from flows.core.pages.events import EVENT_TIME, Event, EventsPage, event_mentions
from flows.core.pages.front import FrontPage, PortalSheet
from flows.core.pages.login import LoginPage
from flows.core.pages.rights import RightsPage
from flows.core.pages.screens import Screens
from flows.core.pages.self_service import SelfServicePage
from flows.core.pages.shared import (
    AES,
    EVENT_GRANTED,
    EVENT_REVOKED,
    RIGHTS,
    STALE_HINT,
    UNREACHABLE,
    EmployeeRow,
    SaveResult,
    check_response,
    click,
    exactly,
    goto,
    labelled,
    navigate,
    offered,
    set_checked,
)

__all__ = [
    "AES",
    "EVENT_GRANTED",
    "EVENT_REVOKED",
    "EVENT_TIME",
    "RIGHTS",
    "STALE_HINT",
    "UNREACHABLE",
    "EmployeePage",
    "EmployeeRow",
    "EmployeesPage",
    "Event",
    "EventsPage",
    "FrontPage",
    "LoginPage",
    # The flows catch Playwright's errors as pages.PlaywrightError / pages.PlaywrightTimeout, so
    # that modules loaded by `sesag --help` need not import Playwright to name them.
    "PlaywrightError",
    "PlaywrightTimeout",
    "PortalSheet",
    "RightsPage",
    "SaveResult",
    "Screens",
    "SelfServicePage",
    "check_response",
    "click",
    "event_mentions",
    "exactly",
    "goto",
    "labelled",
    "navigate",
    "offered",
    "set_checked",
]
