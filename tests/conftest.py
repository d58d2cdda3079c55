"""Fixtures for the mock portal's Flask test-client tests, in the style of Flask's flaskr.

``app`` is a portal on its own SQLite file in ``tmp_path``, seeded with the demo data by
``mock_portal.db.reset_demo_database`` (seeded once per session and copied per test: the seed
hashes two passwords with pbkdf2, which would cost ~50 ms in every test; the copy's hashes use
fewer pbkdf2 rounds, and the apps share compiled templates, to keep the suite fast);
``app_factory(**config)`` makes such an app with more config (training mode). ``client`` and
``runner`` are Flask's; ``auth`` logs in through the real two-step NemID log-in, ``logged_in`` is
``auth`` after logging in as admin. ``employee_id``, ``query`` and ``add_employee`` read and add
rows in the test's database. ``require`` is how a test asks for what lies outside the code (a
file beside the checkout, an optional package): missing, it skips locally. Under CI=true every skip
is a failure that gives the skip's reason.
"""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from jinja2 import BytecodeCache
from portal_html import demo_key_shown, form_token, key_code_shown
from werkzeug.security import generate_password_hash

from mock_portal import create_app, demo_data
from mock_portal.db import get_db, reset_demo_database

FIXED_NOW = "2026-01-15T10:00:00+01:00"
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-only-secret",
    "FIXED_NOW": FIXED_NOW,
    "DEMO_MODE": True,
    "KEYCARD_FIXED_CODE": "0427",
}
DEMO_PASSWORDS = {"admin": "nemid-demo", "admin2": "nemid-demo2"}


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared by the tests' apps: each test makes a new app, and compiling
    the templates again for each one took most of the suite's time."""

    def __init__(self):
        self._code = {}

    def load_bytecode(self, bucket):
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _MemoryBytecodeCache()


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory):
    """One demo database per test session, seeded in an app context."""
    path = tmp_path_factory.mktemp("seed") / "portal.sqlite"
    app = create_app({**TEST_CONFIG, "DATABASE": str(path)})
    with app.app_context():
        reset_demo_database()
        # The seed's pbkdf2 (60000 rounds) costs ~30 ms per log-in; almost every test logs in.
        # Same algorithm, fewer rounds: check_password_hash still runs for real.
        db = get_db()
        for user, password in DEMO_PASSWORDS.items():
            db.execute(
                "UPDATE admin SET password_hash = ? WHERE user_id = ?",
                (generate_password_hash(password, method="pbkdf2:sha256:1000"), user),
            )
    return path


@pytest.fixture
def app_factory(tmp_path, seeded_database):
    """``app_factory(**config)``: a portal on a fresh copy of the seeded database, with the
    TEST_CONFIG and ``config`` on top (for apps whose config must be set before create_app,
    e.g. TRAINING)."""

    def make(**config):
        database = tmp_path / "portal.sqlite"
        shutil.copyfile(seeded_database, database)
        app = create_app({**TEST_CONFIG, "DATABASE": str(database), **config})
        app.jinja_env.bytecode_cache = _TEMPLATES  # keyed by template name and source checksum
        return app

    return make


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log in and out through the portal's own pages, as a browser would."""

    def __init__(self, client):
        self.client = client

    def csrf(self) -> str:
        """A CSRF token for a POST: the one the portal's forms carry in this session."""
        with self.client.session_transaction() as session:
            token = session.get("csrf_token")
        if token:
            return token
        return form_token(self.client.get("/log-paa").get_data(as_text=True))

    def start(self, user="admin", password=None):
        """Step one (GET the form, read its token, 'Næste'). ``password`` None: the user's demo one."""
        page = self.client.get("/log-paa").get_data(as_text=True)
        return self.client.post(
            "/log-paa",
            data={
                "csrf_token": form_token(page),
                "bruger_id": user,
                "adgangskode": DEMO_PASSWORDS.get(user, "") if password is None else password,
            },
        )

    def key_code(self) -> str:
        """The key number the key-card page shows now (after step one)."""
        return key_code_shown(self.client.get("/log-paa/noeglekort").get_data(as_text=True))

    def key(self, user="admin", key=None):
        """Step two: read the key number shown and answer with the key card's key ('Log på')."""
        page = self.client.get("/log-paa/noeglekort").get_data(as_text=True)
        code = key_code_shown(page)
        answer = key if key is not None else (demo_key_shown(page) or demo_data.keycard(user)[code])
        return self.client.post("/log-paa/noeglekort", data={"csrf_token": form_token(page), "noegle": answer})

    def login(self, user="admin", password=None, key=None):
        """Both steps; the last response (a redirect to /selvbetjening on success)."""
        first = self.start(user, password)
        if first.status_code != 302:
            return first
        return self.key(user, key)

    def logout(self):
        return self.client.post("/log-af", data={"csrf_token": self.csrf()})

    def post(self, url, data=None, **kwargs):
        """POST a form with this session's CSRF token, as the portal's own forms do."""
        return self.client.post(url, data={"csrf_token": self.csrf(), **(data or {})}, **kwargs)


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test fails, with its reason: every test here guards a
    regression, and one that skips in CI would let that regression pass unseen."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail") and running_in_ci():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{reason.removeprefix('Skipped: ')} (CI=true: a test that guards a regression may not skip)"


