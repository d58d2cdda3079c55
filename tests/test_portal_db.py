"""mock_portal.db (and schema.sql): the clock, search folding and Danish order, the flask commands
(init-db, seed-demo, unlock-user), the bench helper, the append-only event table."""
import sqlite3

import pytest

from mock_portal.db import danish_key, fold, get_db, now


def count(app, sql, *params):
    with app.app_context():
        return get_db().execute(sql, params).fetchone()[0]


def test_init_db_empties_the_tables(runner, app):
    assert count(app, "SELECT COUNT(*) FROM employee") > 0
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Initialised" in result.output
    for table in ("company", "admin", "keycard", "employee", "employee_right", "event"):
        assert count(app, f"SELECT COUNT(*) FROM {table}") == 0, table


def test_seed_demo_restores_the_demo_data(runner, app):
    runner.invoke(args=["init-db"])
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "admin" in result.output
    assert "nemid-demo2" not in result.output  # only the documented demo log-in is printed
    assert count(app, "SELECT COUNT(*) FROM company") == 2
    assert count(app, "SELECT COUNT(*) FROM employee WHERE company_id = 1") >= 47
    assert count(app, "SELECT COUNT(*) FROM employee WHERE email = 'lra@nets.dk'") == 1
    assert count(app, "SELECT COUNT(*) FROM admin WHERE password_hash LIKE 'pbkdf2:%'") == 2
    assert count(app, "SELECT COUNT(*) FROM admin WHERE password_hash LIKE '%nemid-demo%'") == 0


def test_seeding_twice_gives_the_same_data(runner, app):
    def snapshot():
        with app.app_context():
            rows = get_db().execute("SELECT id, name, email, grp, active FROM employee ORDER BY id")
            return [tuple(r) for r in rows]

    runner.invoke(args=["seed-demo"])
    first = snapshot()
    runner.invoke(args=["seed-demo"])
    assert snapshot() == first


def test_seed_demo_undoes_changes(runner, app):
    with app.app_context():
        get_db().execute("UPDATE employee SET active = 0")
    runner.invoke(args=["seed-demo"])
    assert count(app, "SELECT COUNT(*) FROM employee WHERE email = 'lra@nets.dk' AND active = 1") == 1


def test_unlock_user_clears_lock_and_count(runner, app):
    with app.app_context():
        get_db().execute("UPDATE admin SET locked = 1, failed_attempts = 5 WHERE user_id = 'admin'")
    result = runner.invoke(args=["unlock-user", "admin"])
    assert result.exit_code == 0 and "Unlocked admin" in result.output
    assert count(app, "SELECT locked + failed_attempts FROM admin WHERE user_id = 'admin'") == 0


def test_unlock_user_leaves_other_users_alone(runner, app):
    with app.app_context():
        get_db().execute("UPDATE admin SET locked = 1, failed_attempts = 5")
    runner.invoke(args=["unlock-user", "admin"])
    assert count(app, "SELECT locked FROM admin WHERE user_id = 'admin2'") == 1


def test_unlock_unknown_user_fails_clearly(runner, app):
    result = runner.invoke(args=["unlock-user", "ingen"])
    assert result.exit_code != 0 and "ingen" in result.output


def test_fixed_now_is_the_clock(app):
    with app.app_context():
        assert now().isoformat() == "2026-01-15T10:00:00+01:00"


def test_real_clock_without_fixed_now(app):
    app.config["FIXED_NOW"] = None
    with app.app_context():
        assert now().tzinfo is not None and now().year >= 2024


def test_fold_and_danish_order():
    assert fold("SØREN Kjærgård") == fold("soren kjaergaard") == "soren kjaergaard"
    assert fold("Élise") == "elise"
    assert sorted(["Åge", "Zack", "Ægir", "Østen", "anna"], key=danish_key) == ["anna", "Zack", "Ægir", "Østen", "Åge"]


@pytest.mark.parametrize("typed, stored", [
    ("SØREN", "Søren"), ("søren", "Søren"), ("soren", "Søren"),
    ("moller", "Møller"), ("MØLLER", "Møller"),
    ("ae", "æ"), ("Æ", "ae"), ("laerke", "Lærke"),
    ("aa", "å"), ("Aagaard", "Ågård"), ("elise", "Élise"),
])
def test_fold_makes_danish_spellings_meet(typed, stored):
    assert fold(typed) == fold(stored)


def test_fold_keeps_different_names_apart():
    assert fold("Hansen") != fold("Jensen")
    assert fold("Mette") != fold("Mads")


@pytest.mark.parametrize("empty", [None, ""])
def test_fold_of_nothing(empty):
    assert fold(empty) == ""


def test_search_function_is_registered_in_sqlite(app):
    with app.app_context():
        assert get_db().execute("SELECT fold('Ærbø')").fetchone()[0] == "aerbo"


def test_events_are_append_only(app, query):
    assert query("SELECT COUNT(*) AS n FROM event")[0]["n"] > 0  # the seed's events: the triggers have rows to refuse
    with app.app_context():
        db = get_db()
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE event SET text = 'rettet'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM event")
    assert query("SELECT COUNT(*) AS n FROM event WHERE text = 'rettet'")[0]["n"] == 0
