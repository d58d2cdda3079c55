"""`sesag bulk --workers`: several tabs of one logged-in context end as one tab does."""

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
