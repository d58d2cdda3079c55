"""mock_portal/selvbetjening.py: the overview and menu, Administrér medarbejdere (list, paging,
search), Administrér medarbejder (the form), Administrér rettigheder (the page and its saves),
Se hændelser, Slet, and the isolation between companies."""

import html as htmllib
import re
import unicodedata

import pytest

LIST = "/selvbetjening/medarbejdere"
SAG, KOM = "aes.sagsbehandler", "aes.kommunal_sagsbehandler"


def names(page_html: str) -> list[str]:
    """The names in the table, from the pencil links' accessible names."""
    return [htmllib.unescape(n) for n in re.findall(r'aria-label="Administrér ([^"]+)"', page_html)]


def get(client, path, **params):
    response = client.get(path, query_string=params)
    return response, response.get_data(as_text=True)


def listed(client, **params) -> list[str]:
    """The names listed for a search over every employee (active or not), up to 50."""
    response, page_html = get(client, LIST, **{"status": "alle", "vis": 50, **params})
    assert response.status_code == 200
    return names(page_html)


def version(html: str) -> str:
    return re.search(r'<input type="hidden" name="version" value="(\d+)">', html).group(1)


def employee_form(client, eid) -> dict:
    page_html = client.get(f"{LIST}/{eid}").get_data(as_text=True)

    def value(name):
        return htmllib.unescape(re.search(rf'name="{name}" value="([^"]*)"', page_html).group(1))

    return {"navn": value("navn"), "email": value("email"), "adresse": value("adresse"), "version": version(page_html)}


def rights_url(eid) -> str:
    return f"{LIST}/{eid}/rettigheder"


def rights_page(client, eid) -> str:
    return client.get(rights_url(eid)).get_data(as_text=True)


def checked(html):
    return set(re.findall(r'<input type="checkbox" id="r-[^"]+" name="right" value="([^"]+)"[^>]*\bchecked>', html))


def held(query, eid):
    return {r["right_id"] for r in query("SELECT right_id FROM employee_right WHERE employee_id = ?", eid)}


def _rights_state(query, eid):
    return (
        query("SELECT right_id FROM employee_right WHERE employee_id = ? ORDER BY right_id", eid),
        query("SELECT COUNT(*) AS n FROM event"),
        query("SELECT rights_version FROM employee WHERE id = ?", eid),
    )


@pytest.fixture
def lra(logged_in, employee_id):
    """Logged in as admin; the id of Medlem - Lra (no rights in the demo data)."""
    return employee_id("lra@nets.dk")


@pytest.fixture
def other_company_employee(query):
    return query("SELECT id, name, address FROM employee WHERE company_id = 2 ORDER BY id LIMIT 1")[0]


# --- the overview and the menu ---------------------------------------------------------------


def test_overview(client, logged_in):
    response, html = get(client, "/selvbetjening")
    assert response.status_code in (200, 308)
    html = client.get("/selvbetjening/").get_data(as_text=True)
    for text in (
        "NEMID SELVBETJENING TIL ERHVERV",
        "Overblik over jeres NemID medarbejdersignaturer",
        "Som NemID administrator kan du bl.a.:",
        "Oprette medarbejdersignaturer",
        "Administrere medarbejdersignaturer",
        "Tilføje nye services",
        "DIN VIRKSOMHED",
        "AFVENTENDE BESTILLINGER",
        "Du har ingen afventende bestillinger.",
        "DU ER LOGGET PÅ SOM",
    ):
        assert text in html
    assert '<nav aria-label="NemID medarbejdersignatur" class="menu">' in html
    assert re.search(
        r'<span class="arrow" aria-hidden="true">►</span><a href="/selvbetjening/" aria-current="page">Selvbetjening</a>',
        html,
    )
    assert '<nav aria-label="Brødkrumme"' in html


