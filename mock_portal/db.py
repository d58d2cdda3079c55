"""SQLite on ``g``, the schema, and the ``init-db``, ``seed-demo`` and ``unlock-user`` commands."""
from __future__ import annotations

import sqlite3
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app, g
from werkzeug.security import generate_password_hash

from mock_portal import demo_data

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form for search: 'SØREN' and 'soren' both give 'soren'.

    Danish letters fold as a Dane types them without a Danish keyboard: æ→ae, ø→o, å→aa,
    other accents are dropped (é→e).
    """
    if not text:
        return ""
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def now() -> datetime:
    """The portal's clock: FIXED_NOW when configured (reproducible screenshots), else real time."""
    fixed = current_app.config.get("FIXED_NOW")
    if fixed:
        moment = datetime.fromisoformat(fixed)
        return moment if moment.tzinfo else moment.replace(tzinfo=COPENHAGEN)
    return datetime.now(COPENHAGEN)


def get_db() -> sqlite3.Connection:
    """The request's connection (opened on first use)."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"], timeout=10, isolation_level=None)
        g.db.row_factory = sqlite3.Row
        g.db.execute("PRAGMA foreign_keys = ON")
        g.db.create_function("fold", 1, fold, deterministic=True)
    return g.db


def close_db(e=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db() -> None:
    """Create empty tables (dropping any that exist)."""
    db = get_db()
    with current_app.open_resource("schema.sql") as schema:
        db.executescript(schema.read().decode("utf8"))


def seed_demo() -> None:
    """Fill the tables with the deterministic demo companies."""
    db = get_db()
    at = now().isoformat(timespec="seconds")
    db.execute("BEGIN")
    for company in demo_data.companies():
        company_id = db.execute(
            "INSERT INTO company (cvr, name, email, address, postbox, postcode, city) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (company.cvr, company.name, company.email, company.address, company.postbox, company.postcode, company.city),
        ).lastrowid
        admin = company.admin
        admin_id = db.execute(
            "INSERT INTO admin (company_id, user_id, password_hash, name, email, phone) VALUES (?, ?, ?, ?, ?, ?)",
            (company_id, admin.user_id, generate_password_hash(admin.password, method="pbkdf2:sha256:60000"),
             admin.name, admin.email, admin.phone),
        ).lastrowid
        db.executemany(
            "INSERT INTO keycard (admin_id, code, key) VALUES (?, ?, ?)",
            [(admin_id, code, key) for code, key in demo_data.keycard(admin.user_id).items()],
        )
        for person in company.employees:
            employee_id = db.execute(
                "INSERT INTO employee (company_id, name, email, grp, signature, address, is_admin, active)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (company_id, person.name, person.email, person.group, person.signature, person.address,
                 int(person.is_admin), int(person.active)),
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


def unlock_user(user_id: str) -> bool:
    """Unlock a log-in after five wrong tries; False when there is no such user."""
    cursor = get_db().execute("UPDATE admin SET locked = 0, failed_attempts = 0 WHERE user_id = ?", (user_id,))
    return cursor.rowcount == 1


@click.command("init-db")
def init_db_command():
    """Clear the existing data and create new tables."""
    init_db()
    click.echo("Initialised the database.")


@click.command("seed-demo")
def seed_demo_command():
    """Create the tables and fill them with the demo companies."""
    reset_demo_database()
    click.echo("Seeded the demo data (log-in: admin / nemid-demo).")


@click.command("unlock-user")
@click.argument("user_id")
def unlock_user_command(user_id):
    """Unlock USER_ID after five wrong log-in tries."""
    if not unlock_user(user_id):
        raise click.ClickException(f"No user with bruger-id {user_id!r}.")
    click.echo(f"Unlocked {user_id}.")


def init_app(app) -> None:
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(unlock_user_command)
