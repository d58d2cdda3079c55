"""sesag bulk without a browser: the report as it goes, the queue of workers, the table, the exit code."""

import json
import re
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from flows import errors
from flows.admin import bulk, grant
from flows.admin.bulk import Report, RowResult, Stop, command, exit_code, run_rows, summary_table
from flows.admin.sheets import BadRow, Row
from flows.core.pages import EmployeeRow
from flows.errors import ExitStatus

from helpers.fake_portal import FakePortal, make_session


def _result(line, status="ok", result="granted", changed=True):
    return RowResult(
        line=line,
        employee=f"e{line}",
        right="sagsbehandler",
        action="grant",
        status=status,
        result=result,
        message=f"m{line}",
        changed=changed,
    )


def _rows(count):
    return [Row(line, f"e{line}", "sagsbehandler") for line in range(2, count + 2)]


ROOT = Path(__file__).resolve().parents[3]
LOGIN = {"SESAG_USER": "admin", "SESAG_PASSWORD": "x", "SESAG_KEYCARD": "demo"}


def run_bulk(monkeypatch, tmp_path, text, grant_right, *args, session=None):
    """``sesag bulk`` on a file holding ``text``, rows done by ``grant_right`` and no browser."""
    sheet = tmp_path / "rights.csv"
    sheet.write_text(text, encoding="utf-8")

    @contextmanager
    def no_browser(*args_, **kwargs_):
        yield session or _FakeSession()

    monkeypatch.setattr(command, "open_session", no_browser)
    monkeypatch.setattr(grant, "grant_right", grant_right)
    return CliRunner().invoke(bulk.bulk_command, [str(sheet), "--workers", "1", *args], env=LOGIN)


def test_report_is_written_at_once_and_after_every_row(tmp_path):
    path = tmp_path / "report.json"
    path.write_text('{"old": "report of another run"}', encoding="utf-8")
    rows = _rows(3)
    report = Report(path, "f.csv", "http://p", False, 1, rows, [BadRow(5, "x | y", "unknown right 'y'")])
    report.write()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["complete"] is False and data["ok"] is False
    assert [r["status"] for r in data["rows"]] == ["not-run", "not-run", "not-run", "failed"]
    report.record(_result(3, result=grant.UNCHANGED, changed=False))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["totals"] == {"rows": 4, "ok": 1, "changed": 0, "unchanged": 1, "failed": 1, "not_run": 2}
    assert data["rows"][3]["result"] == "bad-row" and data["rows"][3]["message"] == "unknown right 'y' (x | y)"
    assert list(tmp_path.iterdir()) == [path]  # the temporary file was renamed over it


class _FakeSession:
    """Stands in for session.Session: counts the fresh tabs run_rows asks for."""

    def __init__(self):
        self.rows_on_page = 0
        self.renewed_before: list[str] = []
        self.current = ""

    def renew_page(self):
        self.renewed_before.append(self.current)
        self.rows_on_page = 0


def _fake_grant(done: list):
    def fake_grant_right(session_, employee, right, **_):
        session_.current = employee
        done.append(employee)
        return grant.Outcome(employee=employee, right=right, action="grant", result="granted", changed=True)

    return fake_grant_right


def test_run_rows_moves_to_a_fresh_tab_every_rows_per_page(monkeypatch):
    session = _FakeSession()
    monkeypatch.setattr(grant, "grant_right", _fake_grant([]))
    results = run_rows(session, [Row(line, f"e{line}", "sagsbehandler") for line in range(1, 8)], rows_per_page=3)
    assert all(r.ok for r in results)
    # Rows 1-3 on the first tab, 4-6 on the second, 7 on the third.
    assert session.renewed_before == ["e3", "e6"]
    assert session.rows_on_page == 1


def test_a_stop_lets_the_row_in_progress_finish_and_marks_the_rest_not_run(monkeypatch):
    stop, done = Stop(), []

    def grant_then_signal(session_, employee, right, **_):
        done.append(employee)
        stop.signal = signal.SIGTERM  # arrives while this row is being done
        return grant.Outcome(employee=employee, right=right, action="grant", result="granted", changed=True)

    monkeypatch.setattr(grant, "grant_right", grant_then_signal)
    results = run_rows(_FakeSession(), _rows(3), stop=stop)
    assert done == ["e2"]
    assert [r.status for r in results] == ["ok", "not-run", "not-run"]
    assert "SIGTERM" in results[1].message and stop.exit_code == 143


