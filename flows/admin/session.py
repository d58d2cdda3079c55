"""A logged-in portal tab, its page objects, and the retries around work done in it.

``open_session`` gives ``sesag grant`` and ``sesag bulk`` one browser, one context and one
logged-in tab; ``Session.start_worker`` gives a bulk worker a thread, a Playwright and a browser
of its own, logged in by this session's storage state (the same log-in). ``Session.with_retries``
runs a piece of work again after portal errors and time-outs, logging in again when the portal
has forgotten the session.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from flows import first_line
from flows.core import browser as browsers
from flows.core.browser import BrowserSpec
from flows.core.credentials import Credentials
from flows.errors import (
    CredentialsError,
    LoginError,
    LoginFailed,
    NotLoggedIn,
    PortalDown,
    PortalUnavailable,
    PortalUnreachable,
    StaleSave,
)

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
    """A logged-in portal tab and the page objects over it (``flows.core.pages.Screens``)."""

    page: object
    base_url: str
    credentials: Credentials
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    # When this run began: events by this administrator from then on are this run's changes.
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    # What a bulk worker's browser needs to be like this one (see start_worker); the profile
    # also decides how the page objects click.
    timeout: float = DEFAULT_TIMEOUT
    block: bool = False
    browser_spec: BrowserSpec = field(default_factory=lambda: BrowserSpec(pictures=False))
    rows_on_page: int = field(default=0, init=False)  # rows done since the tab was opened
    # The employee this tab looked up last: (what the row asked for, casefolded; the row the
    # search found; their rights page), so that the next row of the same employee goes
    # straight to the rights page. Bulk gives all of an employee's rows to one tab in turn.
    last_found: tuple[str, object, str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self._bind_screens()

    def _bind_screens(self) -> None:
        # The page objects on first use: --help loads this module and needs no browser (decision 0013).
        from flows.core.pages import Screens

        self.screens = Screens(self.page, self.base_url, force=self.browser_spec.force_clicks)

    def renew_page(self) -> None:
        """Go on in a fresh tab of the same context (still logged in) and close the old one.

        Chromium's renderer gets slower with every document a tab has loaded, and a new tab
        starts fast again (the figures in bench/README.md).
        """
        old = self.page
        self.page = old.context.new_page()
        self._bind_screens()
        self.rows_on_page = 0
        old.close()

    def start_worker(self) -> WorkerThread:
        """Another bulk worker: a thread with its own Playwright and browser (opened as this
        session's was, ``browser_spec``), its context logged in by this context's storage state.

        A browser's main process serves all of its tabs; with two tabs doing bulk rows it was
        the bottleneck, and two browsers were not (decision 0010). Playwright's sync API is not thread-safe, so each thread has its own
        ``sync_playwright()`` (Playwright's documented way to use threads).
        """
        settings = dict(
            base_url=self.base_url,
            credentials=self.credentials,
            retries=self.retries,
            backoff=self.backoff,
            sleep=self.sleep,
            started=self.started,
            timeout=self.timeout,
            block=self.block,
            browser_spec=self.browser_spec,
        )
        return WorkerThread(self.page.context.storage_state(), settings)

    def with_retries(self, what: str, work: Callable[[int], object]) -> object:
        """Run ``work(attempt)``; on portal errors and time-outs wait, log in again if needed, retry."""
        attempt, log_in_first = 0, False
        while True:
            attempt += 1
            try:
                if log_in_first:
                    self._log_in_once()
                    log_in_first = False
                return work(attempt)
            except (PortalUnavailable, NotLoggedIn, PlaywrightTimeout, StaleSave) as exc:
                if attempt > self.retries:
                    if isinstance(exc, PortalUnreachable):
                        raise PortalDown(self._unreachable(str(exc), attempt), unreachable=True) from None
                    reason = first_line(exc) if isinstance(exc, PlaywrightTimeout) else str(exc)
                    raise PortalDown(f"{what}: {reason} (gave up after {attempt} tries)") from None
                log_in_first = log_in_first or isinstance(exc, NotLoggedIn)
                self.sleep(self.backoff * 2 ** (attempt - 1))

    def _unreachable(self, reason: str, tries: int) -> str:
        return (
            f"no portal answers at {self.base_url} ({reason}; {tries} {'try' if tries == 1 else 'tries'}). Start the mock portal with "
            "`sesag portal`, or give your portal's address with --base-url (or SESAG_BASE_URL)."
        )

    def _log_in_once(self) -> None:
        login = self.screens.login
        try:
            login.open(self.base_url)
            login.log_in(self.credentials)
        except LoginFailed as exc:
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
    browser_spec: BrowserSpec | None = None,
) -> Session:
    """A fresh context and page in ``browser``, logged in to the portal (``browser_spec``: how
    ``browser`` was opened, for bulk's workers to open theirs alike)."""
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
        browser_spec=browser_spec or BrowserSpec(pictures=False),
    )
    session.log_in()
    return session


@contextmanager
def open_session(
    base_url: str,
    credentials: Credentials,
    browser_spec: BrowserSpec,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    block: bool = False,
) -> Iterator[Session]:
    """One browser (opened as ``browser_spec`` says), one context, one page, logged in; closed
    afterwards."""
    with ExitStack() as stack:
        playwright = stack.enter_context(sync_playwright())
        browser = browsers.open_browser(playwright, browser_spec)
        stack.callback(browser.close)
        yield new_session(browser, base_url, credentials, timeout, retries, block, browser_spec=browser_spec)


class WorkerThread:
    """A bulk worker: a thread of its own with its own ``sync_playwright()``, browser, context
    and logged-in tab, which runs the jobs given to ``submit`` one after the other.

    Every Playwright object it makes stays in its thread; what goes in (a storage state, the
    session's settings) and what comes out (a job's result) are plain data.
    """

    def __init__(self, storage_state: dict, settings: dict):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._closed: Future = Future()
        started: Future = Future()
        self._thread = threading.Thread(
            target=self._serve, args=(storage_state, settings, started), name="sesag-worker", daemon=True
        )
        self._thread.start()
        try:
            started.result()  # the worker's browser failed to start: raised here
        except BaseException:
            self._thread.join()
            raise

    def _serve(self, storage_state: dict, settings: dict, started: Future) -> None:
        try:
            with sync_playwright() as playwright:
                browser = browsers.open_browser(playwright, settings["browser_spec"])
                try:
                    context = browser.new_context(**browsers.context_options(), storage_state=storage_state)
                    if settings["block"]:
                        block_unneeded(context)
                    context.set_default_timeout(settings["timeout"] * 1000)
                    session = Session(context.new_page(), **settings)
                    started.set_result(None)
                    self._work(session)
                finally:
                    browser.close()
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits for it
            if not started.done():
                started.set_exception(exc)
            else:
                self._closed.set_exception(exc)
            return
        self._closed.set_result(None)

    def _work(self, session: Session) -> None:
        while (job := self._jobs.get()) is not None:
            work, done = job
            try:
                done.set_result(work(session))
            except BaseException as exc:  # noqa: BLE001 - the job's caller gets it from the Future
                done.set_exception(exc)

    def submit(self, work: Callable[[Session], object]) -> Future:
        """Run ``work(session)`` in this worker's thread; its result or exception comes in the Future."""
        done: Future = Future()
        self._jobs.put((work, done))
        return done

    def close(self) -> None:
        """Let the jobs given finish, close the browser and end the thread."""
        self._jobs.put(None)
        self._thread.join()
        self._closed.result()
