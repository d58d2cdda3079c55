"""A faithful mock of the NemID selvbetjening portal (medarbejdersignatur.dk), steps 1-5.

``create_app`` is the application factory (as in Flask's tutorial app flaskr). The package
never imports Playwright or the flows: the flows drive it from outside, like a real portal.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, render_template


def _secret_key(app: Flask) -> str:
    """SESAG_SECRET_KEY, else a key generated once into the instance folder."""
    from_env = os.environ.get("SESAG_SECRET_KEY")
    if from_env:
        return from_env
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the portal."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=os.path.join(app.instance_path, "portal.sqlite"),
        DEMO_MODE=True,
        KEYCARD_FIXED_CODE=None,
        FIXED_NOW=None,
        TRAINING=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_LOGIN_ATTEMPTS=5,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)

    from mock_portal import auth, csrf, db, public, selvbetjening

    db.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(selvbetjening.bp)

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", title="Siden findes ikke",
                               message="Siden findes ikke, eller du har ikke adgang til den."), 404

    @app.errorhandler(400)
    def bad_request(error):
        return render_template("error.html", title="Ugyldig forespørgsel",
                               message=getattr(error, "description", None) or "Forespørgslen kunne ikke behandles."), 400

    @app.errorhandler(413)
    def too_large(error):
        return render_template("error.html", title="For store data", message="De indsendte data er for store."), 413

    return app
