"""A logged-in portal tab, its page objects, and the retries around work done in it.

``open_session`` gives ``sesag grant`` and ``sesag bulk`` one browser, one context and one
logged-in tab; ``Session.add_worker`` gives a bulk worker a browser of its own, logged in by
this session's cookies (the same log-in). ``Session.with_retries`` runs a piece of work again after portal errors and
time-outs, logging in again when the portal has forgotten the session.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flows.credentials import Credentials, CredentialsError
from flows.errors import LoginError, PortalDown, PortalUnreachable, StaleSave

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
DEFAULT_RETRIES = 3  # tries after the first one, for portal errors and time-outs
DEFAULT_BACKOFF = 0.5  # seconds before the first retry; doubles each time
DEFAULT_TIMEOUT = 15.0  # seconds an element or a page may take

# What the browser need not fetch: the flows read text and click, they take no pictures.
# Off by default: Playwright turns the HTTP cache off in a context with routes, and on the mock
# (one stylesheet, two fonts, no images) the cache wins; measured by bench/bulk.py
# --compare-blocking, blocking made bulk 10-25 % slower. Worth it on image-heavy portals.
_BLOCKED = re.compile(r"\.(?:png|jpe?g|gif|webp|avif|svg|ico|bmp|woff2?|ttf|otf|eot|mp4|webm|mp3)(?:[?#].*)?$", re.I)


@dataclass
class Session:
    """A logged-in portal tab and the page objects over it (``flows.pages.Screens``)."""

    page: object
    base_url: str
    credentials: Credentials
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    # When this run began: events by this administrator from then on are this run's changes.
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    # What a bulk worker's browser needs to be like this one (see add_worker).
    timeout: float = DEFAULT_TIMEOUT
    block: bool = False
    launch_another: Callable[[], object] | None = field(default=None, repr=False)
    own_browser: object | None = field(default=None, init=False, repr=False)  # a worker's: closed with it
    rows_on_page: int = field(default=0, init=False)  # rows done since the tab was opened
    # The employee this tab looked up last: (what the row asked for, casefolded; the row the
    # search found; their rights page), so that the next row of the same employee goes
    # straight to the rights page. Bulk gives all of an employee's rows to one tab in turn.
    last_found: tuple[str, object, str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self._bind_screens()

    def _bind_screens(self) -> None:
        from flows.pages import Screens

        self.screens = Screens(self.page, self.base_url)

    def renew_page(self) -> None:
        """Go on in a fresh tab of the same context (still logged in) and close the old one.

        Chromium's renderer gets slower with every document a tab has loaded: measured here,
        one tab doing bulk rows went from 0.93 to 1.49 s per row over 200 rows; a new tab
        (about 0.1 s) starts fast again.
        """
        old = self.page
        self.page = old.context.new_page()
        self._bind_screens()
        self.rows_on_page = 0
        old.close()

    def add_worker(self) -> Session:
        """A logged-in tab for another bulk worker, in a browser of its own.

        A browser's main process serves all of its tabs; with two tabs doing bulk rows it was
        the bottleneck (bench/bulk.py: 1.07x the rows per second of one tab, 1.63x with two
        browsers). The worker's context starts with this context's cookies: the same log-in,
        no second one. ``launch_another`` opens the browser (as this one was opened), else
        ``flows.browser.another_browser``.
        """
        from flows import browser as browsers

        context = self.page.context
        browser = (self.launch_another or (lambda: browsers.another_browser(context.browser)))()
        try:
            worker_context = browser.new_context(**browsers.context_options(), storage_state=context.storage_state())
            if self.block:
                block_unneeded(worker_context)
            worker_context.set_default_timeout(self.timeout * 1000)
            worker = Session(
                worker_context.new_page(),
                self.base_url,
                self.credentials,
                retries=self.retries,
                backoff=self.backoff,
                sleep=self.sleep,
                started=self.started,
                timeout=self.timeout,
                block=self.block,
            )
        except BaseException:
            browser.close()
            raise
        worker.own_browser = browser
        return worker

    def close(self) -> None:
        """Close this session's tab, and its browser when it is a worker's own."""
        if self.own_browser is not None:
            self.own_browser.close()
        else:
            self.page.close()

    def with_retries(self, what: str, work: Callable[[int], object]) -> object:
        """Run ``work(attempt)``; on portal errors and time-outs wait, log in again if needed, retry."""
        from flows import pages

        attempt, log_in_first = 0, False
        while True:
            attempt += 1
            try:
                if log_in_first:
                    self._log_in_once()
                    log_in_first = False
                return work(attempt)
            except (pages.PortalUnavailable, pages.NotLoggedIn, pages.PlaywrightTimeout, StaleSave) as exc:
                if attempt > self.retries:
                    if isinstance(exc, pages.PortalUnreachable):
                        raise PortalUnreachable(self._unreachable(str(exc), attempt)) from None
                    reason = pages.first_line(exc) if isinstance(exc, pages.PlaywrightTimeout) else str(exc)
                    raise PortalDown(f"{what}: {reason} (gave up after {attempt} tries)") from None
                log_in_first = log_in_first or isinstance(exc, pages.NotLoggedIn)
                self.sleep(self.backoff * 2 ** (attempt - 1))

    def _unreachable(self, reason: str, tries: int) -> str:
        return (
            f"no portal answers at {self.base_url} ({reason}; {tries} {'try' if tries == 1 else 'tries'}). Start the mock portal with "
            "`sesag portal`, or give your portal's address with --base-url (or SESAG_BASE_URL)."
        )

    def _log_in_once(self) -> None:
        from flows import pages

        login = self.screens.login
        try:
            login.open(self.base_url)
            login.log_in(self.credentials)
        except pages.LoginFailed as exc:
            raise LoginError(str(exc)) from None
        except CredentialsError as exc:
            raise LoginError(f"Log-in: {exc}") from None

    def log_in(self) -> None:
        """Log in (bruger-id, adgangskode, key card); portal errors are retried, refusals not."""
        self.with_retries(f"Log-in at {self.base_url}", lambda attempt: self._log_in_once())


def block_unneeded(context) -> None:
    """Make the context skip images, fonts and media: the flows never look at them."""
    context.route(_BLOCKED, lambda route: route.abort())


def new_session(
    browser,
    base_url: str,
    credentials: Credentials,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    block: bool = False,
    launch_another: Callable[[], object] | None = None,
) -> Session:
    """A fresh context and page in ``browser``, logged in to the portal (``launch_another``:
    how to open one more browser like ``browser``, for bulk's workers)."""
    from flows import browser as browsers

    context = browser.new_context(**browsers.context_options())
    if block:
        block_unneeded(context)
    context.set_default_timeout(timeout * 1000)
    session = Session(
        context.new_page(),
        base_url,
        credentials,
        retries=retries,
        timeout=timeout,
        block=block,
        launch_another=launch_another,
    )
    session.log_in()
    return session


@contextmanager
def open_session(
    base_url: str,
    credentials: Credentials,
    headed: bool = False,
    slowmo: float = 0,
    connect: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    block: bool = False,
    own_signals: bool = False,
) -> Iterator[Session]:
    """One browser, one context, one page, logged in; closed afterwards. Keeping no pictures,
    it launches the system's headless shell when there is one (``flows.browser.launch_options``).

    ``own_signals``: the caller handles SIGINT and SIGTERM (to finish the row in progress), so
    Playwright must not close the browser on them.
    """
    from playwright.sync_api import sync_playwright

    from flows import browser as browsers

    with ExitStack() as stack:
        playwright = stack.enter_context(sync_playwright())

        # pictures=False: these flows read text and click, so the lighter headless shell will do.
        def launch():
            if own_signals and not connect:
                return browsers.launch_local(
                    playwright,
                    browsers.launch_options(playwright, headed=headed, slowmo=slowmo, pictures=False),
                    handle_sigint=False,
                    handle_sigterm=False,
                )
            return browsers.open_browser(playwright, headed=headed, slowmo=slowmo, connect=connect, pictures=False)

        browser = launch()
        stack.callback(browser.close)
        yield new_session(browser, base_url, credentials, timeout, retries, block, launch_another=launch)
