"""``sesag bulk``: grant or revoke Se Sag rights for many employees from a CSV or Excel file, in one log-in.

``command`` is the command (read the file, do the lines, print the summary); ``rows`` does the
rows, in one or more browsers sharing the log-in; ``report`` is the JSON report rewritten after
every row; ``output`` is what the command prints. The names the command, the tests and the
benchmarks use are importable from here (``from flows.admin.bulk import run_rows``).
"""

from flows.admin.bulk.command import DEFAULT_WORKERS, MAX_WORKERS, bulk_command
from flows.admin.bulk.output import exit_code, progress, summary_table, totals_line
from flows.admin.bulk.report import REPORT_NOT_WRITTEN, Report, resumed_rows
from flows.admin.bulk.rows import (
    FAILURE_KINDS,
    FATAL_KINDS,
    ROWS_PER_PAGE,
    RowResult,
    Run,
    Stop,
    bad_results,
    do_row,
    failure_kind,
    run_rows,
    run_together,
    stop_on_signals,
)
from flows.admin.sheets import Row  # bench/bulk.py builds its rows as bulk.Row

__all__ = [
    "DEFAULT_WORKERS",
    "FAILURE_KINDS",
    "FATAL_KINDS",
    "MAX_WORKERS",
    "REPORT_NOT_WRITTEN",
    "ROWS_PER_PAGE",
    "Report",
    "Row",
    "RowResult",
    "Run",
    "Stop",
    "bad_results",
    "bulk_command",
    "do_row",
    "exit_code",
    "failure_kind",
    "progress",
    "resumed_rows",
    "run_rows",
    "run_together",
    "stop_on_signals",
    "summary_table",
    "totals_line",
]
