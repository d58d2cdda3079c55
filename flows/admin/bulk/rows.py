"""The rows of a bulk run: what one row's outcome is (``RowResult``), doing one row through
``grant_right`` (``do_row``), and the queue of employees the workers share (``Run``, ``run_rows``);
SIGINT and SIGTERM stop it between rows (``Stop``).
"""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from playwright.sync_api import Error as PlaywrightError

from flows import errors, first_line
from flows.admin import grant as grants
from flows.admin.session import Session, WorkerThread
from flows.admin.sheets import BadRow, Row
from flows.errors import ExitStatus

# Rows per browser tab before ``Session.renew_page``: a tab slows down with every page it has
# loaded (about 6 per row), and a new tab costs far less than what it wins back (bench/bulk.py).
ROWS_PER_PAGE = 20

# A failed row's exception -> the "result" word in the report (subclasses first).
FAILURE_KINDS: dict[type[BaseException], str] = {
    errors.AmbiguousEmployee: "ambiguous-employee",
    errors.EmployeeNotFound: "unknown-employee",
    errors.RuleRefused: "refused-one-right-rule",
    errors.SaveRefused: "refused-by-portal",
    errors.PortalDown: "portal-unavailable",
    errors.LoginError: "login-failed",
    errors.VerificationFailed: "not-verified",
}
FATAL_KINDS = ("portal-unavailable", "login-failed")  # the rows after one are not tried


@dataclass
class RowResult:
    """What happened to one line of the file."""

    line: int
    employee: str
    right: str
    action: str
    status: str  # ok | failed | not-run
    result: str  # granted, revoked, replaced, unchanged, ... or the kind of failure
    message: str
    name: str = ""
    email: str = ""
    changed: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @classmethod
    def not_run(cls, row: Row, message: str = "not reached") -> RowResult:
        return cls(row.line, row.employee, row.right, row.action, "not-run", "not-run", message)


def failure_kind(exc: BaseException) -> str:
    return next((kind for cls, kind in FAILURE_KINDS.items() if isinstance(exc, cls)), "error")


def bad_results(bad: Iterable[BadRow]) -> list[RowResult]:
    """The lines that cannot be done as written, as failed rows (the message names no line:
    every place that shows it puts the line number in front)."""
    return [
        RowResult(
            line=b.line,
            employee="",
            right="",
            action="",
            status="failed",
            result="bad-row",
            message=b.error + (f" ({b.text})" if b.text else ""),
        )
        for b in bad
    ]


class Stop:
    """Set by SIGINT / SIGTERM, or by ``halt`` (the report cannot be written): no new row
    starts; the rows in progress finish."""

    def __init__(self):
        self.signal: int | None = None
        self.reason: str | None = None

    def __bool__(self) -> bool:
        return self.signal is not None or self.reason is not None

    def halt(self, reason: str) -> None:
        self.reason = self.reason or reason

    @property
    def exit_code(self) -> int:
        return ExitStatus.SIGINT if self.signal == signal.SIGINT else ExitStatus.SIGTERM

    def name(self) -> str:
        return signal.Signals(self.signal).name if self.signal else self.reason or ""


