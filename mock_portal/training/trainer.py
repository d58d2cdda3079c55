"""The trainer's overview (``/oevelse/oversigt``): every trainee's task, Trin and time so far,
behind the trainer code that ``sesag portal --training`` prints."""

from __future__ import annotations

import hmac
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, redirect, render_template, request, url_for

from mock_portal.clock import COPENHAGEN
from mock_portal.training.exercise import read_task, step_count
from mock_portal.training.sandboxes import SandboxFile, sandboxes

TRAINER_COOKIE = "sesag_traener"


@dataclass(frozen=True)
class TraineeProgress:
    """One trainee's row of the overview."""

    trainee: str  # "" when the trainee gave no name
    task: str
    started: str  # clock time, Copenhagen
    step: int | None
    finished: bool
    minutes: int


def progress() -> list[TraineeProgress]:
    """Every sandbox's task, current Trin, whether the check passed, and minutes taken so far."""
    rows = []
    for _sandbox_id, path in sandboxes().all():
        try:
            with SandboxFile(path) as db:
                task = read_task(db)
        except sqlite3.Error:  # removed or being replaced just now
            continue
        if task is not None:
            end = task.finished or time.time()
            started = datetime.fromtimestamp(task.started, COPENHAGEN).strftime("kl. %H:%M")
            minutes = round((end - task.started) / 60)
            rows.append(
                TraineeProgress(task.trainee, task.text, started, task.step, task.finished is not None, minutes)
            )
    return sorted(rows, key=lambda row: (row.finished, row.task, row.trainee, row.started))


def _trainer_token() -> str:
    return hmac.new(
        current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else current_app.secret_key,
        current_app.config["TRAINER_CODE"].encode(),
        "sha256",
    ).hexdigest()


def overview():
    """The trainer's overview, behind the trainer code that ``sesag portal --training`` prints."""
    wrong = False
    if request.method == "POST":
        if not current_app.extensions["sesag.trainer_tries"].allow(request.remote_addr or ""):
            message = "For mange forsøg. Vent lidt, og prøv igen."
            return render_template("error.html", title="Oversigt over øvelser", message=message), 429
        code = request.form.get("kode", "")
        if hmac.compare_digest(code.encode(), current_app.config["TRAINER_CODE"].encode()):
            response = redirect(url_for("training.overview"))
            response.set_cookie(
                TRAINER_COOKIE, _trainer_token(), httponly=True, samesite="Strict", secure=request.is_secure
            )
            return response
        wrong = True
    if not hmac.compare_digest(request.cookies.get(TRAINER_COOKIE, ""), _trainer_token()):
        return render_template("training/overview.html", rows=None, wrong=wrong), 403 if wrong else 200
    return render_template("training/overview.html", rows=progress(), steps=step_count())
