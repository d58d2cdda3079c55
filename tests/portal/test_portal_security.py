"""The portal's security, finding by finding (issue 10): the lock under concurrency, server-side
sessions, single-use keys, malformed input, a database that cannot be written, headers.

The concurrency tests run against a live portal (waitress in a thread on a free port), because
the Flask test client serialises requests and would hide the races they guard against.
"""

from __future__ import annotations

import html as htmllib
import re
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from waitress.server import create_server

from mock_portal import demo_data

from helpers.portal_html import demo_key_shown, form_token

WRONG_LOGIN = "Forkert bruger-id eller adgangskode. Prøv igen."


def alert(html: str) -> str:
    found = re.search(r'role="alert">(.*?)</div>', html, re.S)
    return found.group(1).strip() if found else ""


# --- a live portal and a small browser for it -------------------------------------------------


@pytest.fixture
def live(app):
    """The test's app served by waitress on a free port (16 threads: real parallel requests)."""
    server = create_server(app, host="127.0.0.1", port=0, threads=16, ident="test")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    # Closed in the server's own thread (a trigger thunk runs there): closed from this one, its
    # sockets went while its select() was waiting on them, an EBADF pytest reported as a warning.
    server.trigger.pull_trigger(server.close)
    thread.join(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies and forms over real HTTP; redirects are returned, not followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, form: dict | None = None) -> tuple[int, str, dict]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def token(self, path: str) -> str:
        return form_token(self.request(path)[1])


def count_password_checks(monkeypatch, app, user="admin") -> list:
    """Record every check_password_hash against ``user``'s stored hash while ``user`` is not locked
    (a guess checked; after the lock a right password only earns "spærret")."""
    from mock_portal import auth as auth_module

    with app.app_context():
        from mock_portal.db import get_db

        stored = get_db().execute("SELECT password_hash FROM admin WHERE user_id = ?", (user,)).fetchone()[0]
    checks = []
    real = auth_module.check_password_hash

    def counting(pwhash, password):
        if pwhash == stored:
            with sqlite3.connect(app.config["DATABASE"]) as db:
                locked = db.execute("SELECT locked FROM admin WHERE user_id = ?", (user,)).fetchone()[0]
            if not locked:
                checks.append(password)
        return real(pwhash, password)

    monkeypatch.setattr(auth_module, "check_password_hash", counting)
    return checks


