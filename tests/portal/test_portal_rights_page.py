"""mock_portal/selvbetjening: Administrér rettigheder (the page and its saves)."""

import re

import pytest

from helpers.selvbetjening_pages import (
    KOM,
    LIST,
    SAG,
    checked,
    held,
    rights_page,
    rights_state,
    rights_url,
    version,
)

# --- Administrér rettigheder -----------------------------------------------------------------


def test_rights_page(client, lra):
    html = rights_page(client, lra)
    assert "<h1>ADMINISTRÉR RETTIGHEDER FOR Medlem - Lra</h1>" in html
    assert '<div role="group" aria-label="Arbejdsmarkedets Erhvervssikring" class="rights">' in html
    for label in ("Landsbyggefonden", "Socialministeriet", "Forsikringer", "Finans", "Offentlige"):
        assert f"<summary>{label}</summary>" in html
    # Offentlige and AES open, the others folded (nothing held there for Medlem - Lra).
    assert re.search(r'<details class="node" open>\s*<summary>Arbejdsmarkedets Erhvervssikring</summary>', html)
    assert re.search(r'<details class="node" open>\s*<summary>Offentlige</summary>', html)
    assert re.search(r'<details class="node">\s*<summary>Landsbyggefonden</summary>', html)
    for right_id, label in ((SAG, "Sagsbehandler"), (KOM, "Kommunal sagsbehandler")):
        assert (
            f'<input type="checkbox" id="r-{right_id}" name="right" value="{right_id}" '
            f'aria-describedby="info-{right_id}">'
        ) in html
        assert f'<label for="r-{right_id}">{label}</label>' in html
        assert f'<p class="info-text" id="info-{right_id}">{label} rettigheden skal anvendes' in html
    assert "Tildel rettighed:" in html and html.count('<span class="info" aria-hidden="true"') >= 4
    assert ">FORTRYD</a>" in html and ">GEM RETTIGHEDER</button>" in html
    assert checked(html) == set()


def test_a_node_holding_a_right_opens(client, logged_in, employee_id):
    aase = employee_id("aase.aerboe@eksempelkommune.dk")  # holds a Landsbyggefonden right
    html = rights_page(client, aase)
    assert re.search(r'<details class="node" open>\s*<summary>Landsbyggefonden</summary>', html)
    assert checked(html) == {"lbf.laeseadgang"}


def test_fortryd_goes_back_to_the_employee(client, lra):
    assert f'<a href="/selvbetjening/medarbejdere/{lra}" class="btn btn-secondary">FORTRYD</a>' in rights_page(
        client, lra
    )


def test_save_grants_confirms_and_writes_an_event(client, auth, lra, query):
    html = rights_page(client, lra)
    response = auth.post(rights_url(lra), {"right": SAG, "version": version(html)})
    assert response.status_code == 302 and response.headers["Location"].endswith(rights_url(lra))
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<div class="msg msg-ok" role="status">Rettighederne er gemt for Medlem - Lra.</div>' in after
    assert checked(after) == {SAG}
    assert held(query, lra) == {SAG}
    assert version(after) != version(html)
    events = client.get(f"/selvbetjening/medarbejdere/{lra}/haendelser").get_data(as_text=True)
    newest = re.search(r"<tbody>\s*<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", events)
    assert newest.groups() == (
        "15-01-2026 kl. 10:00",
        "Nanna Administrator (admin)",
        "Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Sagsbehandler",
    )


def test_switching_right_revokes_the_other(client, auth, lra, query):
    auth.post(rights_url(lra), {"right": SAG, "version": version(rights_page(client, lra))})
    auth.post(rights_url(lra), {"right": KOM, "version": version(rights_page(client, lra))})
    assert held(query, lra) == {KOM}
    texts = [e["text"] for e in query("SELECT text FROM event WHERE employee_id = ? ORDER BY id DESC", lra)]
    assert set(texts[:2]) == {
        "Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Kommunal sagsbehandler",
        "Rettighed fjernet: Arbejdsmarkedets Erhvervssikring › Sagsbehandler",
    }


def test_saving_nothing_changed_writes_no_event(client, auth, lra, query):
    before = query("SELECT COUNT(*) AS n FROM event")[0]["n"]
    html = rights_page(client, lra)
    assert auth.post(rights_url(lra), {"version": version(html)}).status_code == 302
    assert query("SELECT COUNT(*) AS n FROM event")[0]["n"] == before
    assert version(rights_page(client, lra)) == version(html)


