"""Training mode (``TRAINING=True``, ``sesag portal --training``): practise Trin 1-5 in a sandbox.

A trainee starts an exercise on ``/oevelse`` ("Giv <medarbejder> rettigheden <rettighed>") and
gets a private copy of the freshly seeded demo database: a file copied from a template that is
seeded once per process. The sandbox id lives in a signed cookie of its own, not in the Flask
session, because logging in and out clears the session and must not end the exercise.
``db.get_db()`` asks :func:`sandbox_database` which file to open.

The hint panel (``training_panel.html``, included by ``base.html``) maps the current page to a
screen of ``flows/vejledning.toml`` and shows that step's words: the step texts are read from
the flows package's data file (never from ``flows.steps``, which needs Playwright).
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import threading
import time
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from flask import (Blueprint, abort, current_app, g, has_request_context, redirect, render_template, request,
                   session, url_for)
from itsdangerous import BadSignature, URLSafeSerializer

from mock_portal import demo_data
from mock_portal import rights as catalogue
from mock_portal.db import get_db, reset_demo_database

bp = Blueprint("training", __name__, url_prefix="/oevelse")

COOKIE = "sesag_oevelse"
SANDBOX_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
PREFIX = "sandkasse-"

# The exercise's own bookkeeping, added to each sandbox copy (not to the portal's schema).
TASK_SCHEMA = """
CREATE TABLE oevelse (employee_id INTEGER NOT NULL, right_id TEXT NOT NULL, start_rights TEXT NOT NULL);
CREATE TABLE oevelse_gemt (employee_id INTEGER NOT NULL);
"""


# --- the step texts --------------------------------------------------------------------------

@dataclass(frozen=True)
class Scene:
    step: int
    screen: str
    caption: str
    bullets: tuple[str, ...]


@lru_cache(maxsize=1)
def guide() -> dict:
    """flows/vejledning.toml, the one source of the step texts (read as data: no Playwright)."""
    return tomllib.loads((files("flows") / "vejledning.toml").read_text(encoding="utf-8"))


def scenes() -> dict[str, Scene]:
    """Screen name -> the scene shown on it (Danish)."""
    found = {}
    for step in guide()["steps"]:
        for scene in step["scenes"]:
            found[scene["screen"]] = Scene(step["number"], scene["screen"], scene["caption"]["da"],
                                           tuple(step["bullets"]["da"]))
    return found


def step_count() -> int:
    return len(guide()["steps"])


def portal_right_id(key: str) -> str:
    """The guide's right key ('kommunal-sagsbehandler') as the portal's id ('aes.kommunal_sagsbehandler')."""
    return "aes." + key.replace("-", "_")


def se_sag_rights() -> dict[str, dict]:
    """Portal right id -> {key, label, who} for the two Se Sag rights, from the guide."""
    rights = {}
    for right in guide()["rights"]:
        right_id = portal_right_id(right["key"])
        if right_id not in catalogue.AES_RIGHTS:
            raise RuntimeError(f"vejledning.toml names a right the portal does not know: {right['key']}")
        rights[right_id] = {"key": right["key"], "label": right["label"]["da"], "who": right["who"]["da"]}
    return rights


# --- sandboxes -------------------------------------------------------------------------------

class Sandboxes:
    """Sandbox files in one folder: a template seeded once, a copy per trainee."""

    def __init__(self, folder: Path, max_count: int, max_age: float):
        self.folder = folder
        self.max_count = max_count
        self.max_age = max_age
        self.template = folder / "skabelon.sqlite"
        self._seeded = False
        self._lock = threading.Lock()

    def path(self, sandbox_id: str) -> Path:
        if not SANDBOX_ID.match(sandbox_id):
            raise ValueError("not a sandbox id")
        return self.folder / f"{PREFIX}{sandbox_id}.sqlite"

    def exists(self, sandbox_id: str) -> bool:
        return bool(SANDBOX_ID.match(sandbox_id)) and self.path(sandbox_id).is_file()

    def _seed_template(self) -> None:
        """Seed the demo data into the template, once per process (the config may differ per run)."""
        with self._lock:
            if self._seeded:
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f"skabelon-{secrets.token_hex(4)}.tmp"
            with current_app.app_context():  # a fresh ``g``: its own connection, to the template
                g.database_path = str(partial)
                reset_demo_database()
            os.replace(partial, self.template)
            self._seeded = True

    def template_rows(self, sql: str, params=()) -> list[sqlite3.Row]:
        self._seed_template()
        with _connect(self.template) as db:
            return db.execute(sql, params).fetchall()

    def create(self, employee_id: int, right_id: str, sandbox_id: str | None = None) -> str:
        """A fresh copy of the demo data with the task in it; returns its id."""
        self._seed_template()
        self.clean_up()
        sandbox_id = sandbox_id or secrets.token_urlsafe(16)
        target = self.path(sandbox_id)
        partial = target.with_suffix(".tmp")
        shutil.copyfile(self.template, partial)
        with _connect(partial) as db:
            held = [row[0] for row in db.execute(
                "SELECT right_id FROM employee_right WHERE employee_id = ? ORDER BY right_id", (employee_id,))]
            db.executescript(TASK_SCHEMA)
            db.execute("INSERT INTO oevelse VALUES (?, ?, ?)", (employee_id, right_id, " ".join(held)))
        os.replace(partial, target)  # a reset swaps the whole file at once
        return sandbox_id

    def remove(self, sandbox_id: str) -> None:
        if SANDBOX_ID.match(sandbox_id):
            for suffix in ("", "-journal"):
                Path(f"{self.path(sandbox_id)}{suffix}").unlink(missing_ok=True)

    def clean_up(self) -> None:
        """Drop sandboxes older than max_age, and the oldest beyond max_count - 1 (room for one more)."""
        if not self.folder.is_dir():
            return
        now = time.time()
        found = []
        for path in self.folder.glob(f"{PREFIX}*.sqlite"):
            try:
                found.append((path.stat().st_mtime, path))
            except FileNotFoundError:  # removed by a parallel clean-up
                continue
        found.sort(reverse=True)
        for index, (mtime, path) in enumerate(found):
            if now - mtime > self.max_age or index >= self.max_count - 1:
                path.unlink(missing_ok=True)
                Path(f"{path}-journal").unlink(missing_ok=True)


class _connect:
    """A short-lived connection to a sandbox file, closed on exit (sqlite3's own ``with`` does not close)."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path, timeout=10, isolation_level=None)
        self.db.row_factory = sqlite3.Row

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, *exc) -> None:
        self.db.close()


