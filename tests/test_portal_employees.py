"""Administrér medarbejdere (list, paging, search), Administrér medarbejder, Slet, isolation."""
import html as htmllib
import re

import pytest

LIST = "/selvbetjening/medarbejdere"


@pytest.fixture
def logged_in(auth):
    assert auth.login().status_code == 302
    return auth


def names(page_html: str) -> list[str]:
    """The names in the table, from the pencil links' accessible names."""
    return [htmllib.unescape(n) for n in re.findall(r'aria-label="Administrér ([^"]+)"', page_html)]


def get(client, path, **params):
    response = client.get(path, query_string=params)
    return response, response.get_data(as_text=True)


@pytest.fixture
def insert(app):
    """``insert(name, email, group, company, active)``: an extra employee for a search case."""
    from mock_portal.db import get_db

    def run(name, email="x@example.dk", group="Jura", company=1, active=1):
        with app.app_context():
            db = get_db()
            db.execute("INSERT INTO employee (company_id, name, email, grp, signature, address, active)"
                       " VALUES (?, ?, ?, ?, 'Nøglekort', 'Vej 1', ?)", (company, name, email, group, active))

    return run


# --- the overview ----------------------------------------------------------------------------


def test_overview(client, logged_in):
    response, html = get(client, "/selvbetjening")
    assert response.status_code in (200, 308)
    html = client.get("/selvbetjening/").get_data(as_text=True)
    for text in ("NEMID SELVBETJENING TIL ERHVERV", "Overblik over jeres NemID medarbejdersignaturer",
                 "Som NemID administrator kan du bl.a.:", "Oprette medarbejdersignaturer",
                 "Administrere medarbejdersignaturer", "Tilføje nye services", "DIN VIRKSOMHED",
                 "AFVENTENDE BESTILLINGER", "Du har ingen afventende bestillinger.", "DU ER LOGGET PÅ SOM"):
        assert text in html
    assert '<nav aria-label="NemID medarbejdersignatur" class="menu">' in html
    assert re.search(r'<span class="arrow" aria-hidden="true">►</span><a href="/selvbetjening/" aria-current="page">Selvbetjening</a>', html)
    assert '<nav aria-label="Brødkrumme"' in html


def test_left_menu_has_the_fifteen_items(client, logged_in):
    html = client.get(LIST).get_data(as_text=True)
    menu = re.search(r'<nav aria-label="NemID medarbejdersignatur".*?</ul>', html, re.S).group(0)
    items = re.findall(r"<li[^>]*>.*?<a [^>]*>([^<]+)</a>", menu)
    assert items == ["Information", "Bestil", "Selvbetjening", "Opret medarbejdere", "Statistik",
                     "Administrér medarbejdere", "Administrér bestillinger", "Øvrige signaturer",
                     "Tilføj services", "Fakturering", "Søg certifikat", "NemID indstillinger", "Priser",
                     "Vilkår", "Support"]
    assert 'aria-current="page">Administrér medarbejdere</a>' in menu


def test_other_menu_pages_answer(client, logged_in):
    assert client.get("/selvbetjening/side/statistik").status_code == 200
    assert client.get("/selvbetjening/side/findes-ikke").status_code == 404


# --- the list --------------------------------------------------------------------------------