def test_both_aes_rights_refused_and_nothing_changes(client, auth, lra, query):
    html = rights_page(client, lra)
    before = (held(query, lra), query("SELECT COUNT(*) AS n FROM event")[0]["n"])
    response = auth.post(rights_url(lra), {"right": [SAG, KOM], "version": version(html)})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert (
        'role="alert">En medarbejder kan højst have én af rettighederne Sagsbehandler og Kommunal sagsbehandler.</div>'
    ) in body
    assert (held(query, lra), query("SELECT COUNT(*) AS n FROM event")[0]["n"]) == before
    assert version(rights_page(client, lra)) == version(html)


def test_both_aes_rights_refused_also_when_one_is_held(client, logged_in, employee_id, query):
    holder = employee_id(
        query(
            "SELECT email FROM employee e JOIN employee_right r ON r.employee_id = e.id"
            " WHERE r.right_id = ? AND e.company_id = 1",
            SAG,
        )[0]["email"]
    )
    html = rights_page(client, holder)
    assert SAG in checked(html)
    assert logged_in.post(rights_url(holder), {"right": [SAG, KOM], "version": version(html)}).status_code == 400
    assert held(query, holder) == {SAG}


@pytest.mark.parametrize("chosen", [["aes.superbruger"], ["lbf.indberetter", "aes.superbruger"], ["<b>x</b>"]])
def test_unknown_right_changes_nothing_at_all(client, logged_in, employee_id, query, chosen):
    lra = employee_id("lra@nets.dk")
    rights_url = f"{LIST}/{lra}/rettigheder"
    before = rights_state(query, lra)
    response = logged_in.post(
        rights_url, {"right": chosen, "version": version(client.get(rights_url).get_data(as_text=True))}
    )
    assert response.status_code == 400
    page_html = response.get_data(as_text=True)
    assert re.search(r'role="alert">Ukendt rettighed', page_html) and "<b>x</b>" not in page_html
    assert rights_state(query, lra) == before


def test_stale_save_refused_with_reload_message(client, auth, lra, query):
    """Two administrators open the page; the first saves; the second's save is refused."""
    stale = version(rights_page(client, lra))
    assert auth.post(rights_url(lra), {"right": SAG, "version": stale}).status_code == 302
    response = auth.post(rights_url(lra), {"right": KOM, "version": stale})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    alert = re.search(r'role="alert">(.*?)</div>', body, re.S).group(1)
    assert "Genindlæs siden" in alert
    assert held(query, lra) == {SAG}  # the first save is not lost
    assert checked(body) == {SAG}  # the page now shows what is stored, with its version
    assert version(body) == version(rights_page(client, lra))


def test_stale_rights_save_changes_nothing_at_all(app, client, logged_in, employee_id, query):
    """The same administrator in two browser sessions: both open the page, both save."""
    lra = employee_id("lra@nets.dk")
    rights_url = f"{LIST}/{lra}/rettigheder"
    second = type(logged_in)(app.test_client())
    assert second.login().status_code == 302
    first_view = version(client.get(rights_url).get_data(as_text=True))
    second_view = version(second.client.get(rights_url).get_data(as_text=True))
    assert logged_in.post(rights_url, {"right": "aes.sagsbehandler", "version": first_view}).status_code == 302
    after_first = rights_state(query, lra)
    refused = second.post(rights_url, {"right": "aes.kommunal_sagsbehandler", "version": second_view})
    assert refused.status_code == 409
    assert re.search(r'role="alert">[^<]*Genindlæs', refused.get_data(as_text=True))
    assert rights_state(query, lra) == after_first
    assert after_first[0] == [{"right_id": "aes.sagsbehandler"}]
    # After reloading, the second session can save on top of the first.
    fresh = version(second.client.get(rights_url).get_data(as_text=True))
    assert second.post(rights_url, {"right": "aes.kommunal_sagsbehandler", "version": fresh}).status_code == 302
    assert rights_state(query, lra)[0] == [{"right_id": "aes.kommunal_sagsbehandler"}]


def test_missing_or_malformed_version_is_stale(client, auth, lra, query):
    for data in ({"right": SAG}, {"right": SAG, "version": "abc"}, {"right": SAG, "version": "9" * 40}):
        assert auth.post(rights_url(lra), data).status_code == 409
    assert held(query, lra) == set()


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
