"""`sesag bulk --workers`: several workers (a browser each, one log-in) end as one worker does."""

from flows.admin import bulk
from flows.admin.session import Session
from flows.admin.sheets import Row
from flows.core.credentials import Credentials

from helpers.demo_people import plain_employees


def rows_for(people):
    """Grant, and for every other employee revoke again: rows of one employee must stay in order."""
    rows, line = [], 2
    for number, person in enumerate(people):
        actions = ("grant", "revoke") if number % 2 else ("grant",)
        for action in actions:
            rows.append(Row(line, person.email, "kommunal-sagsbehandler", action))
            line += 1
    return rows


def run(page, portal, workers):
    portal.reset()
    session = Session(page, portal.url, Credentials.demo(), retries=1)
    session.log_in()
    results = bulk.run_rows(session, rows_for(plain_employees(5)), workers=workers)
    return [(r.line, r.status, r.result, r.name, r.email, r.changed) for r in results]


def test_three_workers_give_the_same_report_as_one(page, portal):
    one = run(page, portal, workers=1)
    three = run(page, portal, workers=3)
    assert three == one
    assert [line for line, *_ in three] == sorted(line for line, *_ in three)  # line order
    assert {result for _, _, result, *_ in one} == {"granted", "revoked"}
    assert len(page.context.pages) == 1  # the workers' extra tabs are closed


def test_each_worker_drives_a_browser_of_its_own_in_a_thread_of_its_own_with_the_one_log_in(page, portal):
    """A browser's main process serves all its tabs: at two tabs it was the bottleneck (bench/
    bulk.py). Each extra worker is a thread with its own sync_playwright() and browser (Playwright's
    sync API is not thread-safe), logged in by the first one's storage state; gone after the run."""
    import threading

    portal.reset()
    threads = []
    logins_before = _log_ins(portal)
    session = Session(page, portal.url, Credentials.demo(), retries=1)
    session.log_in()
    results = bulk.run_rows(
        session, rows_for(plain_employees(4)), workers=3, on_row=lambda r: threads.append(threading.current_thread())
    )
    assert all(r.ok for r in results) and len(results) == 6
    assert len(set(threads)) == 3 and threading.main_thread() in threads  # this thread, and two of their own
    assert _log_ins(portal) == logins_before + 1  # the workers' browsers did not log in again
    assert not any(thread.is_alive() for thread in threads if thread is not threading.main_thread())
    assert page.context.browser.is_connected() and len(page.context.pages) == 1


def test_a_worker_that_cannot_open_its_browser_fails_the_run_with_that_error(page, portal):
    from flows.core.browser import BrowserNotFound, BrowserSpec

    portal.reset()
    session = Session(
        page, portal.url, Credentials.demo(), retries=1, browser_spec=BrowserSpec(connect="ws://127.0.0.1:9/")
    )
    session.log_in()
    try:
        bulk.run_rows(session, rows_for(plain_employees(2)), workers=2)
    except BrowserNotFound as exc:
        assert "cannot connect to the browser server ws://127.0.0.1:9/" in str(exc)
    else:
        raise AssertionError("no BrowserNotFound")


def _log_ins(portal) -> int:
    from mock_portal.db import get_db

    with portal.app.app_context():
        return get_db().execute("SELECT COUNT(*) FROM web_session WHERE admin_id IS NOT NULL").fetchone()[0]
