"""flows.pages without a browser: how a click is made in a browser that draws frames and in one
that does not (tests/e2e/test_grant_flow.py drives both for real)."""

from types import SimpleNamespace

import pytest

from flows import browser, pages


class FakeBrowser:
    """Weakly referable, as Playwright's Browser is."""


class FakeLocator:
    def __init__(self, in_browser):
        self.page = SimpleNamespace(context=SimpleNamespace(browser=in_browser))
        self.calls = []

    def click(self, **options):
        self.calls.append(("click", options))

    def set_checked(self, checked, **options):
        self.calls.append(("set_checked", checked, options))


def launched_with(args):
    """A browser launched through flows.browser.launch_local with ``args``."""
    playwright = SimpleNamespace(chromium=SimpleNamespace(launch=lambda **options: FakeBrowser()))
    return browser.launch_local(playwright, {"args": args})


@pytest.mark.parametrize(
    "in_browser, force",
    [
        (lambda: launched_with([browser.NO_FRAMES]), True),  # no frames: no wait for a steady element
        (lambda: launched_with([]), False),  # Playwright's checks before the click, as a person looks
        (lambda: FakeBrowser(), False),  # launched elsewhere (the test plugin, a browser server)
        (lambda: None, False),  # a persistent context has no browser
    ],
)
def test_a_click_waits_for_a_steady_element_only_where_frames_are_drawn(in_browser, force):
    made = in_browser()
    box = FakeLocator(made)
    pages.click(box)
    pages.set_checked(box, True)
    assert box.calls == [("click", {"force": force}), ("set_checked", True, {"force": force})]
