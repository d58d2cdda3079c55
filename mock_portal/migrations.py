"""The portal database's versions, in ``PRAGMA user_version``: ``schema.sql`` makes today's
(``VERSION``); ``upgrade`` brings a database an older portal made up to it, one numbered step
at a time, and refuses one a newer portal made.

Databases from before the versions carry 0 and may be in any state the portals of that time
left: each step below is written for that (``IF NOT EXISTS``). A database from before the stored
sort keys cannot be upgraded (``db.employee_keys_missing``: ``sesag portal --reset``).
A new step goes at the end of ``STEPS``, and schema.sql's last line stamps its number.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from mock_portal.keys import count_short_terms


class TooNew(sqlite3.DatabaseError):
    """The database was made by a newer portal than this one."""


def _short_term_counts(db: sqlite3.Connection) -> None:
    """1: how many employees hold each search term of one or two letters (schema.sql's
    short_term_count and its triggers), counted for the employees already there."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'short_term_count'").fetchone():
        return
    _run(db, SHORT_TERM_COUNTS)
    count_short_terms(db, db.execute("SELECT company_id, active, name_fold, email_fold FROM employee"))


def _scope_index(db: sqlite3.Connection) -> None:
    """2: the narrow index a trigram search's count looks its matches up in."""
    db.execute("CREATE INDEX IF NOT EXISTS employee_scope ON employee (id, company_id, active)")


# schema.sql's statements of step 1, as that step added them.
SHORT_TERM_COUNTS = """
CREATE TABLE short_term_count (
  company_id INTEGER NOT NULL,
  active INTEGER NOT NULL,
  field TEXT NOT NULL,  -- 'name' or 'email'
  term TEXT NOT NULL,   -- keys.short_terms()
  n INTEGER NOT NULL,
  PRIMARY KEY (company_id, active, field, term)
) WITHOUT ROWID;
CREATE TRIGGER short_terms_insert AFTER INSERT ON employee BEGIN
  INSERT INTO short_term_count (company_id, active, field, term, n)
    SELECT new.company_id, new.active, field, term, 1 FROM (
      SELECT 'name' AS field, value AS term FROM json_each(short_terms(new.name_fold))
      UNION ALL SELECT 'email', value FROM json_each(short_terms(new.email_fold)))
    WHERE true ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER short_terms_update AFTER UPDATE OF name_fold, email_fold, active, company_id ON employee BEGIN
  UPDATE short_term_count SET n = n - 1 WHERE company_id = old.company_id AND active = old.active
    AND (field, term) IN (SELECT 'name', value FROM json_each(short_terms(old.name_fold))
      UNION ALL SELECT 'email', value FROM json_each(short_terms(old.email_fold)));
  INSERT INTO short_term_count (company_id, active, field, term, n)
    SELECT new.company_id, new.active, field, term, 1 FROM (
      SELECT 'name' AS field, value AS term FROM json_each(short_terms(new.name_fold))
      UNION ALL SELECT 'email', value FROM json_each(short_terms(new.email_fold)))
    WHERE true ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER short_terms_delete AFTER DELETE ON employee BEGIN
  UPDATE short_term_count SET n = n - 1 WHERE company_id = old.company_id AND active = old.active
    AND (field, term) IN (SELECT 'name', value FROM json_each(short_terms(old.name_fold))
      UNION ALL SELECT 'email', value FROM json_each(short_terms(old.email_fold)));
END;
"""


def _run(db: sqlite3.Connection, script: str) -> None:
    """Run ``script`` statement by statement inside the step's transaction (executescript
    would commit it first)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


# Step n brings a database of version n-1 to version n.
STEPS: tuple[Callable[[sqlite3.Connection], None], ...] = (_short_term_counts, _scope_index)
VERSION = len(STEPS)


def upgrade(db: sqlite3.Connection) -> int:
    """Run the steps this database lacks, each in a transaction with its new version; return
    the version it had. TooNew, and nothing changed, for a database of a newer portal."""
    (found,) = db.execute("PRAGMA user_version").fetchone()
    if found > VERSION:
        raise TooNew(
            f"the database is of version {found}, made by a newer portal; this one knows versions up to {VERSION}"
        )
    for number in range(found + 1, VERSION + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            STEPS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")  # a number of ours, not input
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return found
