"""What the list's searches cost as the company grows, counted in SQLite's own steps (machine-
independent, unlike a timing): a page of a company ten times larger must not cost ten times the
work. And the stored counts behind the short searches stay equal to a scan after every edit."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest

from mock_portal import db as portal_db
from mock_portal import migrations
from mock_portal.db import get_db
from mock_portal.generate import grow_demo_company
from mock_portal.keys import fold, short_terms

from helpers.selvbetjening_pages import LIST

# The list as it opens, its statuses, and searches too short for the trigram index.
SHORT_SEARCHES = [
    {},
    {"status": "alle"},
    {"status": "inaktiv"},
    {"navn": "a"},
    {"navn": "se"},
    {"email": "e"},
    {"navn": "a", "status": "alle"},
    {"navn": "ø"},
]


def test_the_list_and_a_short_search_cost_about_the_same_in_a_company_ten_times_larger(grown_company, steps):
    """Counting the list's employees, or the matches of one or two letters (too short for the
    trigram index), by a scan made the page's cost grow with the company (the one-letter search
    1.99x from 5,000 to 50,000 in bench/portal.py)."""
    cost = {}
    for size in (400, 4000):
        client = grown_company(size)
        client.get(LIST)  # warm: the session's first page
        for typed in SHORT_SEARCHES:
            steps()
            response = client.get(LIST, query_string=typed)
            assert response.status_code == 200
            cost[size, str(typed)] = steps()
    for typed in SHORT_SEARCHES:
        small, large = cost[400, str(typed)], cost[4000, str(typed)]
        assert large <= 1.5 * small, f"{typed}: {small} -> {large} (hundreds of SQLite steps)"


def recount(query) -> Counter:
    """The short-term counts as a scan of every employee gives them."""
    counts = Counter()
    for row in query("SELECT company_id, active, name_fold, email_fold FROM employee"):
        for field, text in (("name", row["name_fold"]), ("email", row["email_fold"])):
            for term in short_terms(text):
                counts[(row["company_id"], row["active"], field, term)] += 1
    return counts


def stored(query) -> Counter:
    return Counter(
        {
            (r["company_id"], r["active"], r["field"], r["term"]): r["n"]
            for r in query("SELECT * FROM short_term_count WHERE n > 0")
        }
    )


def test_the_stored_counts_are_a_scans_after_seeding_and_growing(app, query):
    assert stored(query) == recount(query)
    with app.app_context():
        grow_demo_company(get_db(), 400)
    assert stored(query) == recount(query) and sum(stored(query).values()) > 400


def test_the_stored_counts_follow_every_edit(app, client, logged_in, query, add_employee, employee_id):
    add_employee("Åse Ærbø", "aase@nets.dk")
    person = employee_id("lra@nets.dk")
    page = client.get(f"{LIST}/{person}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    renamed = logged_in.post(
        f"{LIST}/{person}",
        data={"version": version, "navn": "Zoë Quist", "email": "zq@nets.dk", "adresse": "Vej 1"},
    )
    assert renamed.status_code in (302, 303)
    deleted = logged_in.post(f"{LIST}/{employee_id('aase@nets.dk')}/slet")
    assert deleted.status_code in (302, 303)
    assert query("SELECT active FROM employee WHERE email = 'aase@nets.dk'")[0]["active"] == 0
    assert stored(query) == recount(query)
    assert stored(query)[(1, 1, "name", "q")] >= 1


@pytest.mark.parametrize("status", ["aktiv", "inaktiv", "alle"])
@pytest.mark.parametrize("typed", [{"navn": ""}, {"navn": "a"}, {"navn": "ø"}, {"email": "k"}, {"navn": "aa"}])
def test_the_count_shown_for_a_short_search_is_a_scans(client, logged_in, query, status, typed):
    active = {"aktiv": [1], "inaktiv": [0], "alle": [0, 1]}[status]
    field, text = next(iter(typed.items()))
    column = {"navn": "name_fold", "email": "email_fold"}[field]
    rows = query(f"SELECT {column} AS folded, active FROM employee WHERE company_id = 1")
    expected = sum(1 for r in rows if r["active"] in active and fold(text) in r["folded"])
    page = client.get(LIST, query_string={**typed, "status": status}).get_data(as_text=True)
    shown = re.search(r'<span class="count">(\d+) medarbejder', page)
    assert int(shown.group(1) if shown else 0) == expected


def test_a_database_made_before_the_counts_gets_them(app, query):
    """`sesag portal` on an older database: the upgrade adds the table and triggers, filled."""

    with app.app_context():
        db = get_db()
        for trigger in ("short_terms_insert", "short_terms_update", "short_terms_delete"):
            db.execute(f"DROP TRIGGER {trigger}")
        db.execute("DROP TABLE short_term_count")
        db.execute("PRAGMA user_version = 0")
        migrations.upgrade(db)
        db.execute("UPDATE employee SET active = 0 WHERE email = 'lra@nets.dk'")
    assert stored(query) == recount(query) and stored(query)


@pytest.fixture
def statements(monkeypatch):
    """``statements()``: {SQL as run, values filled in: tens of SQLite steps} on this test's
    connections since the last call (a statement's steps are those run until the next one starts)."""
    spent: Counter = Counter()
    running = [None]
    connect = portal_db._connect

    def counting(path):
        db = connect(path)

        def started(sql):
            if sql.startswith("--"):  # run by another statement (FTS5 reading its index): counts for it
                return
            running[0] = " ".join(sql.split())
            spent[running[0]] += 0

        def tick():
            spent[running[0]] += 1
            return 0

        db.set_trace_callback(started)
        db.set_progress_handler(tick, 10)
        return db

    monkeypatch.setattr(portal_db, "_connect", counting)

    def read():
        value = dict(spent)
        spent.clear()
        return value

    return read


BROAD = {"navn": "sen"}  # in more than half the names (Jensen, Hansen, Nielsen, ...)


def page_statement(spent: dict) -> int:
    """The steps of the statement that reads the page's rows (the one with LIMIT)."""
    (steps,) = [n for sql, n in spent.items() if sql and "LIMIT" in sql and "FROM employee WHERE id IN" in sql]
    return steps


def test_a_broad_search_reads_its_page_without_gathering_every_match(grown_company, statements, monkeypatch):
    """With more matches than it sorts (SORT_AT_MOST), a trigram search walked the list's index
    to the page, testing each row against the set of all its matches, gathered first: work that
    grew with the matches (bench/portal.py: the broad name search 1.40-1.55x from 5,000 to 50,000).
    The page now costs about the same in a company ten times larger; only the count reads every match."""
    from mock_portal.selvbetjening import employee_query

    monkeypatch.setattr(employee_query, "SORT_AT_MOST", 10)  # both sizes above it: the walking path
    cost = {}
    for size in (400, 4000):
        client = grown_company(size)
        client.get(LIST)
        statements()
        page = client.get(LIST, query_string=BROAD).get_data(as_text=True)
        shown = int(re.search(r'<span class="count">(\d+) medarbejder', page).group(1))
        assert shown > 10 * (size // 400)
        cost[size] = page_statement(statements())
    assert cost[4000] <= 1.5 * cost[400], f"{cost[400]} -> {cost[4000]} (tens of SQLite steps)"


@pytest.mark.parametrize("typed", [BROAD, {"navn": "søren"}, {"email": "nets"}, {"navn": "ers", "status": "alle"}])
def test_a_trigram_search_counts_its_matches_in_the_narrow_index(app, client, logged_in, statements, typed):
    """The count of a trigram search looks each match up for its company and status: in the
    employee table's wide rows that was 3.2 ms for 1,273 matches at 50,000, in the narrow
    index employee_scope (id, company_id, active) 0.9-1.6 ms."""
    statements()
    assert client.get(LIST, query_string=typed).status_code == 200
    (count,) = [sql for sql in statements() if sql and sql.startswith("SELECT COUNT(*)") and "MATCH" in sql]
    with app.app_context():
        plan = " ".join(row[3] for row in get_db().execute(f"EXPLAIN QUERY PLAN {count}"))
    assert "COVERING INDEX employee_scope" in plan, plan


@pytest.mark.parametrize("status", ["aktiv", "inaktiv", "alle"])
@pytest.mark.parametrize(
    "typed", [BROAD, {"navn": "ers"}, {"email": "sen"}, {"navn": "ers", "email": "nets"}, {"navn": "han"}]
)
def test_a_broad_search_shows_the_matches_a_scan_finds_in_the_lists_order(
    app_factory, auth_for, monkeypatch, status, typed
):
    """Both paths, sorting the matches (few) and walking the list's index (many), give the rows
    a scan gives, in Danish order, and the count a scan gives."""
    from mock_portal.selvbetjening import employee_query

    app = app_factory(employees=400)
    client = app.test_client()
    auth_for(client).login()
    active = {"aktiv": [1], "inaktiv": [0], "alle": [0, 1]}[status]
    with app.app_context():
        rows = (
            get_db()
            .execute("SELECT name, name_fold, email_fold, active, name_key, id FROM employee WHERE company_id = 1")
            .fetchall()
        )
    wanted = [
        r["name"]
        for r in sorted(rows, key=lambda r: (r["name_key"], r["id"]))
        if r["active"] in active
        and fold(typed.get("navn", "")) in r["name_fold"]
        and fold(typed.get("email", "")) in r["email_fold"]
    ]
    for sort_at_most in (10**6, 0):
        monkeypatch.setattr(employee_query, "SORT_AT_MOST", sort_at_most)
        page = client.get(LIST, query_string={**typed, "status": status, "vis": 50}).get_data(as_text=True)
        shown = re.search(r'<span class="count">(\d+) medarbejder', page)
        assert int(shown.group(1) if shown else 0) == len(wanted)
        names = re.findall(r'aria-label="Administrér ([^"]+)"', page)
        assert [html.unescape(n) for n in names] == wanted[:50]


def test_a_database_made_before_the_scope_index_gets_it(app, query):
    with app.app_context():
        get_db().execute("DROP INDEX employee_scope")
        get_db().execute("PRAGMA user_version = 1")
        migrations.upgrade(get_db())
    assert query("SELECT name FROM sqlite_master WHERE name = 'employee_scope'")