def test_a_refused_row_names_the_employee_found(monkeypatch):
    def refuse(session_, employee, right, **_):
        raise errors.RuleRefused("holds the other right", EmployeeRow("Medlem - Lra", "lra@nets.dk", "g"))

    monkeypatch.setattr(grant, "grant_right", refuse)
    [result] = run_rows(_FakeSession(), _rows(1))
    assert (result.status, result.result, result.name, result.email) == (
        "failed",
        "refused-one-right-rule",
        "Medlem - Lra",
        "lra@nets.dk",
    )


def test_portal_down_marks_the_rows_after_it_not_run(monkeypatch):
    def down(session_, employee, right, **_):
        raise errors.PortalDown("gave up")

    monkeypatch.setattr(grant, "grant_right", down)
    results = run_rows(_FakeSession(), _rows(3))
    assert [r.result for r in results] == ["portal-unavailable", "not-run", "not-run"]
    assert exit_code(results) == 5


def test_the_queue_keeps_an_employees_rows_together_and_in_order():
    rows = [
        Row(2, "a@x.dk", "sagsbehandler"),
        Row(3, "b@x.dk", "sagsbehandler"),
        Row(4, "A@x.dk", "sagsbehandler", "revoke"),
        Row(5, "c@x.dk", "sagsbehandler"),
    ]
    run = bulk.Run(rows)
    assert [[row.line for row in group] for group in run.queue] == [[2, 4], [3], [5]]


def test_summary_table_lists_every_line():
    table = summary_table([_result(2), _result(10, status="failed", result="unknown-employee")])
    lines = table.splitlines()
    assert lines[0].split() == ["Line", "Employee", "Right", "Action", "Status", "Result"]
    assert lines[2].split()[0] == "2" and lines[3].split()[0] == "10"
    assert "unknown-employee" in lines[3]


def test_exit_codes():
    assert exit_code([_result(1)]) == 0
    assert exit_code([_result(1), _result(2, status="failed", result="unknown-employee")]) == 1
    assert (
        exit_code(
            [_result(1, status="failed", result="portal-unavailable"), _result(2, status="not-run", result="not-run")]
        )
        == 5
    )
    assert exit_code([_result(1, status="failed", result="login-failed")]) == 6
    assert exit_code([_result(1), _result(2, status="not-run", result="not-run")]) == 1


def test_cli_only_bad_rows_needs_no_browser_and_fails_with_each_line_named_once(tmp_path):
    csv_file = tmp_path / "rights.csv"
    csv_file.write_text("employee,right\nlra@nets.dk,superuser\n", encoding="utf-8")
    report = tmp_path / "out.json"
    result = CliRunner().invoke(bulk.bulk_command, [str(csv_file), "--report", str(report)], env={"SESAG_USER": None})
    assert result.exit_code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["rows"][0]["line"] == 2 and data["rows"][0]["result"] == "bad-row" and data["complete"] is True
    assert "unknown right 'superuser'" in result.output
    assert "line 2: line 2" not in result.output
    assert "1 failed, 0 not run" in result.output


def test_cli_missing_credentials_is_exit_6(tmp_path):
    csv_file = tmp_path / "rights.csv"
    csv_file.write_text("lra@nets.dk,sagsbehandler\n", encoding="utf-8")
    result = CliRunner().invoke(bulk.bulk_command, [str(csv_file)], env={"SESAG_USER": None, "SESAG_PASSWORD": None})
    assert result.exit_code == 6
    assert "SESAG_USER" in result.output


def test_cli_missing_file_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(bulk.bulk_command, [str(tmp_path / "nope.csv")])
    assert result.exit_code == 2


def test_cli_unreadable_file_is_one_message_and_exit_2(tmp_path):
    csv_file = tmp_path / "names.csv"
    csv_file.write_text("lra@nets.dk\nbruger@nets.dk\n", encoding="utf-8")
    result = CliRunner().invoke(bulk.bulk_command, [str(csv_file)])
    assert result.exit_code == 2
    assert "found one column" in result.output and "medarbejder;rettighed;handling" in result.output
    assert "Traceback" not in result.output


def test_resume_skips_the_rows_listed_as_ok(tmp_path):
    rows = _rows(3)
    previous = tmp_path / "before.json"
    report = Report(previous, "f.csv", "http://p", False, 1, rows, [])
    report.record(_result(2))
    report.record(RowResult(3, "other@x.dk", "sagsbehandler", "grant", "ok", "granted", "m"))  # not this row
    done = bulk.resumed_rows(previous, rows)
    assert list(done) == [2] and done[2].status == "ok" and "earlier run" in done[2].message