def sandboxes() -> Sandboxes:
    return current_app.extensions["sesag.training"]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="sesag-oevelse")


def current_sandbox() -> str | None:
    """The request's sandbox id (from its cookie), when that sandbox still exists."""
    if not has_request_context():
        return None
    if "sesag_sandbox" not in g:
        g.sesag_sandbox = None
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                sandbox_id = _serializer().loads(raw)
            except BadSignature:
                sandbox_id = None
            if isinstance(sandbox_id, str) and sandboxes().exists(sandbox_id):
                g.sesag_sandbox = sandbox_id
            else:
                g.sesag_stale_cookie = True  # cleaned up, or forged: forget it (after_request)
    return g.sesag_sandbox


def sandbox_database() -> str | None:
    """The file ``get_db()`` opens for this request: the trainee's sandbox, or None (DATABASE)."""
    sandbox_id = current_sandbox()
    return str(sandboxes().path(sandbox_id)) if sandbox_id else None


# --- the exercise ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    employee_id: int
    employee: str
    right_id: str
    right: str
    other_id: str
    other: str
    start_rights: frozenset[str]

    @property
    def text(self) -> str:
        return f"Giv {self.employee} rettigheden {self.right}"


@dataclass(frozen=True)
class Result:
    saved: bool
    ok: bool
    message: str
    held: tuple[str, ...] = ()
    note: str = ""


