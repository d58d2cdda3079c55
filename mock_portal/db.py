"""SQLite on ``g``, the schema, and the ``init-db``, ``seed-demo`` and ``unlock-user`` commands."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app, g
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from mock_portal import demo_data
from mock_portal.clock import now, stamp
from mock_portal.keys import danish_key, fold, short_terms

# How the portal stores passwords (also for the unknown-user decoy in auth, so both cost the same).
PASSWORD_HASH_METHOD = "pbkdf2:sha256:60000"


def database_path() -> str:
    """This context's SQLite file: ``g.database_path``, a trainee's sandbox, or DATABASE.

    Training mode (mock_portal.training) registers ``app.extensions["sesag.database_path"]``, a callable
    that returns the sandbox file of the request's trainee, or None.
    """
    if g.get("database_path"):
        return g.database_path
    choose = current_app.extensions.get("sesag.database_path")
    return (choose() if choose else None) or current_app.config["DATABASE"]


def get_db() -> sqlite3.Connection:
    """The request's connection (opened on first use).

    ``sesag portal``'s own database (WAL) keeps one connection per server thread from request to
    request: closing the last connection to a WAL database checkpoints it, which cost more than
    the whole rest of a page, and opening one sets it up again.
    """
    if "db" not in g:
        path = database_path()
        if current_app.config["WAL"] and path == current_app.config["DATABASE"]:
            kept = getattr(_KEPT, "connections", None)
            if kept is None:
                kept = _KEPT.connections = {}
            if path not in kept:
                kept[path] = _connect(path)
                # WAL: readers never wait for a save, a save never syncs
                kept[path].execute("PRAGMA synchronous = NORMAL")
            g.db, g.db_kept = kept[path], True
        else:
            g.db, g.db_kept = _connect(path), False
    return g.db


_KEPT = threading.local()  # this thread's kept connections, by path


def _connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    register_functions(db)
    # Installed once, for bounded_work(); outside it the handler only returns.
    db.set_progress_handler(_over_budget, PROGRESS_STEPS)
    return db


# SQLite calls the progress handler every PROGRESS_STEPS virtual-machine instructions; inside
# FTS5 (which reads its index with statements of its own) that is every few milliseconds.
PROGRESS_STEPS = 1000
_BUDGET = threading.local()  # this thread's bounded_work: the CPU time to stop at


class TooMuchWork(Exception):
    """A statement inside bounded_work() used more than its CPU time, and SQLite stopped it."""


def _over_budget() -> int:
    stop_at = getattr(_BUDGET, "stop_at", None)
    if stop_at is None or time.thread_time() <= stop_at:
        return 0
    _BUDGET.stopped = True
    return 1  # non-zero: SQLite ends the statement ("interrupted")


@contextmanager
def bounded_work(cpu_seconds: float) -> Iterator[None]:
    """Within the block, this thread's statements stop once they have used ``cpu_seconds`` of
    the thread's CPU time between them; then TooMuchWork is raised.

    CPU time, not wall-clock time: a portal slowed by other requests does not stop a search that
    would be cheap alone, and the bound is the same on a busy machine as on a quiet one.
    """
    _BUDGET.stop_at, _BUDGET.stopped = time.thread_time() + cpu_seconds, False
    try:
        yield
    except sqlite3.OperationalError as error:
        if _BUDGET.stopped:
            raise TooMuchWork(str(error)) from error
        raise
    finally:
        _BUDGET.stop_at = None


def register_functions(db: sqlite3.Connection) -> None:
    """The Python functions schema.sql's stored search and order columns are computed with."""
    db.create_function("fold", 1, fold, deterministic=True)
    db.create_function("danish_key", 1, danish_key, deterministic=True)
    db.create_function("short_terms", 1, lambda text: json.dumps(short_terms(text)), deterministic=True)


# This process's writers queue here (before BEGIN IMMEDIATE, and around every write outside a
# transaction): SQLite's own wait for a busy database polls, sleeping longer between tries; a lock
# hands over to the next writer at once. Reentrant: a write inside write_transaction is fine.
_WRITERS = threading.RLock()


