"""Grant or revoke a Se Sag right for one employee through the portal, verified afterwards.

``grant_right(session, employee, right, ...)`` is the function ``sesag grant``, ``sesag bulk``
and the tests call; ``flows.admin.session`` gives it a logged-in tab. The work is the guide's
Trin 2-5 over the page objects of ``flows.core.pages``, one try at a time: ``lookup`` (the
employee, their rights page), ``decide`` (what to change, the one-right rule), ``save``, ``verify``
(the rights and events pages). What one call has done so far (a save sent,
whose answer may have been lost) is kept in a ``Progress`` value across the retries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import catalogue
from flows.admin.session import Session
from flows.core.steps import RIGHT_KEYS, right_label
from flows.errors import (
    AmbiguousEmployee,
    EmployeeNotFound,
    GrantError,
    PortalDown,
    RuleRefused,
    SaveRefused,
    StaleSave,
    VerificationFailed,
)

# The one name of a row already as asked (the right already held, or already not held): the
# result of grant_right, the report's rows and totals and bulk's summary all use it.
UNCHANGED = "unchanged"
VERIFIED = "(verified on the rights and events pages)"
# How far the portal's clock may be behind ours when events are compared with the run's start.
CLOCK_SKEW = timedelta(minutes=1)


def other_right(right: str) -> str:
    return next(key for key in RIGHT_KEYS if key != right)


def normalise_right(text: str) -> str:
    """'Kommunal sagsbehandler', 'aes.kommunal_sagsbehandler', ... -> 'kommunal-sagsbehandler'
    (the catalogue's one rights table decides; ValueError naming the choices otherwise)."""
    return catalogue.right(text).key


@dataclass
class Outcome:
    """What ``grant_right`` did (or, with dry_run, would do) for one employee and right."""

    employee: str  # as asked for
    right: str
    action: str  # grant | revoke
    result: str  # granted | revoked | replaced | unchanged | would-grant | would-revoke | would-replace
    name: str = ""
    email: str = ""
    changed: bool = False
    dry_run: bool = False
    attempts: int = 1
    message: str = ""


@dataclass
class Progress:
    """How far one ``grant_right`` call got, carried from one try to the next.

    ``sent`` holds the rights of a save that went out: it may have landed even when its
    answer was lost or came back as a refusal of a resend, so a later try decides from the
    portal (rights page, events by this administrator) instead of saving again.
    """

    attempts: int = 0
    sent: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Request:
    """What was asked: the employee (as written), the right, grant or revoke, and how."""

    employee: str
    right: str
    action: str
    replace: bool = False
    dry_run: bool = False

    @property
    def label(self) -> str:
        return right_label(self.right)


def find_employee(session: Session, query: str):
    """The one active employee whose e-mail or name is exactly ``query`` (case ignored)."""
    wanted = " ".join(query.split()).casefold()
    if not wanted:
        raise EmployeeNotFound("no employee given")
    by_email = "@" in wanted
    employees = session.screens.employees
    if by_email:
        employees.open_search(session.base_url, email=query.strip())
    else:
        employees.open_search(session.base_url, name=" ".join(query.split()))
    rows = employees.all_results()
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


def _states(target: dict[str, bool], keys) -> str:
    return ", ".join(f"{right_label(k)} {'held' if target[k] else 'not held'}" for k in keys)


def _mentions(event, key: str, target: dict[str, bool]) -> bool:
    # The page objects on first use: --help loads this module and needs no browser (decision 0013).
    from flows.core.pages import event_mentions

    return event_mentions(event.text, catalogue.right(key).portal_label, target[key])


def verify(session: Session, row, target: dict[str, bool], changes: list[str]) -> None:
    """Re-read the rights page and the events page; raise VerificationFailed on any mismatch."""
    rights, events = session.screens.rights, session.screens.events
    if not rights.is_shown():
        raise VerificationFailed(
            f"after saving, the rights page of {row.name} did not come back ({session.page.url})", row
        )
    shown = rights.held()
    wrong = [key for key in RIGHT_KEYS if shown[key] != target[key]]
    if wrong:
        raise VerificationFailed(f"after saving, the rights page of {row.name} shows {_states(shown, wrong)}", row)
    events.open(rights.events_url())
    newest = events.entries()[: max(len(changes), 1)]
    missing = [key for key in changes if not any(_mentions(event, key, target) for event in newest)]
    if missing:
        what = ", ".join(f"{right_label(k)} {'granted' if target[k] else 'revoked'}" for k in missing)
        raise VerificationFailed(
            f"the events page of {row.name} has no event '{what}' (newest: {[e.text for e in newest]})", row
        )


def _made_by_this_run(session: Session, row, target: dict[str, bool], changes: list[str]) -> bool:
    """After an ambiguous save: does the newest event of each change come from this
    administrator since this run began? Then the save landed; else someone else made the
    change after our read (a portal clock more than CLOCK_SKEW behind ours errs towards 'not ours')."""
    events = session.screens.events
    events.open(session.screens.rights.events_url())
    entries = events.entries()
    since = session.started - CLOCK_SKEW
    for key in changes:
        latest = next((event for event in entries if _mentions(event, key, target)), None)
        if latest is None or not latest.by_user(session.credentials.user) or not latest.since(since):
            return False
    return True


def _done(request: Request, outcome: Outcome, row, changes: list[str], other: str) -> Outcome:
    who = f"{row.name} <{row.email}>"
    outcome.changed = True
    if request.action == "revoke":
        outcome.result, outcome.message = "revoked", f"Revoked {request.label} from {who} {VERIFIED}."
    elif len(changes) > 1:
        outcome.result = "replaced"
        outcome.message = f"Replaced {right_label(other)} with {request.label} for {who} {VERIFIED}."
    else:
        outcome.result, outcome.message = "granted", f"Granted {request.label} to {who} {VERIFIED}."
    return outcome


@dataclass(frozen=True)
class Decision:
    """What a try found and decided: the rights wanted, the other Se Sag right, and the rights to
    change (none: already as asked)."""

    target: dict[str, bool]
    other: str
    changes: list[str]


def lookup(session: Session, request: Request, progress: Progress):
    """The employee's row, with their rights page open: straight there when this tab found the
    same employee last (first try only, and unless renamed meanwhile), else by a search."""
    screens = session.screens
    asked = " ".join(request.employee.split()).casefold()
    known = session.last_found if progress.attempts == 1 else None  # a retry looks up afresh
    if known and known[0] == asked:
        _, row, rights_url = known
        screens.rights.open(rights_url)
        if " ".join(screens.rights.employee_name().split()) == " ".join(row.name.split()):
            return row
    row = find_employee(session, request.employee)
    screens.employees.open_employee(row.name, row.email)
    screens.employee_page.open_rights()
    session.last_found = (asked, row, session.page.url.split("?")[0])
    return row


def decide(session: Session, request: Request, row, simulated: dict[str, dict[str, bool]] | None) -> Decision:
    """Read the rights shown (or, in a dry run, as the earlier rows left them) and decide what to
    change; RuleRefused when granting one Se Sag right while the other is held, unless replace."""
    held = session.screens.rights.held()
    if simulated is not None and row.email.casefold() in simulated:
        held = dict(simulated[row.email.casefold()])  # as the earlier rows of this dry run left them
    target, other = dict(held), other_right(request.right)
    target[request.right] = request.action == "grant"
    if request.action == "grant" and held[other]:
        if not request.replace:
            raise RuleRefused(
                f"{row.name} <{row.email}> holds {right_label(other)}; an employee may hold only one of "
                f"{right_label(RIGHT_KEYS[0])} and {right_label(RIGHT_KEYS[1])}. "
                f"Nothing was changed. Use --replace to swap {right_label(other)} for {request.label}.",
                row,
            )
        target[other] = False
    changes = [key for key in RIGHT_KEYS if target[key] != held[key]]
    if request.dry_run and simulated is not None:
        simulated[row.email.casefold()] = dict(target)  # what the later rows will find
    return Decision(target, other, changes)


def save(session: Session, row, decision: Decision, progress: Progress) -> None:
    """Tick and untick the changes and save; StaleSave or SaveRefused when the portal refuses."""
    rights = session.screens.rights
    for key in decision.changes:
        rights.set_right(key, decision.target[key])
    # From here the save may land even when its answer is lost: a later try decides from the portal.
    progress.sent = decision.changes
    result = rights.save()
    if not result.saved:
        if result.stale:  # someone saved in between, or the browser resent a save that had landed
            raise StaleSave(f"the portal refused a stale save: {result.message}")
        raise SaveRefused(f"The portal refused to save the rights of {row.name} <{row.email}>: {result.message}", row)


def _unchanged(session: Session, request: Request, outcome: Outcome, row, decision: Decision, progress: Progress):
    """Nothing to change: already as asked, or an earlier try's save that landed after all."""
    if progress.sent and _made_by_this_run(session, row, decision.target, progress.sent):
        # An earlier try's save landed although its answer was lost or refused as a resend.
        return _done(request, outcome, row, progress.sent, decision.other)
    who, label = f"{row.name} <{row.email}>", request.label
    outcome.result = UNCHANGED
    outcome.message = (
        f"{who} already holds {label}; nothing to do."
        if request.action == "grant"
        else f"{who} does not hold {label}; nothing to do."
    )
    return outcome


def _would_change(request: Request, outcome: Outcome, row, decision: Decision) -> Outcome:
    """A dry run's outcome: what a save would have changed."""
    label = request.label
    if len(decision.changes) > 1:
        outcome.result, verb = "would-replace", f"replace {right_label(decision.other)} with {label} for"
    elif request.action == "grant":
        outcome.result, verb = "would-grant", f"grant {label} to"
    else:
        outcome.result, verb = "would-revoke", f"revoke {label} from"
    outcome.message = f"Dry run: would {verb} {row.name} <{row.email}>; nothing saved."
    return outcome


def _attempt(
    session: Session, request: Request, progress: Progress, simulated: dict[str, dict[str, bool]] | None = None
) -> Outcome:
    """One try: look the employee up, decide, save, verify."""
    progress.attempts += 1
    row = lookup(session, request, progress)
    outcome = Outcome(
        employee=request.employee,
        right=request.right,
        action=request.action,
        result="",
        name=row.name,
        email=row.email,
        dry_run=request.dry_run,
        attempts=progress.attempts,
    )
    decision = decide(session, request, row, simulated)
    if not decision.changes:
        return _unchanged(session, request, outcome, row, decision, progress)
    if request.dry_run:
        return _would_change(request, outcome, row, decision)
    save(session, row, decision, progress)
    verify(session, row, decision.target, decision.changes)
    return _done(request, outcome, row, decision.changes, decision.other)


def grant_right(
    session: Session,
    employee: str,
    right: str,
    revoke: bool = False,
    replace: bool = False,
    dry_run: bool = False,
    simulated: dict[str, dict[str, bool]] | None = None,
) -> Outcome:
    """Grant (or revoke) ``right`` for ``employee`` (exact e-mail or name), verified.

    Idempotent: a right already held (or already absent) is reported, not saved again. The
    one-right rule: granting one AES right while the other is held raises RuleRefused unless
    ``replace``, which swaps them in one save. Portal errors are retried (state is read again
    before each retry, so a save that did land is not repeated, and is reported as this run's
    change when the events show it was); other problems raise a GrantError subclass and leave
    the employee as they were.

    ``simulated`` (a dry run of several rows): the rights per e-mail as the earlier rows would
    have left them; read instead of the portal's and updated, so each row is judged against
    the state the rows before it would make.
    """
    right = normalise_right(right)
    if revoke and replace:
        raise GrantError("--replace only applies to granting a right")
    request = Request(employee, right, "revoke" if revoke else "grant", replace, dry_run)
    progress = Progress()
    what = f"{'Revoking' if revoke else 'Granting'} {request.label} for {employee}"
    try:
        return session.with_retries(what, lambda attempt: _attempt(session, request, progress, simulated))
    except PortalDown as exc:
        if progress.sent:
            raise PortalDown(
                f"{exc}. A save was sent; run the same command again to see whether it landed "
                "(it is safe: a right already held is not saved twice)."
            ) from None
        raise
