"""Administrér rettigheder (tree, save, the one-AES-right rule, stale saves) and Se hændelser."""
import re
import sqlite3

import pytest

from mock_portal import rights

SAG, KOM = "aes.sagsbehandler", "aes.kommunal_sagsbehandler"


# --- the catalogue, pure ----------------------------------------------------------------------


def test_catalogue_tree_as_in_the_guide():
    top = [node.label for node in rights.CATALOGUE]
    assert top == ["Offentlige", "Forsikringer", "Finans"]
    offentlige = rights.CATALOGUE[0]
    assert [child.label for child in offentlige.children] == [
        "Landsbyggefonden", "Arbejdsmarkedets Erhvervssikring", "Socialministeriet"]
    aes = offentlige.children[1]
    assert aes.open and offentlige.open
    assert [(r.id, r.label) for r in aes.rights] == [(SAG, "Sagsbehandler"), (KOM, "Kommunal sagsbehandler")]


def test_info_texts_are_the_guides_words():
    known = rights.all_rights()
    assert known[SAG].info.startswith("Sagsbehandler rettigheden skal anvendes til medarbejdere i fagforbund")
    assert known[KOM].info.startswith("Kommunal sagsbehandler rettigheden skal anvendes til medarbejdere ansat i kommunalt jobcenter")


def test_other_services_carry_rights_too():
    services = {rights.service_of(right_id).label for right_id in rights.all_rights()}
    assert {"Landsbyggefonden", "Socialministeriet", "Forsikringer", "Finans"} <= services
    assert len(rights.all_rights()) == len(set(rights.all_rights()))


@pytest.mark.parametrize("chosen", [set(), {SAG}, {KOM}, {SAG, "lbf.indberetter"}, {KOM, "finans.betaler"}])
def test_rule_allows_at_most_one_aes_right(chosen):
    assert rights.validate(chosen) == chosen


def test_rule_refuses_both_aes_rights():
    with pytest.raises(rights.RightsRuleError) as refused:
        rights.validate({SAG, KOM, "lbf.indberetter"})
    assert str(refused.value) == "En medarbejder kan højst have én af rettighederne Sagsbehandler og Kommunal sagsbehandler."


def test_rule_refuses_unknown_rights():
    with pytest.raises(rights.RightsRuleError, match="Ukendt rettighed: aes.superbruger"):
        rights.validate({"aes.superbruger"})


def test_describe_change():
    texts = rights.describe_change({KOM}, {SAG})
    assert texts == ["Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Sagsbehandler",
                     "Rettighed fjernet: Arbejdsmarkedets Erhvervssikring › Kommunal sagsbehandler"]
    assert rights.describe_change({SAG}, {SAG}) == []


# --- the page --------------------------------------------------------------------------------


@pytest.fixture
def lra(auth, employee_id):
    assert auth.login().status_code == 302
    return employee_id("lra@nets.dk")


def url(eid):
    return f"/selvbetjening/medarbejdere/{eid}/rettigheder"


def page(client, eid):
    return client.get(url(eid)).get_data(as_text=True)


def version(html):
    return re.search(r'<input type="hidden" name="version" value="(\d+)">', html).group(1)


def checked(html):
    return set(re.findall(r'<input type="checkbox" id="r-[^"]+" name="right" value="([^"]+)"[^>]*\bchecked>', html))


def held(query, eid):
    return {r["right_id"] for r in query("SELECT right_id FROM employee_right WHERE employee_id = ?", eid)}


def test_rights_page(client, lra):
    html = page(client, lra)
    assert "<h1>ADMINISTRÉR RETTIGHEDER FOR Medlem - Lra</h1>" in html
    assert '<div role="group" aria-label="Arbejdsmarkedets Erhvervssikring" class="rights">' in html
    for label in ("Landsbyggefonden", "Socialministeriet", "Forsikringer", "Finans", "Offentlige"):
        assert f"<summary>{label}</summary>" in html
    # Offentlige and AES open, the others folded (nothing held there for Medlem - Lra).
    assert re.search(r'<details class="node" open>\s*<summary>Arbejdsmarkedets Erhvervssikring</summary>', html)
    assert re.search(r'<details class="node" open>\s*<summary>Offentlige</summary>', html)
    assert re.search(r'<details class="node">\s*<summary>Landsbyggefonden</summary>', html)
    for right_id, label in ((SAG, "Sagsbehandler"), (KOM, "Kommunal sagsbehandler")):
        assert (f'<input type="checkbox" id="r-{right_id}" name="right" value="{right_id}" '
                f'aria-describedby="info-{right_id}">') in html
        assert f'<label for="r-{right_id}">{label}</label>' in html
        assert f'<p class="info-text" id="info-{right_id}">{label} rettigheden skal anvendes' in html
    assert "Tildel rettighed:" in html and html.count('<span class="info" aria-hidden="true"') >= 4
    assert ">FORTRYD</a>" in html and ">GEM RETTIGHEDER</button>" in html
    assert checked(html) == set()


