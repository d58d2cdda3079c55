"""mock_portal/selvbetjening: Administrér medarbejder (the form), Slet, and the isolation
between companies."""

import re
import unicodedata

import pytest

from helpers.selvbetjening_pages import (
    LIST,
    employee_form,
    get,
    listed,
    names,
    version,
)

# --- Administrér medarbejder -----------------------------------------------------------------


def test_employee_page(client, logged_in, employee_id):
    lra = employee_id("lra@nets.dk")
    response, html = get(client, f"{LIST}/{lra}")
    assert response.status_code == 200
    assert "<h1>ADMINISTRÉR MEDARBEJDER: Medlem - Lra</h1>" in html
    assert "Felter markeret med * skal udfyldes" in html
    assert "Oplysninger om medarbejderen" in html
    for label, field in (("Navn", "navn"), ("E-mail-adresse", "email"), ("Adresse", "adresse")):
        # the label is the bare word (get_by_label(..., exact=True) works); ': *' is beside it, hidden
        assert f'<label for="{field}">{label}</label><span aria-hidden="true">: *</span>' in html
    assert '<label for="nemid_administrator">NemID administrator</label>' in html
    assert "HÆNDELSER OG RETTIGHEDER FOR Medlem - Lra" in html
    assert (
        f'<a href="/selvbetjening/medarbejdere/{lra}/haendelser">Se hændelser<span aria-hidden="true"> &gt;</span></a>'
        in html
    )
    assert (
        f'<a href="/selvbetjening/medarbejdere/{lra}/rettigheder">Administrér rettigheder<span aria-hidden="true"> &gt;</span></a>'
        in html
    )


def test_save_employee_data_writes_events(client, logged_in, employee_id, query):
    lra = employee_id("lra@nets.dk")
    form = employee_form(client, lra)
    response = logged_in.post(
        f"{LIST}/{lra}", {**form, "adresse": "Nygade 1, 2750 Ballerup", "nemid_administrator": "ja"}
    )
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'role="status">Oplysningerne om medarbejderen er gemt.' in html
    row = query("SELECT address, is_admin FROM employee WHERE id = ?", lra)[0]
    assert row == {"address": "Nygade 1, 2750 Ballerup", "is_admin": 1}
    texts = [e["text"] for e in query("SELECT text FROM event WHERE employee_id = ? ORDER BY id", lra)]
    assert "Oplysninger ændret: Adresse er nu Nygade 1, 2750 Ballerup" in texts
    assert "Oplysninger ændret: NemID administrator er nu ja" in texts


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("navn", "", "Navn skal udfyldes."),
        ("navn", "   ", "Navn skal udfyldes."),
        ("email", "", "E-mail-adresse skal udfyldes."),
        ("email", "ikke-en-adresse", "E-mail-adressen er ikke gyldig."),
        ("email", "a@b", "E-mail-adressen er ikke gyldig."),
        ("email", "a b@c.dk", "E-mail-adressen er ikke gyldig."),
        ("adresse", "", "Adresse skal udfyldes."),
        ("navn", "N" * 101, "Navn må højst være 100 tegn."),
        ("email", "e" * 250 + "@x.dk", "E-mail-adressen er ikke gyldig."),
        ("adresse", "A" * 201, "Adresse må højst være 200 tegn."),
        ("navn", "Ole\nHansen", "Navn må ikke indeholde linjeskift eller kontroltegn."),
        ("navn", "Ole\x00Hansen", "Navn må ikke indeholde linjeskift eller kontroltegn."),
        ("adresse", "Vej 1\r\nBy", "Adresse må ikke indeholde linjeskift eller kontroltegn."),
    ],
)
def test_employee_validation(client, logged_in, lra, query, field, value, message):
    before = (query("SELECT * FROM employee WHERE id = ?", lra), query("SELECT COUNT(*) AS n FROM event"))
    response = logged_in.post(f"{LIST}/{lra}", {**employee_form(client, lra), field: value})
    assert response.status_code == 400
    shown = re.search(r'role="alert">(.*?)</div>', response.get_data(as_text=True), re.S)
    assert shown and message in shown.group(1)
    assert (query("SELECT * FROM employee WHERE id = ?", lra), query("SELECT COUNT(*) AS n FROM event")) == before


