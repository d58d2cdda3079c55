"""Fixtures of the portal's Flask test-client tests only (the app, client and log-in are in
tests/conftest.py, shared with other tests)."""

import pytest

from mock_portal import db as portal_db
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


STEP = 100  # SQLite calls the progress handler every STEP virtual-machine instructions


@pytest.fixture
def steps(monkeypatch):
    """``steps()``: SQLite instructions run (in hundreds) on this test's connections since the last
    call: a measure of a search's work that does not depend on the machine, unlike a timing."""
    counted = [0]
    connect = portal_db._connect  # the project's own connection factory, wrapped to count

    def counting(path):
        db = connect(path)

        def tick():
            counted[0] += 1
            return 0

        db.set_progress_handler(tick, STEP)
        return db

    monkeypatch.setattr(portal_db, "_connect", counting)

    def read():
        value, counted[0] = counted[0], 0
        return value

    return read


@pytest.fixture
def grown_company(app_factory, auth_for):
    """``grown_company(size)``: a client logged in as admin on a portal whose company 1 has grown
    to ``size`` employees."""

    def make(size: int):
        client = app_factory(employees=size).test_client()
        auth_for(client).login()
        return client

    return make
