"""Property-based (Hypothesis): every route of the portal, every form and URL parameter it reads,
odd values in each, logged in and not, with a valid, missing or odd CSRF token: the portal never
answers 5xx, and a request it refuses (4xx) changes nothing stored.

Profiles: ``dev`` (the default, 100 cases per test) and ``ci`` (200 cases per test, derandomized;
picked when CI=true or HYPOTHESIS_PROFILE=ci). Each test prints how many cases it ran.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_portal.db import get_db

settings.register_profile(
    "dev", max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=200, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")

# What the portal's views read (request.args / request.form), plus names nobody reads.
QUERY_FIELDS = ["next", "navn", "email", "gruppe", "status", "vis", "side", "ukendt"]
FORM_FIELDS = [
    "bruger_id",
    "adgangskode",
    "noegle",
    "navn",
    "email",
    "adresse",
    "nemid_administrator",
    "version",
    "right",
    "rettighed",
    "medarbejder",
    "deltager",
    "ukendt",
]
ODD = [
    "",
    " ",
    "0",
    "1",
    "-1",
    "007",
    "1e3",
    "\u0661",
    "\u00b2",
    "\uff11",
    "9" * 25,
    "9" * 400,
    "x" * 5000,
    "æøå ÆØÅ",
    "a\u030a",
    "\x00",
    "a\x00b",  # a NUL in a search long enough for the trigram index (#20, 4)
    "\x00\x00\x00",
    "\n",
    "\u200b",
    "\u202e",
    "\ufeff",
    "<script>alert(1)</script>",
    "'; --",
    "%",
    "%00",
    "/",
    "//evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "/selvbetjening/",
    "aes.sagsbehandler",
    "aes.kommunal_sagsbehandler",
    "ja",
    "nej",
    "aktiv",
    "inaktiv",
    "alle",
    "15",
    "30",
    "nemid-demo",
    "admin",
    "admin2",
    "lra@nets.dk",
    "bruger@nets.dk",
    "Medlem - Lra",
    "statistik",
]
VALUES = st.one_of(st.sampled_from(ODD), st.text(max_size=30), st.integers(-(2**70), 2**70).map(str))
FIELD_VALUES = st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3))


def routes(app) -> list[tuple[str, str, tuple[str, ...]]]:
    """(rule, method, argument names) for every route and method the app serves."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method, tuple(sorted(rule.arguments))))
    return sorted(found)


def snapshot(app) -> dict:
    """What the portal stores for its users (not sessions, tries or spent keys, which a refused
    log-in may change on purpose)."""
    with app.app_context():
        db = get_db()
        return {
            table: db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            for table in ("company", "employee", "employee_right", "event")
        }


def fill(rule: str, arguments: dict) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: urllib.parse.quote(str(arguments[m.group(1)]), safe=""), rule)


@pytest.fixture
def fuzz_app(app_factory, tmp_path):
    return app_factory(TRAINING=True, TRAINING_FOLDER=str(tmp_path / "oevelse"))


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_no_route_answers_5xx_and_refusals_change_nothing(fuzz_app, auth_for, employee_id, logged_in, capsys):
    app = fuzz_app
    table = routes(app)
    assert len(table) >= 15, table
    with app.app_context():
        ids = [
            row[0]
            for row in get_db().execute(
                "SELECT id FROM employee WHERE email IN ('lra@nets.dk', 'bruger@nets.dk') OR active = 0"
                " OR company_id = 2 ORDER BY id LIMIT 6"
            )
        ]
    path_values = {
        "employee_id": st.one_of(st.sampled_from(ids), st.integers(0, 2**70), st.sampled_from(ODD)),
        "key": st.one_of(st.sampled_from(["statistik", "bestil", "support"]), VALUES),
        "slug": st.one_of(st.sampled_from(["kontakt", "cookies"]), VALUES),
        "filename": st.sampled_from(["portal.css", "training.css", "../schema.sql", "fonts/x.ttf"]),
    }
    cases = []
    browser = {}

    def still_logged_in(client) -> bool:
        cookie = client.get_cookie("session")
        if cookie is None:
            return False
        with app.app_context():
            return (
                get_db()
                .execute(
                    "SELECT 1 FROM web_session WHERE id = ? AND ended IS NULL AND admin_id IS NOT NULL",
                    (hashlib.sha256(cookie.value.encode()).hexdigest(),),
                )
                .fetchone()
                is not None
            )

    @settings(settings.get_profile(PROFILE))
    @given(
        data=st.data(),
        route=st.sampled_from(table),
        query=st.dictionaries(st.sampled_from(QUERY_FIELDS), VALUES, max_size=3),
        form=st.dictionaries(st.sampled_from(FORM_FIELDS), FIELD_VALUES, max_size=5),
        token=st.sampled_from(["valid", "missing", "odd"]),
    )
    def one_request(data, route, query, form, token):
        rule, method, names = route
        path = fill(rule, {name: data.draw(path_values.get(name, VALUES), label=name) for name in names})
        with app.app_context():  # every case starts with open log-ins, however the last one ended
            get_db().execute("UPDATE admin SET failed_attempts = 0, locked = 0 WHERE failed_attempts OR locked")
        if not logged_in:
            client = app.test_client()
        else:  # one log-in, kept until a case logs out (a log-in is five requests)
            client = browser.get("client")
            if client is None or not still_logged_in(client):
                client = browser["client"] = app.test_client()
                assert auth_for(client).login().status_code == 302
        auth = auth_for(client)
        body = dict(form)
        if token == "valid":
            body["csrf_token"] = auth.csrf()
        elif token == "odd":
            body["csrf_token"] = data.draw(VALUES, label="csrf_token")
        before = snapshot(app)
        response = client.open(path, method=method, query_string=query, data=body if method == "POST" else None)
        cases.append(response.status_code)
        assert response.status_code < 500, (method, path, query, body, response.status_code)
        if response.status_code >= 400:
            assert snapshot(app) == before, (method, path, query, body, response.status_code)

    one_request()
    statuses = sorted(set(cases))
    with capsys.disabled():
        print(
            f"\n[fuzz {'logged-in' if logged_in else 'anonymous'}] {len(cases)} cases "
            f"(profile {PROFILE}) over {len(table)} routes; statuses seen: {statuses}"
        )
    assert len(cases) >= settings.get_profile(PROFILE).max_examples