def test_exactly_100_characters_is_accepted(client, logged_in, employee_id, query):
    lra = employee_id("lra@nets.dk")
    assert logged_in.post(f"{LIST}/{lra}", {**employee_form(client, lra), "navn": "N" * 100}).status_code == 302
    assert query("SELECT name FROM employee WHERE id = ?", lra)[0]["name"] == "N" * 100


def test_decomposed_name_is_stored_composed(client, logged_in, employee_id, query):
    lra = employee_id("lra@nets.dk")
    form = {**employee_form(client, lra), "navn": unicodedata.normalize("NFD", "Ågård Lra")}
    assert logged_in.post(f"{LIST}/{lra}", form).status_code == 302
    assert query("SELECT name FROM employee WHERE id = ?", lra)[0]["name"] == "Ågård Lra"
    assert listed(client, navn="aagaard lra") == ["Ågård Lra"]


def test_html_in_a_name_is_escaped_everywhere(client, logged_in, employee_id):
    lra = employee_id("lra@nets.dk")
    evil = '<script>alert("x")</script><b>Ond</b>'
    form = employee_form(client, lra)
    assert logged_in.post(f"{LIST}/{lra}", {**form, "navn": evil}).status_code == 302
    for path in (
        f"{LIST}/{lra}",
        f"{LIST}/{lra}/rettigheder",
        f"{LIST}/{lra}/haendelser",
        f"{LIST}/{lra}/slet",
        f"{LIST}?navn=Ond",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<b>Ond</b>" not in html, path
        assert "&lt;script&gt;" in html, path
    _, listed = get(client, LIST, navn="ond")
    assert names(listed) == [evil]


def test_stale_employee_save_is_refused(client, logged_in, employee_id, query):
    lra = employee_id("lra@nets.dk")
    stale = employee_form(client, lra)
    assert logged_in.post(f"{LIST}/{lra}", {**stale, "adresse": "Første 1"}).status_code == 302
    response = logged_in.post(f"{LIST}/{lra}", {**stale, "adresse": "Anden 2"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert re.search(r'role="alert">[^<]*Genindlæs siden', html)
    assert query("SELECT address FROM employee WHERE id = ?", lra)[0]["address"] == "Første 1"


@pytest.mark.parametrize("path", ["/0", "/999999", "/99999999999999999999999", "/abc", "/-1"])
def test_unknown_employee_is_404(client, logged_in, path):
    response = client.get(LIST + path)
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)


# --- Slet (deactivate) -----------------------------------------------------------------------


def test_delete_asks_first_then_makes_inactive(client, logged_in, employee_id, query):
    bruger = employee_id("bruger@nets.dk")
    response, html = get(client, f"{LIST}/{bruger}/slet")
    assert response.status_code == 200
    assert "Medlem - Bruger" in html and ">Slet</button>" in html
    assert query("SELECT active FROM employee WHERE id = ?", bruger)[0]["active"] == 1  # asking changes nothing
    done = logged_in.post(f"{LIST}/{bruger}/slet")
    assert done.status_code == 302
    after = client.get(done.headers["Location"]).get_data(as_text=True)
    assert 'role="status">Medlem - Bruger er slettet og vises nu som inaktiv.' in after
    assert "Medlem - Bruger" not in names(after)
    row = query("SELECT * FROM employee WHERE id = ?", bruger)[0]
    assert row["active"] == 0 and row["email"] == "bruger@nets.dk"  # nothing is lost
    _, inactive = get(client, LIST, status="inaktiv", navn="Medlem")
    assert names(inactive) == ["Medlem - Bruger"]
    events = query("SELECT text FROM event WHERE employee_id = ? ORDER BY id DESC", bruger)
    assert events[0]["text"] == "Medarbejderen er slettet (gjort inaktiv)"


def test_deleting_twice_writes_one_event(client, logged_in, employee_id, query):
    bruger = employee_id("bruger@nets.dk")
    logged_in.post(f"{LIST}/{bruger}/slet")
    logged_in.post(f"{LIST}/{bruger}/slet")
    texts = [e["text"] for e in query("SELECT text FROM event WHERE employee_id = ?", bruger)]
    assert texts.count("Medarbejderen er slettet (gjort inaktiv)") == 1


def test_deleted_employee_is_kept_with_its_history(client, logged_in, employee_id, query):
    bruger = employee_id("bruger@nets.dk")
    rights_url = f"{LIST}/{bruger}/rettigheder"
    logged_in.post(
        rights_url,
        {"right": "aes.kommunal_sagsbehandler", "version": version(client.get(rights_url).get_data(as_text=True))},
    )
    assert logged_in.post(f"{LIST}/{bruger}/slet").status_code == 302
    assert "Medlem - Bruger" not in listed(client, status="aktiv")
    assert "Medlem - Bruger" in listed(client, status="inaktiv")
    assert query("SELECT right_id FROM employee_right WHERE employee_id = ?", bruger) == [
        {"right_id": "aes.kommunal_sagsbehandler"}
    ]
    rows = re.findall(
        r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
        client.get(f"{LIST}/{bruger}/haendelser").get_data(as_text=True),
    )
    assert [text for _, _, text in rows][:2] == [
        "Medarbejderen er slettet (gjort inaktiv)",
        "Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Kommunal sagsbehandler",
    ]
    assert rows[0][1] == "Nanna Administrator (admin)" and rows[0][0] == "15-01-2026 kl. 10:00"


def test_html_name_is_escaped_in_confirmations(client, logged_in, employee_id):
    """The name also reaches flash messages (rights saved, deleted) and the delete question."""
    bruger = employee_id("bruger@nets.dk")
    evil = "<img src=x onerror=alert(1)>"
    assert logged_in.post(f"{LIST}/{bruger}", {**employee_form(client, bruger), "navn": evil}).status_code == 302
    rights_url = f"{LIST}/{bruger}/rettigheder"
    saved = logged_in.post(
        rights_url, {"right": "aes.sagsbehandler", "version": version(client.get(rights_url).get_data(as_text=True))}
    )
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


# --- isolation between companies -------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "/rettigheder", "/haendelser", "/slet"])
def test_other_company_employee_is_404_on_get(client, logged_in, other_company_employee, suffix):
    response = client.get(f"{LIST}/{other_company_employee['id']}{suffix}")
    assert response.status_code == 404
    assert other_company_employee["name"] not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "suffix, data",
    [
        ("", {"navn": "Overtaget", "email": "o@x.dk", "adresse": "Vej 1", "version": "0"}),
        ("/rettigheder", {"right": "aes.sagsbehandler", "version": "0"}),
        ("/slet", {}),
    ],
)
def test_other_company_employee_is_404_on_post(client, logged_in, other_company_employee, query, suffix, data):
    eid = other_company_employee["id"]
    before = (
        query("SELECT * FROM employee WHERE id = ?", eid),
        query("SELECT * FROM employee_right WHERE employee_id = ?", eid),
        query("SELECT COUNT(*) AS n FROM event"),
    )
    assert logged_in.post(f"{LIST}/{eid}{suffix}", data).status_code == 404
    after = (
        query("SELECT * FROM employee WHERE id = ?", eid),
        query("SELECT * FROM employee_right WHERE employee_id = ?", eid),
        query("SELECT COUNT(*) AS n FROM event"),
    )
    assert after == before


def test_second_company_sees_only_its_own(client, auth, query):
    auth.login(user="admin2")
    html = client.get(LIST, query_string={"vis": 50, "status": "alle"}).get_data(as_text=True)
    theirs = sorted(r["name"] for r in query("SELECT name FROM employee WHERE company_id = 2"))
    assert sorted(names(html)) == theirs
    assert "Medlem - Lra" not in html
    assert "CVR-nummer: 87654321" in html


def test_search_never_shows_another_company(client, logged_in, query):
    theirs = query("SELECT name, email FROM employee WHERE company_id = 2")
    for person in theirs[:3]:
        _, html = get(client, LIST, email=person["email"], status="alle")
        assert names(html) == []


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