def current_task() -> Task | None:
    if current_sandbox() is None:
        return None
    db = get_db()
    row = db.execute("SELECT o.*, e.name FROM oevelse o JOIN employee e ON e.id = o.employee_id").fetchone()
    if row is None:
        return None
    rights = se_sag_rights()
    other_id = next(r for r in rights if r != row["right_id"])
    return Task(row["employee_id"], row["name"], row["right_id"], rights[row["right_id"]]["label"],
                other_id, rights[other_id]["label"], frozenset(row["start_rights"].split()))


def check(task: Task) -> Result:
    """Does the employee hold the intended right, and not both Se Sag rights (nor anything extra)?"""
    db = get_db()
    held = {row[0] for row in db.execute("SELECT right_id FROM employee_right WHERE employee_id = ?", (task.employee_id,))}
    labels = {right_id: right.label for right_id, right in catalogue.all_rights().items()}
    shown = tuple(sorted(labels.get(r, r) for r in held))
    saved = db.execute("SELECT 1 FROM oevelse_gemt WHERE employee_id = ?", (task.employee_id,)).fetchone() is not None
    others = [row[0] for row in db.execute(
        "SELECT DISTINCT e.name FROM oevelse_gemt s JOIN employee e ON e.id = s.employee_id"
        " WHERE s.employee_id != ? ORDER BY e.name", (task.employee_id,))]
    note = (f"Bemærk: Du har også gemt rettigheder for {', '.join(others)}. "
            "I en rigtig portal skal du kun ændre den medarbejder, opgaven gælder.") if others else ""
    extras = sorted(labels.get(r, r) for r in held - task.start_rights - catalogue.AES_RIGHTS)
    name = task.employee
    if not saved:
        return Result(False, False, f"Du har ikke gemt rettigheder for {name} endnu.", shown, note)
    if catalogue.AES_RIGHTS <= held:
        message = (f"{name} har både {task.right} og {task.other}. En medarbejder må højst have én af dem: "
                   f"fjern fluebenet ved {task.other}, og klik 'Gem rettigheder' igen.")
        return Result(True, False, message, shown, note)
    if task.other_id in held:
        message = (f"{name} har fået {task.other}, men opgaven var {task.right}. Fjern fluebenet ved "
                   f"{task.other}, sæt flueben ved {task.right}, og klik 'Gem rettigheder' igen.")
        return Result(True, False, message, shown, note)
    if task.right_id not in held:
        message = (f"{name} har endnu ikke rettigheden {task.right}. Sæt flueben ved {task.right} under "
                   "Arbejdsmarkedets Erhvervssikring, og klik 'Gem rettigheder'.")
        return Result(True, False, message, shown, note)
    if extras:
        message = (f"{name} har fået {task.right}, men også {', '.join(extras)}, som ikke hører til opgaven. "
                   "Fjern de ekstra flueben, og klik 'Gem rettigheder' igen.")
        return Result(True, False, message, shown, note)
    message = f"Godt klaret! {name} har nu rettigheden {task.right} og ikke {task.other}."
    return Result(True, True, message, shown, note)


@dataclass(frozen=True)
class Hint:
    scene: Scene
    detour: str = ""
    link: tuple[str, str] | None = None  # (text, url): the way back
    extra: str = ""


def _simple_label(key: str) -> str:
    from mock_portal.selvbetjening import SIMPLE_PAGES

    return SIMPLE_PAGES.get(key, key)