@contextmanager
def stop_on_signals(stop: Stop, announce: Callable[[str], None]) -> Iterator[Stop]:
    """While inside, SIGINT and SIGTERM set ``stop`` instead of killing the process."""

    def handler(number, frame):
        if not stop:
            announce(
                f"{signal.Signals(number).name}: stopping after the row(s) in progress; "
                "the report and the summary follow."
            )
        stop.signal = stop.signal or number

    previous = {number: signal.signal(number, handler) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def do_row(
    session: Session, row: Row, dry_run: bool = False, replace: bool = False, simulated: dict | None = None
) -> RowResult:
    """One row through ``grant_right``; a failure is recorded, not raised. ``simulated``: in a
    dry run, the rights as the earlier rows would have left them (see ``grant_right``)."""
    started = time.perf_counter()
    base = dict(line=row.line, employee=row.employee, right=row.right, action=row.action)
    try:
        outcome = grants.grant_right(
            session,
            row.employee,
            row.right,
            revoke=row.action == "revoke",
            replace=replace and row.action == "grant",
            dry_run=dry_run,
            simulated=simulated if dry_run else None,
        )
        result = RowResult(
            **base,
            status="ok",
            result=outcome.result,
            message=outcome.message,
            name=outcome.name,
            email=outcome.email,
            changed=outcome.changed,
        )
    except (errors.GrantError, errors.PortalError, PlaywrightError) as exc:
        found = getattr(exc, "employee", None)
        result = RowResult(
            **base,
            status="failed",
            result=failure_kind(exc),
            message=first_line(exc),
            name=found.name if found else "",
            email=found.email if found else "",
        )
    result.seconds = round(time.perf_counter() - started, 3)
    return result


@dataclass
class Run:
    """The rows still to do, shared by the workers: a queue of employees, each with their rows."""

    rows: list[Row]
    dry_run: bool = False
    replace: bool = False
    rows_per_page: int = ROWS_PER_PAGE
    stop: Stop = field(default_factory=Stop)
    on_row: Callable[[RowResult], None] | None = None
    aborted: str | None = None  # why the rows not yet started will not be tried
    results: list[RowResult] = field(default_factory=list)
    simulated: dict = field(default_factory=dict)  # a dry run's rights per e-mail, row after row
    queue: deque = field(init=False)
    # The workers are threads: one records a row (the report, the progress line) at a time.
    _recording: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        groups: dict[str, list[Row]] = {}
        for row in self.rows:
            groups.setdefault(row.employee.casefold(), []).append(row)
        self.queue = deque(groups.values())

    def _record(self, result: RowResult) -> None:
        with self._recording:
            self.results.append(result)
            if self.on_row:
                self.on_row(result)

    def _next_employee(self) -> list[Row] | None:
        try:
            return self.queue.popleft()  # one call, safe between threads
        except IndexError:
            return None

    def work(self, session: Session) -> None:
        """Take employees from the queue and do their rows on ``session`` until none is left."""
        while (rows := self._next_employee()) is not None:
            for row in rows:
                if self.aborted:
                    self._record(RowResult.not_run(row, self.aborted))
                    continue
                if self.stop:
                    self._record(RowResult.not_run(row, f"not run: stopped by {self.stop.name()}"))
                    continue
                if session.rows_on_page >= self.rows_per_page:
                    session.renew_page()
                session.rows_on_page += 1
                result = do_row(session, row, self.dry_run, self.replace, self.simulated)
                if result.result in FATAL_KINDS:
                    self.aborted = f"not run: an earlier row hit '{result.result}'"
                self._record(result)

    def in_line_order(self) -> list[RowResult]:
        return sorted(self.results, key=lambda r: r.line)


def run_rows(
    session: Session,
    rows: Iterable[Row],
    dry_run: bool = False,
    replace: bool = False,
    on_row: Callable[[RowResult], None] | None = None,
    rows_per_page: int = ROWS_PER_PAGE,
    workers: int = 1,
    stop: Stop | None = None,
) -> list[RowResult]:
    """Do every row; a failing row is recorded and the next one goes on. Results in line order.

    ``workers`` sessions work at once: ``session`` in this thread, and each other worker in a
    thread with its own Playwright and browser, logged in by this session's storage state
    (``Session.start_worker``; see ``run_together``). When the
    portal stays unreachable or the log-in is refused, the rows not yet started are recorded
    as not-run instead of being tried one by one; so are they once ``stop`` is set. Every
    ``rows_per_page`` rows a tab is replaced by a fresh one (see ``Session.renew_page``).
    """
    run = Run(list(rows), dry_run, replace, rows_per_page, stop if stop is not None else Stop(), on_row)
    workers = max(1, min(workers, len(run.queue)))
    if workers == 1:
        run.work(session)
        return run.in_line_order()
    others: list[WorkerThread] = []
    try:
        others += [session.start_worker() for _ in range(workers - 1)]
        run_together(session, run.work, others)
    finally:
        for worker in others:
            worker.close()
    return run.in_line_order()


def run_together(session: Session, work: Callable[[Session], None], others: list[WorkerThread]) -> None:
    """Run ``work`` on ``session`` here and on each of ``others``' sessions in its thread, at once.

    Each worker thread drives its own browser through its own ``sync_playwright()``, so their
    waits overlap: while one waits for the portal, another's Python runs. Returns when all are
    done; then raises the first failure, if any.
    """
    running = [worker.submit(work) for worker in others]
    try:
        work(session)
    finally:
        failures = [job.exception() for job in running]  # waits for every worker
    failure = next((exc for exc in failures if exc is not None), None)
    if failure is not None:
        raise failure
