"""mock_portal.db (and schema.sql): the clock, the search keys stored by the triggers, the flask commands
(init-db, seed-demo, unlock-user), the bench helper, the append-only event table."""

import sqlite3

import pytest

from mock_portal.clock import now
from mock_portal.db import get_db
from mock_portal.keys import search_keys


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


# --- the stored sort and search keys (schema.sql's triggers) ---------------------------------


def keys(query, email):
    row = query("SELECT name_key, name_fold, email_fold, grp_fold FROM employee WHERE email = ?", email)[0]
    return tuple(row.values())


def search(query, phrase):
    return [
        r["name"]
        for r in query(
            "SELECT name FROM employee WHERE id IN (SELECT rowid FROM employee_search WHERE employee_search MATCH ?)",
            phrase,
        )
    ]


def test_a_new_employee_gets_its_keys_and_is_searchable(add_employee, query):
    add_employee("Søren Kjærgård", email="SK@Example.dk", group="Økonomi")
    assert keys(query, "SK@Example.dk") == search_keys("Søren Kjærgård", "SK@Example.dk", "Økonomi")
    assert keys(query, "SK@Example.dk") == ("s|ren kj{rg}rd", "soren kjaergaard", "sk@example.dk", "okonomi")
    assert search(query, 'name_fold : "kjaergaard"') == ["Søren Kjærgård"]


def test_keys_follow_an_edit_of_name_email_and_group(app, add_employee, query):
    add_employee("Søren Kjærgård", email="sk@example.dk", group="Jura")
    with app.app_context():
        get_db().execute(
            "UPDATE employee SET name = 'Åse Ærbø', email = 'aase@example.dk', grp = 'Økonomi'"
            " WHERE email = 'sk@example.dk'"
        )
    assert keys(query, "aase@example.dk") == search_keys("Åse Ærbø", "aase@example.dk", "Økonomi")
    assert search(query, 'name_fold : "aerbo"') == ["Åse Ærbø"] * 2  # the demo's Åse Ærbø and this one
    assert search(query, 'name_fold : "kjaergaard"') == []  # the old name is gone from the index
    assert search(query, 'email_fold : "sk@example"') == []


def test_a_deleted_employee_leaves_the_search_index(app, add_employee, query):
    add_employee("Søren Kjærgård", email="sk@example.dk")
    with app.app_context():
        get_db().execute("DELETE FROM employee WHERE email = 'sk@example.dk'")
    assert search(query, 'name_fold : "kjaergaard"') == []


def test_a_connection_without_the_functions_cannot_store_a_wrong_key(app):
    """Writing a name, or a status (the short-term counts), needs the portal's functions
    (register_functions); other writes do not."""
    with sqlite3.connect(app.config["DATABASE"]) as raw:
        raw.execute("UPDATE employee SET rights_version = rights_version + 1 WHERE email = 'lra@nets.dk'")
        with pytest.raises(sqlite3.OperationalError, match="fold|danish_key"):
            raw.execute("UPDATE employee SET name = 'Ny' WHERE email = 'lra@nets.dk'")
        with pytest.raises(sqlite3.OperationalError, match="short_terms"):
            raw.execute("UPDATE employee SET active = 0 WHERE email = 'lra@nets.dk'")


@pytest.fixture
def wal_app(app_factory):
    """A portal as `sesag portal` runs it: WAL, one kept connection per server thread."""
    app = app_factory(WAL=True)
    with app.app_context():
        get_db().execute("PRAGMA journal_mode = WAL")
    return app


def test_a_server_thread_keeps_one_connection(wal_app, monkeypatch):
    import threading

    from mock_portal import db as portal_db

    opened = []
    connect = portal_db._connect
    monkeypatch.setattr(portal_db, "_connect", lambda path: opened.append(path) or connect(path))

    def serve_pages():
        for _ in range(5):
            with wal_app.app_context():
                get_db().execute("SELECT COUNT(*) FROM employee").fetchone()

    for _ in range(2):
        thread = threading.Thread(target=serve_pages)
        thread.start()
        thread.join()
    assert len(opened) == 2  # one per thread, not one per request


def test_a_kept_connection_sees_other_threads_saves_and_keeps_no_transaction(wal_app):
    import threading

    def read_name():
        with wal_app.app_context():
            return get_db().execute("SELECT name FROM employee WHERE email = 'lra@nets.dk'").fetchone()[0]

    def rename(to):
        with wal_app.app_context():
            get_db().execute("UPDATE employee SET name = ? WHERE email = 'lra@nets.dk'", (to,))

    before = read_name()
    for name in ("Ny Navnesen", "Anden Navnesen"):
        thread = threading.Thread(target=rename, args=(name,))
        thread.start()
        thread.join()
        assert read_name() == name != before
    with pytest.raises(RuntimeError), wal_app.app_context():
        get_db().execute("BEGIN IMMEDIATE")
        raise RuntimeError("the request failed halfway")
    with wal_app.app_context():
        assert not get_db().in_transaction  # rolled back when the request ended
