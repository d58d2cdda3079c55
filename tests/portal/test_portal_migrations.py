"""mock_portal.migrations: a database made by an older portal is upgraded, step by step, to
today's schema (PRAGMA user_version says which it is); today's is left alone; a newer is refused."""

from __future__ import annotations

import pytest

from mock_portal import migrations
from mock_portal.db import get_db

# The states older portals left a database in (none of them versioned: user_version 0). Before the
# stored sort keys a database cannot be upgraded (`sesag portal --reset`: db.employee_keys_missing).
OLDER = {
    "before the short-term counts (5237dca)": [
        "DROP TRIGGER short_terms_insert",
        "DROP TRIGGER short_terms_update",
        "DROP TRIGGER short_terms_delete",
        "DROP TABLE short_term_count",
        "DROP INDEX employee_scope",
    ],
    "before the scope index (168b21c)": ["DROP INDEX employee_scope"],
    "today's schema, unversioned (2df0ec9)": [],
}


def schema(db) -> set[tuple[str, str, str]]:
    """Every table, index and trigger, as its CREATE statement: a step's SQL is schema.sql's."""
    return {tuple(row) for row in db.execute("SELECT type, name, sql FROM sqlite_master")}


def counts(db) -> list[tuple]:
    return [tuple(row) for row in db.execute("SELECT * FROM short_term_count WHERE n > 0 ORDER BY 1, 2, 3, 4")]


@pytest.mark.parametrize("older", OLDER)
def test_an_older_database_is_upgraded_to_todays_schema(app, older):
    with app.app_context():
        db = get_db()
        today, today_counts = schema(db), counts(db)
        assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.VERSION
        for statement in OLDER[older]:
            db.execute(statement)
        db.execute("PRAGMA user_version = 0")
        migrations.upgrade(db)
        assert schema(db) == today
        assert counts(db) == today_counts and today_counts  # filled as the triggers would have
        assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.VERSION


def test_todays_database_is_left_as_it_is(app):
    with app.app_context():
        db = get_db()
        run = []
        db.set_trace_callback(run.append)
        try:
            migrations.upgrade(db)
        finally:
            db.set_trace_callback(None)
    assert run == ["PRAGMA user_version"]


def test_a_database_newer_than_the_portal_is_refused_and_left_as_it_is(app):
    with app.app_context():
        db = get_db()
        db.execute(f"PRAGMA user_version = {migrations.VERSION + 1}")
        before = schema(db)
        with pytest.raises(migrations.TooNew) as refused:
            migrations.upgrade(db)
        assert schema(db) == before
        assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.VERSION + 1
    assert f"version {migrations.VERSION + 1}" in str(refused.value)
    assert f"up to {migrations.VERSION}" in str(refused.value)


def test_each_step_is_numbered_once():
    assert migrations.VERSION == len(migrations.STEPS) >= 2
