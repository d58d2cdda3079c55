"""`sesag bulk` cut off: SIGINT / SIGTERM mid-file against a live portal, then the rerun.

A real subprocess (as an administrator runs it, and so that the signal reaches only it); the
report file is the progress we wait on.
"""

import json
import signal
import time

import pytest
from playwright.sync_api import expect

from flows.admin.grant import find_employee
from flows.admin.session import Session
from flows.core.credentials import Credentials
from flows.errors import ExitStatus

from helpers.demo_people import plain_employees
from helpers.sesag_cli import demo_env, start


def wait_for_rows_done(report, process, count, deadline=240):
    """Until the report (rewritten after every row) lists ``count`` rows as done."""
    end = time.monotonic() + deadline
    while time.monotonic() < end and process.poll() is None:
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # not written yet (it is replaced atomically, never half-written)
            data = {"rows": []}
        if sum(row["status"] != "not-run" for row in data["rows"]) >= count:
            return
        time.sleep(0.2)  # polling a file the subprocess writes: there is no event to wait on
    raise AssertionError(f"bulk did not get {count} row(s) done in {deadline} s")


@pytest.mark.parametrize(
    "signal_number, code, workers",
    # SIGTERM with two workers: the second worker's own browser must finish its row too, not die.
    [(signal.SIGINT, ExitStatus.SIGINT, "1"), (signal.SIGTERM, ExitStatus.SIGTERM, "2")],
)
def test_a_signal_mid_file_leaves_a_true_report_and_the_rerun_finishes(
    portal, page, tmp_path, signal_number, code, workers
):
    people = plain_employees(6)
    sheet = tmp_path / "rettigheder.csv"
    sheet.write_text(
        "medarbejder;rettighed;handling\n" + "".join(f"{p.email};Sagsbehandler;tildel\n" for p in people),
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    report.write_text('{"rows": [], "note": "an older run"}', encoding="utf-8")
    process = start(
        "bulk", str(sheet), "--report", str(report), "--base-url", portal.url, "--workers", workers, env=demo_env()
    )
    wait_for_rows_done(report, process, 1)
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=240)
    assert process.returncode == code, stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["complete"] is False and data["interrupted"] == signal.Signals(signal_number).name
    statuses = [row["status"] for row in data["rows"]]
    assert "ok" in statuses and "not-run" in statuses and "failed" not in statuses
    assert "INCOMPLETE" in stdout and "Line" in stdout  # the summary was printed
    assert "Traceback" not in stderr
    assert "-> not-run" not in stderr  # rows not run are counted in the summary, not shown as progress
    assert f"{statuses.count('not-run')} not run" in stdout

    # The rows it calls ok are true in the portal; the rows not run are not.
    session = Session(page, portal.url, Credentials.demo(), retries=0)
    session.log_in()
    for row in data["rows"]:
        found = find_employee(session, row["employee"])
        session.screens.employees.open_employee(found.name, found.email)
        session.screens.employee_page.open_rights()
        box = session.screens.rights.checkbox("sagsbehandler")
        expect(box).to_be_checked() if row["status"] == "ok" else expect(box).not_to_be_checked()

    # The rerun of the same file finishes: the rows done before are unchanged, the rest granted.
    rerun = start(
        "bulk", str(sheet), "--report", str(report), "--base-url", portal.url, "--workers", "1", env=demo_env()
    )
    stdout, stderr = rerun.communicate(timeout=400)
    assert rerun.returncode == 0, stderr
    again = json.loads(report.read_text(encoding="utf-8"))
    assert again["complete"] is True and again["ok"] is True
    before = {row["line"]: row["status"] for row in data["rows"]}
    for row in again["rows"]:
        assert row["result"] == ("unchanged" if before[row["line"]] == "ok" else "granted")