class Requirement:
    """What a test needs from outside the code; when it is missing the test skips and says what
    is missing (which fails under CI=true, see pytest_runtest_makereport)."""

    def file(self, path: Path, what: str) -> Path:
        """``path``, which must exist (``what`` says what it is and where it comes from)."""
        if not path.is_file():
            pytest.skip(f"{what} is missing: {path}")
        return path

    def module(self, name: str) -> ModuleType:
        """The optional package ``name``, imported."""
        try:
            return importlib.import_module(name)
        except ImportError:
            pytest.skip(f"the package {name} is not installed")


@pytest.fixture
def require() -> Requirement:
    """``require.file(path, what)``, ``require.module(name)``: see Requirement."""
    return Requirement()


@pytest.fixture
def pdf_pages():
    """``pdf_pages(path)``: the text of each page of a PDF (pypdf, no system tools needed)."""
    from pypdf import PdfReader

    return lambda path: [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture
def auth_for():
    """``auth_for(client)``: log-in actions for another test client (a second browser)."""
    return AuthActions


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def logged_in(auth):
    """``auth`` after a successful log-in as the demo administrator of company 1."""
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"].endswith("/selvbetjening/")
    return auth


@pytest.fixture
def employee_id(app):
    """``employee_id(email)``: the id of the demo employee with that e-mail."""

    def lookup(email: str) -> int:
        with app.app_context():
            row = get_db().execute("SELECT id FROM employee WHERE email = ?", (email,)).fetchone()
        assert row is not None, email
        return row["id"]

    return lookup


@pytest.fixture
def query(app):
    """``query(sql, *params)``: rows from the test's database (to check what was stored)."""

    def run(sql: str, *params):
        with app.app_context():
            return [dict(row) for row in get_db().execute(sql, params).fetchall()]

    return run


@pytest.fixture
def add_employee(app):
    """``add_employee(name, email, group, company, active)``: an extra employee for a test case."""

    def run(name, email="x@example.dk", group="Jura", company=1, active=1):
        with app.app_context():
            get_db().execute(
                "INSERT INTO employee (company_id, name, email, grp, signature, address, active)"
                " VALUES (?, ?, ?, ?, 'Nøglekort', 'Vej 1', ?)",
                (company, name, email, group, active),
            )

    return run


@pytest.fixture
def make_shot():
    """``make_shot(path, colour, size)``: a small stand-in for a guide screenshot (a box on white)."""
    from PIL import Image, ImageDraw

    def make(path, colour=(0, 40, 85), size=(320, 200)):
        image = Image.new("RGB", size, "white")
        ImageDraw.Draw(image).rectangle((20, 20, 120, 60), fill=colour)
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path)
        return path

    return make
