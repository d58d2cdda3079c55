"""``sesag portal`` (mock_portal.cli): create or keep the database and serve; --unlock with --db,
without ever starting the server."""

import sqlite3

import pytest
from click.testing import CliRunner

from mock_portal import migrations
from mock_portal.cli import portal_command
from mock_portal.db import register_functions


@pytest.fixture
def instance_folder(monkeypatch, tmp_path):
    """Keep the command's instance folder (its secret key) in tmp_path, out of the repo."""
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    return tmp_path / "instance"


@pytest.fixture
def served(monkeypatch, instance_folder):
    """Replace waitress.serve so ``sesag portal`` returns instead of serving forever."""
    calls = []
    monkeypatch.setattr("waitress.serve", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv("SESAG_SECRET_KEY", "cli-test")
    return calls


@pytest.fixture
def no_server(monkeypatch, instance_folder):
    """Fail if the command would serve."""

    def serve(*args, **kwargs):
        raise AssertionError("sesag portal --unlock must not start the server")

    monkeypatch.setattr("waitress.serve", serve)
    monkeypatch.delenv("SESAG_SECRET_KEY", raising=False)


def test_portal_command_creates_the_database_and_serves(tmp_path, served):
    database = tmp_path / "sub" / "portal.sqlite"
    result = CliRunner().invoke(portal_command, ["--db", str(database), "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5123/" in result.output
    assert "admin" in result.output and "nemid-demo" in result.output
    assert database.exists()
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT COUNT(*) FROM company").fetchone()[0] == 2
    ((app, options),) = served
    assert options["host"] == "127.0.0.1" and options["port"] == 5123


def test_portal_command_keeps_an_existing_database(tmp_path, served):
    database = tmp_path / "portal.sqlite"
    CliRunner().invoke(portal_command, ["--db", str(database)])
    with sqlite3.connect(database) as conn:
        register_functions(conn)  # a new name gets its sort and search keys (schema.sql's triggers)
        conn.execute("UPDATE employee SET name = 'Bevaret' WHERE email = 'lra@nets.dk'")
    result = CliRunner().invoke(portal_command, ["--db", str(database)])
    assert result.exit_code == 0 and "Created" not in result.output
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT name FROM employee WHERE email = 'lra@nets.dk'").fetchone()[0] == "Bevaret"


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
    assert "Unlocked admin" in result.output
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


def one_line_and_exit_2(result, *words):
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output and "http://" not in result.output
    for word in words:
        assert word in lines[0], lines[0]


def test_port_in_use_stops_with_one_line(tmp_path, served):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(portal_command, ["--db", str(tmp_path / "p.sqlite"), "--port", str(port)])
    one_line_and_exit_2(result, str(port))
    assert served == []


@pytest.mark.parametrize("port", ["99999", "0", "-1"])
def test_port_out_of_range_stops_with_one_line(tmp_path, served, port):
    result = CliRunner().invoke(portal_command, ["--db", str(tmp_path / "p.sqlite"), "--port", port])
    one_line_and_exit_2(result, port)
    assert served == []


def corrupt(database):
    database.write_bytes(b"this is not a database " * 200)


def unwritable(database):
    """A seeded database whose journal SQLite cannot create (a directory in its place; as root a
    read-only file would still be writable)."""
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE t (x)")
    database.with_name(database.name + "-journal").mkdir()


@pytest.mark.parametrize("spoil", [corrupt, unwritable])
def test_a_database_that_cannot_be_used_stops_with_one_line(tmp_path, served, spoil):
    database = tmp_path / "portal.sqlite"
    spoil(database)
    result = CliRunner().invoke(portal_command, ["--db", str(database)])
    one_line_and_exit_2(result, str(database))
    assert served == []


def test_an_older_database_is_upgraded(tmp_path, served):
    """One an older portal left (unversioned, before the scope index): upgraded, then served."""
    database = tmp_path / "portal.sqlite"
    CliRunner().invoke(portal_command, ["--db", str(database)])
    with sqlite3.connect(database) as conn:
        conn.execute("DROP INDEX employee_scope")
        conn.execute("PRAGMA user_version = 0")
    assert CliRunner().invoke(portal_command, ["--db", str(database)]).exit_code == 0
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.VERSION
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'employee_scope'").fetchone()
    assert len(served) == 2


def test_a_database_of_a_newer_portal_stops_with_one_line(tmp_path, served):
    database = tmp_path / "portal.sqlite"
    CliRunner().invoke(portal_command, ["--db", str(database)])
    with sqlite3.connect(database) as conn:
        conn.execute(f"PRAGMA user_version = {migrations.VERSION + 1}")
    result = CliRunner().invoke(portal_command, ["--db", str(database)])
    one_line_and_exit_2(result, "made by a newer portal")
    assert len(served) == 1


def test_employees_grows_the_demo_company_and_db_keeps_them(tmp_path, served):
    database = tmp_path / "portal.sqlite"
    result = CliRunner().invoke(portal_command, ["--db", str(database), "--employees", "400"])
    assert result.exit_code == 0, result.output
    assert "Added 349 generated employees" in result.output
    count = "SELECT COUNT(*) FROM employee WHERE company_id = 1"
    with sqlite3.connect(database) as conn:
        assert conn.execute(count).fetchone()[0] == 400
    result = CliRunner().invoke(portal_command, ["--db", str(database)])
    assert result.exit_code == 0 and "Created" not in result.output
    result = CliRunner().invoke(portal_command, ["--db", str(database), "--employees", "100"])
    assert result.exit_code == 0 and "400" not in result.output and "100 employees or more" in result.output
    with sqlite3.connect(database) as conn:
        assert conn.execute(count).fetchone()[0] == 400


@pytest.mark.parametrize("bad", ["0", "-5", "many"])
def test_employees_must_be_a_positive_number(tmp_path, served, bad):
    database = tmp_path / "portal.sqlite"
    result = CliRunner().invoke(portal_command, ["--db", str(database), "--employees", bad])
    assert result.exit_code == 2 and "--employees" in result.output and "Traceback" not in result.output
    assert not database.exists() and not served


def test_a_database_of_an_older_version_is_refused_clearly(tmp_path, served):
    database = tmp_path / "portal.sqlite"
    with sqlite3.connect(database) as conn:
        conn.executescript(
            "CREATE TABLE company (id INTEGER PRIMARY KEY); INSERT INTO company VALUES (1);"
            "CREATE TABLE employee (id INTEGER PRIMARY KEY, name TEXT);"
        )
    result = CliRunner().invoke(portal_command, ["--db", str(database)])
    one_line_and_exit_2(result, "--reset")
    assert not served


def test_the_served_database_uses_a_write_ahead_log(tmp_path, served):
    """Many administrators at once: readers do not wait for a save (journal_mode is kept in the file)."""
    database = tmp_path / "portal.sqlite"
    assert CliRunner().invoke(portal_command, ["--db", str(database)]).exit_code == 0
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    ((app, _),) = served
    assert app.config["WAL"] is True


def _unusable_db_paths(tmp_path):
    (tmp_path / "a-file.txt").write_text("not a folder", encoding="utf-8")
    (tmp_path / "a-folder").mkdir()
    return {
        "parent is a file": tmp_path / "a-file.txt" / "x.sqlite",
        "grandparent is a file": tmp_path / "a-file.txt" / "sub" / "x.sqlite",
        "a folder": tmp_path / "a-folder",
        "not a database": tmp_path / "a-file.txt",
        "under /proc": "/proc/sesag-nowhere/x.sqlite",
    }


@pytest.mark.parametrize(
    "case", ["parent is a file", "grandparent is a file", "a folder", "not a database", "under /proc"]
)
@pytest.mark.parametrize("unlock", [False, True])
def test_an_unusable_db_path_is_one_line_and_exit_2(tmp_path, instance_folder, monkeypatch, case, unlock):
    """#20, 13: no traceback, one line naming --db, exit 2, and nothing made or changed."""
    monkeypatch.setattr("waitress.serve", lambda *args, **kwargs: pytest.fail("must not serve"))
    database = _unusable_db_paths(tmp_path)[case]
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*") if "instance" not in path.parts)
    arguments = ["--db", str(database), "--port", "5124", *(["--unlock", "admin"] if unlock else [])]
    result = CliRunner().invoke(portal_command, arguments)
    assert result.exit_code == 2, (result.output, result.stderr, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and str(database) in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.output
    after = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*") if "instance" not in path.parts)
    assert after == before
    assert (tmp_path / "a-file.txt").read_text(encoding="utf-8") == "not a folder"
