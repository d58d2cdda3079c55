"""ADMINISTRÉR MEDARBEJDERE: the table, Vis 15, paging and AVANCERET SØGNING."""

from __future__ import annotations

import time

from flask import abort, current_app, g, render_template, request, session

from mock_portal.auth import login_required
from mock_portal.db import TooMuchWork, bounded_work, get_db
from mock_portal.keys import danish_key
from mock_portal.selvbetjening.args import int_arg, text_arg
from mock_portal.selvbetjening.employee_query import PAGE_SIZES, STATUSES, EmployeeQuery
from mock_portal.selvbetjening.paging import page_window
from mock_portal.selvbetjening.records import MAX_EMAIL, MAX_NAME
from mock_portal.selvbetjening.search_limits import TOO_MANY_SEARCHES, TOO_MUCH_WORK, search_allowance


@login_required
def employees():
    """The list page: the search asked within the session's allowance and the page's bound on work."""
    query = _asked()
    allowance, who = search_allowance(), session.sid or request.remote_addr or ""
    if not allowance.allows(who):  # answered before any query: the waiting page costs next to nothing
        return render_template("error.html", title="Administrér medarbejdere", message=TOO_MANY_SEARCHES), 429
    started = time.thread_time()
    try:
        with bounded_work(current_app.config["SEARCH_CPU_SECONDS"]):
            total, rows, pages = _list_page(query)
    except TooMuchWork:
        return _employees_page(query, [], 0, 1, 1, TOO_MUCH_WORK), 400
    finally:
        used = time.thread_time() - started
        allowance.spend(who, max(0.0, used - current_app.config["SEARCH_CPU_FREE"]))
    return _employees_page(query, rows, total, query.page, pages)


def _asked() -> EmployeeQuery:
    """The search in the query string (404 for a page number or size the list has not)."""
    status = request.args.get("status", "aktiv")
    return EmployeeQuery(
        company=g.admin["company_id"],
        name=text_arg("navn", MAX_NAME),
        email=text_arg("email", MAX_EMAIL),
        group=text_arg("gruppe", MAX_NAME),
        status=status if status in STATUSES else "aktiv",
        size=int_arg("vis", PAGE_SIZES[0], PAGE_SIZES),
        page=int_arg("side", 1),
    )


def _list_page(query: EmployeeQuery):
    """(total, the page's rows, pages) of the list's search; 404 for a page beyond the last."""
    db = get_db()
    total = query.count(db)
    pages = query.pages(total)
    if query.page < 1 or query.page > pages:
        abort(404)
    return total, query.rows(db, total), pages


def _groups(company: int) -> list[str]:
    """The company's groups in Danish order."""
    # The distinct groups by index seeks, one per group, rather than a pass over every employee.
    rows = get_db().execute(
        "WITH RECURSIVE grp (name) AS (SELECT MIN(grp) FROM employee WHERE company_id = :company"
        " UNION ALL SELECT (SELECT MIN(grp) FROM employee WHERE company_id = :company AND grp > grp.name)"
        " FROM grp WHERE grp.name IS NOT NULL) SELECT name FROM grp WHERE name IS NOT NULL",
        {"company": company},
    )
    return sorted((row[0] for row in rows), key=lambda grp: (danish_key(grp), grp))


def _employees_page(query: EmployeeQuery, rows, total, page, pages, error=""):
    return render_template(
        "selvbetjening/employees.html",
        current="employees",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        size=query.size,
        window=page_window(page, pages),
        sizes=PAGE_SIZES,
        groups=_groups(query.company),
        statuses=STATUSES,
        searching=query.searching,
        query=query.as_args(),
        error=error,
    )
