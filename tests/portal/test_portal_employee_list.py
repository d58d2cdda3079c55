"""mock_portal/selvbetjening: the overview and menu, and Administrér medarbejdere (the list,
its paging and AVANCERET SØGNING)."""

import html as htmllib
import re
import unicodedata

import pytest

from helpers.selvbetjening_pages import (
    LIST,
    employee_form,
    get,
    listed,
    names,
)

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
    from mock_portal.keys import danish_key

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
    from mock_portal.selvbetjening.paging import page_window

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
    from mock_portal.keys import fold

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
    from mock_portal.keys import fold

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
    from mock_portal.keys import fold

    rows = query("SELECT name, email FROM employee WHERE company_id = 1 AND active = 1")
    wanted = sorted(r["name"] for r in rows if fold(typed_name) in fold(r["name"]) and fold(typed_email) in r["email"])
    response, html = get(client, LIST, navn=typed_name, email=typed_email, vis=50)
    assert response.status_code == 200 and count_shown(html) == len(wanted) and wanted
    assert set(names(html)) <= set(wanted)


@large
def test_name_group_and_email_together_on_a_large_list(client, logged_in, query):
    from mock_portal.keys import fold

    rows = query("SELECT id, name, email, grp FROM employee WHERE company_id = 1 AND active = 1")
    group = rows[100]["grp"]
    expected = sorted(r["name"] for r in rows if r["grp"] == group and "e" in fold(r["name"]) and "k" in r["email"])
    _, html = get(client, LIST, navn="e", email="k", gruppe=group.upper(), vis=50)
    assert sorted(names(html)) == expected and expected


@large
def test_group_choices_of_a_large_company(client, logged_in, query):
    from mock_portal.keys import danish_key

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