@pytest.mark.parametrize("workers", [1, 3])
def test_workers_option_is_bounded(workers, tmp_path):
    csv_file = tmp_path / "rights.csv"
    csv_file.write_text("employee,right\nlra@nets.dk,superuser\n", encoding="utf-8")
    assert CliRunner().invoke(bulk.bulk_command, [str(csv_file), "--workers", str(workers)]).exit_code == 1
    assert CliRunner().invoke(bulk.bulk_command, [str(csv_file), "--workers", "0"]).exit_code == 2


def _granted_or_unchanged(session_, employee, right, revoke=False, dry_run=False, **_):
    """lra@nets.dk already holds every right; anyone else is granted it."""
    if employee == "lra@nets.dk":
        return grant.Outcome(employee, right, "grant", grant.UNCHANGED, message="already holds it")
    return grant.Outcome(employee, right, "grant", "granted", changed=True, message="granted")


def test_one_name_for_a_row_already_as_the_file_asks_in_summary_report_help_and_docs(monkeypatch, tmp_path):
    report = tmp_path / "report.json"
    text = "lra@nets.dk,sagsbehandler\nb@x.dk,sagsbehandler\n"
    result = run_bulk(monkeypatch, tmp_path, text, _granted_or_unchanged, "--report", str(report))
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["totals"]["unchanged"] == 1 and data["rows"][0]["result"] == "unchanged"
    assert "1 changed, 1 unchanged," in result.stdout
    table_results = [line.split()[-1] for line in result.stdout.splitlines() if re.match(r"^\d+ +\S+@", line)]
    assert table_results == [row["result"] for row in data["rows"]] == ["unchanged", "granted"]
    help_text = CliRunner().invoke(bulk.bulk_command, ["--help"]).output
    readme = "".join((ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "docs/grant-and-bulk.md"))
    assert '"unchanged"' in help_text and "`unchanged`" in readme
    for other_name in ("already-held", "not-held", "already as asked"):
        assert other_name not in result.output + help_text + readme


def test_after_a_portal_outage_the_report_is_not_complete(monkeypatch, tmp_path):
    def down_from_the_second_row(session_, employee, right, **_):
        if employee != "a@x.dk":
            raise errors.PortalDown("gave up after 4 tries")
        return grant.Outcome(employee, right, "grant", "granted", changed=True)

    report = tmp_path / "report.json"
    text = "a@x.dk,sagsbehandler\nb@x.dk,sagsbehandler\nc@x.dk,sagsbehandler\n"
    result = run_bulk(monkeypatch, tmp_path, text, down_from_the_second_row, "--report", str(report))
    assert result.exit_code == ExitStatus.PORTAL
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [row["status"] for row in data["rows"]] == ["ok", "failed", "not-run"]
    assert data["complete"] is False and data["ok"] is False
    assert "INCOMPLETE" in result.stdout and "portal-unavailable" in result.stdout.splitlines()[-1]


def test_progress_shows_only_the_rows_that_ran(capsys):
    tick, close = bulk.progress(3, dry_run=False)  # stderr is no terminal here: one line per row
    tick(_result(2))
    for row in _rows(3)[1:]:
        tick(RowResult.not_run(row, "not run: stopped by SIGINT"))
    close()
    err = capsys.readouterr().err
    assert "[1/3] line 2" in err and "not-run" not in err and "[2/3]" not in err


def test_the_progress_bar_is_not_filled_by_rows_not_run(monkeypatch):
    class Terminal:
        def isatty(self):
            return True

        def write(self, text):
            pass

        def flush(self):
            pass

    class Bar:
        def __init__(self, **kwargs):
            self.done = 0

        def update(self, count):
            self.done += count

        def render_finish(self):
            pass

    bars = []
    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setattr(click, "progressbar", lambda **kwargs: bars.append(Bar(**kwargs)) or bars[-1])
    tick, close = bulk.progress(3, dry_run=False)
    tick(_result(2))
    for row in _rows(3)[1:]:
        tick(RowResult.not_run(row, "not run: stopped by SIGINT"))
    close()
    assert bars[0].done == 1


