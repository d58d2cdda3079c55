"""The exercise's own pages under /oevelse: choose a task, start it again, stop, the result."""

from __future__ import annotations

import sqlite3

from flask import abort, redirect, render_template, request, session, url_for

import catalogue
from mock_portal import demo_data
from mock_portal import rights as portal_rights
from mock_portal.db import get_db
from mock_portal.selvbetjening.args import without_controls
from mock_portal.training.exercise import check, current_task, employee_label, se_sag_rights
from mock_portal.training.hints import saved_hint
from mock_portal.training.sandboxes import COOKIE, NoRoom, current_sandbox, sandboxes, serializer

MAX_EMPLOYEE_DIGITS = 9  # int() of a 10,000-digit string raises (and costs): refuse it as text
MAX_TRAINEE = 60  # the trainee's name on the trainer's overview


def _choices() -> list[sqlite3.Row]:
    """Employees of the first demo company who hold neither Se Sag right: candidates for the task."""
    marks = ",".join("?" * len(portal_rights.AES_RIGHTS))
    return sandboxes().template_rows(
        "SELECT e.id, e.name, e.email, EXISTS (SELECT 1 FROM employee n WHERE n.company_id = e.company_id"
        " AND n.name = e.name AND n.id != e.id AND n.active = 1) AS namesake"
        " FROM employee e JOIN company c ON c.id = e.company_id"
        " WHERE c.cvr = ? AND e.active = 1 AND NOT EXISTS (SELECT 1 FROM employee_right r"
        f" WHERE r.employee_id = e.id AND r.right_id IN ({marks})) ORDER BY e.id",
        (demo_data.companies()[0].cvr, *sorted(portal_rights.AES_RIGHTS)),
    )


def _start(employee_id: int, right_id: str, sandbox_id: str | None = None, trainee: str = ""):
    try:
        sandbox_id = sandboxes().create(
            employee_id, right_id, sandbox_id, client=request.remote_addr or "", trainee=trainee
        )
    except NoRoom as full:
        return render_template("error.html", title="Ingen plads til øvelsen", message=str(full)), full.status
    session.clear()  # log out: the exercise starts at Trin 1, in the sandbox
    response = redirect(url_for("public.front"))
    response.set_cookie(COOKIE, serializer().dumps(sandbox_id), httponly=True, samesite="Lax", secure=request.is_secure)
    return response


def start_page():
    """Choose the task; or, during an exercise, start again or stop."""
    admin = demo_data.companies()[0].admin
    return render_template(
        "training/start.html",
        choices=[
            (row["id"], row["name"], employee_label(row["name"], row["email"], row["namesake"])) for row in _choices()
        ],
        max_trainee=MAX_TRAINEE,
        rights=se_sag_rights(),
        rule=catalogue.guide_text("da")["rule"],
        admin=admin,
        default_name="Medlem - Lra",
        ended="slut" in request.args,
    )


def start():
    """A new sandbox with the chosen task; the trainee begins on the front page, logged out."""
    right_id = request.form.get("rettighed", "")
    raw_employee = request.form.get("medarbejder", "")
    valid = (
        right_id in se_sag_rights()
        and raw_employee.isascii()
        and raw_employee.isdigit()
        and len(raw_employee) <= MAX_EMPLOYEE_DIGITS
    )
    if not valid or int(raw_employee) not in {row["id"] for row in _choices()}:
        abort(400, description="Vælg en medarbejder og en af rettighederne Sagsbehandler og Kommunal sagsbehandler.")
    trainee = " ".join(without_controls(request.form.get("deltager", "")).split())
    if len(trainee) > MAX_TRAINEE:
        abort(400, description=f"Dit navn må højst være {MAX_TRAINEE} tegn.")
    old = current_sandbox()
    if old:
        get_db()  # opened before the file goes: a later use must not create an empty file there
        sandboxes().remove(old)
    return _start(int(raw_employee), right_id, trainee=trainee)


def reset():
    """Start forfra: the same task on fresh demo data."""
    task = current_task()
    if task is None:
        return redirect(url_for("training.start_page"))
    return _start(task.employee_id, task.right_id, current_sandbox(), trainee=task.trainee)


def stop():
    """Afslut øvelse: remove the sandbox; the portal is the shared demo again."""
    sandbox_id = current_sandbox()
    if sandbox_id:
        get_db()  # opened before the file goes: a later use must not create an empty file there
        sandboxes().remove(sandbox_id)
    session.clear()
    response = redirect(url_for("public.front"))
    response.delete_cookie(COOKIE)
    return response


def result():
    """The check at the end, as a page of its own."""
    task = current_task()
    if task is None:
        return redirect(url_for("training.start_page"))
    return render_template("training/result.html", task=task, outcome=check(task), saved=saved_hint(task))