def test_a_node_holding_a_right_opens(client, auth, employee_id):
    auth.login()
    aase = employee_id("aase.aerboe@kommune-demo.dk")  # holds a Landsbyggefonden right
    html = page(client, aase)
    assert re.search(r'<details class="node" open>\s*<summary>Landsbyggefonden</summary>', html)
    assert checked(html) == {"lbf.laeseadgang"}


def test_fortryd_goes_back_to_the_employee(client, lra):
    assert f'<a href="/selvbetjening/medarbejdere/{lra}" class="btn btn-secondary">FORTRYD</a>' in page(client, lra)


def test_save_grants_confirms_and_writes_an_event(client, auth, lra, query):
    html = page(client, lra)
    response = auth.post(url(lra), {"right": SAG, "version": version(html)})
    assert response.status_code == 302 and response.headers["Location"].endswith(url(lra))
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<div class="msg msg-ok" role="status">Rettighederne er gemt for Medlem - Lra.</div>' in after
    assert checked(after) == {SAG}
    assert held(query, lra) == {SAG}
    assert version(after) != version(html)
    events = client.get(f"/selvbetjening/medarbejdere/{lra}/haendelser").get_data(as_text=True)
    newest = re.search(r"<tbody>\s*<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", events)
    assert newest.groups() == ("15-01-2026 kl. 10:00", "Nanna Administrator (admin)",
                               "Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Sagsbehandler")


def test_switching_right_revokes_the_other(client, auth, lra, query):
    auth.post(url(lra), {"right": SAG, "version": version(page(client, lra))})
    auth.post(url(lra), {"right": KOM, "version": version(page(client, lra))})
    assert held(query, lra) == {KOM}
    texts = [e["text"] for e in query("SELECT text FROM event WHERE employee_id = ? ORDER BY id DESC", lra)]
    assert set(texts[:2]) == {"Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Kommunal sagsbehandler",
                              "Rettighed fjernet: Arbejdsmarkedets Erhvervssikring › Sagsbehandler"}


def test_saving_nothing_changed_writes_no_event(client, auth, lra, query):
    before = query("SELECT COUNT(*) AS n FROM event")[0]["n"]
    html = page(client, lra)
    assert auth.post(url(lra), {"version": version(html)}).status_code == 302
    assert query("SELECT COUNT(*) AS n FROM event")[0]["n"] == before
    assert version(page(client, lra)) == version(html)


def test_both_aes_rights_refused_and_nothing_changes(client, auth, lra, query):
    html = page(client, lra)
    before = (held(query, lra), query("SELECT COUNT(*) AS n FROM event")[0]["n"])
    response = auth.post(url(lra), {"right": [SAG, KOM], "version": version(html)})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert ('role="alert">En medarbejder kan højst have én af rettighederne Sagsbehandler og '
            'Kommunal sagsbehandler.</div>') in body
    assert (held(query, lra), query("SELECT COUNT(*) AS n FROM event")[0]["n"]) == before
    assert version(page(client, lra)) == version(html)


def test_both_aes_rights_refused_also_when_one_is_held(client, auth, employee_id, query):
    auth.login()
    holder = employee_id(query("SELECT email FROM employee e JOIN employee_right r ON r.employee_id = e.id"
                               " WHERE r.right_id = ? AND e.company_id = 1", SAG)[0]["email"])
    html = page(client, holder)
    assert SAG in checked(html)
    assert auth.post(url(holder), {"right": [SAG, KOM], "version": version(html)}).status_code == 400
    assert held(query, holder) == {SAG}


