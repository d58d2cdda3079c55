"""Selvbetjening rules not covered in test_portal_employees.py: search folding, group search,
input hygiene, escaping in confirmations, the right-and-delete round trip for another session."""
import html as htmllib
import re
import unicodedata

import pytest

LIST = "/selvbetjening/medarbejdere"


def names(page_html: str) -> list[str]:
    return [htmllib.unescape(n) for n in re.findall(r'aria-label="Administrér ([^"]+)"', page_html)]


def listed(client, **params) -> list[str]:
    response = client.get(LIST, query_string={"status": "alle", "vis": 50, **params})
    assert response.status_code == 200
    return names(response.get_data(as_text=True))


def version(page_html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page_html).group(1)


def employee_form(client, eid) -> dict:
    page_html = client.get(f"{LIST}/{eid}").get_data(as_text=True)
    value = lambda name: htmllib.unescape(re.search(rf'name="{name}" value="([^"]*)"', page_html).group(1))
    return {"navn": value("navn"), "email": value("email"), "adresse": value("adresse"), "version": version(page_html)}


@pytest.mark.parametrize("typed", ["moller", "MOLLER", "Møller", "MØLLER"])
def test_o_finds_oe_letter(client, logged_in, query, typed):
    expected = sorted(r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND name LIKE '%Møller%'"))
    assert expected, "the demo data should have a Møller"
    assert sorted(listed(client, navn=typed)) == expected


def test_ae_and_ae_letter_find_the_same(client, logged_in):
    assert listed(client, navn="lærkesen") == listed(client, navn="laerkesen") == listed(client, navn="LÆRKESEN")
    assert listed(client, navn="laerkesen"), "the demo data should have a Lærkesen"


def test_decomposed_letters_are_found(client, logged_in, app):
    """A name typed or pasted with a decomposed å (a + ring) is found like the composed one."""
    from mock_portal.db import get_db

    with app.app_context():
        get_db().execute("INSERT INTO employee (company_id, name, email, grp, signature, address)"
                         " VALUES (1, 'Søren Kjærgård', 'sk@x.dk', 'Jura', 'Nøglekort', 'Vej 1')")
    assert listed(client, navn=unicodedata.normalize("NFD", "kjærgård")) == ["Søren Kjærgård"]


def test_decomposed_name_is_stored_composed(client, logged_in, employee_id, query):
    lra = employee_id("lra@nets.dk")
    form = {**employee_form(client, lra), "navn": unicodedata.normalize("NFD", "Ågård Lra")}
    assert logged_in.post(f"{LIST}/{lra}", form).status_code == 302
    assert query("SELECT name FROM employee WHERE id = ?", lra)[0]["name"] == "Ågård Lra"
    assert listed(client, navn="aagaard lra") == ["Ågård Lra"]


@pytest.mark.parametrize("typed", ["Jobcenter", "jobcenter", "JOBCENTER"])
def test_group_search_ignores_case(client, logged_in, query, typed):
    expected = sorted(r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND grp = 'Jobcenter'"))
    assert sorted(listed(client, gruppe=typed)) == expected and expected


def test_group_search_ignores_accents(client, logged_in, query):
    expected = sorted(r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND grp = 'Økonomi'"))
    assert sorted(listed(client, gruppe="okonomi")) == expected and expected


def test_group_choices_in_danish_order(client, logged_in, app):
    from mock_portal.db import get_db

    with app.app_context():
        get_db().execute("INSERT INTO employee (company_id, name, email, grp, signature, address)"
                         " VALUES (1, 'Åge Test', 'aage@x.dk', 'Ålborg', 'Nøglekort', 'Vej 1')")
    page_html = client.get(LIST).get_data(as_text=True)
    select = re.search(r'<select id="s-gruppe" name="gruppe">(.*?)</select>', page_html, re.S).group(1)
    groups = re.findall(r'<option value="([^"]*)"', select)
    assert groups[0] == "" and groups[-2:] == ["Økonomi", "Ålborg"]


def test_search_by_status_inactive_only_lists_inactive(client, logged_in, query):
    inactive = {r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND active = 0")}
    active = {r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND active = 1")}
    shown = set(listed(client, status="inaktiv"))
    assert shown == inactive - active and shown  # (names can repeat across the two; none do in the demo)


def test_search_input_is_escaped_when_shown_again(client, logged_in):
    evil = '"><script>alert(1)</script>'
    page_html = client.get(LIST, query_string={"navn": evil, "email": evil}).get_data(as_text=True)
    assert "<script>alert(1)" not in page_html
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page_html


@pytest.mark.parametrize("field, value, message", [
    ("navn", "Ole\nHansen", "Navn må ikke indeholde linjeskift eller kontroltegn."),
    ("navn", "Ole\x00Hansen", "Navn må ikke indeholde linjeskift eller kontroltegn."),
    ("adresse", "Vej 1\r\nBy", "Adresse må ikke indeholde linjeskift eller kontroltegn."),
])
def test_control_characters_are_refused(client, logged_in, employee_id, query, field, value, message):
    lra = employee_id("lra@nets.dk")
    before = (query("SELECT * FROM employee WHERE id = ?", lra), query("SELECT COUNT(*) AS n FROM event"))
    response = logged_in.post(f"{LIST}/{lra}", {**employee_form(client, lra), field: value})
    assert response.status_code == 400
    assert re.search(rf'role="alert">[^<]*{re.escape(message)}', response.get_data(as_text=True))
    assert (query("SELECT * FROM employee WHERE id = ?", lra), query("SELECT COUNT(*) AS n FROM event")) == before


def test_exactly_100_characters_is_accepted(client, logged_in, employee_id, query):
    lra = employee_id("lra@nets.dk")
    assert logged_in.post(f"{LIST}/{lra}", {**employee_form(client, lra), "navn": "N" * 100}).status_code == 302
    assert query("SELECT name FROM employee WHERE id = ?", lra)[0]["name"] == "N" * 100


def test_html_name_is_escaped_in_confirmations(client, logged_in, employee_id):
    """The name also reaches flash messages (rights saved, deleted) and the delete question."""
    bruger = employee_id("bruger@nets.dk")
    evil = "<img src=x onerror=alert(1)>"
    assert logged_in.post(f"{LIST}/{bruger}", {**employee_form(client, bruger), "navn": evil}).status_code == 302
    rights_url = f"{LIST}/{bruger}/rettigheder"
    saved = logged_in.post(rights_url, {"right": "aes.sagsbehandler",
                                        "version": version(client.get(rights_url).get_data(as_text=True))})
    page_html = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Rettighederne er gemt for &lt;img src=x onerror=alert(1)&gt;." in page_html
    assert "<img src=x" not in page_html
    question = client.get(f"{LIST}/{bruger}/slet").get_data(as_text=True)
    assert "<img src=x" not in question and "&lt;img src=x" in question
    deleted = logged_in.post(f"{LIST}/{bruger}/slet")
    page_html = client.get(deleted.headers["Location"]).get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt; er slettet" in page_html and "<img src=x" not in page_html
    events = client.get(f"{LIST}/{bruger}/haendelser").get_data(as_text=True)
    assert "<img src=x" not in events and "Navn er nu &lt;img src=x onerror=alert(1)&gt;" in events


def test_deleted_employee_is_kept_with_its_history(client, logged_in, employee_id, query):
    bruger = employee_id("bruger@nets.dk")
    rights_url = f"{LIST}/{bruger}/rettigheder"
    logged_in.post(rights_url, {"right": "aes.kommunal_sagsbehandler",
                                "version": version(client.get(rights_url).get_data(as_text=True))})
    assert logged_in.post(f"{LIST}/{bruger}/slet").status_code == 302
    assert "Medlem - Bruger" not in listed(client, status="aktiv")
    assert "Medlem - Bruger" in listed(client, status="inaktiv")
    assert query("SELECT right_id FROM employee_right WHERE employee_id = ?", bruger) == [
        {"right_id": "aes.kommunal_sagsbehandler"}]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
                      client.get(f"{LIST}/{bruger}/haendelser").get_data(as_text=True))
    assert [text for _, _, text in rows][:2] == [
        "Medarbejderen er slettet (gjort inaktiv)",
        "Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Kommunal sagsbehandler"]
    assert rows[0][1] == "Nanna Administrator (admin)" and rows[0][0] == "15-01-2026 kl. 10:00"


def test_delete_without_token_changes_nothing(client, logged_in, employee_id, query):
    bruger = employee_id("bruger@nets.dk")
    before = query("SELECT COUNT(*) AS n FROM event")
    assert client.post(f"{LIST}/{bruger}/slet").status_code == 400
    assert query("SELECT active FROM employee WHERE id = ?", bruger)[0]["active"] == 1
    assert query("SELECT COUNT(*) AS n FROM event") == before


def test_rights_save_without_token_changes_nothing(client, logged_in, employee_id, query):
    lra = employee_id("lra@nets.dk")
    rights_url = f"{LIST}/{lra}/rettigheder"
    page_version = version(client.get(rights_url).get_data(as_text=True))
    for token in (None, "forkert"):
        data = {"right": "aes.sagsbehandler", "version": page_version}
        if token:
            data["csrf_token"] = token
        assert client.post(rights_url, data=data).status_code == 400
    assert query("SELECT * FROM employee_right WHERE employee_id = ?", lra) == []


def test_admin2_reaches_its_own_employee_but_not_company_1(client, auth, employee_id, query):
    assert auth.login(user="admin2").status_code == 302
    theirs = query("SELECT id FROM employee WHERE company_id = 2 ORDER BY id LIMIT 1")[0]["id"]
    lra = employee_id("lra@nets.dk")
    for suffix in ("", "/rettigheder", "/haendelser", "/slet"):
        assert client.get(f"{LIST}/{theirs}{suffix}").status_code == 200, suffix
        assert client.get(f"{LIST}/{lra}{suffix}").status_code == 404, suffix
    assert auth.post(f"{LIST}/{lra}/rettigheder", {"right": "aes.sagsbehandler", "version": "0"}).status_code == 404
    assert auth.post(f"{LIST}/{lra}/slet").status_code == 404
    assert query("SELECT active FROM employee WHERE id = ?", lra)[0]["active"] == 1
    assert query("SELECT * FROM employee_right WHERE employee_id = ?", lra) == []


def _rights_state(query, eid):
    return (query("SELECT right_id FROM employee_right WHERE employee_id = ? ORDER BY right_id", eid),
            query("SELECT COUNT(*) AS n FROM event"),
            query("SELECT rights_version FROM employee WHERE id = ?", eid))


@pytest.mark.parametrize("chosen", [["aes.superbruger"], ["lbf.indberetter", "aes.superbruger"], ["<b>x</b>"]])
def test_unknown_right_changes_nothing_at_all(client, logged_in, employee_id, query, chosen):
    lra = employee_id("lra@nets.dk")
    rights_url = f"{LIST}/{lra}/rettigheder"
    before = _rights_state(query, lra)
    response = logged_in.post(rights_url, {"right": chosen, "version": version(client.get(rights_url).get_data(as_text=True))})
    assert response.status_code == 400
    page_html = response.get_data(as_text=True)
    assert re.search(r'role="alert">Ukendt rettighed', page_html) and "<b>x</b>" not in page_html
    assert _rights_state(query, lra) == before


def test_stale_rights_save_changes_nothing_at_all(app, client, logged_in, employee_id, query):
    """The same administrator in two browser sessions: both open the page, both save."""
    lra = employee_id("lra@nets.dk")
    rights_url = f"{LIST}/{lra}/rettigheder"
    second = type(logged_in)(app.test_client())
    assert second.login().status_code == 302
    first_view = version(client.get(rights_url).get_data(as_text=True))
    second_view = version(second.client.get(rights_url).get_data(as_text=True))
    assert logged_in.post(rights_url, {"right": "aes.sagsbehandler", "version": first_view}).status_code == 302
    after_first = _rights_state(query, lra)
    refused = second.post(rights_url, {"right": "aes.kommunal_sagsbehandler", "version": second_view})
    assert refused.status_code == 409
    assert re.search(r'role="alert">[^<]*Genindlæs', refused.get_data(as_text=True))
    assert _rights_state(query, lra) == after_first
    assert after_first[0] == [{"right_id": "aes.sagsbehandler"}]
    # After reloading, the second session can save on top of the first.
    fresh = version(second.client.get(rights_url).get_data(as_text=True))
    assert second.post(rights_url, {"right": "aes.kommunal_sagsbehandler", "version": fresh}).status_code == 302
    assert _rights_state(query, lra)[0] == [{"right_id": "aes.kommunal_sagsbehandler"}]


def test_a_stored_right_missing_from_the_catalogue_survives_a_save(client, logged_in, employee_id, query, app):
    """A right of a service no longer in the catalogue is neither shown nor silently removed."""
    from mock_portal.db import get_db

    lra = employee_id("lra@nets.dk")
    with app.app_context():
        get_db().execute("INSERT INTO employee_right (employee_id, right_id) VALUES (?, 'nedlagt.service')", (lra,))
    rights_url = f"{LIST}/{lra}/rettigheder"
    page_html = client.get(rights_url).get_data(as_text=True)
    assert "nedlagt.service" not in page_html
    response = logged_in.post(rights_url, {"right": "aes.sagsbehandler", "version": version(page_html)})
    assert response.status_code == 302
    held = {r["right_id"] for r in query("SELECT right_id FROM employee_right WHERE employee_id = ?", lra)}
    assert held == {"aes.sagsbehandler", "nedlagt.service"}
