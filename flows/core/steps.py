"""The step catalogue: Trin 1-5 of the vejledning, what each does and what each marks.

The words, steps and scenes come from the ``catalogue`` package (shared with the portal); this
module adds, per scene, the browser work over the page objects:

- ``prepare``: bring the screen into the state the guide shows (e.g. tick the right);
- ``targets``: the elements a person must click next, which the guide frames in red and the
  demo points at;
- ``act``: that click, which leads to the next scene.

``run_procedure`` is the one code path that walks them; the guide, the demo and the
end-to-end tests pass an ``on_scene`` callback to shoot, caption or check each scene.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import catalogue as words
from flows import first_line
from flows.errors import StepFailed

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from flows.core.credentials import Credentials

LANGUAGES = words.LANGUAGES
RIGHT_KEYS = words.right_keys()
Step = words.Step
guide_text = words.guide_text
DEFAULT_EMPLOYEE = "Medlem - Lra"  # the guide's own example row


def text() -> dict[str, Any]:
    """The parsed ``catalogue/vejledning.toml``."""
    return words.text()


def rights() -> list[dict[str, Any]]:
    """The two Se Sag rights as written in the catalogue: key, labels and who should have them."""
    return text()["rights"]


def right_label(key: str, lang: str = "da") -> str:
    """The label of right ``key`` (``sagsbehandler`` | ``kommunal-sagsbehandler``) in ``lang``."""
    if key not in RIGHT_KEYS:
        raise ValueError(f"unknown right {key!r}; choose one of {', '.join(RIGHT_KEYS)}")
    return words.right(key).label[lang]


@dataclass
class Walk:
    """One run through the procedure: the page, whom it is for, and the page objects."""

    page: Page
    base_url: str
    credentials: Credentials
    employee: str = DEFAULT_EMPLOYEE
    right: str = "sagsbehandler"

    def __post_init__(self) -> None:
        # The page objects on first use: --help loads this module and needs no browser (decision 0013).
        from flows.core import pages

        # The same page objects as the grant session's (front, login, ..., rights, events).
        vars(self).update(vars(pages.Screens(self.page, self.base_url)))


def _nothing(walk: Walk) -> None:
    return None


@dataclass(frozen=True)
class Action:
    """The browser work of one scene."""

    targets: Callable[[Walk], list[Locator]]
    prepare: Callable[[Walk], None] = _nothing
    act: Callable[[Walk], None] = _nothing
    # Per target, what its magnified detail must show too (whose row a pencil is on).
    context: Callable[[Walk], list[list[Locator]]] | None = None


# Scene id -> what happens on it. Every scene in vejledning.toml has exactly one entry.
ACTIONS: dict[str, Action] = {
    "trin-1-forside": Action(
        prepare=lambda w: w.front.open(),
        targets=lambda w: [w.front.login_link],
        act=lambda w: w.front.go_to_login(),
    ),
    "trin-1-log-paa": Action(
        prepare=lambda w: w.login.enter_password(w.credentials),
        targets=lambda w: [w.login.user_field, w.login.password_field, w.login.next_button],
        act=lambda w: w.login.press_next(),
    ),
    "trin-1-noeglekort": Action(
        prepare=lambda w: w.login.enter_key(w.credentials),
        targets=lambda w: [w.login.key_field, w.login.login_button],
        context=lambda w: [[w.login.key_number], []],
        act=lambda w: w.login.press_log_in(),
    ),
    "trin-2-selvbetjening": Action(
        targets=lambda w: [w.self_service.employees_link],
        act=lambda w: w.self_service.open_employees(),
    ),
    "trin-3-medarbejdere": Action(
        prepare=lambda w: w.employees.search(name=w.employee),
        targets=lambda w: [w.employees.search_button, w.employees.pencil(w.employee)],
        context=lambda w: [[w.employees.name_field], [w.employees.name_cell(w.employee)]],
        act=lambda w: w.employees.open_employee(w.employee),
    ),
    "trin-4-medarbejder": Action(
        targets=lambda w: [w.employee_page.rights_link],
        act=lambda w: w.employee_page.open_rights(),
    ),
    "trin-5-rettigheder": Action(
        prepare=lambda w: w.rights.set_right(w.right, True),
        targets=lambda w: [w.rights.checkbox(w.right), w.rights.save_button],
        act=lambda w: w.rights.save(),
    ),
    "trin-5-gemt": Action(targets=lambda w: [w.rights.status]),
}


@dataclass(frozen=True)
class ActedScene(words.Scene):
    """A scene of the catalogue with its browser work."""

    action: Action = field(kw_only=True)

    def prepare(self, walk: Walk) -> None:
        self.action.prepare(walk)

    def targets(self, walk: Walk) -> list[Locator]:
        return self.action.targets(walk)

    def context(self, walk: Walk) -> list[list[Locator]]:
        """Per target, the elements its detail must show too (none by default)."""
        if self.action.context is None:
            return [[] for _ in self.targets(walk)]
        return self.action.context(walk)

    def act(self, walk: Walk) -> None:
        self.action.act(walk)


@cache
def procedure() -> tuple[Step, ...]:
    """Trin 1-5 in the guide's order, each scene with its action (a scene without one is an error)."""
    steps = []
    for step in words.steps():
        scenes = []
        for scene in step.scenes:
            if scene.id not in ACTIONS:
                raise words.CatalogueError(
                    f"{words.VEJLEDNING}: scene {scene.id!r} has no action in flows/core/steps.py"
                )
            scenes.append(
                ActedScene(
                    scene.id,
                    scene.screen,
                    scene.caption,
                    scene.step,
                    scene.shows,
                    scene.marks,
                    scene.full,
                    scene.new_page,
                    action=ACTIONS[scene.id],
                )
            )
        steps.append(Step(step.number, step.bullets, tuple(scenes), step.name, step.note))
    return tuple(steps)


OnScene = Callable[[Step, ActedScene, Walk], None]


def run_procedure(walk: Walk, on_scene: OnScene | None = None) -> None:
    """Walk Trin 1-5: for each scene prepare it, hand it to ``on_scene``, then do its click.

    Any failure is raised as StepFailed naming the step and scene it happened in.
    """
    for step in procedure():
        for scene in step.scenes:
            try:
                scene.prepare(walk)
                if on_scene is not None:
                    on_scene(step, scene, walk)
                scene.act(walk)
            except Exception as exc:
                raise StepFailed(step, scene, exc, first_line(exc)) from exc
