"""The trainees' sandboxes: a template seeded once per process, a private copy per trainee.

The sandbox id lives in a signed cookie of its own, not in the Flask session, because logging
in and out clears the session and must not end the exercise. ``db.get_db()`` asks
:func:`sandbox_database` which file to open. A request whose training cookie names a sandbox
that is gone (cleaned up, forged) is answered before the session is opened (``SandboxGuard``):
the trainee is logged out and never reaches the shared database.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
import threading
import time
from collections import defaultdict, deque
from pathlib import Path

from flask import abort, current_app, g, has_request_context, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.utils import redirect as wsgi_redirect
from werkzeug.wrappers import Request

from mock_portal.db import reset_demo_database

COOKIE = "sesag_oevelse"
SANDBOX_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
PREFIX = "sandkasse-"

# The exercise's own bookkeeping, added to each sandbox copy (not to the portal's schema).
TASK_SCHEMA = """
CREATE TABLE oevelse (employee_id INTEGER NOT NULL, right_id TEXT NOT NULL, start_rights TEXT NOT NULL,
                      started REAL NOT NULL, trin INTEGER, finished REAL, trainee TEXT NOT NULL DEFAULT '');
CREATE TABLE oevelse_gemt (employee_id INTEGER NOT NULL);
"""


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
        with SandboxFile(self.template) as db:
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
            with SandboxFile(partial) as db:
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


class SandboxFile:
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


def serializer(secret_key=None) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key or current_app.secret_key, salt="sesag-oevelse")


def sandbox_of(raw: str | None, serializer: URLSafeSerializer, boxes: Sandboxes) -> str | None:
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
        g.sesag_sandbox = sandbox_of(request.cookies.get(COOKIE), serializer(), sandboxes())
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
            and sandbox_of(raw, serializer(self.app.secret_key), self.app.extensions["sesag.training"]) is None
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