def test_left_menu_has_the_fifteen_items(client, logged_in):
    html = client.get(LIST).get_data(as_text=True)
    menu = re.search(r'<nav aria-label="NemID medarbejdersignatur".*?</ul>', html, re.S).group(0)
    items = re.findall(r"<li[^>]*>.*?<a [^>]*>([^<]+)</a>", menu)
    assert items == [
        "Information",
        "Bestil",
        "Selvbetjening",
        "Opret medarbejdere",
        "Statistik",
        "Administrér medarbejdere",
        "Administrér bestillinger",
        "Øvrige signaturer",
        "Tilføj services",
        "Fakturering",
        "Søg certifikat",
        "NemID indstillinger",
        "Priser",
        "Vilkår",
        "Support",
    ]
    assert 'aria-current="page">Administrér medarbejdere</a>' in menu


def test_other_menu_pages_answer(client, logged_in):
    assert client.get("/selvbetjening/side/statistik").status_code == 200
    assert client.get("/selvbetjening/side/findes-ikke").status_code == 404


# --- the list and its pages ------------------------------------------------------------------


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


def test_list_is_sorted_in_danish_order(client, logged_in, add_employee):
    add_employee("Zacharias Zeuthen", group="Test")
    add_employee("Ærbødig Æblemand", group="Test")
    add_employee("Øjvind Østergaard", group="Test")
    add_employee("Åge Ågesen", group="Test")
    _, html = get(client, LIST, gruppe="Test")
    assert names(html) == ["Zacharias Zeuthen", "Ærbødig Æblemand", "Øjvind Østergaard", "Åge Ågesen"]


# --- the list of a large company (generated) ------------------------------------------------

LARGE = 2000


# The demo company grown to LARGE employees (mock_portal.generate): grown once per session, each
# test gets its own copy (conftest.py's app_factory).
large = pytest.mark.employees(LARGE)


def in_danish_order(query, where="company_id = 1 AND active = 1", *params):
    from mock_portal.db import danish_key

    rows = query(f"SELECT id, name FROM employee WHERE {where}", *params)
    return [r["name"] for r in sorted(rows, key=lambda r: (danish_key(r["name"]), r["id"]))]


def count_shown(page_html: str) -> int:
    return int(re.search(r'<span class="count">(\d+) medarbejder', page_html).group(1))


@large
@pytest.mark.parametrize("page", [1, 2, 50, 67, 120])
def test_any_page_of_a_large_list_is_its_slice_of_the_danish_order(client, logged_in, query, page):
    expected = in_danish_order(query)
    response, html = get(client, LIST, side=page, vis=15)
    assert response.status_code == 200
    assert names(html) == expected[(page - 1) * 15 : page * 15] and names(html)
    assert count_shown(html) == len(expected)


