"""sesag bulk without a browser: the CSV, the report, the table, the exit code."""
import json

from click.testing import CliRunner

from flows import bulk
from flows.bulk import BadRow, Row, RowResult, build_report, exit_code, parse_csv, summary_table


def test_parse_header_default_action_comments_and_line_numbers():
    text = (
        "employee,right,action\n"
        "lra@nets.dk,sagsbehandler,grant\n"
        "\n"
        "# a comment\n"
        "Medlem - Bruger, Kommunal sagsbehandler\n"
        "x@y.dk,kommunal_sagsbehandler,REVOKE\n"
    )
    rows, bad = parse_csv(text)
    assert bad == []
    assert rows == [
        Row(2, "lra@nets.dk", "sagsbehandler", "grant"),
        Row(5, "Medlem - Bruger", "kommunal-sagsbehandler", "grant"),
        Row(6, "x@y.dk", "kommunal-sagsbehandler", "revoke"),
    ]


def test_parse_without_header_and_with_bom():
    rows, bad = parse_csv("\ufefflra@nets.dk,sagsbehandler\n")
    assert rows == [Row(1, "lra@nets.dk", "sagsbehandler", "grant")] and bad == []


def test_header_columns_in_another_order():
    rows, bad = parse_csv("right,employee\nsagsbehandler,lra@nets.dk\n")
    assert rows == [Row(2, "lra@nets.dk", "sagsbehandler", "grant")] and bad == []


def test_bad_rows_have_their_line_numbers_and_good_rows_survive():
    text = (
        "employee,right,action\n"
        "lra@nets.dk,admin\n"            # unknown right
        "lra@nets.dk\n"                  # too few columns
        ",sagsbehandler\n"               # no employee
        "a@b.dk,sagsbehandler,delete\n"  # unknown action
        "a@b.dk,sagsbehandler,grant,x\n"  # too many columns
        "bruger@nets.dk,sagsbehandler\n"
        '"unterminated,sagsbehandler\n'
    )
    rows, bad = parse_csv(text)
    assert [r.line for r in rows] == [7]
    assert [b.line for b in bad][:5] == [2, 3, 4, 5, 6]
    assert "unknown right 'admin'" in bad[0].error
    assert "got 1 column" in bad[1].error
    assert "no employee" in bad[2].error
    assert "unknown action" in bad[3].error
    assert "got 4 column" in bad[4].error


def test_trailing_commas_are_tolerated():
    rows, bad = parse_csv("lra@nets.dk,sagsbehandler,,\n")
    assert rows == [Row(1, "lra@nets.dk", "sagsbehandler", "grant")] and bad == []


def test_bad_header_stops_with_one_clear_error():
    rows, bad = parse_csv("employee,recht\nlra@nets.dk,sagsbehandler\n")
    assert rows == [] and len(bad) == 1 and bad[0].line == 1 and "header" in bad[0].error


def _result(line, status="ok", result="granted", changed=True):
    return RowResult(line=line, employee=f"e{line}", right="sagsbehandler", action="grant",
                     status=status, result=result, message=f"m{line}", changed=changed)


def test_report_totals_and_order():
    results = [_result(3), _result(2, result="already-held", changed=False),
               _result(4, status="failed", result="unknown-employee", changed=False)]
    results += bulk.bad_results([BadRow(5, "x,y", "unknown right 'y'")])
    report = build_report(results, source="f.csv", base_url="http://p", dry_run=False, seconds=1.234)
    assert [r["line"] for r in report["rows"]] == [2, 3, 4, 5]
    assert report["totals"] == {"rows": 4, "ok": 2, "changed": 1, "unchanged": 1, "failed": 2, "skipped": 0}
    assert report["ok"] is False
    assert report["rows"][3]["result"] == "bad-row" and "line 5" in report["rows"][3]["message"]
    json.dumps(report)  # serialisable


class _CountingSession:
    """Stands in for grant.Session: counts the fresh tabs run_rows asks for."""

    def __init__(self):
        self.rows_on_page = 0
        self.renewed_before: list[str] = []
        self.current = ""

    def renew_page(self):
        self.renewed_before.append(self.current)
        self.rows_on_page = 0


def test_run_rows_moves_to_a_fresh_tab_every_rows_per_page(monkeypatch):
    session = _CountingSession()

    def fake_grant_right(session_, employee, right, **_):
        session_.current = employee
        return bulk.grants.Outcome(employee=employee, right=right, action="grant", result="granted", changed=True)

    monkeypatch.setattr(bulk.grants, "grant_right", fake_grant_right)
    rows = [Row(line, f"e{line}", "sagsbehandler") for line in range(1, 8)]
    results = bulk.run_rows(session, rows, rows_per_page=3)
    assert all(r.ok for r in results)
    # Rows 1-3 on the first tab, 4-6 on the second, 7 on the third.
    assert session.renewed_before == ["e3", "e6"]
    assert session.rows_on_page == 1


def test_summary_table_lists_every_line():
    table = summary_table([_result(2), _result(10, status="failed", result="unknown-employee")])
    lines = table.splitlines()
    assert lines[0].split() == ["Line", "Employee", "Right", "Action", "Status", "Result"]
    assert lines[2].split()[0] == "2" and lines[3].split()[0] == "10"
    assert "unknown-employee" in lines[3]


def test_exit_codes():
    assert exit_code([_result(1)]) == 0
    assert exit_code([_result(1), _result(2, status="failed", result="unknown-employee")]) == 1
    assert exit_code([_result(1, status="failed", result="portal-unavailable"),
                      _result(2, status="skipped", result="not-attempted")]) == 5
    assert exit_code([_result(1, status="failed", result="login-failed")]) == 6


def test_cli_only_bad_rows_needs_no_browser_and_fails(tmp_path):
    csv_file = tmp_path / "rights.csv"
    csv_file.write_text("employee,right\nlra@nets.dk,superuser\n", encoding="utf-8")
    report = tmp_path / "out.json"
    result = CliRunner().invoke(bulk.bulk_command, [str(csv_file), "--report", str(report)], env={"SESAG_USER": None})
    assert result.exit_code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["rows"][0]["line"] == 2 and data["rows"][0]["result"] == "bad-row"
    assert "unknown right 'superuser'" in result.output


def test_cli_missing_credentials_is_exit_6(tmp_path):
    csv_file = tmp_path / "rights.csv"
    csv_file.write_text("lra@nets.dk,sagsbehandler\n", encoding="utf-8")
    result = CliRunner().invoke(bulk.bulk_command, [str(csv_file)], env={"SESAG_USER": None, "SESAG_PASSWORD": None})
    assert result.exit_code == 6
    assert "SESAG_USER" in result.output


def test_cli_missing_file_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(bulk.bulk_command, [str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
