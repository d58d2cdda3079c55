"""mock_portal/auth.py and csrf.py: the front page's way in, NemID log-in (password + key card),
locking and unlocking, log-af, login_required, CSRF, the session cookie."""

import re

import pytest
from flask import url_for

from mock_portal import demo_data

PUBLIC_ENDPOINTS = {"static", "public.front", "public.info", "auth.login", "auth.keycard", "auth.logout"}
SAMPLE_ARGS = {"employee_id": 1, "key": "statistik", "slug": "kontakt", "filename": "portal.css"}


def every_page(app):
    """(endpoint, url) of every GET page the app serves, built from its URL map."""
    with app.test_request_context():
        return sorted(
            {
                (rule.endpoint, url_for(rule.endpoint, **{a: SAMPLE_ARGS[a] for a in rule.arguments}))
                for rule in app.url_map.iter_rules()
                if "GET" in rule.methods
            }
        )


def alert(html: str) -> str:
    found = re.search(r'role="alert">(.*?)</div>', html, re.S)
    return found.group(1).strip() if found else ""


def test_front_page_links_to_log_in(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="da">' in html
    assert "<h1>NEMID MEDARBEJDERSIGNATUR</h1>" in html
    assert re.search(r'<a href="/log-paa">Log på NemID selvbetjening<span aria-hidden="true"> &gt;</span></a>', html)
    for label in (
        "KOM I GANG MED NEMID I JERES VIRKSOMHED",
        "LÆS MERE",
        "FORSTÅ DIN REGNING",
        "Bestil medarbejdersignatur",
        "Populære vejledninger",
    ):
        assert label in html
    assert '<nav class="toplinks" aria-label="Topmenu">' in html


def test_log_in_page_has_the_labelled_fields(client):
    html = client.get("/log-paa").get_data(as_text=True)
    assert '<label for="bruger_id">Bruger-id</label>' in html
    assert '<label for="adgangskode">Adgangskode</label>' in html
    assert ">Næste</button>" in html


def test_log_in_with_password_and_key_card(client, auth):
    first = auth.start()
    assert first.status_code == 302 and first.headers["Location"].endswith("/log-paa/noeglekort")
    page = client.get("/log-paa/noeglekort").get_data(as_text=True)
    assert "Nøgle nr." in page and '<label for="noegle">Nøgle</label>' in page
    done = auth.key()
    assert done.status_code == 302 and done.headers["Location"].endswith("/selvbetjening/")
    overview = client.get("/selvbetjening/").get_data(as_text=True)
    assert "NEMID SELVBETJENING TIL ERHVERV" in overview
    assert "Nanna Administrator" in overview and "CVR-nummer: 12345678" in overview


def test_demo_hint_shows_the_key_for_the_code_shown(client, auth):
    auth.start()
    html = client.get("/log-paa/noeglekort").get_data(as_text=True)
    code = re.search(r'data-testid="key-code">(\d{4})<', html).group(1)
    hint = re.search(r'<p role="note" aria-label="Kun til demo" data-testid="demo-key-hint"[^>]*>(.*?)</p>', html, re.S)
    assert hint, "no demo hint in demo mode"
    assert f'<strong data-testid="demo-key">{demo_data.keycard("admin")[code]}</strong>' in hint.group(1)


def test_no_demo_hint_outside_demo_mode(app, auth, client):
    app.config["DEMO_MODE"] = False
    auth.start()
    html = client.get("/log-paa/noeglekort").get_data(as_text=True)
    assert "demo-key" not in html and "Kun til demo" not in html
    assert re.search(r'data-testid="key-code">\d{4}<', html)


def test_fixed_key_code_makes_the_key_page_deterministic(app, auth, client):
    app.config["KEYCARD_FIXED_CODE"] = "0427"
    for _ in range(2):
        auth.start()
        assert 'data-testid="key-code">0427<' in client.get("/log-paa/noeglekort").get_data(as_text=True)


def test_wrong_password_is_refused_in_danish(client, auth):
    response = auth.start(password="forkert")
    assert response.status_code == 401
    assert alert(response.get_data(as_text=True)) == "Forkert bruger-id eller adgangskode. Prøv igen."
    with client.session_transaction() as session:
        assert "admin_id" not in session and "pending_admin_id" not in session


def test_unknown_user_gets_the_same_message(auth):
    response = auth.start(user="nobody", password="x")
    assert alert(response.get_data(as_text=True)) == "Forkert bruger-id eller adgangskode. Prøv igen."


def wrong_key_for(code: str, user="admin") -> str:
    """A 6-digit key that is not the card's key for ``code``."""
    right = demo_data.keycard(user)[code]
    return f"{(int(right) + 1) % 1_000_000:06d}"


def test_wrong_key_is_refused_and_not_logged_in(client, auth, query):
    auth.start()
    response = auth.key(key=wrong_key_for("0427"))
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert alert(html) == "Forkert nøgle. Prøv igen med nøglen, der hører til nøglenummeret."
    assert client.get("/selvbetjening/").status_code == 302
    with client.session_transaction() as session:
        assert "admin_id" not in session
    assert query("SELECT failed_attempts FROM admin WHERE user_id = 'admin'")[0]["failed_attempts"] == 1


def test_key_of_another_code_is_refused(client, auth):
    auth.start()
    card = demo_data.keycard("admin")
    other = next(key for code, key in card.items() if code != "0427" and key != card["0427"])
    assert auth.key(key=other).status_code == 401


def test_key_code_is_chosen_from_the_users_card_without_fixed_code(app, auth, client):
    app.config["KEYCARD_FIXED_CODE"] = None
    seen = set()
    for _ in range(6):
        auth.start()
        seen.add(auth.key_code())
    assert seen <= set(demo_data.keycard("admin")) and len(seen) > 1
    assert auth.key().status_code == 302  # the key for whichever code was shown works


def test_key_page_without_password_step_goes_back(client):
    response = client.get("/log-paa/noeglekort")
    assert response.status_code == 302 and response.headers["Location"].endswith("/log-paa")


def _wrong_key(auth):
    return auth.key(key=wrong_key_for("0427"))


def test_five_wrong_in_a_row_lock_the_user(client, auth, query):
    for _ in range(3):
        assert auth.start(password="forkert").status_code == 401
    auth.start()  # the right password does not reset the count: only a full log-in does
    _wrong_key(auth)
    locked = _wrong_key(auth)  # fifth wrong answer
    assert "spærret" in alert(locked.get_data(as_text=True))
    assert query("SELECT locked FROM admin WHERE user_id = 'admin'")[0]["locked"] == 1
    # Even the right password and key no longer work.
    again = auth.start()
    assert again.status_code == 401 and "spærret" in alert(again.get_data(as_text=True))
    assert client.get("/selvbetjening/").status_code == 302


def test_the_lock_message_names_the_configured_number_of_tries(app_factory, auth_for):
    auth = auth_for(app_factory(MAX_LOGIN_ATTEMPTS=3).test_client())
    for _ in range(3):
        auth.start(password="forkert")
    # "spærret" only once the password is right (before that a locked id answers like a wrong one)
    assert "spærret efter 3 forkerte forsøg" in alert(auth.start().get_data(as_text=True))


def test_four_wrong_then_a_full_log_in_resets_the_count(auth, query):
    for _ in range(4):
        auth.start(password="forkert")
    assert auth.login().status_code == 302
    assert query("SELECT failed_attempts, locked FROM admin WHERE user_id = 'admin'")[0] == {
        "failed_attempts": 0,
        "locked": 0,
    }


def test_five_wrong_keys_lock_too(auth, query):
    auth.start()
    responses = [_wrong_key(auth) for _ in range(5)]
    assert [r.status_code for r in responses] == [401] * 5
    assert alert(responses[3].get_data(as_text=True)).startswith("Forkert nøgle.")
    assert "spærret" in alert(responses[4].get_data(as_text=True))
    assert query("SELECT locked FROM admin WHERE user_id = 'admin'")[0]["locked"] == 1
    assert auth.login().status_code == 401


def test_locking_ends_an_open_session_of_that_user(app, client, auth):
    auth.login()
    assert client.get("/selvbetjening/").status_code == 200
    intruder = type(auth)(app.test_client())  # a second browser
    for _ in range(5):
        intruder.start(password="forkert")
    assert client.get("/selvbetjening/").status_code == 302


def test_unlock_user_command(runner, auth):
    for _ in range(5):
        auth.start(password="forkert")
    assert "spærret" in alert(auth.start().get_data(as_text=True))
    result = runner.invoke(args=["unlock-user", "admin"])
    assert result.exit_code == 0 and "Unlocked admin" in result.output
    assert auth.login().status_code == 302


def test_locking_one_user_does_not_lock_another(auth, client):
    for _ in range(5):
        auth.start(password="forkert")
    assert auth.login(user="admin2").status_code == 302


def test_login_required_on_every_non_public_page(app, client):
    protected = [(endpoint, url) for endpoint, url in every_page(app) if endpoint not in PUBLIC_ENDPOINTS]
    assert len(protected) >= 6  # overview, side, medarbejdere, medarbejder, rettigheder, hændelser, slet
    for endpoint, url in protected:
        response = client.get(url)
        assert response.status_code == 302, endpoint
        assert response.headers["Location"].startswith("/log-paa?next="), endpoint


def test_public_pages_need_no_log_in(app, client):
    for endpoint, url in every_page(app):
        if endpoint in PUBLIC_ENDPOINTS - {"auth.keycard"}:
            assert client.get(url).status_code == 200, endpoint


def test_login_required_on_post(client, auth):
    response = auth.post("/selvbetjening/medarbejdere/1/rettigheder", {"right": "aes.sagsbehandler", "version": "0"})
    assert response.status_code == 302 and "/log-paa" in response.headers["Location"]


def test_log_in_returns_to_the_page_asked_for(client, auth):
    client.get("/log-paa?next=/selvbetjening/medarbejdere")
    client.post(
        "/log-paa?next=/selvbetjening/medarbejdere",
        data={"csrf_token": auth.csrf(), "bruger_id": "admin", "adgangskode": "nemid-demo"},
    )
    response = auth.key()
    assert response.headers["Location"].endswith("/selvbetjening/medarbejdere")


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_log_in_never_redirects_off_site(client, auth, target):
    client.get("/log-paa")
    client.post(
        "/log-paa",
        query_string={"next": target},
        data={"csrf_token": auth.csrf(), "bruger_id": "admin", "adgangskode": "nemid-demo"},
    )
    assert auth.key().headers["Location"].endswith("/selvbetjening/")


def test_log_af_ends_the_session(client, auth):
    auth.login()
    assert client.get("/selvbetjening/").status_code == 200
    response = auth.logout()
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert client.get("/selvbetjening/").status_code == 302


def test_log_af_button_is_a_csrf_protected_form(client, auth):
    auth.login()
    html = client.get("/selvbetjening/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/log-af">(.*?)</form>', html, re.S)
    assert form and 'name="csrf_token"' in form.group(1) and ">LOG AF</button>" in form.group(1)
    assert client.get("/log-af").status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/log-paa",
        "/log-af",
        "/selvbetjening/medarbejdere/1/rettigheder",
        "/selvbetjening/medarbejdere/1",
        "/selvbetjening/medarbejdere/1/slet",
    ],
)
@pytest.mark.parametrize("token", [None, "wrong"])
def test_post_without_valid_csrf_token_is_400(client, auth, path, token):
    auth.login()
    data = {"bruger_id": "admin", "adgangskode": "nemid-demo", "navn": "X", "right": "aes.sagsbehandler"}
    if token:
        data["csrf_token"] = token
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)


