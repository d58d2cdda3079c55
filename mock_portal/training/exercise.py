"""The exercise: the task a sandbox holds ("Giv <medarbejder> rettigheden <rettighed>") and
the check at its end: the intended right held, not both Se Sag rights, nothing extra."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import catalogue
from mock_portal import rights as portal_rights
from mock_portal.db import get_db
from mock_portal.training.sandboxes import current_sandbox


def step_count() -> int:
    return len(catalogue.steps())


def se_sag_rights() -> dict[str, catalogue.Right]:
    """Portal right id -> the catalogue's Se Sag right (the portal's tree carries the same ids)."""
    return {right.portal_id: right for right in catalogue.rights()}


def employee_label(name: str, email: str, namesake: bool) -> str:
    """How the task names an employee: the name, and the e-mail when a colleague shares it."""
    return f"{name} ({email})" if namesake else name


@dataclass(frozen=True)
class Task:
    employee_id: int
    employee: str
    right_id: str
    right: str
    other_id: str
    other: str
    start_rights: frozenset[str]
    started: float
    finished: float | None
    step: int | None  # the Trin the panel showed last
    trainee: str = ""  # the name the trainee gave, for the trainer's overview
    email: str = ""
    namesake: bool = False  # another active employee of the company has the same name

    @property
    def text(self) -> str:
        """The task, naming the employee by e-mail too when a colleague has the same name."""
        return catalogue.training().task.format(
            employee=employee_label(self.employee, self.email, self.namesake), right=self.right
        )

    def words(self) -> dict[str, str]:
        """The task's placeholders for training.toml's sentences."""
        return {"employee": self.employee, "right": self.right, "other": self.other}


@dataclass(frozen=True)
class Result:
    saved: bool
    ok: bool
    message: str
    held: tuple[str, ...] = ()
    note: str = ""


def read_task(db: sqlite3.Connection) -> Task | None:
    """The task stored in a sandbox database."""
    row = db.execute(
        "SELECT o.*, e.name, e.email, EXISTS (SELECT 1 FROM employee n WHERE n.company_id = e.company_id"
        " AND n.name = e.name AND n.id != e.id AND n.active = 1) AS namesake"
        " FROM oevelse o JOIN employee e ON e.id = o.employee_id"
    ).fetchone()
    if row is None:
        return None
    rights = se_sag_rights()
    other_id = next(r for r in rights if r != row["right_id"])
    return Task(
        row["employee_id"],
        row["name"],
        row["right_id"],
        rights[row["right_id"]].portal_label,
        other_id,
        rights[other_id].portal_label,
        frozenset(row["start_rights"].split()),
        row["started"],
        row["finished"],
        row["trin"],
        row["trainee"],
        row["email"],
        bool(row["namesake"]),
    )


def current_task() -> Task | None:
    if current_sandbox() is None:
        return None
    return read_task(get_db())


def check(task: Task, db: sqlite3.Connection | None = None) -> Result:
    """Does the employee hold the intended right, and not both Se Sag rights (nor anything extra)?"""
    db = db or get_db()
    results = catalogue.training().results
    held = {
        row[0] for row in db.execute("SELECT right_id FROM employee_right WHERE employee_id = ?", (task.employee_id,))
    }
    labels = {right_id: right.label for right_id, right in portal_rights.all_rights().items()}
    shown = tuple(sorted(labels.get(r, r) for r in held))
    saved = db.execute("SELECT 1 FROM oevelse_gemt WHERE employee_id = ?", (task.employee_id,)).fetchone() is not None
    others = [
        row[0]
        for row in db.execute(
            "SELECT DISTINCT e.name FROM oevelse_gemt s JOIN employee e ON e.id = s.employee_id"
            " WHERE s.employee_id != ? ORDER BY e.name",
            (task.employee_id,),
        )
    ]
    note = results["note"].format(others=", ".join(others)) if others else ""
    extras = sorted(labels.get(r, r) for r in held - task.start_rights - portal_rights.AES_RIGHTS)
    words = {**task.words(), "extras": ", ".join(extras)}
    if not saved:
        verdict = "not_saved"
    elif held >= portal_rights.AES_RIGHTS:
        verdict = "both"
    elif task.other_id in held:
        verdict = "other"
    elif task.right_id not in held:
        verdict = "missing"
    elif extras:
        verdict = "extras"
    else:
        verdict = "ok"
    return Result(saved, verdict == "ok", results[verdict].format(**words), shown, note)
