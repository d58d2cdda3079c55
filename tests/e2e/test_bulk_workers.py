"""`sesag bulk --workers`: several workers (a browser each, one log-in) end as one worker does."""

from test_bulk_interrupt import plain_employees  # tests/e2e is on sys.path (rootdir-less test modules)

from flows import bulk
from flows.credentials import Credentials
from flows.session import Session
from flows.sheets import Row


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


def test_each_worker_drives_a_browser_of_its_own_with_the_one_log_in_and_closes_it(page, portal, browser):
    """A browser's main process serves all its tabs: at two tabs it was the bottleneck (bench/
    bulk.py). Each extra worker gets its own browser, logged in by the first one's cookies."""
    from flows import browser as browsers

    portal.reset()
    opened = []

    def launch():
        opened.append(browsers.another_browser(browser))
        return opened[-1]

    logins_before = _log_ins(portal)
    session = Session(page, portal.url, Credentials.demo(), retries=1, launch_another=launch)
    session.log_in()
    results = bulk.run_rows(session, rows_for(plain_employees(4)), workers=3)
    assert all(r.ok for r in results) and len(results) == 6
    assert len(opened) == 2 and all(b is not browser for b in opened)
    assert _log_ins(portal) == logins_before + 1  # the workers' browsers did not log in again
    assert not any(b.is_connected() for b in opened)  # closed after the run
    assert browser.is_connected() and len(page.context.pages) == 1


def _log_ins(portal) -> int:
    from mock_portal.db import get_db

    with portal.app.app_context():
        return get_db().execute("SELECT COUNT(*) FROM web_session WHERE admin_id IS NOT NULL").fetchone()[0]
