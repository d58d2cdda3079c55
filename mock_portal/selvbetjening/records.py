"""One employee of the logged-in administrator's company: the employee or 404, the rights it
holds, and an event in its history."""

from __future__ import annotations

from flask import abort, g

from mock_portal.clock import now, stamp
from mock_portal.db import get_db

MAX_NAME = 100
MAX_EMAIL = 254
MAX_ADDRESS = 200
MAX_ID = 2**62


def employee_or_404(employee_id: int):
    """The employee if it belongs to the logged-in administrator's company, else 404."""
    if employee_id > MAX_ID:  # SQLite integers are 64-bit; a longer id cannot exist
        abort(404)
    row = (
        get_db()
        .execute("SELECT * FROM employee WHERE id = ? AND company_id = ?", (employee_id, g.admin["company_id"]))
        .fetchone()
    )
    if row is None:
        abort(404)
    return row


def held(employee_id: int) -> set[str]:
    rows = get_db().execute("SELECT right_id FROM employee_right WHERE employee_id = ?", (employee_id,))
    return {row["right_id"] for row in rows}


def add_event(employee, text: str) -> None:
    get_db().execute(
        "INSERT INTO event (company_id, employee_id, at, actor, text) VALUES (?, ?, ?, ?, ?)",
        (employee["company_id"], employee["id"], stamp(now()), f"{g.admin['name']} ({g.admin['user_id']})", text),
    )
