"""What the training mode does on every request of a trainee: keep sessions to their database,
note a successful 'Gem rettigheder', record the trainee's progress, and give the hint panel
(``training/panel.html``, included by base.html) what it shows.

Progress is written here, once, after the request was handled; the panel only reads. (It was
written from the template's context before: on every render, error pages and a second render
included, and never for a save the portal answers with a redirect.)
"""

from __future__ import annotations

import time

from flask import g, request, session

from mock_portal.db import get_db
from mock_portal.training.exercise import check, current_task, step_count
from mock_portal.training.hints import hint_for, saved_hint
from mock_portal.training.sandboxes import current_sandbox

SESSION_BINDING = "oevelse"  # the session key holding the sandbox a session was made in


def panel() -> dict:
    """The hint panel of this request: the task, the check, the hint and what to frame (made once)."""
    if "sesag_panel" not in g:
        g.sesag_panel = _panel()
    return g.sesag_panel


def _panel() -> dict:
    task = current_task()
    if task is None:
        return {"task": None}
    result = check(task)
    hint = saved_hint(task) if result.ok else hint_for(task)
    targets = [{"role": t.role, "name": t.name, "within": t.within} for t in (hint.targets if hint else ())]
    return {"task": task, "result": result, "hint": hint, "steps": step_count(), "targets": targets}


def panel_context() -> dict:
    """What ``training/panel.html`` shows on this page: read only."""
    return {"training": panel()}


def keep_sessions_apart() -> None:
    """A session belongs to the database it was made in (a trainee's sandbox, or the shared one,
    ''): used elsewhere, it is logged out. (Runs after auth's loader, which set g.admin.)"""
    here = current_sandbox() or ""
    if session.get(SESSION_BINDING, here) != here:
        session.clear()
        g.admin = None


def after_request(response):
    """Bind a new session to its database; note a successful save; record the progress."""
    if session and SESSION_BINDING not in session:
        session[SESSION_BINDING] = current_sandbox() or ""
    if current_sandbox() and request.endpoint != "static":
        if _saved(response):
            get_db().execute("INSERT INTO oevelse_gemt (employee_id) VALUES (?)", (request.view_args["employee_id"],))
            g.pop("sesag_panel", None)  # the check's answer changed with the save
        _record_progress()
    return response


def _saved(response) -> bool:
    """Whether this request was a 'Gem rettigheder' that the portal took (it answers with a redirect)."""
    return (
        request.endpoint == "selvbetjening.rights"
        and request.method == "POST"
        and g.get("admin") is not None
        and response.status_code in (302, 303)
    )


def _record_progress() -> None:
    """Keep the trainer overview's columns: the Trin the panel shows, and when the check first passed."""
    shown = panel()
    task, hint = shown["task"], shown.get("hint")
    if task is None or hint is None:
        return
    finished = task.finished or (time.time() if shown["result"].ok else None)
    if (task.step, task.finished) != (hint.step, finished):
        get_db().execute("UPDATE oevelse SET trin = ?, finished = ?", (hint.step, finished))
