"""Grant or revoke a Se Sag right for one employee through the portal, verified afterwards.

``grant_right(session, employee, right, ...)`` is the function ``sesag grant``, ``sesag bulk``
and the tests call; ``open_session(...)`` gives it a logged-in browser page. The work is the
guide's Trin 2-5 over the page objects of ``flows.pages``.
"""
from __future__ import annotations

import os
import re
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterator

import click

from flows.credentials import Credentials, CredentialsError
from flows.steps import RIGHT_KEYS, right_label

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
DEFAULT_RETRIES = 3  # tries after the first one, for portal errors and time-outs
DEFAULT_BACKOFF = 0.5  # seconds before the first retry; doubles each time
DEFAULT_TIMEOUT = 15.0  # seconds an element or a page may take

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_EMPLOYEE = 3
EXIT_REFUSED = 4
EXIT_PORTAL = 5
EXIT_LOGIN = 6
EXIT_UNVERIFIED = 7

# What the browser need not fetch: the flows read text and click, they take no pictures.
# Off by default: Playwright turns the HTTP cache off in a context with routes, and on the mock
# (one stylesheet, two fonts, no images) the cache wins; measured by bench/bulk.py
# --compare-blocking, blocking made bulk 10-25 % slower. Worth it on image-heavy portals.
_BLOCKED = re.compile(r"\.(?:png|jpe?g|gif|webp|avif|svg|ico|bmp|woff2?|ttf|otf|eot|mp4|webm|mp3)(?:[?#].*)?$", re.I)


class GrantError(Exception):
    """A grant that could not be done; ``exit_code`` is what the CLI exits with."""

    exit_code = EXIT_FAILED


class EmployeeNotFound(GrantError):
    exit_code = EXIT_EMPLOYEE

    def __init__(self, message: str, candidates: list | None = None):
        super().__init__(message)
        self.candidates = candidates or []


class AmbiguousEmployee(EmployeeNotFound):
    pass


class RuleRefused(GrantError):
    """The one-right rule: the employee holds the other AES right."""

    exit_code = EXIT_REFUSED


class SaveRefused(GrantError):
    """The portal refused the save (its alert text is the message)."""

    exit_code = EXIT_REFUSED


class PortalDown(GrantError):
    """The portal did not answer, or kept failing, after the retries."""

    exit_code = EXIT_PORTAL


class LoginError(GrantError):
    """Missing credentials, or the portal refused the log-in."""

    exit_code = EXIT_LOGIN


class VerificationFailed(GrantError):
    """Saved, but the rights or events page does not show the change."""

    exit_code = EXIT_UNVERIFIED


class _Stale(Exception):
    """The save met a newer version of the employee's rights: read again and retry."""


def other_right(right: str) -> str:
    return next(key for key in RIGHT_KEYS if key != right)


def normalise_right(text: str) -> str:
    """'Kommunal sagsbehandler', 'kommunal_sagsbehandler', ... -> 'kommunal-sagsbehandler'."""
    key = re.sub(r"[\s_]+", "-", text.strip().lower())
    key = key.removeprefix("aes.").replace("--", "-")
    if key not in RIGHT_KEYS:
        raise ValueError(f"unknown right {text.strip()!r}; choose one of {', '.join(RIGHT_KEYS)}")
    return key


