"""Grant or revoke Se Sag rights for many employees from a CSV or Excel file, in one log-in.

The file is read by ``flows.admin.sheets``. Each row goes through ``flows.admin.grant.grant_right`` after one
log-in: with ``workers`` > 1 in that many browsers sharing it, the rows of one employee always
in the same browser and in file order (so the one-right rule stays safe). The
JSON report is written after every row (``"complete": false`` until the last one, rows not
reached are ``"not-run"``); SIGINT and SIGTERM let the rows in progress finish, then the
report and the summary are written and the command exits 130 / 143.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click

from flows import errors, first_line
from flows.admin import commands
from flows.admin import grant as grants
from flows.admin.session import Session, WorkerThread, open_session
from flows.admin.sheets import BadRow, Row, SheetError, load
from flows.core.credentials import Credentials
from flows.core.running import run_command
from flows.errors import ExitStatus

# Rows per browser tab before ``Session.renew_page``: a tab slows down with every page it has
# loaded (about 6 per row); a new tab costs about 0.1 s. bench/bulk.py measures the effect.
ROWS_PER_PAGE = 20
# Tabs working at once. bench/bulk.py prints 1, 2 and 4; on the project's 2-core machine
# (loaded by other jobs) 2 tabs gave 0.96x the changes per second of one against the embedded
# mock (CPU-bound) and 1.34x with 50 ms per response (4 tabs: 0.78x and 1.44x). A real portal
# answers across a network, where waiting in several tabs pays; 2 costs little when it does not.
DEFAULT_WORKERS = 2
MAX_WORKERS = 8

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
    from flows.core import pages

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
    except (errors.GrantError, errors.PortalError, pages.PlaywrightError) as exc:
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


class Report:
    """The JSON report, rewritten (atomically) after every row, so an interrupted or killed
    run leaves the truth about the rows it did."""

    def __init__(
        self,
        path: Path | None,
        source: str,
        base_url: str,
        dry_run: bool,
        workers: int,
        rows: list[Row],
        bad: list[BadRow],
    ):
        self.path = path
        self.head = {
            "file": source,
            "base_url": base_url,
            "dry_run": dry_run,
            "workers": workers,
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self.began = time.perf_counter()
        self.by_line: dict[int, RowResult] = {r.line: r for r in bad_results(bad)}
        self.by_line.update({row.line: RowResult.not_run(row) for row in rows})
        self.complete = False
        self.interrupted: str | None = None
        self.write_error: OSError | None = None  # the first write that failed
        self.failed_after: int | None = None  # the line whose write failed
        self.on_disk: dict[int, str] = {}  # line -> status, as the last report written has it

    def record(self, result: RowResult) -> bool:
        """Keep ``result`` and rewrite the report; False when the report could not be written
        (the error is kept in ``write_error``, the last report written stays)."""
        self.by_line[result.line] = result
        if self.try_write():
            return True
        self.failed_after = self.failed_after or result.line
        return False

    def try_write(self) -> bool:
        """``write``, an OSError kept instead of raised (False)."""
        try:
            self.write()
        except OSError as exc:
            self.write_error = self.write_error or exc
            return False
        return True

    def missing_on_disk(self) -> list[RowResult]:
        """The rows done in this run that the report on disk still lists as not run."""
        return [r for r in self.results if r.status != "not-run" and self.on_disk.get(r.line, "not-run") == "not-run"]

    @property
    def results(self) -> list[RowResult]:
        return [self.by_line[line] for line in sorted(self.by_line)]

    def data(self) -> dict:
        results = self.results
        would = [r.ok and r.result.startswith("would-") for r in results]  # a dry run's changes
        totals = {
            "rows": len(results),
            "ok": sum(r.ok for r in results),
            "changed": sum(r.changed for r in results),
            **({"would_change": sum(would)} if self.head["dry_run"] else {}),
            grants.UNCHANGED: sum(r.ok and not r.changed and not w for r, w in zip(results, would, strict=True)),
            "failed": sum(r.status == "failed" for r in results),
            "not_run": sum(r.status == "not-run" for r in results),
        }
        return {
            **self.head,
            "seconds": round(time.perf_counter() - self.began, 2),
            "complete": self.complete,
            "interrupted": self.interrupted,
            "totals": totals,
            "ok": self.complete and totals["failed"] == 0 and totals["not_run"] == 0,
            "rows": [asdict(r) for r in results],
        }

    def write(self) -> None:
        """Write to a temporary file beside the report, then replace it: never half a report."""
        if self.path is None:
            return
        text = json.dumps(self.data(), ensure_ascii=False, indent=2) + "\n"
        handle, temporary = tempfile.mkstemp(dir=self.path.parent or Path("."), prefix=f".{self.path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.on_disk = {r.line: r.status for r in self.results}


REPORT_NOT_WRITTEN = "report-not-written"  # what stopped a run whose report write failed


def _report_failure(record: Report) -> str:
    error = record.write_error
    where = f" after line {record.failed_after}" if record.failed_after else " at the end"
    return f"Error: cannot write the report {record.path}{where} ({error.strerror or error})"


def _tell_what_the_report_lacks(record: Report) -> None:
    """After a failed write: say so, and list what was done that the report on disk does not show."""
    stopped = "; stopped before the next change" if record.failed_after else ""
    click.echo(f"{_report_failure(record)}{stopped}.", err=True)
    missing = record.missing_on_disk()
    if not missing:
        click.echo("The report was written again at the end: it lists every line done.", err=True)
        return
    click.echo("Done in this run but not in the report (the table above has them too):", err=True)
    for r in missing:
        click.echo(f"  line {r.line}: {r.employee} {r.right} {r.action} -> {r.status} {r.result}", err=True)


def _refuse_to_overwrite(report: Path, source: Path) -> None:
    """UsageError unless ``report`` is new or a report of an earlier bulk run (never the file
    being read, nor a file this command did not write)."""
    if not report.exists():
        return
    if report.resolve() == source.resolve():
        raise click.UsageError(f"--report {report} is the file being read; give the report a path of its own")
    try:
        earlier = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = None
    if not (isinstance(earlier, dict) and isinstance(earlier.get("rows"), list)):
        raise click.UsageError(
            f"--report {report} exists and is not a report of sesag bulk; it is left as it is: give another path"
        )


def resumed_rows(path: Path, rows: list[Row]) -> dict[int, RowResult]:
    """The rows a previous report lists as ok (same line, employee, right and action)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        listed = {entry["line"]: entry for entry in data["rows"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.UsageError(f"--resume: cannot read the report {path}: {exc}") from None
    done = {}
    for row in rows:
        entry = listed.get(row.line)
        if (
            entry
            and entry.get("status") == "ok"
            and (entry.get("employee"), entry.get("right"), entry.get("action"))
            == (row.employee, row.right, row.action)
        ):
            fields = {key: entry.get(key) for key in ("result", "name", "email")}
            done[row.line] = RowResult(
                row.line,
                row.employee,
                row.right,
                row.action,
                "ok",
                fields["result"] or "ok",
                f"done in an earlier run ({path.name})",
                fields["name"] or "",
                fields["email"] or "",
                changed=False,
            )
    return done


def summary_table(results: list[RowResult], width: int = 60) -> str:
    """A plain-text table of every line: what was asked and what happened."""
    header = ("Line", "Employee", "Right", "Action", "Status", "Result")
    lines = [
        (str(r.line), r.name or r.employee or "-", r.right or "-", r.action or "-", r.status, r.result)
        for r in sorted(results, key=lambda r: r.line)
    ]
    lines = [tuple(cell if len(cell) <= width else cell[: width - 1] + "…" for cell in line) for line in lines]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def render(row) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip()

    return "\n".join([render(header), render(tuple("-" * w for w in widths))] + [render(row) for row in lines])


def totals_line(data: dict) -> str:
    t = data["totals"]
    changes = f"{t['would_change']} would change" if data["dry_run"] else f"{t['changed']} changed"
    text = (
        f"{t['rows']} row(s): {changes}, {t[grants.UNCHANGED]} {grants.UNCHANGED}, "
        f"{t['failed']} failed, {t['not_run']} not run ({data['seconds']:.1f} s)"
    )
    return text + ("" if data["complete"] else f"; INCOMPLETE: stopped by {data['interrupted'] or 'an error'}")


def exit_code(results: list[RowResult]) -> int:
    kinds = {r.result for r in results if r.status == "failed"}
    if "login-failed" in kinds:
        return ExitStatus.LOGIN
    if "portal-unavailable" in kinds:
        return ExitStatus.PORTAL
    return ExitStatus.FAILED if kinds or any(r.status == "not-run" for r in results) else ExitStatus.OK


def progress(total: int, dry_run: bool) -> tuple[Callable[[RowResult], None], Callable[[], None]]:
    """(tick per row, close): a progress bar on a terminal, else one line per row on stderr.

    Only rows that ran move it: the rows a stop or an outage left not run are counted in the
    summary, not shown as progress."""
    if sys.stderr.isatty():
        bar = click.progressbar(
            length=total, label="Checking" if dry_run else "Saving", file=sys.stderr, show_pos=True, show_eta=True
        )

        def tick(result: RowResult) -> None:
            if result.status == "not-run":
                return
            bar.update(1)
            if result.status == "failed":
                click.echo(f"\n  line {result.line}: {result.message}", err=True)

        return tick, bar.render_finish
    done = [0]

    def line(result: RowResult) -> None:
        if result.status == "not-run":
            return
        done[0] += 1
        click.echo(
            f"[{done[0]}/{total}] line {result.line}: {result.employee} {result.right} "
            f"{result.action} -> {result.result}",
            err=True,
        )

    return line, lambda: None


@click.command("bulk")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JSON report here, updated after every row.",
)
@click.option(
    "--resume",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="REPORT",
    help="Skip the rows an earlier report of this file lists as ok.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, MAX_WORKERS),
    default=DEFAULT_WORKERS,
    show_default=True,
    help="Browsers working at once (one log-in, shared); an employee's rows stay in one browser, in order.",
)
@click.option("--replace", is_flag=True, help="For grant rows: swap the other Se Sag right if it is held.")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check every line (the employee exists and is unique, the rule) without saving; each line is judged "
    "against the rights the lines before it would leave.",
)
@commands.browser_options
def bulk_command(
    file,
    report,
    resume,
    workers,
    replace,
    dry_run,
    base_url,
    headed,
    slowmo,
    connect,
    profile,
    retries,
    timeout,
    block_assets,
):
    """Grant or revoke Se Sag rights for every line of FILE (.csv or .xlsx).

    \b
    Columns: employee,right[,action]  or  medarbejder;rettighed;handling
      employee / medarbejder  exact e-mail address or exact name
      right / rettighed       sagsbehandler | kommunal-sagsbehandler (or the label)
      action / handling       grant | revoke  or  tildel | fjern (default grant)
    CSV with , ; or tab between the columns, UTF-8 (with or without BOM) or Windows-1252,
    as Excel saves it; .xlsx: the first sheet. A header line naming the columns (any case)
    is optional; blank lines and lines starting with # are skipped.

    Logs in once, does the lines in --workers browsers sharing that log-in, with a progress bar, then prints a table
    of what happened per line. With --report the JSON report is rewritten after every row
    ("complete": false until the end; rows not reached are "not-run"). Lines that cannot be
    done (malformed, unknown right, unknown or ambiguous employee, refused by the one-right
    rule) are reported with their line number; the rest are done. Ctrl-C (SIGINT) or SIGTERM
    lets the rows in progress finish, writes the report and exits 130 / 143; running the same
    file again is safe (a row the portal already shows as asked is "unchanged"), and --resume REPORT skips the
    rows that report lists as ok. Credentials as for `sesag grant`: SESAG_USER,
    SESAG_PASSWORD, SESAG_KEYCARD.

    \b
    Exit codes:
      0    every line done (or unchanged); with --dry-run: every line would work
      1    one or more lines failed or were not run
      2    usage error (file missing, or not a file this command can read; --report cannot be written)
      5    portal unreachable or failing after the retries (remaining lines not run)
      6    log-in failed or credentials missing
      8    the report could not be written mid-run (disk full, folder gone): stopped before the
           next change; what was done is printed, the last report written stays
      10   no browser (run `sesag browser`), or the browser failed
      130  stopped by SIGINT (Ctrl-C); 143: stopped by SIGTERM
    """
    try:
        rows, bad = load(file)
    except SheetError as exc:
        raise click.UsageError(f"cannot read {file}: {exc}") from None
    done_before = resumed_rows(resume, rows) if resume else {}
    to_do = [row for row in rows if row.line not in done_before]
    record = Report(report, str(file), base_url, dry_run, workers, rows, bad)
    for result in done_before.values():
        record.by_line[result.line] = result
    stop = Stop()
    if report is not None:
        _refuse_to_overwrite(report, file)
    try:
        record.write()  # at once: an older report at this path must not pass for this run's
    except OSError as exc:
        raise click.UsageError(f"cannot write the report {report}: {exc.strerror or exc}") from None

    def work() -> int:
        for item in bad_results(bad):
            click.echo(f"line {item.line}: cannot be done: {item.message}", err=True)
        if done_before:
            click.echo(f"{len(done_before)} line(s) done in an earlier run ({resume}); not run again.", err=True)
        fatal, fatal_kind = None, "an error"
        if to_do:
            credentials = Credentials.from_env()
            click.echo(f"{len(to_do)} line(s) to {'check' if dry_run else 'do'} against {base_url} ...", err=True)
            tick, close = progress(len(to_do), dry_run)

            def on_row(result: RowResult) -> None:
                if not record.record(result) and not stop.reason:
                    stop.halt(REPORT_NOT_WRITTEN)
                    click.echo(f"\n{_report_failure(record)}; stopping after the row(s) in progress.", err=True)
                tick(result)

            with stop_on_signals(stop, lambda text: click.echo(f"\n{text}", err=True)):
                try:
                    spec = commands.browser_spec(profile, connect, headed, slowmo, own_signals=True)
                    with open_session(base_url, credentials, spec, timeout, retries, block_assets) as session:
                        run_rows(
                            session, to_do, dry_run=dry_run, replace=replace, on_row=on_row, workers=workers, stop=stop
                        )
                except errors.GrantError as exc:  # log-in refused or portal down before the first line
                    click.echo(f"Error: {exc}", err=True)
                    fatal, fatal_kind = errors.exit_status_of(exc), failure_kind(exc)
                    for row in to_do:
                        record.by_line[row.line] = RowResult.not_run(row, f"not run: {exc}")
                finally:
                    close()
        # Complete only when every line has its outcome: an outage or a refused log-in leaves rows not run.
        not_run = any(r.status == "not-run" for r in record.results)
        stopped_by = next((r.result for r in record.results if r.result in FATAL_KINDS), fatal_kind)
        record.complete = not stop and fatal is None and not not_run
        record.interrupted = stop.name() or (stopped_by if not_run else None)
        record.try_write()  # after a failed write: once more, else the last report written stays
        data = record.data()
        results = record.results
        if results:
            click.echo(summary_table(results))
        failures = [r for r in results if r.status == "failed"]
        if failures:
            click.echo("\nProblems:")
            for r in failures:
                click.echo(f"  line {r.line}: {r.message}")
        click.echo(("\nDry run: " if dry_run else "\n") + totals_line(data))
        if report and record.write_error is None:
            click.echo(f"Report: {report}", err=True)
        if record.write_error is not None:
            _tell_what_the_report_lacks(record)
            return ExitStatus.REPORT
        if stop:
            return stop.exit_code
        return fatal or exit_code(results)

    run_command(work)
