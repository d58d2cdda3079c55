"""The step catalogue: the vejledning's words, Trin 1-5 and their scenes, the Se Sag rights, and
training mode's sentences. Plain data and one loader: no Flask, no Playwright.

Both sides import it: the flows (``flows/core/steps.py`` adds what each scene clicks in a browser),
and the portal (``mock_portal/rights.py`` takes its Se Sag rights from :func:`rights`, training
mode its hints from :func:`training`).

- ``vejledning.toml``: the guide's words, the rights table, the steps and their scenes;
- ``training.toml``: per screen the portal endpoints it is shown on and what to click there
  (declarative targets: role and accessible name), the task, the detours and the results.
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

LANGUAGES = ("da", "en")
# Where the procedure happens: the portal's clock and the browser that shows it read this.
TIMEZONE = "Europe/Copenhagen"
VEJLEDNING = "vejledning.toml"
TRAINING = "training.toml"
ANY_ENDPOINT = "*"
# What training.toml's detours may ask of a request (the portal evaluates them), and the
# placeholders its sentences may use (the portal fills them in).
CONDITIONS = ("", "logged_in", "logged_out", "other_employee", "both_ticked")
PLACEHOLDERS = frozenset({"employee", "right", "other", "user_id", "password", "who", "page", "others", "extras"})


class CatalogueError(ValueError):
    """The catalogue's data contradicts itself; the message names the file and the scene."""


# --- the rights --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Right:
    """One Se Sag right: the CLI's key, the portal's id and label, display labels, who gets it."""

    key: str
    portal_id: str
    portal_label: str
    label: dict[str, str]
    who: dict[str, str]


# --- steps and scenes --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """One screen of a step: one screenshot, one caption, one training hint."""

    id: str
    screen: str
    caption: dict[str, str]
    step: int
    shows: dict[str, str] | None = None  # what its screenshot shows, per language (the guide's alt text)
    marks: dict[str, list[str]] | None = None  # per language, each marked element in badge order
    full: bool = True  # False: the guide shows only the scene's detail
    new_page: bool = False  # in print the scene starts a page, under its step's heading "(fortsat)"


@dataclass(frozen=True)
class Step:
    """Trin N: the guide's bullets and the scenes that show it."""

    number: int
    bullets: dict[str, list[str]]
    scenes: tuple[Any, ...]  # Scene here; flows.core.steps.Scene (with its browser work) in the flows
    name: dict[str, str] | None = None  # what the step does, per language
    note: dict[str, str] | None = None  # a case to know about, per language (Trin 5: the other right)

    def title(self, lang: str = "da") -> str:
        """'Trin 3': how the guide, the demo and the messages refer to the step."""
        return f"{guide_text(lang)['step_word']} {self.number}"

    def heading(self, lang: str = "da") -> str:
        """'Trin 3: Find medarbejderen': the step's heading, which says what it does."""
        return f"{self.title(lang)}: {self.name[lang]}" if self.name else self.title(lang)


def _source(name: str) -> Path:
    return Path(str(resources.files("catalogue").joinpath(name)))


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{path.name}: {error}") from None


@cache
def text() -> dict[str, Any]:
    """The parsed ``vejledning.toml``."""
    return _read(_source(VEJLEDNING))


def guide_text(lang: str = "da") -> dict[str, Any]:
    """Title, intro, rule and the small words of the guide in ``lang``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return text()["guide"][lang]


def load_rights(data: dict[str, Any]) -> tuple[Right, ...]:
    return tuple(Right(r["key"], r["portal_id"], r["portal_label"], r["label"], r["who"]) for r in data["rights"])


def load_steps(data: dict[str, Any]) -> tuple[Step, ...]:
    return tuple(
        Step(
            raw["number"],
            raw["bullets"],
            tuple(
                Scene(
                    s["id"],
                    s["screen"],
                    s["caption"],
                    raw["number"],
                    s.get("shows"),
                    s.get("marks"),
                    s.get("full", True),
                    s.get("new_page", False),
                )
                for s in raw["scenes"]
            ),
            raw.get("name"),
            raw.get("note"),
        )
        for raw in data["steps"]
    )


def one_right_sentence() -> str:
    """The portal's own sentence about the two Se Sag rights (its rights page and its refusal)."""
    return text()["portal"]["one_right"]


@cache
def rights() -> tuple[Right, ...]:
    """The two Se Sag rights, in the guide's order: the one table everything else derives from."""
    return load_rights(text())


def right_keys() -> tuple[str, ...]:
    return tuple(r.key for r in rights())


def right(name: str) -> Right:
    """The right that ``name`` names: its key, portal id or label in any language, any case
    ('Kommunal sagsbehandler', 'kommunal_sagsbehandler', 'aes.kommunal_sagsbehandler', ...)."""

    def fold(value: str) -> str:
        return " ".join(value.replace("-", " ").replace("_", " ").split()).casefold()

    wanted = fold(name)
    for candidate in rights():
        names = (candidate.key, candidate.portal_id, candidate.portal_label, *candidate.label.values())
        if wanted in {fold(n) for n in names}:
            return candidate
    raise ValueError(f"unknown right {name.strip()!r}; choose one of {', '.join(right_keys())}")


