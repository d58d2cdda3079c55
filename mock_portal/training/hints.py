"""The hint panel's words: which scene of Trin 1-5 this page is, or the detour back and why.

Which scene a page is, the detours and every sentence come from the step catalogue
(``catalogue/training.toml``): this module only looks them up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, g, request, url_for

import catalogue
from mock_portal import demo_data
from mock_portal import rights as portal_rights
from mock_portal.db import get_db
from mock_portal.selvbetjening.pages import SIMPLE_PAGES
from mock_portal.training.exercise import Task

BLUEPRINT = "training"  # the exercise's own pages, which show no hint


@dataclass(frozen=True)
class Hint:
    """What the panel shows: the scene's step and words, a detour, what to frame."""

    scene: catalogue.Scene
    do: str
    detour: str = ""
    link: tuple[str, str] | None = None  # (text, url): the way back
    extra: str = ""
    targets: tuple[catalogue.Target, ...] = field(default=())

    @property
    def step(self) -> int:
        return self.scene.step

    @property
    def bullets(self) -> list[str]:
        return next(step.bullets["da"] for step in catalogue.steps() if step.number == self.scene.step)


def _other_employee(task: Task) -> bool:
    employee_id = (request.view_args or {}).get("employee_id")
    return employee_id is not None and employee_id != task.employee_id


# The conditions training.toml's detours may name (catalogue.CONDITIONS).
CONDITIONS = {
    "": lambda task: True,
    "logged_in": lambda task: g.get("admin") is not None,
    "logged_out": lambda task: g.get("admin") is None,
    "other_employee": _other_employee,
    "both_ticked": lambda task: (
        request.method == "POST" and set(request.form.getlist("right")) >= portal_rights.AES_RIGHTS
    ),
}


def _words(task: Task) -> dict[str, str]:
    """Every placeholder training.toml's sentences may use, for this request."""
    args = request.view_args or {}
    who = "en anden medarbejder"
    if "employee_id" in args:
        row = get_db().execute("SELECT name FROM employee WHERE id = ?", (args["employee_id"],)).fetchone()
        who = row["name"] if row else who
    admin = demo_data.companies()[0].admin
    page = SIMPLE_PAGES.get(args.get("key", ""), args.get("key", ""))
    return {**task.words(), "who": who, "page": page, "user_id": admin.user_id, "password": admin.password}


def _link(detour: catalogue.Detour, task: Task, words: dict[str, str]) -> tuple[str, str] | None:
    if not detour.link_to:
        return None
    arguments = {arg for rule in current_app.url_map.iter_rules(detour.link_to) for arg in rule.arguments}
    values = {"employee_id": task.employee_id} if "employee_id" in arguments else {}
    return detour.link.format(**words), url_for(detour.link_to, **values)


def hint_for(task: Task) -> Hint | None:
    """The scene this page shows, or the one to go back to and why: a lookup in training.toml."""
    if request.blueprint == BLUEPRINT:
        return None
    data = catalogue.training()
    endpoint = request.endpoint or ""
    words = _words(task)
    screen = data.screen_of(endpoint)
    specific = [d for d in data.detours if catalogue.ANY_ENDPOINT not in d.endpoints]
    fallback = [d for d in data.detours if catalogue.ANY_ENDPOINT in d.endpoints]
    for detour in specific + ([] if screen else fallback):
        if detour.matches(endpoint) and CONDITIONS[detour.when](task):
            scene = data.scenes[detour.back_to]
            return Hint(
                scene,
                scene.caption["da"],
                detour.text.format(**words),
                _link(detour, task, words),
                detour.extra.format(**words),
            )
    scene = data.scene_on(screen)
    do = scene.caption["da"]
    targets = tuple(t.filled(**task.words()) for t in screen.targets)
    return Hint(scene, do, extra=screen.extra.format(**words), targets=targets)


def saved_hint(task: Task) -> Hint:
    """The scene shown once the check passes."""
    data = catalogue.training()
    screen = data.screens["saved"]
    scene = data.scene_on(screen)
    return Hint(scene, scene.caption["da"], targets=tuple(t.filled(**task.words()) for t in screen.targets))