def test_unknown_right_refused(client, auth, lra, query):
    response = auth.post(url(lra), {"right": "aes.superbruger", "version": version(page(client, lra))})
    assert response.status_code == 400 and "Ukendt rettighed" in response.get_data(as_text=True)
    assert held(query, lra) == set()


def test_stale_save_refused_with_reload_message(client, auth, lra, query):
    """Two administrators open the page; the first saves; the second's save is refused."""
    stale = version(page(client, lra))
    assert auth.post(url(lra), {"right": SAG, "version": stale}).status_code == 302
    response = auth.post(url(lra), {"right": KOM, "version": stale})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    alert = re.search(r'role="alert">(.*?)</div>', body, re.S).group(1)
    assert "Genindlæs siden" in alert
    assert held(query, lra) == {SAG}  # the first save is not lost
    assert checked(body) == {SAG}  # the page now shows what is stored, with its version
    assert version(body) == version(page(client, lra))


def test_missing_or_malformed_version_is_stale(client, auth, lra, query):
    for data in ({"right": SAG}, {"right": SAG, "version": "abc"}, {"right": SAG, "version": "9" * 40}):
        assert auth.post(url(lra), data).status_code == 409
    assert held(query, lra) == set()


def test_concurrent_sessions(app, lra, auth, client, query):
    """Two administrators in two browsers: the later save based on the same view is refused."""
    other = app.test_client()
    other_auth = type(auth)(other)
    assert other_auth.login().status_code == 302
    view_a = version(page(client, lra))
    view_b = version(page(other, lra))
    assert auth.post(url(lra), {"right": KOM, "version": view_a}).status_code == 302
    assert other_auth.post(url(lra), {"right": SAG, "version": view_b}).status_code == 409
    assert held(query, lra) == {KOM}


# --- Se hændelser ----------------------------------------------------------------------------


def test_events_page_newest_first(client, auth, lra, app):
    auth.post(url(lra), {"right": SAG, "version": version(page(client, lra))})
    app.config["FIXED_NOW"] = "2026-01-15T11:30:00+01:00"
    auth.post(url(lra), {"right": KOM, "version": version(page(client, lra))})
    app.config["FIXED_NOW"] = "2026-07-01T09:05:00+02:00"  # summer time is shown as Copenhagen time
    auth.post(url(lra), {"version": version(page(client, lra))})
    html = client.get(f"/selvbetjening/medarbejdere/{lra}/haendelser").get_data(as_text=True)
    assert "<h1>HÆNDELSER FOR Medlem - Lra</h1>" in html
    for column in ("Tidspunkt", "Udført af", "Hændelse"):
        assert f'<th scope="col">{column}</th>' in html
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert [(when, text) for when, _, text in rows] == [
        ("01-07-2026 kl. 09:05", "Rettighed fjernet: Arbejdsmarkedets Erhvervssikring › Kommunal sagsbehandler"),
        ("15-01-2026 kl. 11:30", "Rettighed fjernet: Arbejdsmarkedets Erhvervssikring › Sagsbehandler"),
        ("15-01-2026 kl. 11:30", "Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Kommunal sagsbehandler"),
        ("15-01-2026 kl. 10:00", "Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Sagsbehandler"),
        ("15-01-2026 kl. 10:00", "Medarbejdersignatur oprettet"),
    ]
    assert all(by == "Nanna Administrator (admin)" for _, by, _ in rows[:4])
    assert re.search(r"<a href=\"/selvbetjening/medarbejdere/\d+\"><span aria-hidden=\"true\">&lt; </span>Tilbage</a>", html)


def test_events_are_append_only(app, lra, query):
    from mock_portal.db import get_db

    with app.app_context():
        db = get_db()
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE event SET text = 'rettet'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM event")
    assert query("SELECT COUNT(*) AS n FROM event WHERE text = 'rettet'")[0]["n"] == 0


def test_events_stored_in_utc(client, auth, lra, query):
    auth.post(url(lra), {"right": SAG, "version": version(page(client, lra))})
    stamp = query("SELECT at FROM event WHERE employee_id = ? ORDER BY id DESC LIMIT 1", lra)[0]["at"]
    assert stamp == "2026-01-15T09:00:00+00:00"