@large
def test_the_last_page_of_a_large_list(client, logged_in, query):
    expected = in_danish_order(query, "company_id = 1")
    last = -(-len(expected) // 50)
    _, html = get(client, LIST, side=last, vis=50, status="alle")
    assert names(html) == expected[(last - 1) * 50 :]
    assert get(client, LIST, side=last + 1, vis=50, status="alle")[0].status_code == 404


@large
def test_pager_of_a_large_list_shows_a_window(client, logged_in, query):
    pages = -(-len(in_danish_order(query)) // 15)
    _, html = get(client, LIST, side=60)
    pager = re.search(r'<nav aria-label="Sider" class="pager">(.*?)</nav>', html, re.S).group(1)
    shown = re.findall(r">(\d+)</(?:a|span)>", pager)
    assert shown == ["1", "58", "59", "60", "61", "62", str(pages)]
    assert pager.count('<span class="gap">…</span>') == 2
    assert ">Forrige</a>" in pager and ">Næste</a>" in pager


@pytest.mark.parametrize(
    "page, pages, window",
    [
        (1, 1, [1]),
        (3, 9, list(range(1, 10))),
        (1, 100, [1, 2, 3, None, 100]),
        (5, 100, [1, None, 3, 4, 5, 6, 7, None, 100]),
        (4, 100, [1, 2, 3, 4, 5, 6, None, 100]),
        (100, 100, [1, None, 98, 99, 100]),
        (97, 100, [1, None, 95, 96, 97, 98, 99, 100]),
    ],
)
def test_page_window(page, pages, window):
    from mock_portal.selvbetjening import page_window

    assert page_window(page, pages) == window


@large
@pytest.mark.parametrize(
    "typed",
    [
        "a",
        "Ø",
        "å",
        "aa",
        "ae",
        "jø",
        "sen",
        "søren",
        "SØREN",
        "ostergaard",
        "aa",
        "kjær",
        "Åshild",
        unicodedata.normalize("NFD", "Åkjær"),
    ],
)
def test_search_on_a_large_list_finds_what_a_scan_finds(client, logged_in, query, typed):
    """Every way a search runs (one or two letters by a scan, three or more by the trigram index,
    few matches sorted or many paged by the index) lists the same as folding every name."""
    from mock_portal.db import fold

    expected = [n for n in in_danish_order(query) if fold(typed) in fold(n)]
    _, html = get(client, LIST, navn=typed, vis=50)
    assert count_shown(html) == len(expected) and expected
    assert names(html) == expected[:50]
    last = -(-len(expected) // 50)
    if last > 1:
        _, html = get(client, LIST, navn=typed, vis=50, side=last)
        assert names(html) == expected[(last - 1) * 50 :]


@large
@pytest.mark.parametrize("typed", ["e", "@k", "jensen@", "eksempelkommune.dk"])
def test_email_search_on_a_large_list(client, logged_in, query, typed):
    from mock_portal.db import fold

    rows = query("SELECT name, email FROM employee WHERE company_id = 1 AND active = 1")
    wanted = {r["name"] for r in rows if fold(typed) in fold(r["email"])}
    expected = in_danish_order(query, "company_id = 1 AND active = 1 AND email_fold LIKE ?", f"%{fold(typed)}%")
    _, html = get(client, LIST, email=typed, vis=50)
    assert count_shown(html) == sum(1 for r in rows if fold(typed) in fold(r["email"]))
    assert set(names(html)) <= wanted and len(names(html)) == min(50, count_shown(html))
    assert names(html) == expected[:50]  # in Danish order


@large
@pytest.mark.parametrize("typed_name, typed_email", [("søren", "k"), ("a", "jensen"), ("sen", "e"), ("jø", "@")])
def test_long_and_short_terms_together_on_a_large_list(client, logged_in, query, typed_name, typed_email):
    from mock_portal.db import fold

    rows = query("SELECT name, email FROM employee WHERE company_id = 1 AND active = 1")
    wanted = sorted(r["name"] for r in rows if fold(typed_name) in fold(r["name"]) and fold(typed_email) in r["email"])
    response, html = get(client, LIST, navn=typed_name, email=typed_email, vis=50)
    assert response.status_code == 200 and count_shown(html) == len(wanted) and wanted
    assert set(names(html)) <= set(wanted)


@large
def test_name_group_and_email_together_on_a_large_list(client, logged_in, query):
    from mock_portal.db import fold

    rows = query("SELECT id, name, email, grp FROM employee WHERE company_id = 1 AND active = 1")
    group = rows[100]["grp"]
    expected = sorted(r["name"] for r in rows if r["grp"] == group and "e" in fold(r["name"]) and "k" in r["email"])
    _, html = get(client, LIST, navn="e", email="k", gruppe=group.upper(), vis=50)
    assert sorted(names(html)) == expected and expected


@large
def test_group_choices_of_a_large_company(client, logged_in, query):
    from mock_portal.db import danish_key

    _, html = get(client, LIST)
    select = re.search(r'<select id="s-gruppe" name="gruppe">(.*?)</select>', html, re.S).group(1)
    groups = [htmllib.unescape(g) for g in re.findall(r'<option value="([^"]*)"', select)][1:]
    stored = {r["grp"] for r in query("SELECT DISTINCT grp FROM employee WHERE company_id = 1")}
    assert groups == sorted(stored, key=danish_key) and len(groups) > 150


def test_a_renamed_employee_is_found_by_the_new_name_only(client, logged_in, employee_id):
    lra = employee_id("lra@nets.dk")
    form = employee_form(client, lra)
    assert logged_in.post(f"{LIST}/{lra}", {**form, "navn": "Østergård Ærø"}).status_code == 302
    assert listed(client, navn="ostergaard aero") == ["Østergård Ærø"]
    assert listed(client, navn="Medlem - Lra") == []
    assert listed(client, navn="Medlem")[0] != "Medlem - Lra"


# --- AVANCERET SØGNING -----------------------------------------------------------------------


def test_search_form(client, logged_in):
    _, html = get(client, LIST)
    assert '<details class="search">' in html  # closed without a search
    assert "<summary>AVANCERET SØGNING</summary>" in html
    for field in (
        '<label for="s-navn">Navn</label>',
        '<label for="s-email">E-mail-adresse</label>',
        '<label for="s-gruppe">Medarbejdergruppe</label>',
        '<label for="s-status">Status</label>',
        '<option value="">Alle grupper</option>',
        ">Søg</button>",
    ):
        assert field in html
    _, searched = get(client, LIST, navn="lra")
    assert '<details class="search" open>' in searched


def test_search_by_name(client, logged_in):
    _, html = get(client, LIST, navn="Medlem - Lra")
    assert names(html) == ["Medlem - Lra"]


@pytest.mark.parametrize("typed", ["SØREN", "søren", "Søren", "soren", "SOREN", "sØrEn"])
def test_search_ignores_case_and_accents(client, logged_in, add_employee, typed):
    add_employee("Søren Kjærgård", email="soren@example.dk")
    _, html = get(client, LIST, navn=typed)
    assert "Søren Kjærgård" in names(html)


@pytest.mark.parametrize("typed", ["kjærgård", "KJÆRGÅRD", "kjaergaard", "Kjærgaard"])
def test_search_ae_and_aa_spellings(client, logged_in, add_employee, typed):
    """Æ is also found as 'ae' and Å as 'aa', as Danes type them on a foreign keyboard."""
    add_employee("Søren Kjærgård", email="soren@example.dk")
    _, html = get(client, LIST, navn=typed)
    assert names(html) == ["Søren Kjærgård"]


def test_search_finds_demo_names_with_every_danish_letter(client, logged_in):
    for typed in ("ÅSE ÆRBØ", "åse ærbø", "aase aerbo"):
        _, html = get(client, LIST, navn=typed)
        assert names(html) == ["Åse Ærbø"], typed


@pytest.mark.parametrize("typed", ["moller", "MOLLER", "Møller", "MØLLER"])
def test_o_finds_oe_letter(client, logged_in, query, typed):
    expected = sorted(
        r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND name LIKE '%Møller%'")
    )
    assert expected, "the demo data should have a Møller"
    assert sorted(listed(client, navn=typed)) == expected


def test_ae_and_ae_letter_find_the_same(client, logged_in):
    assert listed(client, navn="lærkesen") == listed(client, navn="laerkesen") == listed(client, navn="LÆRKESEN")
    assert listed(client, navn="laerkesen"), "the demo data should have a Lærkesen"


def test_decomposed_letters_are_found(client, logged_in, add_employee):
    """A name typed or pasted with a decomposed å (a + ring) is found like the composed one."""
    add_employee("Søren Kjærgård", email="sk@x.dk")
    assert listed(client, navn=unicodedata.normalize("NFD", "kjærgård")) == ["Søren Kjærgård"]


def test_search_by_email(client, logged_in):
    _, html = get(client, LIST, email="BRUGER@nets")
    assert names(html) == ["Medlem - Bruger"]


def test_search_by_group(client, logged_in, query):
    expected = sorted(
        r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND grp = 'Jobcenter' AND active = 1")
    )
    _, html = get(client, LIST, gruppe="Jobcenter", vis=50)
    assert sorted(names(html)) == expected and expected
    assert '<option value="Jobcenter" selected>' in html


@pytest.mark.parametrize("typed", ["Jobcenter", "jobcenter", "JOBCENTER"])
def test_group_search_ignores_case(client, logged_in, query, typed):
    expected = sorted(r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND grp = 'Jobcenter'"))
    assert sorted(listed(client, gruppe=typed)) == expected and expected


def test_group_search_ignores_accents(client, logged_in, query):
    expected = sorted(r["name"] for r in query("SELECT name FROM employee WHERE company_id = 1 AND grp = 'Økonomi'"))
    assert sorted(listed(client, gruppe="okonomi")) == expected and expected


def test_group_choices_in_danish_order(client, logged_in, add_employee):
    add_employee("Åge Test", email="aage@x.dk", group="Ålborg")
    page_html = client.get(LIST).get_data(as_text=True)
    select = re.search(r'<select id="s-gruppe" name="gruppe">(.*?)</select>', page_html, re.S).group(1)
    groups = re.findall(r'<option value="([^"]*)"', select)
    assert groups[0] == "" and groups[-2:] == ["Økonomi", "Ålborg"]


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


def test_search_input_is_escaped_when_shown_again(client, logged_in):
    evil = '"><script>alert(1)</script>'
    page_html = client.get(LIST, query_string={"navn": evil, "email": evil}).get_data(as_text=True)
    assert "<script>alert(1)" not in page_html
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page_html


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
    before = _rights_state(query, lra)
    response = logged_in.post(
        rights_url, {"right": chosen, "version": version(client.get(rights_url).get_data(as_text=True))}
    )
    assert response.status_code == 400
    page_html = response.get_data(as_text=True)
    assert re.search(r'role="alert">Ukendt rettighed', page_html) and "<b>x</b>" not in page_html
    assert _rights_state(query, lra) == before


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


# --- Se hændelser ----------------------------------------------------------------------------


def test_events_page_newest_first(client, auth, lra, app):
    auth.post(rights_url(lra), {"right": SAG, "version": version(rights_page(client, lra))})
    app.config["FIXED_NOW"] = "2026-01-15T11:30:00+01:00"
    auth.post(rights_url(lra), {"right": KOM, "version": version(rights_page(client, lra))})
    app.config["FIXED_NOW"] = "2026-07-01T09:05:00+02:00"  # summer time is shown as Copenhagen time
    auth.post(rights_url(lra), {"version": version(rights_page(client, lra))})
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
    assert re.search(
        r"<a href=\"/selvbetjening/medarbejdere/\d+\"><span aria-hidden=\"true\">&lt; </span>Tilbage</a>", html
    )


def test_events_stored_in_utc(client, auth, lra, query):
    auth.post(rights_url(lra), {"right": SAG, "version": version(rights_page(client, lra))})
    stamp = query("SELECT at FROM event WHERE employee_id = ? ORDER BY id DESC LIMIT 1", lra)[0]["at"]
    assert stamp == "2026-01-15T09:00:00+00:00"


def test_events_page_is_paged(client, logged_in, app, employee_id):
    """Newest first, 50 a page; a page past the last is 404."""
    from mock_portal.db import get_db

    lra = employee_id("lra@nets.dk")
    with app.app_context():
        get_db().executemany(
            "INSERT INTO event (company_id, employee_id, at, actor, text) VALUES (1, ?, ?, 'Test', ?)",
            [(lra, f"2026-01-{day:02d}T08:00:00+00:00", f"Hændelse {day}") for day in range(1, 31)]
            + [(lra, f"2026-02-{day:02d}T08:00:00+00:00", f"Hændelse 2-{day}") for day in range(1, 29)],
        )
    url = f"{LIST}/{lra}/haendelser"
    first = client.get(url).get_data(as_text=True)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", first)
    assert len(rows) == 50 and rows[0][2] == "Hændelse 2-28"
    assert f'<a href="{url}?side=2">Næste</a>' in first
    second = client.get(url, query_string={"side": 2}).get_data(as_text=True)
    rest = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", second)
    assert len(rest) == 58 + 1 - 50 and rest[-1][2] == "Hændelse 1"  # 58 added, 1 from the seed
    assert client.get(url, query_string={"side": 3}).status_code == 404


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