def write(sql: str, params: tuple = ()) -> sqlite3.Row | None:
    """One write statement on its own (committed at once), queued with this process's other
    writers; its first row (a RETURNING clause), or None."""
    with _WRITERS:
        cursor = get_db().execute(sql, params)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()  # the statement ends (and commits) before the next writer's turn


@contextmanager
def write_transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: checks and writes inside it are one step; committed at the end,
    rolled back on an exception."""
    with _WRITERS:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if db.in_transaction:  # SQLite ends it itself after some errors (I/O)
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def close_db(e=None) -> None:
    db = g.pop("db", None)
    if db is None:
        return
    if g.pop("db_kept", False):
        if db.in_transaction:  # never hand a half transaction to the thread's next request
            db.execute("ROLLBACK")
    else:
        db.close()


def init_db() -> None:
    """Create empty tables (dropping any that exist)."""
    db = get_db()
    with current_app.open_resource("schema.sql") as schema:
        db.executescript(schema.read().decode("utf8"))


def seed_demo() -> None:
    """Fill the tables with the deterministic demo companies."""
    db = get_db()
    at = stamp(now())
    db.execute("BEGIN")
    for company in demo_data.companies():
        company_id = db.execute(
            "INSERT INTO company (cvr, name, email, address, postbox, postcode, city) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                company.cvr,
                company.name,
                company.email,
                company.address,
                company.postbox,
                company.postcode,
                company.city,
            ),
        ).lastrowid
        admin = company.admin
        admin_id = db.execute(
            "INSERT INTO admin (company_id, user_id, password_hash, name, email, phone) VALUES (?, ?, ?, ?, ?, ?)",
            (
                company_id,
                admin.user_id,
                generate_password_hash(admin.password, method=PASSWORD_HASH_METHOD),
                admin.name,
                admin.email,
                admin.phone,
            ),
        ).lastrowid
        db.executemany(
            "INSERT INTO keycard (admin_id, code, key) VALUES (?, ?, ?)",
            [(admin_id, code, key) for code, key in demo_data.keycard(admin.user_id).items()],
        )
        for person in company.employees:
            employee_id = db.execute(
                "INSERT INTO employee (company_id, name, email, grp, signature, address, is_admin, active)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    company_id,
                    person.name,
                    person.email,
                    person.group,
                    person.signature,
                    person.address,
                    int(person.is_admin),
                    int(person.active),
                ),
            ).lastrowid
            for right in person.rights:
                db.execute("INSERT INTO employee_right (employee_id, right_id) VALUES (?, ?)", (employee_id, right))
            db.execute(
                "INSERT INTO event (company_id, employee_id, at, actor, text) VALUES (?, ?, ?, ?, ?)",
                (company_id, employee_id, at, "Nets DanID", "Medarbejdersignatur oprettet"),
            )
    db.execute("COMMIT")


def reset_demo_database() -> None:
    """Drop everything and seed the demo data again (tests, the guide, training)."""
    init_db()
    seed_demo()


def database_is_empty() -> bool:
    row = get_db().execute("SELECT name FROM sqlite_master WHERE type='table' AND name='company'").fetchone()
    return row is None


def employee_keys_missing() -> bool:
    """True for a database made before the stored sort and search keys (recreate it: --reset)."""
    columns = {row["name"] for row in get_db().execute("PRAGMA table_info(employee)")}
    return "name_key" not in columns


def unlock_user(user_id: str) -> bool:
    """Unlock a log-in after five wrong tries; False when there is no such user."""
    cursor = get_db().execute("UPDATE admin SET locked = 0, failed_attempts = 0 WHERE user_id = ?", (user_id,))
    return cursor.rowcount == 1


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Clear the existing data and create new tables."""
    init_db()
    click.echo("Initialised the database.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the tables and fill them with the demo companies."""
    reset_demo_database()
    click.echo("Seeded the demo data (log-in: admin / nemid-demo).")


@click.command("unlock-user")
@click.argument("user_id")
@with_appcontext
def unlock_user_command(user_id):
    """Unlock USER_ID after five wrong log-in tries."""
    if database_is_empty():
        raise click.ClickException("The database has no tables yet: run `flask --app mock_portal seed-demo` first.")
    if not unlock_user(user_id):
        raise click.ClickException(f"No user with bruger-id {user_id!r}.")
    click.echo(f"Unlocked {user_id}.")


def init_app(app) -> None:
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(unlock_user_command)


# --- security: server-side sessions, spent keys, start-up checks ------------------------------
# The session rows go through get_db(), so in training mode a trainee's session lives in the
# trainee's sandbox: a sandbox that disappears takes its sessions with it.


def check_writable() -> None:
    """Raise sqlite3.Error unless the database is readable, sound and can be written."""
    db = get_db()
    db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    db.execute("BEGIN IMMEDIATE")
    try:  # a real write (rolled back): SQLite writes its journal only then
        db.execute("CREATE TABLE sesag_write_check (x)")
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")


def load_session(key: str, idle: float, longest: float) -> sqlite3.Row | None:
    """The open session ``key``; one idle longer than ``idle`` or older than ``longest`` seconds ends now."""
    row = get_db().execute("SELECT * FROM web_session WHERE id = ? AND ended IS NULL", (key,)).fetchone()
    if row is None:
        return None
    moment = time.time()
    if moment - row["last_seen"] > idle or moment - row["created"] > longest:
        end_session(key)
        return None
    return row


def create_session(key: str, admin_id: int | None, data: str, longest: float) -> None:
    moment = time.time()
    write("DELETE FROM web_session WHERE last_seen < ?", (moment - longest,))  # nothing lives longer
    write(
        "INSERT INTO web_session (id, admin_id, created, last_seen, data) VALUES (?, ?, ?, ?, ?)",
        (key, admin_id, moment, moment, data),
    )


def update_session(key: str, admin_id: int | None, data: str) -> None:
    write(
        "UPDATE web_session SET admin_id = ?, data = ?, last_seen = ? WHERE id = ? AND ended IS NULL",
        (admin_id, data, time.time(), key),
    )


def touch_session(key: str, every: float = 60) -> None:
    """Note the visit (at most one write a minute: the idle time-out counts minutes)."""
    moment = time.time()
    write("UPDATE web_session SET last_seen = ? WHERE id = ? AND last_seen < ?", (moment, key, moment - every))


def end_session(key: str) -> None:
    write("UPDATE web_session SET ended = ? WHERE id = ? AND ended IS NULL", (time.time(), key))


def end_admin_sessions(admin_id: int) -> None:
    """End every open session of an administrator (the user was locked)."""
    write("UPDATE web_session SET ended = ? WHERE admin_id = ? AND ended IS NULL", (time.time(), admin_id))


def unspent_codes(admin_id: int) -> list[str]:
    """The key card's codes whose key is not used yet; a used-up card is renewed (NemID sent a new one)."""
    db = get_db()
    query = (
        "SELECT code FROM keycard WHERE admin_id = ? AND code NOT IN"
        " (SELECT code FROM keycard_spent WHERE admin_id = ?) ORDER BY code"
    )
    codes = [row["code"] for row in db.execute(query, (admin_id, admin_id))]
    if not codes:
        db.execute("DELETE FROM keycard_spent WHERE admin_id = ?", (admin_id,))
        codes = [row["code"] for row in db.execute(query, (admin_id, admin_id))]
    return codes


def spend_key(admin_id: int, code: str) -> bool:
    """Use the key of ``code`` and clear the failure count, in one transaction; False when it was used already."""
    db = get_db()
    with write_transaction(db):
        spent = (
            db.execute(
                "INSERT OR IGNORE INTO keycard_spent (admin_id, code, spent) VALUES (?, ?, ?)",
                (admin_id, code, time.time()),
            ).rowcount
            == 1
        )
        if spent:
            db.execute("UPDATE admin SET failed_attempts = 0 WHERE id = ?", (admin_id,))
    return spent
