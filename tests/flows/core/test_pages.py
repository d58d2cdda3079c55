"""flows.core.pages without a browser: how a click is made by default (Playwright's actionability
checks) and in the fast profile (none: tests/e2e/test_grant_flow.py drives both for real)."""

import pytest

from flows.core import pages


class FakeLocator:
    def __init__(self):
        self.calls = []

    def click(self, **options):
        self.calls.append(("click", options))

    def set_checked(self, checked, **options):
        self.calls.append(("set_checked", checked, options))


@pytest.mark.parametrize("force", [False, True])
def test_a_click_keeps_playwrights_checks_unless_forced(force):
    box = FakeLocator()
    pages.click(box, force)
    pages.set_checked(box, True, force)
    assert box.calls == [("click", {"force": force}), ("set_checked", True, {"force": force})]


def test_by_default_a_click_keeps_playwrights_checks():
    box = FakeLocator()
    pages.click(box)
    pages.set_checked(box, False)
    assert box.calls == [("click", {"force": False}), ("set_checked", False, {"force": False})]


class FakePage:
    """Enough of a Page for the page objects' constructors (they only build locators)."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: self


@pytest.mark.parametrize("force", [False, True])
def test_every_screen_clicks_as_the_screens_were_told(force):
    screens = pages.Screens(FakePage(), "http://portal", force=force)
    kinds = ("front", "login", "self_service", "employees", "employee_page", "rights", "events")
    assert [getattr(screens, kind).force for kind in kinds] == [force] * len(kinds)
    assert pages.Screens(FakePage(), "http://portal").rights.force is False
