"""The grant flow against a portal the size of a large municipality (50,000 employees).

One portal for the module: the demo data grown with ``grow_demo_company`` (as ``sesag portal
--employees 50000`` does), then the flow grants by e-mail and by name, and the rights and events
pages show it.
"""

import pytest
from playwright.sync_api import expect

from flows.admin import grant
from flows.core.credentials import Credentials
from flows.core.embedded import embedded_portal
from mock_portal.db import get_db
from mock_portal.generate import grow_demo_company

EMPLOYEES = 50_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def large_portal():
    with embedded_portal() as portal:
        with portal.app.app_context():
            grow_demo_company(get_db(), EMPLOYEES)
        yield portal


@pytest.fixture(scope="module")
def deep_employees(large_portal):
    """Two active employees late in the generated data: one found by e-mail, one by a name only
    they have (neither is on the list's first pages)."""
    with large_portal.app.app_context():
        db = get_db()
        assert db.execute("SELECT COUNT(*) FROM employee WHERE company_id = 1").fetchone()[0] == EMPLOYEES
        free = "company_id = 1 AND active = 1 AND id NOT IN (SELECT employee_id FROM employee_right)"
        by_email = db.execute(f"SELECT id, name, email FROM employee WHERE {free} ORDER BY id DESC LIMIT 1").fetchone()
        by_name = db.execute(
            f"SELECT name, email FROM employee WHERE {free} AND id < ? AND name_fold IN"
            " (SELECT name_fold FROM employee WHERE company_id = 1 GROUP BY name_fold HAVING COUNT(*) = 1)"
            " ORDER BY id DESC LIMIT 1",
            (by_email["id"],),
        ).fetchone()
    return dict(by_email), dict(by_name)


@pytest.fixture
def session(page, large_portal):
    page.set_default_timeout(15_000)
    session = grant.Session(page, large_portal.url, Credentials.demo(), retries=1, backoff=0.05)
    session.log_in()
    return session


def test_grant_flow_at_fifty_thousand_employees(session, deep_employees):
    by_email, by_name = deep_employees
    outcome = grant.grant_right(session, by_email["email"], "sagsbehandler")
    assert (outcome.result, outcome.name) == ("granted", by_email["name"])
    outcome = grant.grant_right(session, by_name["name"], "kommunal-sagsbehandler")
    assert (outcome.result, outcome.name) == ("granted", by_name["name"])

    row = grant.find_employee(session, by_email["email"])
    screens = session.screens
    screens.employees.open_employee(row.name, row.email)
    screens.employee_page.open_rights()
    expect(screens.rights.checkbox("sagsbehandler")).to_be_checked()
    screens.events.open(screens.rights.events_url())
    expect(screens.events.rows.first).to_contain_text("Sagsbehandler")
    expect(screens.events.rows.first).to_contain_text("tildelt")
