"""What a bulk run prints: the progress per row, the table of every line, the totals, the exit
code, and what a report that could not be written lacks.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from flows.admin import grant as grants
from flows.admin.bulk.report import Report, report_failure
from flows.admin.bulk.rows import RowResult
from flows.errors import ExitStatus


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


def tell_what_the_report_lacks(record: Report) -> None:
    """After a failed write: say so, and list what was done that the report on disk does not show."""
    stopped = "; stopped before the next change" if record.failed_after else ""
    click.echo(f"{report_failure(record)}{stopped}.", err=True)
    missing = record.missing_on_disk()
    if not missing:
        click.echo("The report was written again at the end: it lists every line done.", err=True)
        return
    click.echo("Done in this run but not in the report (the table above has them too):", err=True)
    for r in missing:
        click.echo(f"  line {r.line}: {r.employee} {r.right} {r.action} -> {r.status} {r.result}", err=True)
