"""End-to-end fixtures: a live mock portal in a thread, and Chromium set up for this machine.

Follows pytest-playwright: small chained fixtures, and our launch/context options are merged
into ``browser_type_launch_args`` / ``browser_context_args`` so ``--headed``, ``--slowmo``,
``--tracing`` and ``--screenshot`` keep working as in any pytest-playwright project.
"""
from __future__ import annotations

import pytest

from flows import browser as sesag_browser
from flows.embedded import embedded_portal


@pytest.fixture(scope="session")
def live_portal():
    """The mock portal, served for the whole session on a free port."""
    with embedded_portal() as portal:
        yield portal


@pytest.fixture
def portal(live_portal):
    """The live portal, reset to the demo data before the test."""
    live_portal.reset()
    return live_portal


@pytest.fixture(scope="session")
def base_url(live_portal):
    """pytest-base-url's fixture, pointed at the live mock."""
    return live_portal.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    """Add this machine's Chromium and flags; keep what pytest-playwright put there."""
    headed = browser_type_launch_args.get("headless") is False
    ours = sesag_browser.launch_options(playwright, headed=headed)
    merged = {**ours, **browser_type_launch_args}
    merged["args"] = ours["args"] + list(browser_type_launch_args.get("args", []))
    return merged


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """The deterministic screen (viewport, da-DK, Copenhagen, no motion) plus the plugin's."""
    return {**sesag_browser.context_options(), **browser_context_args}
