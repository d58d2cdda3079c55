"""``sesag portal`` (mock_portal.cli): --unlock with --db, without ever starting the server."""
import sqlite3

import pytest
from click.testing import CliRunner

from mock_portal.cli import portal_command


@pytest.fixture
def no_server(monkeypatch, tmp_path):
    """Fail if the command would serve; keep its instance folder (secret key) out of the repo."""
    def serve(*args, **kwargs):
        raise AssertionError("sesag portal --unlock must not start the server")

    monkeypatch.setattr("waitress.serve", serve)
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    monkeypatch.delenv("SESAG_SECRET_KEY", raising=False)


def locked_state(database, user="admin"):
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT locked, failed_attempts FROM admin WHERE user_id = ?", (user,)).fetchone()


def test_unlock_creates_and_seeds_a_missing_database(tmp_path, no_server):
    database = tmp_path / "new" / "portal.sqlite"
    result = CliRunner().invoke(portal_command, ["--db", str(database), "--unlock", "admin"])
    assert result.exit_code == 0, result.output
    assert "Unlocked admin" in result.output
    assert locked_state(database) == (0, 0)


def test_unlock_a_locked_user(tmp_path, no_server):
    database = tmp_path / "portal.sqlite"
    CliRunner().invoke(portal_command, ["--db", str(database), "--unlock", "admin2"])
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE admin SET locked = 1, failed_attempts = 5")
    result = CliRunner().invoke(portal_command, ["--db", str(database), "--unlock", "admin"])
    assert result.exit_code == 0, result.output
    assert locked_state(database, "admin") == (0, 0)
    assert locked_state(database, "admin2") == (1, 5)  # only the one named
    with sqlite3.connect(database) as conn:  # the existing data was kept, not re-seeded
        assert conn.execute("SELECT COUNT(*) FROM admin WHERE locked = 1").fetchone()[0] == 1


def test_unlock_unknown_user_fails(tmp_path, no_server):
    database = tmp_path / "portal.sqlite"
    result = CliRunner().invoke(portal_command, ["--db", str(database), "--unlock", "ingen"])
    assert result.exit_code != 0
    assert "ingen" in result.output


def test_unlock_writes_the_secret_key_to_the_instance_folder_only(tmp_path, no_server):
    database = tmp_path / "portal.sqlite"
    CliRunner().invoke(portal_command, ["--db", str(database), "--unlock", "admin"])
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists() and key_file.stat().st_mode & 0o077 == 0