def parallel(count: int, action) -> list:
    """Run ``action(i)`` in ``count`` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        prepared = action(i)
        barrier.wait()
        results[i] = prepared()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- 1. the lock holds under concurrency ----------------------------------------------------


def test_parallel_wrong_passwords_check_at_most_five_guesses(app, live, monkeypatch, query):
    checks = count_password_checks(monkeypatch, app)

    def guess(i):
        browser = Browser(live)
        token = browser.token("/log-paa")
        return lambda: browser.request(
            "/log-paa", {"csrf_token": token, "bruger_id": "admin", "adgangskode": f"forkert-{i}"}
        )

    answers = parallel(20, guess)
    assert {status for status, _, _ in answers} == {401}
    assert len(checks) <= app.config["MAX_LOGIN_ATTEMPTS"], f"{len(checks)} guesses checked before the lock"
    assert query("SELECT locked FROM admin WHERE user_id = 'admin'")[0]["locked"] == 1


def test_parallel_wrong_keys_lock_the_user(app, live, query):
    browser = Browser(live)
    token = browser.token("/log-paa")
    browser.request("/log-paa", {"csrf_token": token, "bruger_id": "admin", "adgangskode": "nemid-demo"})
    page = browser.request("/log-paa/noeglekort")[1]
    token = form_token(page)

    def wrong_key(i):
        return lambda: browser.request("/log-paa/noeglekort", {"csrf_token": token, "noegle": f"{i:06d}"})

    parallel(12, wrong_key)
    row = query("SELECT failed_attempts, locked FROM admin WHERE user_id = 'admin'")[0]
    assert row == {"failed_attempts": 5, "locked": 1}


# --- 2. log-out, lock and time-outs end the session on the server -----------------------------


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def test_a_cookie_copied_before_log_af_is_worthless_after(client, logged_in, employee_id, query):
    copied = session_cookie(client)
    lra = employee_id("lra@nets.dk")
    token = logged_in.csrf()
    logged_in.logout()
    client.set_cookie("session", copied)
    assert client.get("/selvbetjening/").status_code == 302
    saved = client.post(
        f"/selvbetjening/medarbejdere/{lra}/rettigheder",
        data={"csrf_token": token, "right": "aes.sagsbehandler", "version": "0"},
    )
    assert saved.status_code in (302, 400) and "/selvbetjening/medarbejdere" not in saved.headers.get("Location", "")
    assert query("SELECT * FROM employee_right WHERE employee_id = ?", lra) == []


def test_the_cookie_holds_a_random_id_not_the_session(client, logged_in):
    value = session_cookie(client)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", value), value


def test_log_in_renews_the_session_id(client, auth):
    auth.start()
    pending = session_cookie(client)
    auth.key()
    assert session_cookie(client) != pending


@pytest.mark.parametrize("column, minutes", [("last_seen", 31), ("created", 8 * 60 + 1)])
def test_idle_and_absolute_time_out_end_the_session(app, client, logged_in, column, minutes):
    assert client.get("/selvbetjening/").status_code == 200
    with app.app_context():
        from mock_portal.db import get_db

        get_db().execute(f"UPDATE web_session SET {column} = {column} - ?", (minutes * 60,))
    assert client.get("/selvbetjening/").status_code == 302


def test_idle_time_out_is_configurable(app_factory):
    app = app_factory(SESSION_IDLE_MINUTES=5)
    assert app.config["SESSION_IDLE_MINUTES"] == 5
    assert app_factory().config["SESSION_IDLE_MINUTES"] == 30


def test_locking_ends_the_users_sessions_in_the_database(app, client, logged_in, auth_for, query):
    intruder = auth_for(app.test_client())
    for _ in range(5):
        intruder.start(password="forkert")
    assert query("SELECT COUNT(*) AS n FROM web_session WHERE admin_id IS NOT NULL AND ended IS NULL")[0]["n"] == 0


# --- 3. key-card keys are single use --------------------------------------------------------


def test_a_key_cannot_be_replayed_with_the_pending_cookie(client, auth):
    auth.start()
    page = client.get("/log-paa/noeglekort").get_data(as_text=True)
    pending = session_cookie(client)  # the pending log-in, with the code asked and the form's token
    token, key = form_token(page), demo_key_shown(page)
    assert client.post("/log-paa/noeglekort", data={"csrf_token": token, "noegle": key}).status_code == 302
    replays = []
    for _ in range(4):
        fresh = client.application.test_client()
        fresh.set_cookie("session", pending)
        replays.append(fresh.post("/log-paa/noeglekort", data={"csrf_token": token, "noegle": key}))
        assert fresh.get("/selvbetjening/").status_code == 302
    assert all(r.status_code != 302 or r.headers["Location"].endswith("/log-paa") for r in replays)


def test_a_spent_key_is_never_asked_again(client, auth, query):
    assert auth.login().status_code == 302  # spends 0427, the fixed code
    auth.logout()
    auth.start()
    page = client.get("/log-paa/noeglekort").get_data(as_text=True)
    code = re.search(r'data-testid="key-code">(\d{4})<', page).group(1)
    assert code != "0427"
    assert demo_key_shown(page) == demo_data.keycard("admin")[code]  # the hint shows an unspent key
    spent = {row["code"] for row in query("SELECT code FROM keycard_spent")}
    assert spent == {"0427"}


def test_wrong_keys_count_toward_the_lock_like_passwords(auth, query):
    for _ in range(3):
        auth.start(password="forkert")
    auth.start()
    auth.key(key="000000")
    assert query("SELECT failed_attempts FROM admin WHERE user_id = 'admin'")[0]["failed_attempts"] == 4


# --- 5. a non-ASCII csrf_token is a 400, not a 500 ------------------------------------------

POST_ROUTES = [
    "/log-paa",
    "/log-paa/noeglekort",
    "/log-af",
    "/selvbetjening/medarbejdere/1",
    "/selvbetjening/medarbejdere/1/rettigheder",
    "/selvbetjening/medarbejdere/1/slet",
]


@pytest.mark.parametrize("logged", [False, True])
@pytest.mark.parametrize("path", POST_ROUTES)
def test_non_ascii_csrf_token_is_400(client, auth, path, logged):
    if logged:
        auth.login()
    else:
        client.get("/log-paa")
    response = client.post(path, data={"csrf_token": "æøå-token", "bruger_id": "admin"})
    assert response.status_code == 400


# --- 6. a locked id answers like a wrong password until the password is right ----------------


def lock(auth):
    for _ in range(5):
        auth.start(password="forkert")


def test_a_locked_id_says_spaerret_only_after_the_right_password(auth):
    lock(auth)
    wrong = auth.start(password="stadig-forkert")
    assert wrong.status_code == 401 and alert(wrong.get_data(as_text=True)) == WRONG_LOGIN
    right = auth.start()
    assert "spærret" in alert(right.get_data(as_text=True))


def test_a_locked_id_costs_the_same_password_check(app, auth, monkeypatch):
    lock(auth)
    from mock_portal import auth as auth_module

    checked = []
    real = auth_module.check_password_hash
    monkeypatch.setattr(auth_module, "check_password_hash", lambda *args: checked.append(args) or real(*args))
    auth.start(password="forkert-igen")
    assert len(checked) == 1  # the same work as a wrong password of an open id: no fast path


def test_an_unknown_id_costs_a_check_of_the_same_kind(app, auth, monkeypatch):
    from mock_portal import auth as auth_module

    methods = []
    real = auth_module.check_password_hash
    monkeypatch.setattr(
        auth_module,
        "check_password_hash",
        lambda pwhash, password: methods.append(pwhash.split("$")[0]) or real(pwhash, password),
    )
    auth.start(user="ingen-saadan", password="x")
    auth.start(user="admin", password="x")
    assert len(methods) == 2 and methods[0] == methods[1]  # same algorithm and rounds: same time


# --- 7. writes before session changes; a database that cannot be written ---------------------


@pytest.fixture
def break_writes(monkeypatch):
    """``break_writes(on=True)``: the portal's database connections become read-only (reads work,
    every write fails as on a read-only file; as root a chmod would not do it)."""
    real_connect = sqlite3.connect
    read_only = []

    def connect(*args, **kwargs):
        connection = real_connect(*args, **kwargs)
        if read_only:
            connection.execute("PRAGMA query_only = ON")
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)

    def switch(on=True):
        read_only[:] = [True] if on else []

    return switch


def test_right_key_on_an_unwritable_database_does_not_log_in(client, auth, break_writes):
    auth.start()
    page = client.get("/log-paa/noeglekort").get_data(as_text=True)
    break_writes()
    response = client.post("/log-paa/noeglekort", data={"csrf_token": form_token(page), "noegle": demo_key_shown(page)})
    assert response.status_code == 503
    break_writes(False)
    assert client.get("/selvbetjening/").status_code == 302


def test_wrong_password_on_an_unwritable_database_is_not_checked(app, client, auth, break_writes, monkeypatch):
    checks = count_password_checks(monkeypatch, app)
    token = form_token(client.get("/log-paa").get_data(as_text=True))
    break_writes()
    for _ in range(8):
        response = client.post("/log-paa", data={"csrf_token": token, "bruger_id": "admin", "adgangskode": "x"})
        assert response.status_code == 503
    assert checks == []


# --- 9. a long next= never makes a large cookie ---------------------------------------------


def test_long_next_keeps_the_cookie_small_and_log_in_works(client, auth):
    target = "/selvbetjening/" + "a" * 4000
    client.get("/log-paa", query_string={"next": target})
    first = client.post(
        "/log-paa",
        query_string={"next": target},
        data={"csrf_token": auth.csrf(), "bruger_id": "admin", "adgangskode": "nemid-demo"},
    )
    assert first.status_code == 302
    assert len(first.headers["Set-Cookie"]) < 200
    done = auth.key()
    assert done.status_code == 302 and done.headers["Location"].endswith("/selvbetjening/")


def test_login_required_caps_next(client):
    response = client.get("/selvbetjening/side/" + "x" * 4000)
    assert response.status_code in (302, 404)
    assert len(response.headers.get("Location", "")) < 600


# --- 11, 12. rights only for active employees; ASCII ids; unique e-mails; no Cc/Cf -----------


def test_rights_cannot_be_saved_on_an_inactive_employee(client, logged_in, add_employee, query):
    add_employee("Fratrådt Person", "fratraadt@example.dk", active=0)
    person = query("SELECT id FROM employee WHERE email = 'fratraadt@example.dk'")[0]["id"]
    response = logged_in.post(
        f"/selvbetjening/medarbejdere/{person}/rettigheder", {"right": "aes.sagsbehandler", "version": "0"}
    )
    assert response.status_code == 400
    assert query("SELECT * FROM employee_right WHERE employee_id = ?", person) == []


@pytest.mark.parametrize(
    "path",
    [
        "/selvbetjening/medarbejdere/\u0661",
        "/selvbetjening/medarbejdere/\u0661/rettigheder",
        "/selvbetjening/medarbejdere/\uff11",
        "/selvbetjening/medarbejdere/\u0967/haendelser",
    ],
)
def test_non_ascii_digits_in_ids_are_404(client, logged_in, path):
    assert client.get(path).status_code == 404


def edit(client, logged_in, person_id, **changes):
    page = client.get(f"/selvbetjening/medarbejdere/{person_id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    values = {
        "navn": htmllib.unescape(re.search(r'id="navn"[^>]*value="([^"]*)"', page).group(1)),
        "email": htmllib.unescape(re.search(r'id="email"[^>]*value="([^"]*)"', page).group(1)),
        "adresse": "Vej 1",
        "version": version,
        **changes,
    }
    return logged_in.post(f"/selvbetjening/medarbejdere/{person_id}", values)


def test_duplicate_email_in_one_company_is_refused(client, logged_in, employee_id, query):
    bruger = employee_id("bruger@nets.dk")
    response = edit(client, logged_in, bruger, email="LRA@nets.dk")
    assert response.status_code == 400
    assert query("SELECT email FROM employee WHERE id = ?", bruger)[0]["email"] == "bruger@nets.dk"


@pytest.mark.parametrize("name", ["Medlem - Lra\u200b", "Medlem\u202e - Lra", "\ufeffMedlem - Bruger2"])
def test_format_characters_in_names_are_refused(client, logged_in, employee_id, query, name):
    bruger = employee_id("bruger@nets.dk")
    response = edit(client, logged_in, bruger, navn=name)
    assert response.status_code == 400
    assert query("SELECT name FROM employee WHERE id = ?", bruger)[0]["name"] == "Medlem - Bruger"


# --- 13. headers and the Secure cookie ------------------------------------------------------


def test_logged_in_pages_are_not_stored_and_not_framed(client, logged_in):
    headers = client.get("/selvbetjening/").headers
    assert "no-store" in headers["Cache-Control"]
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["Referrer-Policy"]


def test_static_files_stay_cacheable(client):
    response = client.get("/static/portal.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")


def cookie_attributes(response) -> set[str]:
    cookie = response.headers["Set-Cookie"]
    return {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}


def test_cookie_is_secure_over_https(app):
    assert "secure" not in cookie_attributes(app.test_client().get("/log-paa"))
    assert "secure" in cookie_attributes(app.test_client().get("/log-paa", base_url="https://localhost"))


def test_cookie_is_secure_behind_an_https_proxy(client):
    response = client.get("/log-paa", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in cookie_attributes(response)


def test_sesag_cookie_secure_forces_it(app_factory, monkeypatch):
    monkeypatch.setenv("SESAG_COOKIE_SECURE", "1")
    assert "secure" in cookie_attributes(app_factory().test_client().get("/log-paa"))
    monkeypatch.setenv("SESAG_COOKIE_SECURE", "0")
    assert "secure" not in cookie_attributes(app_factory().test_client().get("/log-paa", base_url="https://localhost"))


def test_static_files_leave_the_session_alone(client, logged_in):
    cookie = session_cookie(client)
    response = client.get("/static/portal.css")
    assert "Set-Cookie" not in response.headers
    assert session_cookie(client) == cookie and client.get("/selvbetjening/").status_code == 200
