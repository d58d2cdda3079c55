"""The JSON report of a bulk run: rewritten atomically after every row (``Report``), never over a
file this command did not write (``refuse_to_overwrite``), and read back by ``--resume``
(``resumed_rows``).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import click

from flows.admin import grant as grants
from flows.admin.bulk.rows import RowResult, bad_results
from flows.admin.sheets import BadRow, Row


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


def report_failure(record: Report) -> str:
    error = record.write_error
    where = f" after line {record.failed_after}" if record.failed_after else " at the end"
    return f"Error: cannot write the report {record.path}{where} ({error.strerror or error})"


def refuse_to_overwrite(report: Path, source: Path) -> None:
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
