"""`sesag grant` and `sesag bulk` as a user runs them: a subprocess with SESAG_* in the environment.

A subprocess, because the pytest-playwright session already runs Playwright's sync API in this
process, and the commands start their own.
"""

import json
import socket

import pytest
from playwright.sync_api import expect

from flows.admin import grant
from flows.admin.session import Session
from flows.core.credentials import Credentials
from flows.errors import ExitStatus

from helpers.sesag_cli import demo_env, run

SECRET = "nemid-demo"


@pytest.fixture
def session(page, portal):
    session = Session(page, portal.url, Credentials.demo(), retries=0)
    session.log_in()
    return session


def held(session, who, right):
    row = grant.find_employee(session, who)
    session.screens.employees.open_employee(row.name, row.email)
    session.screens.employee_page.open_rights()
    return session.screens.rights.checkbox(right)


def test_grant_command_grants_and_is_idempotent(portal, session):
    first = run(
        "grant", "--employee", "lra@nets.dk", "--right", "sagsbehandler", "--base-url", portal.url, env=demo_env()
    )
    assert first.returncode == 0, first.stderr
    assert "Granted Sagsbehandler to Medlem - Lra" in first.stdout
    second = run(
        "grant", "--employee", "lra@nets.dk", "--right", "sagsbehandler", "--base-url", portal.url, env=demo_env()
    )
    assert second.returncode == 0 and "already holds" in second.stdout
    for output in (first.stdout + first.stderr, second.stdout + second.stderr):
        assert SECRET not in output
    expect(held(session, "lra@nets.dk", "sagsbehandler")).to_be_checked()


def test_grant_command_rule_and_replace(portal, session):
    assert (
        run(
            "grant",
            "--employee",
            "lra@nets.dk",
            "--right",
            "kommunal-sagsbehandler",
            "--base-url",
            portal.url,
            env=demo_env(),
        ).returncode
        == 0
    )
    refused = run(
        "grant", "--employee", "lra@nets.dk", "--right", "sagsbehandler", "--base-url", portal.url, env=demo_env()
    )
    assert refused.returncode == ExitStatus.REFUSED
    assert "--replace" in refused.stderr and refused.stderr.count("Error:") == 1
    replaced = run(
        "grant",
        "--employee",
        "lra@nets.dk",
        "--right",
        "sagsbehandler",
        "--replace",
        "--base-url",
        portal.url,
        env=demo_env(),
    )
    assert replaced.returncode == 0 and "Replaced Kommunal sagsbehandler with Sagsbehandler" in replaced.stdout
    expect(held(session, "lra@nets.dk", "sagsbehandler")).to_be_checked()


def test_grant_command_unknown_employee(portal):
    result = run(
        "grant", "--employee", "nobody@example.dk", "--right", "sagsbehandler", "--base-url", portal.url, env=demo_env()
    )
    assert result.returncode == ExitStatus.EMPLOYEE and "nobody@example.dk" in result.stderr


def test_grant_command_wrong_password(portal):
    result = run(
        "grant",
        "--employee",
        "lra@nets.dk",
        "--right",
        "sagsbehandler",
        "--base-url",
        portal.url,
        env=demo_env({"SESAG_PASSWORD": "not-the-password"}),
    )
    assert result.returncode == ExitStatus.LOGIN
    assert "not-the-password" not in result.stdout + result.stderr
    assert result.stderr.startswith("Error: Log-in refused")


def test_grant_command_portal_down_is_one_clear_message():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(
        "grant",
        "--employee",
        "lra@nets.dk",
        "--right",
        "sagsbehandler",
        "--base-url",
        f"http://127.0.0.1:{port}",
        "--retries",
        "1",
        env=demo_env(),
    )
    assert result.returncode == ExitStatus.PORTAL
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and "2 tries" in lines[0]
    assert f"no portal answers at http://127.0.0.1:{port}" in lines[0] and "ERR_CONNECTION_REFUSED" in lines[0]
    assert "sesag portal" in lines[0] and "--base-url" in lines[0] and "Page.goto" not in lines[0]