def test_list_shows_the_guide_rows_and_the_columns(client, logged_in):
    response, html = get(client, LIST, navn="Medlem")
    assert response.status_code == 200
    assert "<h1>ADMINISTRÉR MEDARBEJDERE</h1>" in html
    for column in ("Navn", "E-mail-adresse", "Medarbejdergruppe", "Signaturdetaljer"):
        assert f'<th scope="col">{column}</th>' in html
    assert "Administrér/<wbr>Slet" in html
    rows = re.findall(r"<tr[^>]*>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html, re.S)
    assert ("Medlem - Bruger", "bruger@nets.dk", "Bruger", "Nøglekort") in rows
    assert ("Medlem - Lra", "lra@nets.dk", "Lra", "Nøglefil") in rows


def test_pencil_and_bin_are_named_links(client, logged_in, employee_id):
    _, html = get(client, LIST, navn="Medlem - Lra")
    lra = employee_id("lra@nets.dk")
    assert f'<a href="/selvbetjening/medarbejdere/{lra}" aria-label="Administrér Medlem - Lra"' in html
    assert f'<a href="/selvbetjening/medarbejdere/{lra}/slet" aria-label="Slet Medlem - Lra"' in html
    assert '<svg class="icon"' in html and 'aria-hidden="true"' in html


def test_fifteen_rows_a_page_and_paging(client, logged_in, query):
    active = query("SELECT COUNT(*) AS n FROM employee WHERE company_id = 1 AND active = 1")[0]["n"]
    assert active > 30
    _, first = get(client, LIST)
    assert len(names(first)) == 15
    pager = re.search(r'<nav aria-label="Sider" class="pager">(.*?)</nav>', first, re.S).group(1)
    assert ">Næste</a>" in pager and "Forrige" not in pager
    assert '<span aria-current="page" class="current">1</span>' in pager
    _, second = get(client, LIST, side=2)
    assert len(names(second)) == 15 and not set(names(first)) & set(names(second))
    last_page = -(-active // 15)
    _, last = get(client, LIST, side=last_page)
    assert len(names(last)) == active - 15 * (last_page - 1)
    last_pager = re.search(r'<nav aria-label="Sider" class="pager">(.*?)</nav>', last, re.S).group(1)
    assert ">Forrige</a>" in last_pager and "Næste" not in last_pager


def test_all_pages_together_list_every_active_employee_once(client, logged_in, query):
    expected = sorted(r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND active = 1"))
    seen = []
    for page in range(1, 5):
        _, html = get(client, LIST, side=page, vis=15)
        seen += names(html)
    assert sorted(seen) == expected


@pytest.mark.parametrize("size", [30, 50])
def test_page_size_choice(client, logged_in, query, size):
    active = query("SELECT COUNT(*) AS n FROM employee WHERE company_id = 1 AND active = 1")[0]["n"]
    _, html = get(client, LIST, vis=size)
    assert len(names(html)) == min(size, active)
    assert f'<option value="{size}" selected>{size}</option>' in html
    assert '<label for="vis">Vis</label>' in html


def test_paging_keeps_the_search_and_size(client, logged_in):
    _, html = get(client, LIST, gruppe="Jobcenter", vis=30, status="alle")
    # fewer than 30 in Jobcenter: one page, no pager; with vis=15 the pager links keep the search
    _, html = get(client, LIST, status="alle")
    link = re.search(r'<a href="([^"]+)">Næste</a>', html).group(1)
    assert "status=alle" in link and "side=2" in link and "vis=15" in link


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5", "²", "9999999", "99", "1e3", " "])
def test_malformed_or_missing_page_is_404_never_500(client, logged_in, bad):
    response, html = get(client, LIST, side=bad)
    assert response.status_code == 404
    assert 'role="alert"' in html and "Siden findes ikke" in html


@pytest.mark.parametrize("bad", ["7", "abc", "1000"])
def test_unknown_page_size_is_404(client, logged_in, bad):
    assert get(client, LIST, vis=bad)[0].status_code == 404


def test_list_is_sorted_in_danish_order(client, logged_in, insert):
    insert("Zacharias Zeuthen", group="Test")
    insert("Ærbødig Æblemand", group="Test")
    insert("Øjvind Østergaard", group="Test")
    insert("Åge Ågesen", group="Test")
    _, html = get(client, LIST, gruppe="Test")
    assert names(html) == ["Zacharias Zeuthen", "Ærbødig Æblemand", "Øjvind Østergaard", "Åge Ågesen"]


# --- AVANCERET SØGNING -----------------------------------------------------------------------


def test_search_form(client, logged_in):
    _, html = get(client, LIST)
    assert '<details class="search">' in html  # closed without a search
    assert "<summary>AVANCERET SØGNING</summary>" in html
    for field in ('<label for="s-navn">Navn</label>', '<label for="s-email">E-mail-adresse</label>',
                  '<label for="s-gruppe">Medarbejdergruppe</label>', '<label for="s-status">Status</label>',
                  '<option value="">Alle grupper</option>', ">Søg</button>"):
        assert field in html
    _, searched = get(client, LIST, navn="lra")
    assert '<details class="search" open>' in searched


def test_search_by_name(client, logged_in):
    _, html = get(client, LIST, navn="Medlem - Lra")
    assert names(html) == ["Medlem - Lra"]


@pytest.mark.parametrize("typed", ["SØREN", "søren", "Søren", "soren", "SOREN", "sØrEn"])
def test_search_ignores_case_and_accents(client, logged_in, insert, typed):
    insert("Søren Kjærgård", email="soren@example.dk")
    _, html = get(client, LIST, navn=typed)
    assert "Søren Kjærgård" in names(html)


@pytest.mark.parametrize("typed", ["kjærgård", "KJÆRGÅRD", "kjaergaard", "Kjærgaard"])
def test_search_ae_and_aa_spellings(client, logged_in, insert, typed):
    """Æ is also found as 'ae' and Å as 'aa', as Danes type them on a foreign keyboard."""
    insert("Søren Kjærgård", email="soren@example.dk")
    _, html = get(client, LIST, navn=typed)
    assert names(html) == ["Søren Kjærgård"]


def test_search_finds_demo_names_with_every_danish_letter(client, logged_in):
    for typed in ("ÅSE ÆRBØ", "åse ærbø", "aase aerbo"):
        _, html = get(client, LIST, navn=typed)
        assert names(html) == ["Åse Ærbø"], typed


def test_search_by_email(client, logged_in):
    _, html = get(client, LIST, email="BRUGER@nets")
    assert names(html) == ["Medlem - Bruger"]


def test_search_by_group(client, logged_in, query):
    expected = sorted(r["name"] for r in query(
        "SELECT name FROM employee WHERE company_id = 1 AND grp = 'Jobcenter' AND active = 1"))
    _, html = get(client, LIST, gruppe="Jobcenter", vis=50)
    assert sorted(names(html)) == expected and expected
    assert '<option value="Jobcenter" selected>' in html


def test_search_by_status(client, logged_in, query):
    inactive = sorted(r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND active = 0"))
    _, html = get(client, LIST, status="inaktiv", vis=50)
    assert sorted(names(html)) == inactive and inactive
    assert html.count('<span class="tag">inaktiv</span>') == len(inactive)
    _, everyone = get(client, LIST, status="alle", vis=50)
    total = query("SELECT COUNT(*) AS n FROM employee WHERE company_id = 1")[0]["n"]
    assert len(names(everyone)) == min(50, total)


def test_search_combines_the_fields(client, logged_in):
    _, html = get(client, LIST, navn="medlem", gruppe="Lra")
    assert names(html) == ["Medlem - Lra"]


def test_empty_result_says_so(client, logged_in):
    response, html = get(client, LIST, navn="Ingen sådan person")
    assert response.status_code == 200
    assert '<p class="msg msg-info" role="status">Ingen medarbejdere matcher søgningen.</p>' in html
    assert "<table" not in html


def test_over_long_search_is_harmless(client, logged_in):
    response, html = get(client, LIST, navn="x" * 10_000, email="y" * 10_000)
    assert response.status_code == 200 and "Ingen medarbejdere matcher" in html


def test_search_never_shows_another_company(client, logged_in, query):
    theirs = query("SELECT name, email FROM employee WHERE company_id = 2")
    for person in theirs[:3]:
        _, html = get(client, LIST, email=person["email"], status="alle")
        assert names(html) == []


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
    assert f'<a href="/selvbetjening/medarbejdere/{lra}/haendelser">Se hændelser<span aria-hidden="true"> &gt;</span></a>' in html
    assert f'<a href="/selvbetjening/medarbejdere/{lra}/rettigheder">Administrér rettigheder<span aria-hidden="true"> &gt;</span></a>' in html


def _form(html):
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    value = lambda name: htmllib.unescape(re.search(rf'name="{name}" value="([^"]*)"', html).group(1))
    return {"navn": value("navn"), "email": value("email"), "adresse": value("adresse"), "version": version}


def test_save_employee_data_writes_events(client, logged_in, employee_id, query):
    lra = employee_id("lra@nets.dk")
    form = _form(client.get(f"{LIST}/{lra}").get_data(as_text=True))
    response = logged_in.post(f"{LIST}/{lra}", {**form, "adresse": "Nygade 1, 2750 Ballerup", "nemid_administrator": "ja"})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'role="status">Oplysningerne om medarbejderen er gemt.' in html
    row = query("SELECT address, is_admin FROM employee WHERE id = ?", lra)[0]
    assert row == {"address": "Nygade 1, 2750 Ballerup", "is_admin": 1}
    texts = [e["text"] for e in query("SELECT text FROM event WHERE employee_id = ? ORDER BY id", lra)]
    assert "Oplysninger ændret: Adresse er nu Nygade 1, 2750 Ballerup" in texts
    assert "Oplysninger ændret: NemID administrator er nu ja" in texts


@pytest.mark.parametrize("field, value, message", [
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
])
def test_employee_validation(client, logged_in, employee_id, query, field, value, message):
    lra = employee_id("lra@nets.dk")
    before = query("SELECT * FROM employee WHERE id = ?", lra)
    form = _form(client.get(f"{LIST}/{lra}").get_data(as_text=True))
    response = logged_in.post(f"{LIST}/{lra}", {**form, field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert 'role="alert"' in response.get_data(as_text=True)
    assert query("SELECT * FROM employee WHERE id = ?", lra) == before


def test_html_in_a_name_is_escaped_everywhere(client, logged_in, employee_id):
    lra = employee_id("lra@nets.dk")
    evil = '<script>alert("x")</script><b>Ond</b>'
    form = _form(client.get(f"{LIST}/{lra}").get_data(as_text=True))
    assert logged_in.post(f"{LIST}/{lra}", {**form, "navn": evil}).status_code == 302
    for path in (f"{LIST}/{lra}", f"{LIST}/{lra}/rettigheder", f"{LIST}/{lra}/haendelser", f"{LIST}/{lra}/slet",
                 f"{LIST}?navn=Ond"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<b>Ond</b>" not in html, path
        assert "&lt;script&gt;" in html, path
    _, listed = get(client, LIST, navn="ond")
    assert names(listed) == [evil]


def test_stale_employee_save_is_refused(client, auth, employee_id, query):
    auth.login()
    lra = employee_id("lra@nets.dk")
    stale = _form(client.get(f"{LIST}/{lra}").get_data(as_text=True))
    assert auth.post(f"{LIST}/{lra}", {**stale, "adresse": "Første 1"}).status_code == 302
    response = auth.post(f"{LIST}/{lra}", {**stale, "adresse": "Anden 2"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert re.search(r'role="alert">[^<]*Genindlæs siden', html)
    assert query("SELECT address FROM employee WHERE id = ?", lra)[0]["address"] == "Første 1"


@pytest.mark.parametrize("path", ["/0", "/999999", "/99999999999999999999999", "/abc", "/-1"])
def test_unknown_employee_is_404(client, logged_in, path):
    response = client.get(LIST + path)
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)


# --- isolation between companies -------------------------------------------------------------


@pytest.fixture
def other_company_employee(query):
    return query("SELECT id, name, address FROM employee WHERE company_id = 2 ORDER BY id LIMIT 1")[0]


@pytest.mark.parametrize("suffix", ["", "/rettigheder", "/haendelser", "/slet"])
def test_other_company_employee_is_404_on_get(client, logged_in, other_company_employee, suffix):
    response = client.get(f"{LIST}/{other_company_employee['id']}{suffix}")
    assert response.status_code == 404
    assert other_company_employee["name"] not in response.get_data(as_text=True)


@pytest.mark.parametrize("suffix, data", [
    ("", {"navn": "Overtaget", "email": "o@x.dk", "adresse": "Vej 1", "version": "0"}),
    ("/rettigheder", {"right": "aes.sagsbehandler", "version": "0"}),
    ("/slet", {}),
])
def test_other_company_employee_is_404_on_post(client, logged_in, other_company_employee, query, suffix, data):
    eid = other_company_employee["id"]
    before = (query("SELECT * FROM employee WHERE id = ?", eid), query("SELECT * FROM employee_right WHERE employee_id = ?", eid),
              query("SELECT COUNT(*) AS n FROM event"))
    assert logged_in.post(f"{LIST}/{eid}{suffix}", data).status_code == 404
    after = (query("SELECT * FROM employee WHERE id = ?", eid), query("SELECT * FROM employee_right WHERE employee_id = ?", eid),
             query("SELECT COUNT(*) AS n FROM event"))
    assert after == before


def test_second_company_sees_only_its_own(client, auth, query):
    auth.login(user="admin2")
    html = client.get(LIST, query_string={"vis": 50, "status": "alle"}).get_data(as_text=True)
    theirs = sorted(r["name"] for r in query("SELECT name FROM employee WHERE company_id = 2"))
    assert sorted(names(html)) == theirs
    assert "Medlem - Lra" not in html
    assert "CVR-nummer: 87654321" in html


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
