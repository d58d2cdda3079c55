"""mock_portal/__init__.py: create_app's config, the secret key, error pages, security headers."""

import subprocess
import sys

import pytest

from mock_portal import create_app


def test_malformed_fixed_now_is_refused_at_start(tmp_path):
    with pytest.raises(ValueError, match="FIXED_NOW"):
        create_app({"DATABASE": str(tmp_path / "p.sqlite"), "SECRET_KEY": "x", "FIXED_NOW": "i morgen"})


def test_secret_key_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SESAG_SECRET_KEY", raising=False)
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    first = create_app({"DATABASE": str(tmp_path / "p.sqlite")}).config["SECRET_KEY"]
    second = create_app({"DATABASE": str(tmp_path / "p.sqlite")}).config["SECRET_KEY"]
    key_file = tmp_path / "instance" / "secret_key"
    assert first == second == key_file.read_text().strip() and len(first) >= 32
    assert key_file.stat().st_mode & 0o077 == 0


def test_secret_key_is_not_a_constant(tmp_path, monkeypatch):
    """Two installations (two instance folders) get two different generated keys."""
    monkeypatch.delenv("SESAG_SECRET_KEY", raising=False)
    keys = []
    for name in ("one", "two"):
        monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self, n=name: str(tmp_path / n))
        keys.append(create_app({"DATABASE": str(tmp_path / f"{name}.sqlite")}).config["SECRET_KEY"])
    assert keys[0] != keys[1]


def test_environment_key_wins_over_the_instance_file(tmp_path, monkeypatch):
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    monkeypatch.delenv("SESAG_SECRET_KEY", raising=False)
    generated = create_app({"DATABASE": str(tmp_path / "p.sqlite")}).config["SECRET_KEY"]
    monkeypatch.setenv("SESAG_SECRET_KEY", "from-the-environment")
    assert create_app({"DATABASE": str(tmp_path / "p.sqlite")}).config["SECRET_KEY"] == "from-the-environment"
    assert generated != "from-the-environment"


def test_security_headers(client):
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"  # and CSP frame-ancestors 'none' (test_portal_security)


def test_portal_package_never_imports_playwright_or_flows():
    code = (
        "import sys, mock_portal, mock_portal.cli, mock_portal.selvbetjening;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('playwright', 'flows')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0
