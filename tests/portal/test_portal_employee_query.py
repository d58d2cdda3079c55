"""mock_portal.selvbetjening.employee_query: the list's search as SQLite is asked it, without a
request: its conditions for each kind of term, its count, and its pages read from either end."""

from __future__ import annotations

import pytest

from mock_portal.db import get_db
from mock_portal.keys import fold
from mock_portal.selvbetjening import employee_query
from mock_portal.selvbetjening.employee_query import PHRASE_AT_MOST, WALK, EmployeeQuery

COMPANY = 1
MATCH = "employee_search MATCH ?"
SCOPED = "employee_search CROSS JOIN employee INDEXED BY employee_scope ON employee.id = employee_search.rowid"
JOINED = "employee_search CROSS JOIN employee ON employee.id = employee_search.rowid"
SEARCHES = [
    {},
    {"name": "er"},
    {"name": "ers"},
    {"email": "sen"},
    {"name": "han", "email": "nets"},
    {"name": "e", "email": "n"},
    {"name": "ers", "status": "alle"},
    {"name": "a", "status": "inaktiv"},
    {"group": "Jobcenter"},
    {"group": "jobcenter", "name": "han"},
    {"name": "christoffer moller"},
]


def test_the_list_alone_is_the_companys_active_employees():
    query = EmployeeQuery(COMPANY)
    assert (query.where, query.params) == (["employee.company_id = ?", "employee.active = ?"], [COMPANY, 1])
    assert query.source == query.table == "employee"
    assert not query.searching


def test_a_short_term_scans_the_index_of_folded_columns():
    query = EmployeeQuery(COMPANY, name="Ø")
    assert query.where == ["employee.company_id = ?", "employee.active = ?", "instr(employee.name_fold, ?) > 0"]
    assert query.params == [COMPANY, 1, "o"]
    assert query.shorts == [("name", "o")] and not query.phrases
    assert query.source == query.table == WALK


def test_a_short_term_with_a_group_reads_the_table():
    query = EmployeeQuery(COMPANY, name="ha", group="JobCenter")
    assert query.params == [COMPANY, "jobcenter", 1, "ha"]
    assert query.source == query.table == "employee"


def test_a_phrase_asks_the_trigram_index_and_counts_in_the_narrow_index():
    query = EmployeeQuery(COMPANY, name="Søren")
    assert query.where == [MATCH, "employee.company_id = ?", "employee.active = ?"]
    assert query.params == ['name_fold : "soren"', COMPANY, 1]
    assert query.walk == [("name_fold", "soren")]
    assert query.source == SCOPED


def test_a_name_and_an_email_are_one_match():
    query = EmployeeQuery(COMPANY, name="han", email="nets")
    assert query.params[0] == 'name_fold : "han" AND email_fold : "nets"'


def test_a_quote_in_a_phrase_is_doubled():
    assert EmployeeQuery(COMPANY, name='a"b"c').params[0] == 'name_fold : "a""b""c"'


def test_a_long_term_asks_for_its_start_and_checks_the_whole():
    term = "christoffer moller"
    query = EmployeeQuery(COMPANY, name=term)
    assert query.params[0] == f'name_fold : "{term[:PHRASE_AT_MOST]}"'
    assert query.where[-1] == "instr(employee.name_fold, ?) > 0" and query.params[-1] == term
    assert query.longs and query.source == JOINED  # the table's rows hold the whole name


@pytest.mark.parametrize(("status", "active"), [("aktiv", [1]), ("inaktiv", [0]), ("alle", [])])
def test_a_status_is_the_active_condition_or_none(status, active):
    query = EmployeeQuery(COMPANY, status=status)
    assert query.params == [COMPANY, *active]
    assert ("employee.active = ?" in query.where) == bool(active)
    assert query.searching == (status != "aktiv")


def test_its_arguments_ask_for_the_same_list_again():
    query = EmployeeQuery(COMPANY, name="han", email="", group="Jobcenter", status="alle", size=30, page=2)
    assert query.as_args() == {"navn": "han", "email": "", "gruppe": "Jobcenter", "status": "alle", "vis": 30}


def test_many_matches_without_a_group_walk_the_lists_index():
    query = EmployeeQuery(COMPANY, name="ers")
    source, where, params = query.page_plan(employee_query.SORT_AT_MOST + 1)
    assert source == WALK
    assert (where, params) == (
        ["employee.company_id = ?", "employee.active = ?", "instr(employee.name_fold, ?) > 0"],
        [COMPANY, 1, "ers"],
    )
    assert query.where[0] == MATCH  # the count's conditions are left as they were


def test_many_matches_with_a_group_test_the_set_of_matches():
    query = EmployeeQuery(COMPANY, name="ers", group="jobcenter")
    source, where, params = query.page_plan(employee_query.SORT_AT_MOST + 1)
    assert source == "employee" and where[0].startswith("employee.id IN (SELECT rowid FROM employee_search")
    assert params == query.params


def test_few_matches_are_sorted_from_the_counts_source():
    query = EmployeeQuery(COMPANY, name="ers")
    assert query.page_plan(employee_query.SORT_AT_MOST) == (query.source, query.where, query.params)


def scanned(db, search: dict) -> list[int]:
    """The ids a plain scan finds for ``search``, in the list's order."""
    active = {"aktiv": (1,), "inaktiv": (0,), "alle": (0, 1)}[search.get("status", "aktiv")]
    rows = db.execute(
        "SELECT id, name_fold, email_fold, grp_fold, active FROM employee WHERE company_id = ? ORDER BY name_key, id",
        (COMPANY,),
    )
    return [
        row["id"]
        for row in rows
        if row["active"] in active
        and fold(search.get("name", "")) in row["name_fold"]
        and fold(search.get("email", "")) in row["email_fold"]
        and (not search.get("group") or row["grp_fold"] == fold(search["group"]))
    ]


@pytest.mark.employees(400)
@pytest.mark.parametrize("sort_at_most", [10**6, 0], ids=["sorted", "walked"])
@pytest.mark.parametrize("search", SEARCHES, ids=lambda search: ",".join(f"{k}={v}" for k, v in search.items()))
def test_pages_read_forwards_or_backwards_are_the_slices_a_scan_finds(app, monkeypatch, search, sort_at_most):
    monkeypatch.setattr(employee_query, "SORT_AT_MOST", sort_at_most)
    with app.app_context():
        db = get_db()
        wanted = scanned(db, search)
        first = EmployeeQuery(COMPANY, size=15, **search)
        total = first.count(db)
        assert total == len(wanted)
        for page in range(1, first.pages(total) + 1):
            query = EmployeeQuery(COMPANY, size=15, page=page, **search)
            forwards = [row["id"] for row in query.rows(db, total, backwards=False)]
            backwards = [row["id"] for row in query.rows(db, total, backwards=True)]
            assert forwards == backwards == wanted[(page - 1) * 15 : page * 15]
            assert [row["id"] for row in query.rows(db, total)] == forwards


def test_nothing_matches_no_rows_and_one_page(app):
    with app.app_context():
        query = EmployeeQuery(COMPANY, name="zzzqqq")
        total = query.count(get_db())
        assert (total, query.pages(total), query.rows(get_db(), total)) == (0, 1, [])
