"""What the list's searches cost as the company grows, counted in SQLite's own steps (machine-
independent, unlike a timing): a page of a company ten times larger must not cost ten times the
work. And the stored counts behind the short searches stay equal to a scan after every edit."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from mock_portal import db as portal_db
from mock_portal.db import fold, get_db
from mock_portal.generate import grow_demo_company

LIST = "/selvbetjening/medarbejdere"
STEP = 100  # SQLite calls the progress handler every STEP virtual-machine instructions


@pytest.fixture
def steps(monkeypatch):
    """``steps()``: SQLite instructions run (in hundreds) on this test's connections since the last call."""
    counted = [0]
    connect = portal_db._connect

    def counting(path):
        db = connect(path)

        def tick():
            counted[0] += 1
            return 0

        db.set_progress_handler(tick, STEP)
        return db

    monkeypatch.setattr(portal_db, "_connect", counting)

    def read():
        value, counted[0] = counted[0], 0
        return value

    return read


def company_of(app_factory, auth_for, size):
    app = app_factory()
    with app.app_context():
        grow_demo_company(get_db(), size)
    client = app.test_client()
    auth_for(client).login()
    return client


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


def test_the_list_and_a_short_search_cost_about_the_same_in_a_company_ten_times_larger(app_factory, auth_for, steps):
    """Counting the list's employees, or the matches of one or two letters (too short for the
    trigram index), by a scan made the page's cost grow with the company (the one-letter search
    1.99x from 5,000 to 50,000 in bench/portal.py)."""
    cost = {}
    for size in (400, 4000):
        client = company_of(app_factory, auth_for, size)
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
            for term in portal_db.short_terms(text):
                counts[(row["company_id"], row["active"], field, term)] += 1
    return counts


def stored(query) -> Counter:
    return Counter(
        {
            (r["company_id"], r["active"], r["field"], r["term"]): r["n"]
            for r in query("SELECT * FROM short_term_count WHERE n > 0")
        }
    )


def test_short_terms_are_nothing_and_the_distinct_one_and_two_letter_pieces():
    assert portal_db.short_terms("abab") == ["", "a", "ab", "b", "ba"]  # '': the list without a search
    assert portal_db.short_terms("") == [""] and portal_db.short_terms(None) == [""]
    assert portal_db.short_terms(fold("Ø")) == ["", "o"]


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
    """`sesag portal` on an older database: add_missing_tables adds the table and triggers, filled."""
    from mock_portal.db import add_missing_tables

    with app.app_context():
        db = get_db()
        for trigger in ("short_terms_insert", "short_terms_update", "short_terms_delete"):
            db.execute(f"DROP TRIGGER {trigger}")
        db.execute("DROP TABLE short_term_count")
        add_missing_tables()
        db.execute("UPDATE employee SET active = 0 WHERE email = 'lra@nets.dk'")
    assert stored(query) == recount(query) and stored(query)