def test_csrf_refusal_of_a_delete_changes_nothing(client, logged_in, employee_id, query):
    bruger = employee_id("bruger@nets.dk")
    before = query("SELECT COUNT(*) AS n FROM event")
    for token in (None, "wrong"):
        data = {"csrf_token": token} if token else {}
        assert client.post(f"/selvbetjening/medarbejdere/{bruger}/slet", data=data).status_code == 400
    assert query("SELECT active FROM employee WHERE id = ?", bruger)[0]["active"] == 1
    assert query("SELECT COUNT(*) AS n FROM event") == before


def test_csrf_refusal_of_a_rights_save_changes_nothing(client, logged_in, employee_id, query):
    lra = employee_id("lra@nets.dk")
    rights_url = f"/selvbetjening/medarbejdere/{lra}/rettigheder"
    page_version = re.search(r'name="version" value="(\d+)"', client.get(rights_url).get_data(as_text=True)).group(1)
    for token in (None, "forkert"):
        data = {"right": "aes.sagsbehandler", "version": page_version}
        if token:
            data["csrf_token"] = token
        assert client.post(rights_url, data=data).status_code == 400
    assert query("SELECT * FROM employee_right WHERE employee_id = ?", lra) == []


def test_logged_in_session_cookie_is_httponly_and_lax(auth):
    auth.start()
    response = auth.key()
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in attributes and attributes["samesite"] == "SameSite=Lax"
