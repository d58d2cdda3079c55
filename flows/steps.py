"""The step catalogue: Trin 1-5 of the vejledning, what each does and what each marks.

The words come from ``vejledning.toml`` (shared with the portal's training mode); this module
adds, per scene, the browser work over the page objects:

- ``prepare``: bring the screen into the state the guide shows (e.g. tick the right);
- ``targets``: the elements a person must click next, which the guide frames in red and the
  demo points at;
- ``act``: that click, which leads to the next scene.

``run_procedure`` is the one code path that walks them; the guide, the demo and the
end-to-end tests pass an ``on_scene`` callback to shoot, caption or check each scene.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # the catalogue's data is importable without Playwright
    from playwright.sync_api import Locator, Page

    from flows.credentials import Credentials

LANGUAGES = ("da", "en")
RIGHT_KEYS = ("sagsbehandler", "kommunal-sagsbehandler")
DEFAULT_EMPLOYEE = "Medlem - Lra"  # the guide's own example row


@cache
def text() -> dict[str, Any]:
    """The parsed ``vejledning.toml``."""
    with resources.files("flows").joinpath("vejledning.toml").open("rb") as handle:
        return tomllib.load(handle)


def guide_text(lang: str = "da") -> dict[str, Any]:
    """Title, intro, rule and the small words of the guide in ``lang``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return text()["guide"][lang]


def rights() -> list[dict[str, Any]]:
    """The two Se Sag rights: key, label and who should have it, per language."""
    return text()["rights"]


def right_label(key: str, lang: str = "da") -> str:
    """The portal's label of right ``key`` (``sagsbehandler`` | ``kommunal-sagsbehandler``)."""
    for right in rights():
        if right["key"] == key:
            return right["label"][lang]
    raise ValueError(f"unknown right {key!r}; choose one of {', '.join(RIGHT_KEYS)}")


@dataclass
class Walk:
    """One run through the procedure: the page, whom it is for, and the page objects."""

    page: "Page"
    base_url: str
    credentials: "Credentials"
    employee: str = DEFAULT_EMPLOYEE
    right: str = "sagsbehandler"

    def __post_init__(self) -> None:
        from flows import pages  # Playwright is needed only once a browser is driven

        self.front = pages.FrontPage(self.page, self.base_url)
        self.login = pages.LoginPage(self.page)
        self.self_service = pages.SelfServicePage(self.page)
        self.employees = pages.EmployeesPage(self.page)
        self.employee_page = pages.EmployeePage(self.page)
        self.rights = pages.RightsPage(self.page)
        self.events = pages.EventsPage(self.page)


def _nothing(walk: Walk) -> None:
    return None


@dataclass(frozen=True)
class Action:
    """The browser work of one scene."""

    targets: Callable[[Walk], list["Locator"]]
    prepare: Callable[[Walk], None] = _nothing
    act: Callable[[Walk], None] = _nothing


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
        act=lambda w: w.login.press_log_in(),
    ),
    "trin-2-selvbetjening": Action(
        targets=lambda w: [w.self_service.employees_link],
        act=lambda w: w.self_service.open_employees(),
    ),
    "trin-3-medarbejdere": Action(
        prepare=lambda w: w.employees.search(name=w.employee),
        targets=lambda w: [w.employees.search_button, w.employees.pencil(w.employee)],
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
class Scene:
    """One screen of a step: one screenshot, one caption, one training hint."""

    id: str
    screen: str
    caption: dict[str, str]
    action: Action
    shows: dict[str, str] | None = None  # what its screenshot shows, per language (alt text)

    def prepare(self, walk: Walk) -> None:
        self.action.prepare(walk)

    def targets(self, walk: Walk) -> list["Locator"]:
        return self.action.targets(walk)

    def act(self, walk: Walk) -> None:
        self.action.act(walk)


@dataclass(frozen=True)
class Step:
    """Trin N: the guide's bullets and the scenes that show it."""

    number: int
    bullets: dict[str, list[str]]
    scenes: tuple[Scene, ...]

    def title(self, lang: str = "da") -> str:
        return f"{guide_text(lang)['step_word']} {self.number}"


@cache
def catalogue() -> tuple[Step, ...]:
    """Trin 1-5 in the guide's order."""
    steps = []
    for raw in text()["steps"]:
        scenes = tuple(
            Scene(id=s["id"], screen=s["screen"], caption=s["caption"], action=ACTIONS[s["id"]],
                  shows=s.get("shows"))
            for s in raw["scenes"]
        )
        steps.append(Step(number=raw["number"], bullets=raw["bullets"], scenes=scenes))
    return tuple(steps)


OnScene = Callable[[Step, Scene, Walk], None]


class StepFailed(RuntimeError):
    """A scene of the procedure failed; names the step and scene, chains the cause."""

    def __init__(self, step: Step, scene: Scene, cause: BaseException):
        from flows import first_line

        super().__init__(f"Trin {step.number} ({scene.id}) failed: {first_line(cause)}")
        self.step = step
        self.scene = scene


def run_procedure(walk: Walk, on_scene: OnScene | None = None) -> None:
    """Walk Trin 1-5: for each scene prepare it, hand it to ``on_scene``, then do its click.

    Any failure is raised as StepFailed naming the step and scene it happened in.
    """
    for step in catalogue():
        for scene in step.scenes:
            try:
                scene.prepare(walk)
                if on_scene is not None:
                    on_scene(step, scene, walk)
                scene.act(walk)
            except Exception as exc:  # noqa: BLE001 - re-raised with the step it hit
                raise StepFailed(step, scene, exc) from exc
