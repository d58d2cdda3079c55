"""Grant or revoke Se Sag rights for many employees from a CSV or Excel file, in one log-in.

The file is read by ``flows.admin.sheets``. Each row goes through ``flows.admin.grant.grant_right`` after one
log-in: with ``workers`` > 1 in that many browsers sharing it, the rows of one employee always
in the same browser and in file order (so the one-right rule stays safe). The
JSON report is written after every row (``"complete": false`` until the last one, rows not
reached are ``"not-run"``); SIGINT and SIGTERM let the rows in progress finish, then the
report and the summary are written and the command exits 130 / 143.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

import click

from flows import errors
from flows.admin import commands
from flows.admin.bulk.output import exit_code, progress, summary_table, tell_what_the_report_lacks, totals_line
from flows.admin.bulk.report import REPORT_NOT_WRITTEN, Report, refuse_to_overwrite, report_failure, resumed_rows
from flows.admin.bulk.rows import FATAL_KINDS, RowResult, Stop, bad_results, failure_kind, run_rows, stop_on_signals
from flows.admin.session import Session, open_session
from flows.admin.sheets import BadRow, Row, SheetError, load
from flows.core.credentials import Credentials
from flows.core.running import run_command
from flows.errors import ExitStatus

# Workers (browsers) at once. Against a portal that answers at once the machine's cores are the
# limit and more workers gain little; a real portal answers across a network, where waiting in
# several pays. 2 costs little when it does not (decision 0010; bench/bulk.py --workers 1,2,4).
DEFAULT_WORKERS = 2
MAX_WORKERS = 8


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
    plan = plan_run(file, report, resume, base_url, dry_run, replace, workers)

    def open_browser(credentials: Credentials):
        spec = commands.browser_spec(profile, connect, headed, slowmo, own_signals=True)
        return open_session(base_url, credentials, spec, timeout, retries, block_assets)

    run_command(lambda: run_plan(plan, open_browser))


@dataclass
class Plan:
    """One bulk run: the lines of the file, those to do now, and the report that records them."""

    file: Path
    report: Path | None
    resume: Path | None
    base_url: str
    dry_run: bool
    replace: bool
    workers: int
    bad: list[BadRow]
    done_before: dict[int, RowResult]  # lines an earlier report lists as ok (--resume)
    to_do: list[Row]
    record: Report
    stop: Stop = field(default_factory=Stop)
    fatal: int | None = None  # the exit code of a failure before the first line (log-in, portal down)
    fatal_kind: str = "an error"


def plan_run(
    file: Path, report: Path | None, resume: Path | None, base_url: str, dry_run: bool, replace: bool, workers: int
) -> Plan:
    """Read the file (and the report to resume), and write the report at once; UsageError when
    the file cannot be read or the report cannot be written."""
    try:
        rows, bad = load(file)
    except SheetError as exc:
        raise click.UsageError(f"cannot read {file}: {exc}") from None
    done_before = resumed_rows(resume, rows) if resume else {}
    to_do = [row for row in rows if row.line not in done_before]
    record = Report(report, str(file), base_url, dry_run, workers, rows, bad)
    for result in done_before.values():
        record.by_line[result.line] = result
    plan = Plan(file, report, resume, base_url, dry_run, replace, workers, bad, done_before, to_do, record)
    if report is not None:
        refuse_to_overwrite(report, file)
    try:
        record.write()  # at once: an older report at this path must not pass for this run's
    except OSError as exc:
        raise click.UsageError(f"cannot write the report {report}: {exc.strerror or exc}") from None
    return plan


def run_plan(plan: Plan, open_browser: Callable[[Credentials], AbstractContextManager[Session]]) -> int:
    """Say what will not run, do the lines to do, print the summary: the command's exit code."""
    for item in bad_results(plan.bad):
        click.echo(f"line {item.line}: cannot be done: {item.message}", err=True)
    if plan.done_before:
        click.echo(f"{len(plan.done_before)} line(s) done in an earlier run ({plan.resume}); not run again.", err=True)
    if plan.to_do:
        do_lines(plan, open_browser)
    return finish(plan)


def do_lines(plan: Plan, open_browser: Callable[[Credentials], AbstractContextManager[Session]]) -> None:
    """Log in once and do ``plan.to_do`` with a progress bar; a log-in refused or the portal down
    before the first line leaves every line not run (``plan.fatal``)."""
    credentials = Credentials.from_env()
    verb = "check" if plan.dry_run else "do"
    click.echo(f"{len(plan.to_do)} line(s) to {verb} against {plan.base_url} ...", err=True)
    tick, close = progress(len(plan.to_do), plan.dry_run)
    record, stop = plan.record, plan.stop

    def on_row(result: RowResult) -> None:
        if not record.record(result) and not stop.reason:
            stop.halt(REPORT_NOT_WRITTEN)
            click.echo(f"\n{report_failure(record)}; stopping after the row(s) in progress.", err=True)
        tick(result)

    with stop_on_signals(stop, lambda text: click.echo(f"\n{text}", err=True)):
        try:
            with open_browser(credentials) as session:
                run_rows(
                    session,
                    plan.to_do,
                    dry_run=plan.dry_run,
                    replace=plan.replace,
                    on_row=on_row,
                    workers=plan.workers,
                    stop=stop,
                )
        except errors.GrantError as exc:  # log-in refused or portal down before the first line
            click.echo(f"Error: {exc}", err=True)
            plan.fatal, plan.fatal_kind = errors.exit_status_of(exc), failure_kind(exc)
            for row in plan.to_do:
                record.by_line[row.line] = RowResult.not_run(row, f"not run: {exc}")
        finally:
            close()


def finish(plan: Plan) -> int:
    """Write the report a last time, print the table, the problems and the totals: the exit code."""
    record, stop = plan.record, plan.stop
    # Complete only when every line has its outcome: an outage or a refused log-in leaves rows not run.
    not_run = any(r.status == "not-run" for r in record.results)
    stopped_by = next((r.result for r in record.results if r.result in FATAL_KINDS), plan.fatal_kind)
    record.complete = not stop and plan.fatal is None and not not_run
    record.interrupted = stop.name() or (stopped_by if not_run else None)
    record.try_write()  # after a failed write: once more, else the last report written stays
    print_summary(record, plan.dry_run)
    if plan.report and record.write_error is None:
        click.echo(f"Report: {plan.report}", err=True)
    if record.write_error is not None:
        tell_what_the_report_lacks(record)
        return ExitStatus.REPORT
    if stop:
        return stop.exit_code
    return plan.fatal or exit_code(record.results)


def print_summary(record: Report, dry_run: bool) -> None:
    """The table of every line, the problems, and the totals line, on stdout."""
    results = record.results
    if results:
        click.echo(summary_table(results))
    failures = [r for r in results if r.status == "failed"]
    if failures:
        click.echo("\nProblems:")
        for r in failures:
            click.echo(f"  line {r.line}: {r.message}")
    click.echo(("\nDry run: " if dry_run else "\n") + totals_line(record.data()))
