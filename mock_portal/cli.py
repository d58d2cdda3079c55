"""``sesag portal``: serve the mock portal with waitress (a real WSGI server)."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import click
import waitress

from mock_portal import create_app, migrations
from mock_portal.db import (
    check_writable,
    database_is_empty,
    employee_keys_missing,
    get_db,
    reset_demo_database,
    unlock_user,
)
from mock_portal.generate import grow_demo_company


def _stop(message: str):
    """One line on stderr and exit 2: a start-up problem the user fixes (no traceback)."""
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(2)


def _check_port(host: str, port: int) -> None:
    """Stop unless ``host:port`` is a port this server can listen on (before printing its URL)."""
    if not 1 <= port <= 65535:
        _stop(f"--port {port} is not a port number (1-65535).")
    try:
        with socket.create_server((host, port)):  # SO_REUSEADDR, as waitress binds
            pass
    except OSError as error:
        _stop(f"cannot listen on {host}:{port}: {error.strerror or error} (is another server running there?)")


def _make_database_folder(database: Path) -> None:
    """Make ``--db``'s folder, or stop with one line when the path cannot hold a database file."""
    if database.is_dir():
        _stop(
            f"--db {database} is a folder, not a file: give the SQLite file's path, e.g. {database / 'portal.sqlite'}."
        )
    existing = next(folder for folder in database.absolute().parents if folder.exists())
    if not existing.is_dir():
        _stop(f"--db {database}: {existing} is a file, not a folder.")
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _stop(f"--db {database}: cannot make the folder {database.parent}: {error.strerror or error}.")


@click.command("portal")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--db", "database", type=click.Path(path_type=Path), help="SQLite file (default: the Flask instance folder)."
)
@click.option("--unlock", metavar="BRUGER_ID", help="Unlock a user locked after five wrong tries, then exit.")
@click.option("--reset", is_flag=True, help="Recreate the database with fresh demo data before serving.")
@click.option("--training", is_flag=True, help="Training mode: a hint panel for trainees, a sandbox each.")
@click.option(
    "--employees",
    type=click.IntRange(min=1, max=1_000_000),
    metavar="N",
    help="Grow the demo company to N employees (generated from a seed; --db keeps them).",
)
@click.option("--no-demo-key", is_flag=True, help="Do not show the demo key on the key-card page.")
def portal_command(host, port, database, unlock, reset, training, employees, no_demo_key):
    """Serve the mock NemID selvbetjening portal (medarbejdersignatur.dk).

    Creates and seeds the SQLite database when it does not exist, prints the URL and the demo
    log-in, and serves until Ctrl-C.

    \b
    Exit codes:
      0  served until Ctrl-C, or --unlock done
      1  --unlock: no user with that bruger-id
      2  cannot start: a port in use or not a port, a --db that cannot be used
    """
    config = {"DEMO_MODE": not no_demo_key, "TRAINING": training, "WAL": True}
    if database:
        _make_database_folder(database)
        config["DATABASE"] = str(database)
    app = create_app(config)
    if not unlock:
        _check_port(host, port)
    with app.app_context():
        try:  # a corrupt or unwritable database stops here, not on a visitor's first log-in
            if reset or not Path(app.config["DATABASE"]).exists() or database_is_empty():
                reset_demo_database()
                click.echo(f"Created the demo database {app.config['DATABASE']}")
            if employee_keys_missing():
                _stop(
                    f"{app.config['DATABASE']} was made by an older version of the portal: "
                    "recreate it with --reset (its changes are lost)."
                )
            migrations.upgrade(get_db())
            check_writable()
            # Write-ahead log: many administrators at once (readers do not wait for a save); kept in the file.
            get_db().execute("PRAGMA journal_mode = WAL")
            if employees:
                added = grow_demo_company(get_db(), employees)
                click.echo(
                    f"Added {added} generated employees to the demo company."
                    if added
                    else f"The demo company has {employees} employees or more already."
                )
        except sqlite3.Error as error:
            _stop(f"the database {app.config['DATABASE']} cannot be used: {error}")
        if unlock:
            if not unlock_user(unlock):
                raise click.ClickException(f"No user with bruger-id {unlock!r}.")
            click.echo(f"Unlocked {unlock}.")
            return
    click.echo(f"Mock NemID selvbetjening: http://{host}:{port}/")
    hint = " (the key-card page shows the demo key)" if not no_demo_key else ""
    click.echo(f"Demo log-in: bruger-id admin, adgangskode nemid-demo{hint}")
    if training:
        click.echo("Training mode: each trainee gets a sandbox of their own.")
        click.echo(f"Trainer overview: http://{host}:{port}/oevelse/oversigt (code {app.config['TRAINER_CODE']})")
    # Four threads: the portal is CPU-bound under one interpreter lock, and more threads only
    # contend for it (20 administrators saving at once did worse with 8: bench/portal.py).
    waitress.serve(app, host=host, port=port, threads=4, ident="mock-portal")
