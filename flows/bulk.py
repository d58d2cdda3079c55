"""Grant or revoke Se Sag rights for many employees from a CSV file, in one browser session.

The file has the columns ``employee,right[,action]`` (a header line naming them is optional;
``action`` is grant or revoke, default grant; ``#`` lines and blank lines are skipped). Each
row goes through ``flows.grant.grant_right`` in the same logged-in browser context (a fresh
tab every ``ROWS_PER_PAGE`` rows).
"""
from __future__ import annotations

import csv
import io
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import click

from flows import grant as grants
from flows.credentials import Credentials

COLUMNS = ("employee", "right", "action")
ACTIONS = ("grant", "revoke")
# Rows per browser tab before ``Session.renew_page``: a tab slows down with every page it has
# loaded (about 6 per row); a new tab costs about 0.1 s. bench/bulk.py measures the effect.
ROWS_PER_PAGE = 20


@dataclass(frozen=True)
class Row:
    """One well-formed line of the file."""

    line: int
    employee: str
    right: str
    action: str = "grant"


@dataclass(frozen=True)
class BadRow:
    """A line that cannot be done as written."""

    line: int
    text: str
    error: str


@dataclass
class RowResult:
    """What happened to one line of the file."""

    line: int
    employee: str
    right: str
    action: str
    status: str  # ok | failed | skipped
    result: str  # granted, revoked, replaced, already-held, ... or the kind of failure
    message: str
    name: str = ""
    email: str = ""
    changed: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _row_text(cells: list[str]) -> str:
    return ",".join(cells)


