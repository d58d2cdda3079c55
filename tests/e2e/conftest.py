"""End-to-end fixtures: a live mock portal in a thread, and Chromium set up for this machine.

Follows pytest-playwright: small chained fixtures, and our launch/context options are merged
into ``browser_type_launch_args`` / ``browser_context_args`` so ``--headed``, ``--slowmo``,
``--tracing`` and ``--screenshot`` keep working as in any pytest-playwright project.
With ``SESAG_CONNECT=ws://...`` the browser comes from that Playwright browser server (a grid,
or CI's local ``playwright launch-server``) through pytest-playwright's ``connect_options``.
The traces pytest-playwright keeps (``--tracing retain-on-failure``) are redacted after each
test (``flows.core.redact.ArtefactRedactor``): no demo password or key-card key stays in them.

Every test here is marked ``e2e`` (``make test-fast`` leaves them out). ``make test`` runs
pytest-xdist with ``--dist loadscope``: the tests of one module run on one worker, so
module-scoped fixtures (a whole guide, a training portal) are made once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.core import browser as sesag_browser
from flows.core.embedded import embedded_portal
from flows.core.redact import ArtefactRedactor
from mock_portal import demo_data

HERE = Path(__file__).parent


def pytest_configure(config):
    """Redact pytest-playwright's traces (in ``--output``) as soon as each test has left them."""
    output = Path(config.getoption("--output", default="test-results"))
    config.pluginmanager.register(ArtefactRedactor(output, demo_data.secrets()), "sesag-redact-artefacts")


def pytest_itemcollected(item):
    """Mark each test here ``e2e`` as it is collected."""
    if HERE in item.path.parents:
        item.add_marker(pytest.mark.e2e)


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
def connect_options():
    """pytest-playwright's: the browser server in SESAG_CONNECT, or None (launch locally)."""
    endpoint = os.environ.get(sesag_browser.CONNECT_ENV)
    return sesag_browser.connect_options(endpoint) if endpoint else None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright, connect_options):
    """Add this machine's Chromium and flags; keep what pytest-playwright put there. (A browser
    server launches its own browser: a path on this machine means nothing there.)"""
    if connect_options:
        return browser_type_launch_args
    headed = browser_type_launch_args.get("headless") is False
    ours = sesag_browser.launch_options(playwright, headed=headed)
    merged = {**ours, **browser_type_launch_args}
    merged["args"] = ours["args"] + list(browser_type_launch_args.get("args", []))
    return merged


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """The deterministic screen (viewport, da-DK, Copenhagen, no motion) plus the plugin's."""
    return {**sesag_browser.context_options(), **browser_context_args}
