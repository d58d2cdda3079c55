"""Se hændelser: every change of an employee's rights and data, newest first."""

from __future__ import annotations

import math

from flask import abort, render_template

from mock_portal.auth import login_required
from mock_portal.db import get_db
from mock_portal.selvbetjening.args import int_arg
from mock_portal.selvbetjening.paging import page_window
from mock_portal.selvbetjening.records import employee_or_404

EVENTS_PAGE = 50


@login_required
def events(employee_id):
    person = employee_or_404(employee_id)
    page = int_arg("side", 1)
    db = get_db()
    total = db.execute("SELECT COUNT(*) FROM event WHERE employee_id = ?", (employee_id,)).fetchone()[0]
    pages = max(1, math.ceil(total / EVENTS_PAGE))
    if page < 1 or page > pages:
        abort(404)
    rows = db.execute(
        "SELECT * FROM event WHERE employee_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
        (employee_id, EVENTS_PAGE, (page - 1) * EVENTS_PAGE),
    ).fetchall()
    return render_template(
        "selvbetjening/events.html",
        current="employees",
        person=person,
        events=rows,
        page=page,
        pages=pages,
        window=page_window(page, pages),
    )
