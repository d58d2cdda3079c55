"""mock_portal.db: the flask commands (init-db, seed-demo, unlock-user) and search folding."""
import pytest

from mock_portal.db import fold, get_db


def count(app, sql, *params):
    with app.app_context():
        return get_db().execute(sql, params).fetchone()[0]


def test_init_db_empties_the_tables(runner, app):
    assert count(app, "SELECT COUNT(*) FROM employee") > 0
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    for table in ("company", "admin", "keycard", "employee", "employee_right", "event"):
        assert count(app, f"SELECT COUNT(*) FROM {table}") == 0, table


def test_seed_demo_restores_the_demo_data(runner, app):
    runner.invoke(args=["init-db"])
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "admin" in result.output
    assert "nemid-demo2" not in result.output  # only the documented demo log-in is printed
    assert count(app, "SELECT COUNT(*) FROM company") == 2
    assert count(app, "SELECT COUNT(*) FROM employee WHERE company_id = 1") >= 47
    assert count(app, "SELECT COUNT(*) FROM admin WHERE password_hash LIKE 'pbkdf2:%'") == 2
    assert count(app, "SELECT COUNT(*) FROM admin WHERE password_hash LIKE '%nemid-demo%'") == 0


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