def test_a_dry_run_carries_each_rows_outcome_to_the_next_rows_and_sums_them(monkeypatch, tmp_path):
    portal = FakePortal()  # Medlem - Lra <lra@nets.dk> holds neither right
    session = make_session(portal, monkeypatch)
    text = (
        "lra@nets.dk,sagsbehandler,grant\n"
        "lra@nets.dk,sagsbehandler,grant\n"  # granted by the row before
        "lra@nets.dk,kommunal-sagsbehandler,grant\n"  # the one-right rule, against the file's state
        "lra@nets.dk,sagsbehandler,revoke\n"
        "lra@nets.dk,kommunal-sagsbehandler,grant\n"
    )
    report = tmp_path / "report.json"
    result = run_bulk(
        monkeypatch, tmp_path, text, grant.grant_right, "--dry-run", "--report", str(report), session=session
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [row["result"] for row in data["rows"]] == [
        "would-grant",
        "unchanged",
        "refused-one-right-rule",
        "would-revoke",
        "would-grant",
    ]
    assert portal.saves == 0 and not any(portal.held.values())
    assert data["totals"]["would_change"] == 3 and data["totals"]["unchanged"] == 1
    assert "Dry run: 5 row(s): 3 would change, 1 unchanged, 1 failed, 0 not run" in result.stdout


def _recording_grant(done: list):
    def record_and_grant(session_, employee, right, **_):
        done.append(employee)
        return grant.Outcome(employee, right, "grant", "granted", changed=True, message="granted")

    return record_and_grant


THREE_ROWS = "a@x.dk,sagsbehandler\nb@x.dk,sagsbehandler\nc@x.dk,sagsbehandler\n"


@pytest.mark.parametrize("where", ["missing/report.json", "a-file/report.json"])
def test_a_report_path_that_cannot_be_written_is_one_line_and_exit_2_before_any_work(monkeypatch, tmp_path, where):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    done = []
    result = run_bulk(monkeypatch, tmp_path, THREE_ROWS, _recording_grant(done), "--report", str(tmp_path / where))
    assert result.exit_code == ExitStatus.USAGE and done == []
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    [line] = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert "cannot write the report" in line and where in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "rights.csv"]


def test_a_report_write_failing_mid_run_stops_before_the_next_change_and_says_what_was_done(monkeypatch, tmp_path):
    writes, real_write = [], Report.write

    def fill_the_disk_at_the_third_write(self):
        writes.append(1)
        if len(writes) >= 3:  # the first is before any row, the second after line 1
            raise OSError(28, "No space left on device")
        real_write(self)

    monkeypatch.setattr(Report, "write", fill_the_disk_at_the_third_write)
    report, done = tmp_path / "report.json", []
    result = run_bulk(monkeypatch, tmp_path, THREE_ROWS, _recording_grant(done), "--report", str(report))
    assert result.exit_code == ExitStatus.REPORT == 8
    assert done == ["a@x.dk", "b@x.dk"]  # line 2 was done when its write failed; line 3 never started
    data = json.loads(report.read_text(encoding="utf-8"))  # the last report that could be written
    assert [row["status"] for row in data["rows"]] == ["ok", "not-run", "not-run"] and data["complete"] is False
    assert "No space left on device" in result.stderr and "stopped before the next change" in result.stderr
    assert "line 2" in result.stderr.split("not in the report")[1]  # done, but the report could not say so
    assert "Traceback" not in result.output
    table = {line.split()[0]: line.split()[-2:] for line in result.stdout.splitlines() if re.match(r"^\d+ +\S+@", line)}
    assert table == {"1": ["ok", "granted"], "2": ["ok", "granted"], "3": ["not-run", "not-run"]}
    assert "  8    " in CliRunner().invoke(bulk.bulk_command, ["--help"]).output


def test_a_nul_in_one_cell_fails_that_row_and_the_other_rows_are_done(monkeypatch, tmp_path):
    done, report = [], tmp_path / "report.json"
    text = "a@x.dk,sagsbehandler\nb\0@x.dk,sagsbehandler\nc@x.dk,sagsbehandler\n"
    result = run_bulk(monkeypatch, tmp_path, text, _recording_grant(done), "--report", str(report))
    assert result.exit_code == ExitStatus.FAILED and done == ["a@x.dk", "c@x.dk"]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [row["status"] for row in data["rows"]] == ["ok", "failed", "ok"] and data["complete"] is True
    assert "line 2: " in result.stdout and "U+0000" in data["rows"][1]["message"]


@pytest.mark.parametrize("other", ["the file read", "notes.txt", "data.json"])
def test_report_never_overwrites_a_file_it_did_not_write(monkeypatch, tmp_path, other):
    sheet = tmp_path / "rights.csv"
    target = sheet if other == "the file read" else tmp_path / other
    if target != sheet:
        target.write_text('["someone else\'s data"]' if other.endswith(".json") else "my notes", encoding="utf-8")
    done = []
    result = run_bulk(monkeypatch, tmp_path, THREE_ROWS, _recording_grant(done), "--report", str(target))
    assert result.exit_code == ExitStatus.USAGE and done == []
    assert "--report" in result.output and "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") in (THREE_ROWS, "my notes", '["someone else\'s data"]')
