"""The factory's config, the clock, demo data, the flask commands and ``sesag portal``."""
import re
import sqlite3

import pytest
from click.testing import CliRunner

from mock_portal import cli, create_app, demo_data
from mock_portal.db import danish_key, fold, get_db, now


def test_fixed_now_is_the_clock(app):
    with app.app_context():
        assert now().isoformat() == "2026-01-15T10:00:00+01:00"


def test_real_clock_without_fixed_now(app):
    app.config["FIXED_NOW"] = None
    with app.app_context():
        assert now().tzinfo is not None and now().year >= 2024


def test_malformed_fixed_now_is_refused_at_start(tmp_path):
    with pytest.raises(ValueError, match="FIXED_NOW"):
        create_app({"DATABASE": str(tmp_path / "p.sqlite"), "SECRET_KEY": "x", "FIXED_NOW": "i morgen"})


def test_fold_and_danish_order():
    assert fold("SØREN Kjærgård") == fold("soren kjaergaard") == "soren kjaergaard"
    assert fold("Élise") == "elise"
    assert sorted(["Åge", "Zack", "Ægir", "Østen", "anna"], key=danish_key) == ["anna", "Zack", "Ægir", "Østen", "Åge"]


def test_demo_data_is_deterministic():
    assert demo_data.companies() == demo_data.companies()
    assert demo_data.keycard("admin") == demo_data.keycard("admin")
    assert demo_data.keycard("admin") != demo_data.keycard("admin2")


def test_demo_data_as_the_contract_says():
    first, second = demo_data.companies()
    assert first.cvr == "12345678" and second.cvr != first.cvr
    assert (first.admin.user_id, first.admin.password) == ("admin", "nemid-demo")
    assert (second.admin.user_id, second.admin.password) == ("admin2", "nemid-demo2")
    by_name = {e.name: e for e in first.employees}
    lra, bruger = by_name["Medlem - Lra"], by_name["Medlem - Bruger"]
    assert (lra.email, lra.group, lra.signature, lra.rights) == ("lra@nets.dk", "Lra", "Nøglefil", ())
    assert (bruger.email, bruger.group, bruger.signature, bruger.rights) == ("bruger@nets.dk", "Bruger", "Nøglekort", ())
    assert len(first.employees) >= 47
    assert any(not e.active for e in first.employees)
    assert {"Jobcenter", "Forsikring", "Jura"} <= {e.group for e in first.employees}
    assert any(re.search("[æøåÆØÅ]", e.name) for e in first.employees)
    held = [r for e in first.employees for r in e.rights]
    assert "aes.sagsbehandler" in held and "aes.kommunal_sagsbehandler" in held
    assert all(not {"aes.sagsbehandler", "aes.kommunal_sagsbehandler"} <= set(e.rights) for e in first.employees)
    assert len({e.email for e in first.employees}) == len(first.employees)
    assert second.employees


def test_key_card_has_four_digit_codes_and_six_digit_keys():
    card = demo_data.keycard("admin")
    assert len(card) >= 40 and "0427" in card
    assert all(re.fullmatch(r"\d{4}", code) and re.fullmatch(r"\d{6}", key) for code, key in card.items())


def test_init_db_command(runner, app):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "Initialised" in result.output
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM employee").fetchone()[0] == 0


def test_seed_demo_command(runner, app):
    runner.invoke(args=["init-db"])
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    with app.app_context():
        db = get_db()
        assert db.execute("SELECT COUNT(*) FROM company").fetchone()[0] == 2
        assert db.execute("SELECT COUNT(*) FROM employee WHERE email = 'lra@nets.dk'").fetchone()[0] == 1


def test_seeding_twice_gives_the_same_data(runner, app):
    def snapshot():
        with app.app_context():
            return get_db().execute("SELECT id, name, email, grp, active FROM employee ORDER BY id").fetchall()

    runner.invoke(args=["seed-demo"])
    first = [tuple(r) for r in snapshot()]
    runner.invoke(args=["seed-demo"])
    assert [tuple(r) for r in snapshot()] == first


def test_bench_helper_adds_employees(app):
    from mock_portal.db import add_bench_employees

    with app.app_context():
        add_bench_employees([("Bench 1", "b1@example.dk"), ("Bench 2", "b2@example.dk")])
        rows = get_db().execute("SELECT company_id FROM employee WHERE email LIKE 'b_@example.dk'").fetchall()
    assert [r[0] for r in rows] == [1, 1]


@pytest.fixture
def served(monkeypatch):
    """Replace waitress.serve so ``sesag portal`` returns instead of serving forever."""
    calls = []
    monkeypatch.setattr("waitress.serve", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv("SESAG_SECRET_KEY", "cli-test")
    return calls


def test_portal_command_creates_the_database_and_serves(tmp_path, served):
    database = tmp_path / "sub" / "portal.sqlite"
    result = CliRunner().invoke(cli.portal_command, ["--db", str(database), "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5123/" in result.output
    assert "admin" in result.output and "nemid-demo" in result.output
    assert database.exists()
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT COUNT(*) FROM company").fetchone()[0] == 2
    (app, options), = served
    assert options["host"] == "127.0.0.1" and options["port"] == 5123


def test_portal_command_keeps_an_existing_database(tmp_path, served):
    database = tmp_path / "portal.sqlite"
    CliRunner().invoke(cli.portal_command, ["--db", str(database)])
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE employee SET name = 'Bevaret' WHERE email = 'lra@nets.dk'")
    result = CliRunner().invoke(cli.portal_command, ["--db", str(database)])
    assert result.exit_code == 0 and "Created" not in result.output
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT name FROM employee WHERE email = 'lra@nets.dk'").fetchone()[0] == "Bevaret"


def test_portal_command_unlocks_and_exits(tmp_path, served):
    database = tmp_path / "portal.sqlite"
    CliRunner().invoke(cli.portal_command, ["--db", str(database)])
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE admin SET locked = 1, failed_attempts = 5 WHERE user_id = 'admin'")
    served.clear()
    result = CliRunner().invoke(cli.portal_command, ["--db", str(database), "--unlock", "admin"])
    assert result.exit_code == 0 and "Unlocked admin" in result.output
    assert served == []
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT locked, failed_attempts FROM admin WHERE user_id = 'admin'").fetchone() == (0, 0)
    unknown = CliRunner().invoke(cli.portal_command, ["--db", str(database), "--unlock", "ingen"])
    assert unknown.exit_code != 0


def test_portal_package_never_imports_playwright_or_flows():
    import subprocess
    import sys

    code = ("import sys, mock_portal, mock_portal.cli, mock_portal.selvbetjening;"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('playwright', 'flows')];"
            "print(bad); sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0
