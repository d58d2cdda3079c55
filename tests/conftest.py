"""Fixtures for the mock portal's Flask test-client tests, in the style of Flask's flaskr.

``app`` is a portal on its own SQLite file in ``tmp_path``, seeded with the demo data by
``mock_portal.db.reset_demo_database`` (seeded once per session and copied per test: the seed
hashes two passwords with pbkdf2, which would cost ~50 ms in every test; the copy's hashes use
fewer pbkdf2 rounds, and the apps share compiled templates, to keep the suite
fast); ``app_factory(**config)`` makes such an app with more config (training mode); each app it
makes has a database of its own. A test marked ``@pytest.mark.employees(N)`` gets its apps on a copy of
the demo database with company 1 grown to N employees (``mock_portal.generate``), grown once per
session and size (``app_factory(employees=N)`` asks for one explicitly). ``client`` and
``runner`` are Flask's; ``auth`` logs in through the real two-step NemID log-in, ``logged_in`` is
``auth`` after logging in as admin. ``employee_id``, ``query`` and ``add_employee`` read and add
rows in the test's database. The suite's rules (``require``; under CI=true every skip a failure
that gives its reason; the browser tests first) are a plugin of their own, ``helpers.ci_rules``.

For speed, with public APIs only: the seed is made once per session, the apps share compiled
templates (Jinja's ``BytecodeCache``), and the ``chromium`` tests run first, on one worker.
``make test-fast`` leaves tests/e2e out with ``--ignore`` (every test there is ``e2e``).
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from jinja2 import BytecodeCache
from werkzeug.security import generate_password_hash

from mock_portal import create_app, demo_data
from mock_portal.db import get_db, reset_demo_database
from mock_portal.generate import grow_demo_company

from helpers.portal_html import demo_key_shown, form_token, key_code_shown

pytest_plugins = (
    "pytester",
    "helpers.ci_rules",
)  # pytester: tests of the suite's own plugins run a pytest of their own

FIXED_NOW = "2026-01-15T10:00:00+01:00"
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-only-secret",
    "FIXED_NOW": FIXED_NOW,
    "DEMO_MODE": True,
    "KEYCARD_FIXED_CODE": "0427",
}
DEMO_PASSWORDS = {"admin": "nemid-demo", "admin2": "nemid-demo2"}
# The portal hashes with pbkdf2:sha256:60000 (~30 ms a hash, and a log-in checks one); the tests'
# databases use the same algorithm with fewer rounds: check_password_hash still runs for real.
TEST_HASH_METHOD = "pbkdf2:sha256:1000"


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
        # Almost every test logs in: TEST_HASH_METHOD's hashes instead of the seed's.
        db = get_db()
        for user, password in DEMO_PASSWORDS.items():
            db.execute(
                "UPDATE admin SET password_hash = ? WHERE user_id = ?",
                (generate_password_hash(password, method=TEST_HASH_METHOD), user),
            )
    return path


@pytest.fixture(scope="session")
def grown_database(seeded_database, tmp_path_factory):
    """``grown_database(n)``: a copy of the seeded database with the demo company grown to ``n``
    employees, grown once per session and size (0.2-0.4 s each time; a test gets a copy)."""
    grown: dict[int, Path] = {}

    def get(employees: int) -> Path:
        if employees not in grown:
            path = tmp_path_factory.mktemp(f"grown-{employees}") / "portal.sqlite"
            shutil.copyfile(seeded_database, path)
            app = create_app({**TEST_CONFIG, "DATABASE": str(path)})
            with app.app_context():
                grow_demo_company(get_db(), employees)
            grown[employees] = path
        return grown[employees]

    return get


def employees_marked(node) -> int | None:
    """N of the test's ``@pytest.mark.employees(N)``, or None."""
    marker = node.get_closest_marker("employees")
    return marker.args[0] if marker else None


@pytest.fixture
def app_factory(request, tmp_path, seeded_database, grown_database, monkeypatch):
    """``app_factory(employees=None, **config)``: a portal on a fresh copy of the seeded database
    (of one grown to ``employees``, by default the test's ``employees`` marker), with the
    TEST_CONFIG and ``config`` on top (for apps whose config must be set before create_app,
    e.g. TRAINING). Each app gets a database file of its own. What the apps seed themselves
    (training's template, ``flask seed-demo``) is hashed with TEST_HASH_METHOD too: training
    seeds a template per app, and its two 60000-round hashes were a third of those tests' time."""
    monkeypatch.setattr("mock_portal.db.PASSWORD_HASH_METHOD", TEST_HASH_METHOD)
    numbers = itertools.count(1)

    def make(employees: int | None = None, **config):
        employees = employees or employees_marked(request.node)
        number = next(numbers)
        database = tmp_path / ("portal.sqlite" if number == 1 else f"portal-{number}.sqlite")
        shutil.copyfile(grown_database(employees) if employees else seeded_database, database)
        app = create_app({**TEST_CONFIG, "DATABASE": str(database), **config})
        app.jinja_env.bytecode_cache = _TEMPLATES  # keyed by template name and source checksum
        return app

    return make


@pytest.fixture
def app(app_factory):
    """The portal on the demo database (grown, for a test marked ``employees(N)``)."""
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


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
