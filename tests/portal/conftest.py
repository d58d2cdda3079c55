"""Fixtures of the portal's Flask test-client tests only (the app, client and log-in are in
tests/conftest.py, shared with other tests)."""

import pytest

from mock_portal.db import get_db


@pytest.fixture
def lra(logged_in, employee_id):
    """Logged in as admin; the id of Medlem - Lra (no rights in the demo data)."""
    return employee_id("lra@nets.dk")


@pytest.fixture
def other_company_employee(query):
    return query("SELECT id, name, address FROM employee WHERE company_id = 2 ORDER BY id LIMIT 1")[0]


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def employee_id(app):
    """``employee_id(email)``: the id of the demo employee with that e-mail."""

    def lookup(email: str) -> int:
        with app.app_context():
            row = get_db().execute("SELECT id FROM employee WHERE email = ?", (email,)).fetchone()
        assert row is not None, email
        return row["id"]

    return lookup


@pytest.fixture
def query(app):
    """``query(sql, *params)``: rows from the test's database (to check what was stored)."""

    def run(sql: str, *params):
        with app.app_context():
            return [dict(row) for row in get_db().execute(sql, params).fetchall()]

    return run


@pytest.fixture
def add_employee(app):
    """``add_employee(name, email, group, company, active)``: an extra employee for a test case."""

    def run(name, email="x@example.dk", group="Jura", company=1, active=1):
        with app.app_context():
            get_db().execute(
                "INSERT INTO employee (company_id, name, email, grp, signature, address, active)"
                " VALUES (?, ?, ?, ?, 'Nøglekort', 'Vej 1', ?)",
                (company, name, email, group, active),
            )

    return run