@dataclass
class Outcome:
    """What ``grant_right`` did (or, with dry_run, would do) for one employee and right."""

    employee: str  # as asked for
    right: str
    action: str  # grant | revoke
    result: str  # granted | revoked | replaced | already-held | not-held | would-grant | would-revoke | would-replace
    name: str = ""
    email: str = ""
    changed: bool = False
    dry_run: bool = False
    attempts: int = 1
    message: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Session:
    """A logged-in portal page and the page objects over it."""

    page: object
    base_url: str
    credentials: Credentials
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    rows_on_page: int = field(default=0, init=False)  # rows done since the tab was opened

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self._bind_pages()

    def _bind_pages(self) -> None:
        from flows import pages

        self.login = pages.LoginPage(self.page)
        self.employees = pages.EmployeesPage(self.page)
        self.employee_page = pages.EmployeePage(self.page)
        self.rights = pages.RightsPage(self.page)
        self.events = pages.EventsPage(self.page)

    def renew_page(self) -> None:
        """Go on in a fresh tab of the same context (still logged in) and close the old one.

        Chromium's renderer gets slower with every document a tab has loaded: measured here,
        one tab doing bulk rows went from 0.93 to 1.49 s per row over 200 rows; a new tab
        (about 0.1 s) starts fast again.
        """
        old = self.page
        self.page = old.context.new_page()
        self._bind_pages()
        self.rows_on_page = 0
        old.close()

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
            except (pages.PortalUnavailable, pages.NotLoggedIn, pages.PlaywrightTimeout, _Stale) as exc:
                if attempt > self.retries:
                    reason = pages.first_line(exc) if isinstance(exc, pages.PlaywrightTimeout) else str(exc)
                    raise PortalDown(f"{what}: {reason} (gave up after {attempt} tries)") from None
                log_in_first = log_in_first or isinstance(exc, pages.NotLoggedIn)
                self.sleep(self.backoff * 2 ** (attempt - 1))

    def _log_in_once(self) -> None:
        from flows import pages

        try:
            self.login.open(self.base_url)
            self.login.log_in(self.credentials)
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


def new_session(browser, base_url: str, credentials: Credentials, timeout: float = DEFAULT_TIMEOUT,
                retries: int = DEFAULT_RETRIES, block: bool = False) -> Session:
    """A fresh context and page in ``browser``, logged in to the portal."""
    from flows import browser as browsers

    context = browser.new_context(**browsers.context_options())
    if block:
        block_unneeded(context)
    context.set_default_timeout(timeout * 1000)
    session = Session(context.new_page(), base_url, credentials, retries=retries)
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
) -> Iterator[Session]:
    """One browser, one context, one page, logged in; closed afterwards."""
    from playwright.sync_api import sync_playwright

    from flows import browser as browsers

    with ExitStack() as stack:
        playwright = stack.enter_context(sync_playwright())
        browser = browsers.open_browser(playwright, headed=headed, slowmo=slowmo, connect=connect)
        stack.callback(browser.close)
        yield new_session(browser, base_url, credentials, timeout, retries, block)


def find_employee(session: Session, query: str):
    """The one active employee whose e-mail or name is exactly ``query`` (case ignored)."""
    from flows.pages import EmployeeRow  # noqa: F401 - the type returned

    wanted = " ".join(query.split()).casefold()
    if not wanted:
        raise EmployeeNotFound("no employee given")
    by_email = "@" in wanted
    if by_email:
        session.employees.open_search(session.base_url, email=query.strip())
    else:
        session.employees.open_search(session.base_url, name=" ".join(query.split()))
    rows = session.employees.all_results()
    key = (lambda row: row.email.casefold()) if by_email else (lambda row: " ".join(row.name.split()).casefold())
    exact = [row for row in rows if key(row) == wanted]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        hint = ""
        if rows:
            shown = "; ".join(str(row) for row in rows[:10])
            more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
            hint = f" Similar: {shown}{more}."
        raise EmployeeNotFound(f"No active employee with {'e-mail' if by_email else 'name'} {query!r}.{hint}", rows)
    listed = "; ".join(str(row) for row in exact)
    raise AmbiguousEmployee(
        f"{len(exact)} employees match {query!r}: {listed}. Give the e-mail address instead.", exact
    )


def _verify(session: Session, row, target: dict[str, bool], changes: list[str]) -> None:
    """Re-read the rights page and the events page; raise VerificationFailed on any mismatch."""
    from flows.pages import event_mentions

    rights = session.rights
    if not rights.is_shown():
        raise VerificationFailed(f"after saving, the rights page of {row.name} did not come back ({session.page.url})")
    shown = rights.held()
    wrong = [key for key in RIGHT_KEYS if shown[key] != target[key]]
    if wrong:
        states = ", ".join(f"{right_label(k)} {'held' if shown[k] else 'not held'}" for k in wrong)
        raise VerificationFailed(f"after saving, the rights page of {row.name} shows {states}")
    session.events.open(rights.events_url())
    newest = [event.text for event in session.events.entries()[: max(len(changes), 1)]]
    missing = [
        key for key in changes if not any(event_mentions(text, right_label(key), target[key]) for text in newest)
    ]
    if missing:
        what = ", ".join(f"{right_label(k)} {'granted' if target[k] else 'revoked'}" for k in missing)
        raise VerificationFailed(f"the events page of {row.name} has no event '{what}' (newest: {newest})")