def test_bulk_with_no_portal_names_the_address_and_what_to_do(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sheet = tmp_path / "rights.csv"
    sheet.write_text("lra@nets.dk;sagsbehandler\n", encoding="utf-8")
    result = run("bulk", str(sheet), "--base-url", f"http://127.0.0.1:{port}", "--retries", "0", env=demo_env())
    assert result.returncode == ExitStatus.PORTAL
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert (
        f"no portal answers at http://127.0.0.1:{port}" in error and "sesag portal" in error and "--base-url" in error
    )
    assert "Traceback" not in result.stderr


def test_grant_command_dry_run_changes_nothing(portal, session):
    result = run(
        "grant",
        "--employee",
        "lra@nets.dk",
        "--right",
        "sagsbehandler",
        "--dry-run",
        "--base-url",
        portal.url,
        env=demo_env(),
    )
    assert result.returncode == 0 and "Dry run" in result.stdout
    expect(held(session, "lra@nets.dk", "sagsbehandler")).not_to_be_checked()


def test_bulk_good_and_bad_rows(portal, session, tmp_path):
    csv_file = tmp_path / "rights.csv"
    csv_file.write_text(
        "employee,right,action\n"
        "lra@nets.dk,sagsbehandler,grant\n"  # 2 good
        "nobody@example.dk,sagsbehandler\n"  # 3 unknown employee
        "Medlem - Bruger,kommunal-sagsbehandler\n"  # 4 good, by name
        "bruger@nets.dk,superuser\n"  # 5 unknown right
        "this line is malformed\n"  # 6 malformed
        "lra@nets.dk,sagsbehandler\n",  # 7 already held by then
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    result = run("bulk", str(csv_file), "--report", str(report), "--base-url", portal.url, env=demo_env())
    assert result.returncode == 1, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    by_line = {row["line"]: row for row in data["rows"]}
    assert {line: row["result"] for line, row in by_line.items()} == {
        2: "granted",
        3: "unknown-employee",
        4: "granted",
        5: "bad-row",
        6: "bad-row",
        7: "unchanged",
    }
    assert data["totals"]["failed"] == 3 and data["totals"]["changed"] == 2
    for line in (3, 5, 6):
        assert f"line {line}" in result.stdout
    assert "Line" in result.stdout.splitlines()[0]  # the summary table
    expect(held(session, "lra@nets.dk", "sagsbehandler")).to_be_checked()
    expect(held(session, "bruger@nets.dk", "kommunal-sagsbehandler")).to_be_checked()


def test_bulk_dry_run_validates_everything_and_saves_nothing(portal, session, tmp_path):
    csv_file = tmp_path / "rights.csv"
    csv_file.write_text("lra@nets.dk,sagsbehandler\nnobody@example.dk,sagsbehandler\n", encoding="utf-8")
    result = run("bulk", str(csv_file), "--dry-run", "--base-url", portal.url, env=demo_env())
    assert result.returncode == 1
    assert "would-grant" in result.stdout and "unknown-employee" in result.stdout
    expect(held(session, "lra@nets.dk", "sagsbehandler")).not_to_be_checked()


def test_bulk_reads_a_danish_excel_workbook_with_two_workers(portal, session, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    for values in (
        ("Medarbejder", "Rettighed", "Handling"),
        ("lra@nets.dk", "Sagsbehandler", "tildel"),
        ("Medlem - Bruger", "Kommunal sagsbehandler", "tildel"),
        ("lra@nets.dk", "Sagsbehandler", "fjern"),
    ):
        workbook.active.append(values)
    sheet = tmp_path / "rettigheder.xlsx"
    workbook.save(sheet)
    report = tmp_path / "report.json"
    result = run(
        "bulk", str(sheet), "--workers", "2", "--report", str(report), "--base-url", portal.url, env=demo_env()
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [(row["line"], row["result"]) for row in data["rows"]] == [(2, "granted"), (3, "granted"), (4, "revoked")]
    assert data["complete"] is True and data["workers"] == 2
    expect(held(session, "lra@nets.dk", "sagsbehandler")).not_to_be_checked()
    expect(held(session, "bruger@nets.dk", "kommunal-sagsbehandler")).to_be_checked()