@cache
def steps() -> tuple[Step, ...]:
    """Trin 1-5 in the guide's order."""
    return load_steps(text())


def scenes() -> tuple[Scene, ...]:
    return tuple(scene for step in steps() for scene in step.scenes)


# --- training ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What to click, as a person sees it: an ARIA role and accessible name (case and spacing
    ignored), optionally inside the landmark or group named ``within``. ``name`` may hold
    ``{employee}`` and ``{right}``, filled in with the trainee's task."""

    role: str
    name: str = ""
    within: str = ""

    def filled(self, **values: str) -> Target:
        return Target(self.role, self.name.format(**values), self.within.format(**values))


@dataclass(frozen=True)
class Screen:
    """A screen of the procedure in the portal: the endpoints that show it, what to click there,
    and a sentence the training panel adds."""

    name: str
    endpoints: tuple[str, ...]
    targets: tuple[Target, ...]
    extra: str = ""


@dataclass(frozen=True)
class Detour:
    """A page off the procedure (or a wrong turn on it): where it happens, the scene to go back
    to, what the panel says and the link back. ``when`` is a condition the portal evaluates
    ('logged_in', 'logged_out', 'other_employee', 'both_ticked')."""

    endpoints: tuple[str, ...]
    back_to: str
    text: str = ""
    extra: str = ""
    link: str = ""
    link_to: str = ""
    when: str = ""

    def matches(self, endpoint: str) -> bool:
        return endpoint in self.endpoints or ANY_ENDPOINT in self.endpoints


@dataclass(frozen=True)
class Training:
    task: str
    screens: dict[str, Screen]
    detours: tuple[Detour, ...]
    results: dict[str, str]
    scenes: dict[str, Scene]  # by id, from vejledning.toml

    def screen_of(self, endpoint: str) -> Screen | None:
        """The screen shown on ``endpoint`` (None: a page off the procedure)."""
        return next((s for s in self.screens.values() if endpoint in s.endpoints), None)

    def scene_on(self, screen: Screen) -> Scene:
        """The scene shown on ``screen``."""
        return next(scene for scene in self.scenes.values() if scene.screen == screen.name)

    def scene_for(self, screen_name: str) -> Scene:
        return self.scene_on(self.screens[screen_name])


def load_training(data: dict[str, Any], scene_list: tuple[Scene, ...], source: str = TRAINING) -> Training:
    """Training's data checked against the scenes: every scene has a screen with something to
    click, every detour goes back to a scene that exists, no endpoint is on two screens."""
    screens = {
        name: Screen(
            name,
            tuple(raw.get("endpoints", ())),
            tuple(Target(**t) for t in raw.get("targets", ())),
            raw.get("extra", ""),
        )
        for name, raw in data["screens"].items()
    }
    by_id = {scene.id: scene for scene in scene_list}
    shown = {scene.screen for scene in scene_list}
    for scene in scene_list:
        screen = screens.get(scene.screen)
        if screen is None or not screen.targets:
            raise CatalogueError(
                f"{source}: scene {scene.id!r} (screen {scene.screen!r}) has no action:"
                f" give [screens.{scene.screen}] its targets"
            )
    for screen in screens.values():
        if screen.name not in shown:
            raise CatalogueError(f"{source}: screen {screen.name!r} is part of no scene")
    claimed: dict[str, str] = {}
    for screen in screens.values():
        for endpoint in screen.endpoints:
            if endpoint in claimed:
                raise CatalogueError(
                    f"{source}: endpoint {endpoint!r} is on two screens, {claimed[endpoint]!r} and {screen.name!r}"
                )
            claimed[endpoint] = screen.name
    detours = tuple(Detour(**{**raw, "endpoints": tuple(raw["endpoints"])}) for raw in data.get("detours", ()))
    for detour in detours:
        where = f"{source}: a detour on {', '.join(detour.endpoints)}"
        if detour.back_to not in by_id:
            raise CatalogueError(f"{where} goes back to scene {detour.back_to!r}, which {VEJLEDNING} does not have")
        if detour.when not in CONDITIONS:
            raise CatalogueError(
                f"{where} has the unknown condition {detour.when!r}; known: {', '.join(CONDITIONS[1:])}"
            )
    sentences = [("task", data["task"]), *((f"results.{k}", v) for k, v in data["results"].items())]
    sentences += [
        (f"screens.{s.name}", text) for s in screens.values() for text in (s.extra, *(t.name for t in s.targets))
    ]
    sentences += [(f"detour to {d.back_to}", text) for d in detours for text in (d.text, d.extra, d.link)]
    for where, sentence in sentences:
        unknown = {field for _, field, _, _ in string.Formatter().parse(sentence) if field is not None} - PLACEHOLDERS
        if unknown:
            raise CatalogueError(f"{source}: {where} uses the unknown placeholder {{{sorted(unknown)[0]}}}")
    return Training(data["task"], screens, detours, dict(data["results"]), by_id)


@cache
def training() -> Training:
    """``training.toml``, checked against the scenes of ``vejledning.toml``."""
    return load_training(_read(_source(TRAINING)), scenes())