def hint_for(task: Task) -> Hint | None:
    """Which scene this page is, or which one the trainee should go back to, and why."""
    shown = scenes()
    endpoint = request.endpoint or ""
    args = request.view_args or {}
    logged_in = g.get("admin") is not None
    employees_url = url_for("selvbetjening.employees")
    back_to_list = ("Tilbage til medarbejderlisten", employees_url)
    if endpoint.startswith("training."):
        return None
    if endpoint == "public.front":
        if logged_in:
            return Hint(shown["selfservice"], "Du er allerede logget på, så Trin 1 er klaret.",
                        ("Gå til selvbetjeningen", url_for("selvbetjening.overview")))
        return Hint(shown["front"])
    if endpoint in ("auth.login", "auth.keycard"):
        admin = demo_data.companies()[0].admin
        return Hint(shown["login"], extra=f"I øvelsen: bruger-id {admin.user_id}, adgangskode {admin.password}.")
    if not logged_in:
        return Hint(shown["front"], "Den side hører ikke til proceduren. Start på forsiden.",
                    ("Til forsiden", url_for("public.front")))
    if endpoint == "selvbetjening.overview":
        return Hint(shown["selfservice"])
    if endpoint == "selvbetjening.employees":
        return Hint(shown["employees"], extra=f"Opgaven gælder {task.employee}.")
    employee_id = args.get("employee_id")
    if endpoint in ("selvbetjening.employee", "selvbetjening.rights") and employee_id != task.employee_id:
        other = get_db().execute("SELECT name FROM employee WHERE id = ?", (employee_id,)).fetchone()
        who = other["name"] if other else "en anden medarbejder"
        return Hint(shown["employees"],
                    f"Hov, det er {who}. Opgaven gælder {task.employee}: gå tilbage til listen, og klik på "
                    f"blyantsikonet ud for {task.employee}.", back_to_list)
    if endpoint == "selvbetjening.employee":
        return Hint(shown["employee"])
    if endpoint == "selvbetjening.rights":
        if request.method == "POST" and catalogue.AES_RIGHTS <= set(request.form.getlist("right")):
            return Hint(shown["rights"],
                        f"Du har sat flueben ved både {task.right} og {task.other}. {task.employee} må kun have "
                        f"én af dem: fjern fluebenet ved {task.other}, og klik 'Gem rettigheder' igen.")
        return Hint(shown["rights"], extra=f"Rettigheden i denne øvelse: {task.right}.")
    if endpoint == "selvbetjening.events":
        return Hint(shown["employee"],
                    "Hændelserne viser, hvad der er sket med medarbejderen. Det er ikke et trin i proceduren: "
                    "gå tilbage til medarbejderen, og vælg 'Administrér rettigheder'.",
                    (f"Tilbage til {task.employee}", url_for("selvbetjening.employee", employee_id=task.employee_id)))
    if endpoint == "selvbetjening.delete":
        return Hint(shown["employees"],
                    "Pas på: Slet gør medarbejderen inaktiv. Det skal du ikke i denne øvelse.", back_to_list)
    if endpoint == "selvbetjening.simple":
        label = _simple_label(args.get("key", ""))
        return Hint(shown["selfservice"], f"'{label}' hører ikke til proceduren.", ("Til Administrér medarbejdere", employees_url))
    return Hint(shown["selfservice"], "Den side hører ikke til proceduren.",
                ("Til selvbetjeningen", url_for("selvbetjening.overview")))


@bp.app_context_processor
def panel_context() -> dict:
    """What ``training_panel.html`` shows on this page."""
    task = current_task()
    if task is None:
        return {"training": {"task": None}}
    result = check(task)
    hint = None if result.ok else hint_for(task)
    return {"training": {"task": task, "result": result, "hint": hint, "steps": step_count(),
                         "saved_scene": scenes()["saved"]}}


@bp.after_app_request
def remember(response):
    """Note a successful 'Gem rettigheder' (the portal answers it with a redirect), and drop stale cookies."""
    if g.get("sesag_stale_cookie") and not g.get("sesag_cookie_set"):
        response.delete_cookie(COOKIE)
    if (current_sandbox() and request.endpoint == "selvbetjening.rights" and request.method == "POST"
            and g.get("admin") is not None and response.status_code in (302, 303)):
        get_db().execute("INSERT INTO oevelse_gemt (employee_id) VALUES (?)", (request.view_args["employee_id"],))
    return response


# --- views -----------------------------------------------------------------------------------

