"""mock_portal.generate: the large demo company (``sesag portal --employees N``): deterministic,
realistic, and its stored keys the same as the triggers would store."""

import hashlib
import os
import subprocess
import sys
import unicodedata

import pytest

from mock_portal import rights as portal_rights
from mock_portal.db import get_db
from mock_portal.generate import GROUPS, grow_demo_company, people
from mock_portal.keys import danish_key, fold, search_keys

SIZE = 3000


def rows(app, sql, *params):
    with app.app_context():
        return [tuple(row) for row in get_db().execute(sql, params).fetchall()]


# The test's demo database with the first company grown to SIZE employees: grown once per
# session, each test gets its own copy (conftest.py's app_factory).
grown = pytest.mark.employees(SIZE)


def snapshot(app):
    return (
        rows(
            app,
            "SELECT id, company_id, name, email, grp, signature, address, active, name_key, name_fold,"
            " email_fold, grp_fold FROM employee ORDER BY id",
        ),
        rows(app, "SELECT employee_id, right_id FROM employee_right ORDER BY 1, 2"),
        rows(app, "SELECT employee_id, at, actor, text FROM event ORDER BY id"),
    )


def test_same_seed_same_rows(app_factory):
    first, second = app_factory(), app_factory()
    with first.app_context():
        grow_demo_company(get_db(), 800)
    first_rows = snapshot(first)
    with second.app_context():
        grow_demo_company(get_db(), 800)
    assert snapshot(second) == first_rows
    assert people(50, "x.dk", set(), seed=1) != people(50, "x.dk", set())


@pytest.mark.parametrize("hash_seed", ["0", "12345"])
def test_same_seed_same_people_in_every_process(hash_seed):
    """Another interpreter with another string-hash seed generates the same people: the two apps
    above share this process, so set or dict order could not show there."""
    script = (
        "import hashlib; from mock_portal.generate import people; "
        "print(hashlib.sha256(repr(people(400, 'x.dk', set())).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    other = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert other.stdout.strip() == hashlib.sha256(repr(people(400, "x.dk", set())).encode()).hexdigest()


def test_growing_in_steps_gives_the_rows_of_growing_at_once(app_factory):
    stepwise, at_once = app_factory(), app_factory()
    with stepwise.app_context():
        assert grow_demo_company(get_db(), 300) > 0
        grow_demo_company(get_db(), 700)
        assert grow_demo_company(get_db(), 700) == 0  # there already: nothing added
    with at_once.app_context():
        grow_demo_company(get_db(), 700)
    assert snapshot(stepwise) == snapshot(at_once)


@grown
def test_the_company_has_the_size_asked_and_the_demo_rows_stay(query):
    assert query("SELECT COUNT(*) AS n FROM employee WHERE company_id = 1")[0]["n"] == SIZE
    assert query("SELECT COUNT(*) AS n FROM employee WHERE company_id = 2")[0]["n"] == 12
    assert query("SELECT name FROM employee WHERE email = 'lra@nets.dk'") == [{"name": "Medlem - Lra"}]


@grown
def test_generated_rows_look_like_a_large_municipality(query):
    generated = query("SELECT id, name, email, grp, active FROM employee WHERE company_id = 1 AND id > 63")
    emails = [row["email"] for row in generated]
    assert len(set(emails)) == len(emails)
    assert len({row["grp"] for row in generated}) > 180 and set(row["grp"] for row in generated) <= set(GROUPS)
    inactive = sum(1 for row in generated if not row["active"]) / len(generated)
    assert 0.07 < inactive < 0.13
    names = [row["name"] for row in generated]
    assert any(set("æøå") & set(name.casefold()) for name in names)
    decomposed = [name for name in names if name != unicodedata.normalize("NFC", name)]
    assert 0 < len(decomposed) < len(names) / 20  # a few, as pasted from other systems
    events = query("SELECT COUNT(*) AS n FROM event WHERE employee_id > 63")[0]["n"]
    assert 1.9 < events / len(generated) < 2.3
    held = {}
    for row in query("SELECT employee_id, right_id FROM employee_right WHERE employee_id > 63"):
        held.setdefault(row["employee_id"], set()).add(row["right_id"])
    assert 0.1 < len(held) / len(generated) < 0.2
    assert any("aes.sagsbehandler" in r for r in held.values()) and any("lbf.laeseadgang" in r for r in held.values())
    for held_rights in held.values():
        portal_rights.validate(held_rights)  # never both Se Sag rights


@grown
def test_bulk_keys_are_the_ones_the_triggers_store(add_employee, query):
    """The generator sets the insert trigger aside: its keys must be what the trigger stores."""
    add_employee("Åse Aagaard Ørum", email="ase@x.dk", group="Økonomi Nord")
    by_trigger = query("SELECT name_key, name_fold, email_fold, grp_fold FROM employee WHERE email = 'ase@x.dk'")[0]
    assert tuple(by_trigger.values()) == search_keys("Åse Aagaard Ørum", "ase@x.dk", "Økonomi Nord")
    for row in query(
        "SELECT name, email, grp, name_key, name_fold, email_fold, grp_fold FROM employee"
        " WHERE id > 63 ORDER BY id LIMIT 500"
    ):
        assert (row["name_key"], row["name_fold"], row["email_fold"], row["grp_fold"]) == search_keys(
            row["name"], row["email"], row["grp"]
        )


@grown
def test_generated_rows_are_in_the_search_index(query):
    """Indexed in one 'rebuild': a trigram search finds exactly what a scan of the names finds."""
    found = query("SELECT rowid FROM employee_search WHERE employee_search MATCH 'name_fold : \"jorgen\"'")
    expected = query("SELECT id FROM employee WHERE instr(name_fold, 'jorgen') > 0")
    assert sorted(r["rowid"] for r in found) == sorted(r["id"] for r in expected) and expected


@grown
def test_generated_names_sort_in_danish_order(query):
    listed = [row["name"] for row in query("SELECT name FROM employee WHERE company_id = 1 ORDER BY name_key, id")]
    assert listed == sorted(listed, key=danish_key)
    keys = [danish_key(name) for name in listed]
    # Æ, Ø, Å (and names spelt with Aa) after Z.
    first_after_z = next(i for i, key in enumerate(keys) if key[0] > "z")
    assert all(fold(name)[0] in "aeo" for name in listed[first_after_z:])
    assert any(name.startswith("Aage") for name in listed[first_after_z:])


@grown
def test_accent_insensitive_search_on_generated_names(query):
    """ASCII spellings find the Danish letters, decomposed or not."""
    names = [row["name"] for row in query("SELECT name FROM employee WHERE company_id = 1")]
    for typed in ("aashild", "ASHILD", "sorine", "SØRINE", "kjaergaard", unicodedata.normalize("NFD", "Åkjær")):
        expected = sorted(n for n in names if fold(typed) in fold(n))
        found = query(
            "SELECT name FROM employee WHERE company_id = 1 AND id IN"
            " (SELECT rowid FROM employee_search WHERE employee_search MATCH ?)",
            f'name_fold : "{fold(typed)}"',
        )
        assert sorted(r["name"] for r in found) == expected, typed