def grant_right(
    session: Session,
    employee: str,
    right: str,
    revoke: bool = False,
    replace: bool = False,
    dry_run: bool = False,
) -> Outcome:
    """Grant (or revoke) ``right`` for ``employee`` (exact e-mail or name), verified.

    Idempotent: a right already held (or already absent) is reported, not saved again. The
    one-right rule: granting one AES right while the other is held raises RuleRefused unless
    ``replace``, which swaps them in one save. Portal errors are retried (state is read again
    before each retry, so a save that did land is not repeated); other problems raise a
    GrantError subclass and leave the employee as they were.
    """
    right = normalise_right(right)
    if revoke and replace:
        raise GrantError("--replace only applies to granting a right")
    action = "revoke" if revoke else "grant"
    label = right_label(right)
    state: dict = {"saved": False, "changes": []}

    def attempt(number: int) -> Outcome:
        row = find_employee(session, employee)
        outcome = Outcome(employee=employee, right=right, action=action, result="", name=row.name,
                          email=row.email, dry_run=dry_run, attempts=number)
        session.employees.open_employee(row.name, row.email)
        session.employee_page.open_rights()
        held = session.rights.held()
        target = dict(held)
        other = other_right(right)
        who = f"{row.name} <{row.email}>"
        if action == "grant":
            target[right] = True
            if held[other]:
                if not replace:
                    raise RuleRefused(
                        f"{who} holds {right_label(other)}; an employee may hold only one of "
                        f"{right_label(RIGHT_KEYS[0])} and {right_label(RIGHT_KEYS[1])}. "
                        f"Nothing was changed. Use --replace to swap {right_label(other)} for {label}."
                    )
                target[other] = False
        else:
            target[right] = False
        changes = [key for key in RIGHT_KEYS if target[key] != held[key]]
        swapped = action == "grant" and held[other]
        if state["saved"] and not changes:
            swapped = len(state["changes"]) > 1
        if not changes and not state["saved"]:
            outcome.result = "already-held" if action == "grant" else "not-held"
            outcome.message = f"{who} already {'holds' if action == 'grant' else 'does not hold'} {label}; nothing to do."
            return outcome
        if dry_run:
            outcome.result = "would-replace" if swapped else f"would-{action}"
            verb = (f"replace {right_label(other)} with {label} for" if swapped
                    else f"{'grant' if action == 'grant' else 'revoke'} {label} {'to' if action == 'grant' else 'from'}")
            outcome.message = f"Dry run: would {verb} {who}; nothing saved."
            return outcome
        if changes:
            for key in changes:
                session.rights.set_right(key, target[key])
            # From here a retry must read the state again before saving: the POST may land
            # even when its answer is lost.
            state["saved"], state["changes"] = True, changes
            result = session.rights.save()
            if not result.saved:
                if result.stale:
                    state["saved"] = False  # refused: nothing landed
                    raise _Stale(f"the portal refused a stale save: {result.message}")
                raise SaveRefused(f"The portal refused to save the rights of {who}: {result.message}")
        else:
            # An earlier try's save landed before the portal failed: verify it, do not repeat.
            changes = state["changes"]
        _verify(session, row, target, changes)
        outcome.changed = True
        if action == "grant":
            outcome.result = "replaced" if len(changes) > 1 else "granted"
            outcome.message = (f"Replaced {right_label(other)} with {label} for {who}" if len(changes) > 1
                               else f"Granted {label} to {who}") + " (verified on the rights and events pages)."
        else:
            outcome.result = "revoked"
            outcome.message = f"Revoked {label} from {who} (verified on the rights and events pages)."
        return outcome

    try:
        return session.with_retries(f"{'Revoking' if revoke else 'Granting'} {label} for {employee}", attempt)
    except PortalDown as exc:
        if state["saved"]:
            raise PortalDown(f"{exc}. A save was sent; run the same command again to see whether it landed "
                             "(it is safe: a right already held is not saved twice).") from None
        raise


