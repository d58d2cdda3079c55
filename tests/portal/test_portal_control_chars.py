"""Control characters (a NUL above all) in what a user sends the portal: every search is
answered as a search, never as the 503 of a database that is fine (#20, 4), and every form
refuses them with its own message or treats them as the wrong value they are."""

from __future__ import annotations

import logging

import pytest

from helpers.portal_html import form_token
from helpers.selvbetjening_pages import LIST, employee_form, get, listed, rights_url, version

NUL = "\x00"


@pytest.mark.parametrize(
    "params",
    [
        {"navn": f"a{NUL}b"},
        {"navn": f"Medlem{NUL} - Lra"},
        {"navn": NUL * 3},
        {"navn": f"{NUL}x"},
        {"email": NUL * 3},
        {"email": f"bruger{NUL}@nets"},
        {"gruppe": f"Job{NUL}center"},
        {"navn": f"lra{NUL}", "email": f"{NUL}nets", "status": "alle"},
        {"navn": "l\x01r\x1fa\x7f"},
    ],
)
def test_a_search_with_control_characters_is_answered_as_a_search(client, logged_in, params, caplog):
    with caplog.at_level(logging.ERROR):
        response, page = get(client, LIST, **params)
    assert response.status_code == 200, page
    assert "database error" not in caplog.text
    assert NUL not in page


def test_control_characters_are_left_out_of_the_search(client, logged_in):
    """No name holds one (the form refuses them), so the search is what is left of the text."""
    assert listed(client, navn=f"Medlem{NUL} - L\x07ra") == listed(client, navn="Medlem - Lra") == ["Medlem - Lra"]
    assert listed(client, email=f"BRUGER{NUL}@nets") == ["Medlem - Bruger"]
    assert listed(client, navn="Medlem\t-\tLra") == ["Medlem - Lra"]  # a tab is a space
    _, page = get(client, LIST, navn=f"Medlem{NUL} - Lra")
    assert 'value="Medlem - Lra"' in page  # the search box shows what was searched


@pytest.mark.parametrize("field", ["bruger_id", "adgangskode"])
def test_a_nul_in_the_log_in_is_a_failed_log_in(client, field):
    page = client.get("/log-paa").get_data(as_text=True)
    data = {"csrf_token": form_token(page), "bruger_id": "admin", "adgangskode": "nemid-demo"}
    data[field] = data[field][:2] + NUL + data[field][2:]
    response = client.post("/log-paa", data=data)
    assert response.status_code < 500
    assert response.status_code != 302  # not logged in, not on to the key card


def test_a_nul_in_the_key_is_a_wrong_key(client, auth):
    auth.start()
    response = auth.key(key=f"12{NUL}34")
    assert response.status_code < 500 and response.status_code != 302


@pytest.mark.parametrize("field", ["navn", "email", "adresse"])
def test_a_nul_in_the_employee_form_is_refused_with_a_message(client, logged_in, employee_id, field):
    eid = employee_id("lra@nets.dk")
    form = {**employee_form(client, eid), "csrf_token": logged_in.csrf()}
    form[field] = form[field][:3] + NUL + form[field][3:]
    response = client.post(f"{LIST}/{eid}", data=form)
    assert response.status_code == 400
    assert "må ikke indeholde linjeskift eller kontroltegn" in response.get_data(as_text=True)


@pytest.mark.parametrize("field", ["right", "version"])
def test_a_nul_in_the_rights_form_changes_nothing(client, logged_in, employee_id, query, field):
    eid = employee_id("lra@nets.dk")
    before = query("SELECT right_id FROM employee_right WHERE employee_id = ?", eid)
    page = client.get(rights_url(eid)).get_data(as_text=True)
    data = {"csrf_token": logged_in.csrf(), "version": version(page), "right": "aes.sagsbehandler"}
    data[field] = data[field] + NUL
    response = client.post(rights_url(eid), data=data)
    assert response.status_code in (400, 409)
    assert query("SELECT right_id FROM employee_right WHERE employee_id = ?", eid) == before
