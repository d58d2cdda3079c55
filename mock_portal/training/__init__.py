"""Training mode (``TRAINING=True``, ``sesag portal --training``): practise Trin 1-5 in a sandbox.

A trainee starts an exercise on ``/oevelse`` ("Giv <medarbejder> rettigheden <rettighed>") and
gets a private copy of the freshly seeded demo database: a file copied from a template that is
seeded once per process. The sandbox id lives in a signed cookie of its own, not in the Flask
session, because logging in and out clears the session and must not end the exercise.
``db.get_db()`` asks :func:`sandbox_database` which file to open. A request whose training
cookie names a sandbox that is gone (cleaned up, forged) is answered before the session is
opened: the trainee is logged out and never reaches the shared database.

The hint panel (``training_panel.html``, included by base.html) shows the scene of the current
page and frames what to click next ('Vis hvor', static/training.js). Which scene a page is, the
detours and every sentence come from the step catalogue (``catalogue/training.toml``): this
module only looks them up. ``/oevelse/oversigt`` shows a trainer every trainee's progress.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import re
import secrets
import shutil
import sqlite3
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.utils import redirect as wsgi_redirect
from werkzeug.wrappers import Request

import catalogue
from mock_portal import demo_data
from mock_portal import rights as portal_rights
from mock_portal.clock import COPENHAGEN
from mock_portal.db import get_db, reset_demo_database
from mock_portal.selvbetjening.args import without_controls

bp = Blueprint("training", __name__, url_prefix="/oevelse")

COOKIE = "sesag_oevelse"
TRAINER_COOKIE = "sesag_traener"
SANDBOX_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
PREFIX = "sandkasse-"
MAX_EMPLOYEE_DIGITS = 9  # int() of a 10,000-digit string raises (and costs): refuse it as text
MAX_TRAINEE = 60  # the trainee's name on the trainer's overview

# The exercise's own bookkeeping, added to each sandbox copy (not to the portal's schema).
TASK_SCHEMA = """
CREATE TABLE oevelse (employee_id INTEGER NOT NULL, right_id TEXT NOT NULL, start_rights TEXT NOT NULL,
                      started REAL NOT NULL, trin INTEGER, finished REAL, trainee TEXT NOT NULL DEFAULT '');