def run_cli(work: Callable[[], int]) -> None:
    """Run a command body: GrantError and friends become one line on stderr and an exit code."""
    from flows import pages
    from flows.browser import BrowserNotFound

    try:
        code = work()
    except GrantError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except CredentialsError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_LOGIN)
    except pages.PortalError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    except pages.PlaywrightError as exc:  # the browser itself failed (crashed, closed, not started)
        click.echo(f"Error: the browser failed: {pages.first_line(exc)}", err=True)
        sys.exit(EXIT_FAILED)
    except BrowserNotFound as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    sys.exit(code)


def browser_options(function):
    """--base-url, --headed, --slowmo, --connect, --retries, --timeout (shared with bulk)."""
    for option in reversed([
        click.option("--base-url", envvar="SESAG_BASE_URL", default=DEFAULT_BASE_URL, show_default=True,
                     help="The portal (env SESAG_BASE_URL). Default: a local `sesag portal`."),
        click.option("--headed", is_flag=True, help="Show the browser window (needs a display)."),
        click.option("--slowmo", type=click.FloatRange(min=0), default=0, metavar="MS", help="Slow each browser action down by MS milliseconds."),
        click.option("--connect", metavar="WS_URL", help="Use a remote Playwright browser server instead of a local Chromium."),
        click.option("--retries", type=click.IntRange(0, 10), default=DEFAULT_RETRIES, show_default=True, help="Retries after a portal error or time-out."),
        click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS", help="How long a page or element may take."),
        click.option("--block-assets", is_flag=True, help="Do not load images, fonts and media (faster on image-heavy portals; turns the browser cache off)."),
    ]):
        function = option(function)
    return function


@click.command("grant")
@click.option("--employee", required=True, metavar="NAME_OR_EMAIL", help="Exact e-mail address or exact name (case ignored).")
@click.option("--right", required=True, type=click.Choice(RIGHT_KEYS), help="The Se Sag right.")
@click.option("--revoke", is_flag=True, help="Take the right away instead of granting it.")
@click.option("--replace", is_flag=True, help="If the employee holds the other Se Sag right, swap it for this one (one save).")
@click.option("--dry-run", is_flag=True, help="Find the employee and check the rule; save nothing.")
@browser_options
def grant_command(employee, right, revoke, replace, dry_run, base_url, headed, slowmo, connect, retries, timeout,
                  block_assets):
    """Grant (or --revoke) a Se Sag right for one employee, and verify it.

    Logs in to the portal, finds the employee by exact e-mail address or name through
    AVANCERET SØGNING, opens Administrér rettigheder, ticks or unticks the right, clicks GEM
    RETTIGHEDER, then reads the rights page and Se hændelser again to confirm the change.
    Granting a right the employee already holds changes nothing and exits 0. An employee may
    hold only one of Sagsbehandler and Kommunal sagsbehandler: asking for one while the other
    is held is refused unless --replace is given.

    Credentials come only from the environment: SESAG_USER, SESAG_PASSWORD and SESAG_KEYCARD
    (a file of "code key" lines, or "demo" to read the demo mock's key hint; default demo).

    \b
    Exit codes:
      0  done and verified, or nothing to do (already held / not held); dry run passed
      1  unexpected error (browser missing, page not as expected)
      2  usage error
      3  employee not found, or more than one employee matches
      4  refused: the one-right rule (use --replace), or the portal refused the save
      5  portal unreachable or failing after the retries
      6  log-in failed or credentials missing
      7  saved, but the rights or events page does not confirm it
    """
    if revoke and replace:
        raise click.UsageError("--replace only applies when granting (not with --revoke).")

    def work() -> int:
        credentials = Credentials.from_env()
        with open_session(base_url, credentials, headed, slowmo, connect, timeout, retries, block_assets) as session:
            outcome = grant_right(session, employee, right, revoke=revoke, replace=replace, dry_run=dry_run)
        click.echo(outcome.message)
        return EXIT_OK

    run_cli(work)


if __name__ == "__main__":  # pragma: no cover
    grant_command(prog_name=os.path.basename(sys.argv[0]))