def parse_csv(text: str) -> tuple[list[Row], list[BadRow]]:
    """Split the file into good rows and bad rows, each with its line number (1-based)."""
    rows: list[Row] = []
    bad: list[BadRow] = []
    order = list(COLUMNS)
    seen_first = False
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), skipinitialspace=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad.append(BadRow(start, "", f"malformed line: {exc}"))
            continue
        line = start
        cells = [cell.strip() for cell in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not seen_first:
            seen_first = True
            lowered = [cell.lower() for cell in cells]
            if "employee" in lowered:
                unknown = [cell for cell in lowered if cell and cell not in COLUMNS]
                if unknown or "right" not in lowered or len(set(lowered)) != len(lowered):
                    bad.append(BadRow(line, _row_text(cells), f"header must name the columns {', '.join(COLUMNS)} (action optional)"))
                    return rows, bad
                order = lowered
                continue
        while len(cells) > len(order) and cells[-1] == "":
            cells.pop()  # trailing commas
        if len(cells) < 2 or len(cells) > len(order):
            bad.append(BadRow(line, _row_text(cells), f"expected employee,right[,action]; got {len(cells)} column(s)"))
            continue
        values = dict(zip(order, cells))
        employee = " ".join(values.get("employee", "").split())
        if not employee:
            bad.append(BadRow(line, _row_text(cells), "no employee given"))
            continue
        try:
            right = grants.normalise_right(values.get("right", ""))
        except ValueError as exc:
            bad.append(BadRow(line, _row_text(cells), str(exc)))
            continue
        action = (values.get("action") or "grant").strip().lower()
        if action not in ACTIONS:
            bad.append(BadRow(line, _row_text(cells), f"unknown action {values.get('action')!r}; choose grant or revoke"))
            continue
        rows.append(Row(line, employee, right, action))
    return rows, bad


def _failure_kind(exc: Exception) -> str:
    return {
        grants.AmbiguousEmployee: "ambiguous-employee",
        grants.EmployeeNotFound: "unknown-employee",
        grants.RuleRefused: "refused-one-right-rule",
        grants.SaveRefused: "refused-by-portal",
        grants.PortalDown: "portal-unavailable",
        grants.LoginError: "login-failed",
        grants.VerificationFailed: "not-verified",
    }.get(type(exc), "error")


def run_rows(
    session: "grants.Session",
    rows: Iterable[Row],
    dry_run: bool = False,
    replace: bool = False,
    on_row: Callable[[RowResult], None] | None = None,
    rows_per_page: int = ROWS_PER_PAGE,
) -> list[RowResult]:
    """Do every row on ``session``; a failing row is recorded and the next one goes on.

    When the portal stays unreachable or the log-in is refused, the remaining rows are
    recorded as skipped instead of being tried one by one. Every ``rows_per_page`` rows the
    session moves to a fresh tab (see ``Session.renew_page``).
    """
    from flows import pages

    results: list[RowResult] = []
    aborted: str | None = None
    for row in rows:
        started = time.perf_counter()
        base = dict(line=row.line, employee=row.employee, right=row.right, action=row.action)
        if aborted:
            result = RowResult(**base, status="skipped", result="not-attempted", message=aborted)
        else:
            try:
                if session.rows_on_page >= rows_per_page:
                    session.renew_page()
                session.rows_on_page += 1
                outcome = grants.grant_right(session, row.employee, row.right, revoke=row.action == "revoke",
                                             replace=replace and row.action == "grant", dry_run=dry_run)
                result = RowResult(**base, status="ok", result=outcome.result, message=outcome.message,
                                   name=outcome.name, email=outcome.email, changed=outcome.changed)
            except (grants.GrantError, pages.PortalError, pages.PlaywrightError) as exc:
                kind = _failure_kind(exc)
                result = RowResult(**base, status="failed", result=kind, message=str(exc))
                if kind in ("portal-unavailable", "login-failed"):
                    aborted = f"not attempted: an earlier row hit '{kind}'"
        result.seconds = round(time.perf_counter() - started, 3)
        results.append(result)
        if on_row:
            on_row(result)
    return results


def bad_results(bad: Iterable[BadRow]) -> list[RowResult]:
    return [RowResult(line=b.line, employee="", right="", action="", status="failed", result="bad-row",
                      message=f"line {b.line}: {b.error}" + (f" ({b.text})" if b.text else ""))
            for b in bad]


def build_report(results: list[RowResult], *, source: str, base_url: str, dry_run: bool,
                 seconds: float, started: datetime | None = None) -> dict:
    """The machine-readable report: totals and one entry per line of the file."""
    ordered = sorted(results, key=lambda r: r.line)
    totals = {
        "rows": len(ordered),
        "ok": sum(r.ok for r in ordered),
        "changed": sum(r.changed for r in ordered),
        "unchanged": sum(r.ok and not r.changed for r in ordered),
        "failed": sum(r.status == "failed" for r in ordered),
        "skipped": sum(r.status == "skipped" for r in ordered),
    }
    return {
        "file": source,
        "base_url": base_url,
        "dry_run": dry_run,
        "started": (started or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "seconds": round(seconds, 2),
        "totals": totals,
        "ok": totals["failed"] == 0 and totals["skipped"] == 0,
        "rows": [asdict(r) for r in ordered],
    }


def summary_table(results: list[RowResult], width: int = 60) -> str:
    """A plain-text table of every line: what was asked and what happened."""
    header = ("Line", "Employee", "Right", "Action", "Status", "Result")
    lines = [
        (str(r.line), r.name or r.employee or "-", r.right or "-", r.action or "-", r.status, r.result)
        for r in sorted(results, key=lambda r: r.line)
    ]
    cut = lambda text: text if len(text) <= width else text[: width - 1] + "…"  # noqa: E731
    lines = [tuple(cut(cell) for cell in line) for line in lines]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    render = lambda row: "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()  # noqa: E731
    out = [render(header), render(tuple("-" * w for w in widths))]
    out += [render(row) for row in lines]
    return "\n".join(out)


def _totals_line(report: dict) -> str:
    t = report["totals"]
    return (f"{t['rows']} row(s): {t['changed']} changed, {t['unchanged']} already as asked, "
            f"{t['failed']} failed, {t['skipped']} skipped ({report['seconds']:.1f} s)")


def exit_code(results: list[RowResult]) -> int:
    kinds = {r.result for r in results if r.status == "failed"}
    if "login-failed" in kinds:
        return grants.EXIT_LOGIN
    if "portal-unavailable" in kinds:
        return grants.EXIT_PORTAL
    return grants.EXIT_FAILED if kinds or any(r.status == "skipped" for r in results) else grants.EXIT_OK


def bulk(session: "grants.Session", rows: list[Row], dry_run: bool = False, replace: bool = False,
         show_progress: bool = True) -> list[RowResult]:
    """``run_rows`` with a progress bar on stderr (a line per row when stderr is not a terminal)."""
    if not show_progress:
        return run_rows(session, rows, dry_run, replace)
    label = "Checking" if dry_run else "Saving"
    if sys.stderr.isatty():
        with click.progressbar(length=len(rows), label=label, file=sys.stderr, show_pos=True, show_eta=True) as bar:
            def tick(result: RowResult) -> None:
                bar.update(1)
                if not result.ok:
                    click.echo(f"\n  line {result.line}: {result.message}", err=True)
            return run_rows(session, rows, dry_run, replace, on_row=tick)
    done = [0]

    def line(result: RowResult) -> None:
        done[0] += 1
        click.echo(f"[{done[0]}/{len(rows)}] line {result.line}: {result.employee} {result.right} "
                   f"{result.action} -> {result.result}", err=True)

    return run_rows(session, rows, dry_run, replace, on_row=line)


@click.command("bulk")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write a JSON report of every line here.")
@click.option("--replace", is_flag=True, help="For grant rows: swap the other Se Sag right if it is held.")
@click.option("--dry-run", is_flag=True, help="Check every line (the employee exists and is unique, the rule) without saving.")
@grants.browser_options
def bulk_command(file, report, replace, dry_run, base_url, headed, slowmo, connect, retries, timeout, block_assets):
    """Grant or revoke Se Sag rights for every line of FILE (CSV).

    \b
    Columns: employee,right[,action]
      employee  exact e-mail address or exact name
      right     sagsbehandler | kommunal-sagsbehandler
      action    grant | revoke (default grant)
    A header line naming the columns is optional; blank lines and lines starting with #
    are skipped.

    Logs in once and does every line in one browser session, with a progress bar, then prints a
    table of what happened per line and (with --report) writes it as JSON. Lines that cannot
    be done (malformed, unknown right, unknown or ambiguous employee, refused by the
    one-right rule) are reported with their line number and skipped; the rest are done.
    Credentials as for `sesag grant`: SESAG_USER, SESAG_PASSWORD, SESAG_KEYCARD.

    \b
    Exit codes:
      0  every line done (or already as asked); with --dry-run: every line would work
      1  one or more lines failed or were skipped
      2  usage error (file missing, unreadable)
      5  portal unreachable or failing after the retries (remaining lines skipped)
      6  log-in failed or credentials missing
    """
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"cannot read {file}: {exc}") from None
    rows, bad = parse_csv(text)

    def work() -> int:
        started_at = datetime.now(timezone.utc)
        started = time.perf_counter()
        results = bad_results(bad)
        for item in results:
            click.echo(f"Skipping {item.message}", err=True)
        fatal = None
        if rows:
            credentials = Credentials.from_env()
            click.echo(f"{len(rows)} line(s) to {'check' if dry_run else 'do'} against {base_url} ...", err=True)
            try:
                with grants.open_session(base_url, credentials, headed, slowmo, connect, timeout, retries,
                                         block_assets) as session:
                    results += bulk(session, rows, dry_run=dry_run, replace=replace)
            except grants.GrantError as exc:  # log-in refused or portal down before the first line
                click.echo(f"Error: {exc}", err=True)
                fatal = exc.exit_code
                results += [RowResult(line=row.line, employee=row.employee, right=row.right, action=row.action,
                                      status="skipped", result="not-attempted", message=f"not attempted: {exc}")
                            for row in rows]
        data = build_report(results, source=str(file), base_url=base_url, dry_run=dry_run,
                            seconds=time.perf_counter() - started, started=started_at)
        if results:
            click.echo(summary_table(results))
        failures = [r for r in sorted(results, key=lambda r: r.line) if r.status != "ok"]
        if failures:
            click.echo("\nProblems:")
            for r in failures:
                click.echo(f"  line {r.line}: {r.message}")
        click.echo(("\nDry run: " if dry_run else "\n") + _totals_line(data))
        if report:
            report.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            click.echo(f"Report: {report}", err=True)
        return fatal or exit_code(results)

    grants.run_cli(work)