CREATE TABLE oevelse_gemt (employee_id INTEGER NOT NULL);
"""


def step_count() -> int:
    return len(catalogue.steps())


def se_sag_rights() -> dict[str, catalogue.Right]:
    """Portal right id -> the catalogue's Se Sag right (the portal's tree carries the same ids)."""
    return {right.portal_id: right for right in catalogue.rights()}


# --- sandboxes -------------------------------------------------------------------------------


class NoRoom(Exception):
    """No sandbox can be made now: every one is in use (503), or this client made too many (429)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class RateLimit:
    """At most ``count`` events per client in ``window`` seconds (a client: an address)."""

    def __init__(self, count: int, window: float):
        self.count = count
        self.window = window
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        """Count one event for ``client``; False (and not counted) when it is over the limit."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen[client]
            while seen and now - seen[0] > self.window:
                seen.popleft()
            if len(seen) >= self.count:
                return False
            seen.append(now)
            return True


class Sandboxes:
    """Sandbox files in one folder: a template seeded once, a copy per trainee.

    A sandbox is in use while it was used within ``idle`` seconds (each request touches its
    file): such a sandbox is never removed to make room. A client (an address) may make at most
    ``per_client`` sandboxes per ``window`` seconds.
    """

    def __init__(
        self,
        folder: Path,
        max_count: int,
        max_age: float,
        idle: float = 3600,
        per_client: int = 20,
        window: float = 600,
    ):
        self.folder = folder
        self.max_count = max_count
        self.max_age = max_age
        self.idle = idle
        self.starts = RateLimit(per_client, window)
        self.template = folder / "skabelon.sqlite"
        self._seeded = False
        self._lock = threading.Lock()

    def path(self, sandbox_id: str) -> Path:
        if not SANDBOX_ID.match(sandbox_id):
            raise ValueError("not a sandbox id")
        return self.folder / f"{PREFIX}{sandbox_id}.sqlite"

    def exists(self, sandbox_id: str) -> bool:
        return bool(SANDBOX_ID.match(sandbox_id)) and self.path(sandbox_id).is_file()

    def touch(self, sandbox_id: str) -> None:
        """Mark the sandbox as in use now."""
        with contextlib.suppress(FileNotFoundError):
            os.utime(self.path(sandbox_id))

    def all(self) -> list[tuple[str, Path]]:
        """(id, file) of every sandbox."""
        if not self.folder.is_dir():
            return []
        return [(path.stem.removeprefix(PREFIX), path) for path in self.folder.glob(f"{PREFIX}*.sqlite")]

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

    def create(
        self, employee_id: int, right_id: str, sandbox_id: str | None = None, client: str = "", trainee: str = ""
    ) -> str:
        """A fresh copy of the demo data with the task (and the ``trainee``'s name) in it; returns
        its id. A new sandbox (no ``sandbox_id``) counts toward ``client``'s limit and needs room
        (NoRoom)."""
        self._seed_template()
        with self._lock:
            self.clean_up()
            if sandbox_id is None:
                if len(self.all()) >= self.max_count:
                    raise NoRoom("Der er ikke plads til flere øvelser lige nu. Prøv igen senere.", 503)
                if not self.starts.allow(client):
                    raise NoRoom("Du har startet for mange øvelser på kort tid. Vent lidt, og prøv igen.", 429)
                sandbox_id = secrets.token_urlsafe(16)
            target = self.path(sandbox_id)
            partial = target.with_suffix(".tmp")
            shutil.copyfile(self.template, partial)
            with _connect(partial) as db:
                held = [
                    row[0]
                    for row in db.execute(
                        "SELECT right_id FROM employee_right WHERE employee_id = ? ORDER BY right_id", (employee_id,)
                    )
                ]
                db.executescript(TASK_SCHEMA)
                db.execute(
                    "INSERT INTO oevelse (employee_id, right_id, start_rights, started, trainee) VALUES (?, ?, ?, ?, ?)",
                    (employee_id, right_id, " ".join(held), time.time(), trainee),
                )
            os.replace(partial, target)  # a reset swaps the whole file at once
        return sandbox_id

    def remove(self, sandbox_id: str) -> None:
        if SANDBOX_ID.match(sandbox_id):
            for suffix in ("", "-journal"):
                Path(f"{self.path(sandbox_id)}{suffix}").unlink(missing_ok=True)

    def clean_up(self) -> None:
        """Drop the sandboxes older than max_age; when full, those idle longer than ``idle``.
        A sandbox in use is never dropped."""
        now = time.time()
        found = []
        for sandbox_id, path in self.all():
            try:
                found.append((now - path.stat().st_mtime, sandbox_id))
            except FileNotFoundError:  # removed by a parallel clean-up
                continue
        full = len(found) >= self.max_count
        for unused, sandbox_id in found:
            if unused > self.max_age or (full and unused > self.idle):
                self.remove(sandbox_id)


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


def _serializer(secret_key=None) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key or current_app.secret_key, salt="sesag-oevelse")


def _sandbox_of(raw: str | None, serializer: URLSafeSerializer, boxes: Sandboxes) -> str | None:
    """The existing sandbox a training cookie names, else None."""
    try:
        sandbox_id = serializer.loads(raw) if raw else None
    except BadSignature:
        return None
    return sandbox_id if isinstance(sandbox_id, str) and boxes.exists(sandbox_id) else None


def current_sandbox() -> str | None:
    """The request's sandbox id (from its cookie). SandboxGuard has made sure it exists."""
    if not has_request_context():
        return None
    if "sesag_sandbox" not in g:
        g.sesag_sandbox = _sandbox_of(request.cookies.get(COOKIE), _serializer(), sandboxes())
        if g.sesag_sandbox:
            sandboxes().touch(g.sesag_sandbox)
    return g.sesag_sandbox


def sandbox_database() -> str | None:
    """The file ``get_db()`` opens for this request: the trainee's sandbox, or None (DATABASE).

    A request with a training cookie never gets None: SandboxGuard answered it already when its
    sandbox is gone, and should the sandbox vanish in between, this refuses to fall back."""
    sandbox_id = current_sandbox()
    if sandbox_id:
        return str(sandboxes().path(sandbox_id))
    if has_request_context() and request.cookies.get(COOKIE):
        abort(409, description="Øvelsens sandkasse findes ikke længere. Start en ny øvelse.")
    return None


class SandboxGuard:
    """WSGI middleware: a request whose training cookie names no existing sandbox is logged out
    (session and training cookies deleted) and sent to the start page, before Flask opens the
    session, so that neither its session nor its writes can reach the shared database."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        request_ = Request(environ)
        raw = request_.cookies.get(COOKIE)
        static = request_.path.startswith(f"{self.app.static_url_path}/")
        if (
            raw
            and not static
            and _sandbox_of(raw, _serializer(self.app.secret_key), self.app.extensions["sesag.training"]) is None
        ):
            response = wsgi_redirect(f"{request_.script_root}/oevelse?slut=1", 303)
            response.delete_cookie(COOKIE)
            response.delete_cookie(
                self.app.config["SESSION_COOKIE_NAME"],
                path=self.app.config["SESSION_COOKIE_PATH"] or "/",
                domain=self.app.config["SESSION_COOKIE_DOMAIN"],
            )
            return response(environ, start_response)
        return self.wsgi_app(environ, start_response)


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
    from mock_portal.selvbetjening.pages import SIMPLE_PAGES

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
    if request.blueprint == bp.name:
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


def _note_progress(task: Task, step: int, ok: bool) -> None:
    """Keep the trainer overview's columns: the current Trin, and when the check first passed."""
    finished = task.finished or (time.time() if ok else None)
    if (task.step, task.finished) != (step, finished):
        get_db().execute("UPDATE oevelse SET trin = ?, finished = ?", (step, finished))


@bp.app_context_processor
def panel_context() -> dict:
    """What ``training_panel.html`` shows on this page."""
    task = current_task()
    if task is None:
        return {"training": {"task": None}}
    result = check(task)
    hint = saved_hint(task) if result.ok else hint_for(task)
    if hint is not None:
        _note_progress(task, hint.step, result.ok)
    targets = [{"role": t.role, "name": t.name, "within": t.within} for t in (hint.targets if hint else ())]
    return {"training": {"task": task, "result": result, "hint": hint, "steps": step_count(), "targets": targets}}


SESSION_BINDING = "oevelse"  # the session key holding the sandbox a session was made in


@bp.before_app_request
def keep_sessions_apart() -> None:
    """A session belongs to the database it was made in (a trainee's sandbox, or the shared one,
    ''): used elsewhere, it is logged out. (Runs after auth's loader, which set g.admin.)"""
    here = current_sandbox() or ""
    if session.get(SESSION_BINDING, here) != here:
        session.clear()
        g.admin = None


@bp.after_app_request
def remember(response):
    """Bind a new session to its database; note a successful 'Gem rettigheder' (the portal
    answers it with a redirect)."""
    if session and SESSION_BINDING not in session:
        session[SESSION_BINDING] = current_sandbox() or ""
    if (
        current_sandbox()
        and request.endpoint == "selvbetjening.rights"
        and request.method == "POST"
        and g.get("admin") is not None
        and response.status_code in (302, 303)
    ):
        get_db().execute("INSERT INTO oevelse_gemt (employee_id) VALUES (?)", (request.view_args["employee_id"],))
    return response


# --- views -----------------------------------------------------------------------------------


def employee_label(name: str, email: str, namesake: bool) -> str:
    """How the task names an employee: the name, and the e-mail when a colleague shares it."""
    return f"{name} ({email})" if namesake else name


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
    response.set_cookie(
        COOKIE, _serializer().dumps(sandbox_id), httponly=True, samesite="Lax", secure=request.is_secure
    )
    return response


@bp.route("/", methods=("GET",))
@bp.route("", methods=("GET",))  # registered first: url_for gives /oevelse
def start_page():
    """Choose the task; or, during an exercise, start again or stop."""
    admin = demo_data.companies()[0].admin
    return render_template(
        "training_start.html",
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


@bp.route("/start", methods=("POST",))
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


@bp.route("/forfra", methods=("POST",))
def reset():
    """Start forfra: the same task on fresh demo data."""
    task = current_task()
    if task is None:
        return redirect(url_for("training.start_page"))
    return _start(task.employee_id, task.right_id, current_sandbox(), trainee=task.trainee)


@bp.route("/afslut", methods=("POST",))
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


@bp.route("/resultat")
def result():
    """The check at the end, as a page of its own."""
    task = current_task()
    if task is None:
        return redirect(url_for("training.start_page"))
    return render_template("training_result.html", task=task, outcome=check(task), saved=saved_hint(task))


# --- the trainer's overview ------------------------------------------------------------------


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
            with _connect(path) as db:
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


@bp.route("/oversigt", methods=("GET", "POST"))
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
        return render_template("training_overview.html", rows=None, wrong=wrong), 403 if wrong else 200
    return render_template("training_overview.html", rows=progress(), steps=step_count())


def init_app(app) -> None:
    """Switch training mode on: sandboxes, the /oevelse pages, the hint panel, the trainer code."""
    config = app.config
    folder = config["TRAINING_FOLDER"] or str(Path(config["DATABASE"]).parent / "oevelse")
    app.extensions["sesag.training"] = Sandboxes(
        Path(folder),
        int(config["TRAINING_MAX_SANDBOXES"]),
        float(config["TRAINING_MAX_AGE"]),
        idle=float(config["TRAINING_IDLE"]),
        per_client=int(config["TRAINING_STARTS_PER_CLIENT"]),
        window=float(config["TRAINING_CLIENT_WINDOW"]),
    )
    if config["TRAINER_CODE"] is None:
        config["TRAINER_CODE"] = f"{secrets.randbelow(10**6):06d}"
    app.extensions["sesag.trainer_tries"] = RateLimit(10, 600)
    app.extensions["sesag.database_path"] = sandbox_database
    app.wsgi_app = SandboxGuard(app, app.wsgi_app)
    catalogue.training()  # a catalogue that contradicts itself fails at start-up, not in class
    app.register_blueprint(bp)