def _choices() -> list[sqlite3.Row]:
    """Employees of the first demo company who hold neither Se Sag right: candidates for the task."""
    marks = ",".join("?" * len(catalogue.AES_RIGHTS))
    return sandboxes().template_rows(
        "SELECT e.id, e.name FROM employee e JOIN company c ON c.id = e.company_id"
        " WHERE c.cvr = ? AND e.active = 1 AND NOT EXISTS (SELECT 1 FROM employee_right r"
        f" WHERE r.employee_id = e.id AND r.right_id IN ({marks})) ORDER BY e.id",
        (demo_data.companies()[0].cvr, *sorted(catalogue.AES_RIGHTS)),
    )


def _start(response_target: str, employee_id: int, right_id: str, sandbox_id: str | None = None):
    sandbox_id = sandboxes().create(employee_id, right_id, sandbox_id)
    session.clear()  # log out: the exercise starts at Trin 1, in the sandbox
    response = redirect(response_target)
    response.set_cookie(COOKIE, _serializer().dumps(sandbox_id), httponly=True, samesite="Lax",
                        secure=request.is_secure)
    g.sesag_cookie_set = True
    return response


@bp.route("/", methods=("GET",))
@bp.route("", methods=("GET",))  # registered first: url_for gives /oevelse
def start_page():
    """Choose the task; or, during an exercise, start again or stop."""
    admin = demo_data.companies()[0].admin
    return render_template("training_start.html", choices=_choices(), rights=se_sag_rights(),
                           rule=guide()["guide"]["da"]["rule"], admin=admin, default_name="Medlem - Lra")


@bp.route("/start", methods=("POST",))
def start():
    """A new sandbox with the chosen task; the trainee begins on the front page, logged out."""
    rights = se_sag_rights()
    right_id = request.form.get("rettighed", "")
    raw_employee = request.form.get("medarbejder", "")
    allowed = {row["id"] for row in _choices()}
    if right_id not in rights or not raw_employee.isascii() or not raw_employee.isdigit() \
            or int(raw_employee) not in allowed:
        abort(400, description="Vælg en medarbejder og en af rettighederne Sagsbehandler og Kommunal sagsbehandler.")
    old = current_sandbox()
    if old:
        sandboxes().remove(old)
    return _start(url_for("public.front"), int(raw_employee), right_id)


@bp.route("/forfra", methods=("POST",))
def reset():
    """Start forfra: the same task on fresh demo data."""
    task = current_task()
    if task is None:
        return redirect(url_for("training.start_page"))
    return _start(url_for("public.front"), task.employee_id, task.right_id, current_sandbox())


@bp.route("/afslut", methods=("POST",))
def stop():
    """Afslut øvelse: remove the sandbox; the portal is the shared demo again."""
    sandbox_id = current_sandbox()
    if sandbox_id:
        sandboxes().remove(sandbox_id)
    session.clear()
    response = redirect(url_for("public.front"))
    response.delete_cookie(COOKIE)
    g.sesag_cookie_set = True
    return response


@bp.route("/resultat")
def result():
    """The check at the end, as a page of its own."""
    task = current_task()
    if task is None:
        return redirect(url_for("training.start_page"))
    return render_template("training_result.html", task=task, outcome=check(task), saved_scene=scenes()["saved"])


def init_app(app) -> None:
    """Switch training mode on: sandboxes, the /oevelse pages and the hint panel."""
    folder = app.config.get("TRAINING_FOLDER") or str(Path(app.config["DATABASE"]).parent / "oevelse")
    app.extensions["sesag.training"] = Sandboxes(
        Path(folder), int(app.config.get("TRAINING_MAX_SANDBOXES", 200)),
        float(app.config.get("TRAINING_MAX_AGE", 24 * 3600)),
    )
    app.extensions["sesag.database_path"] = sandbox_database
    se_sag_rights()  # a guide that no longer matches the portal fails at start-up, not in class
    app.register_blueprint(bp)
