"""A faithful mock of the NemID selvbetjening portal (medarbejdersignatur.dk), steps 1-5.

``create_app`` is the application factory (as in Flask's tutorial app flaskr). The package
never imports Playwright or the flows: the flows drive it from outside, like a real portal.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

from flask import Flask, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from mock_portal import auth, csrf, db, public, selvbetjening, training
from mock_portal.clock import check_fixed_now
from mock_portal.sessions import ServerSideSessions

# Danish titles of the error pages a visitor can meet.
ERROR_TITLES = {
    400: ("Ugyldig forespørgsel", "Forespørgslen kunne ikke behandles."),
    403: ("Ingen adgang", "Du har ikke adgang til denne side."),
    404: ("Siden findes ikke", "Siden findes ikke, eller du har ikke adgang til den."),
    405: ("Ugyldig forespørgsel", "Siden kan ikke bruges på denne måde."),
    413: ("For store data", "De indsendte data er for store."),
    500: ("Der opstod en fejl", "Der opstod en fejl i selvbetjeningen. Prøv igen senere."),
    503: ("Selvbetjeningen er ikke tilgængelig", "Selvbetjeningen kan ikke gemme lige nu. Prøv igen senere."),
}

# Every page but the static files: no copy in a cache, no frame, nothing loaded from elsewhere.
# (The guide's overlay and the training panel are added by Playwright's evaluate(), which a
# CSP does not govern; data: is the favicon's empty image.)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class AsciiIntegerConverter(IntegerConverter):
    """``<int:...>`` with ASCII digits only: Werkzeug's ``\\d`` also takes '١' (Arabic-Indic one)."""

    regex = r"[0-9]+"


def _cookie_secure(value: str | None) -> bool | None:
    """SESAG_COOKIE_SECURE: 1/0 forces it on/off; unset: Secure exactly when served over https."""
    if value is None or value.strip() == "":
        return None
    return value.strip().lower() in ("1", "true", "yes", "ja", "on")


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
    app.url_map.converters["int"] = AsciiIntegerConverter  # before any route is added
    _configure(app, test_config)
    _add_sessions_and_proxy(app)
    _add_asset_url(app)
    _register_blueprints(app)
    _add_error_pages(app)
    _add_security_headers(app)
    return app


def _configure(app: Flask, test_config: dict | None) -> None:
    """The defaults, then test_config over them; the secret key; the instance folder."""
    app.config.from_mapping(_defaults(app))
    if test_config is not None:
        app.config.from_mapping(test_config)
    check_fixed_now(app.config["FIXED_NOW"])
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(app)


def _defaults(app: Flask) -> dict:
    """The portal's configuration unless test_config says otherwise."""
    return dict(
        DATABASE=os.path.join(app.instance_path, "portal.sqlite"),
        DEMO_MODE=True,
        KEYCARD_FIXED_CODE=None,
        FIXED_NOW=None,
        TRAINING=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_LOGIN_ATTEMPTS=5,
        SESSION_IDLE_MINUTES=30,
        SESSION_MAX_HOURS=8,
        SESAG_COOKIE_SECURE=_cookie_secure(os.environ.get("SESAG_COOKIE_SECURE")),
        # Browsers keep the stylesheet and fonts instead of asking again on every page (as a
        # real portal's CDN would); asset_url() adds the file's mtime so an edit is seen at once.
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        # sesag portal's own database keeps a connection per server thread (db.get_db).
        WAL=False,
        # The bound on the SQLite work (CPU time) of one list page: well above what the list and
        # a person's searches cost at 50,000 employees, below what a search matching every
        # employee costs (decision 0008; the figures in bench/README.md).
        SEARCH_CPU_SECONDS=0.03,
        # And what one session's list pages may use between them beyond SEARCH_CPU_FREE each
        # (what a page of the list or a narrow search costs; bulk's searches stay under it): a
        # burst, then so much per second. A person's searches, seconds apart, never reach it; a
        # client sending costly searches back to back gets the waiting page (bench/portal.py
        # --hostile).
        SEARCH_CPU_FREE=0.005,
        SEARCH_CPU_BURST=0.05,
        SEARCH_CPU_PER_SECOND=0.01,
        # Training mode: the sandboxes' folder (None: oevelse/ beside DATABASE), how many at most,
        # how old, when one counts as idle, how many a client may start per window (seconds).
        TRAINING_FOLDER=None,
        TRAINING_MAX_SANDBOXES=200,
        TRAINING_MAX_AGE=24 * 3600,
        TRAINING_IDLE=3600,
        TRAINING_STARTS_PER_CLIENT=20,
        TRAINING_CLIENT_WINDOW=600,
        TRAINER_CODE=None,  # None: a six-digit code drawn when training mode starts
    )


def _add_sessions_and_proxy(app: Flask) -> None:
    """Server-side sessions, and the proxy's headers read."""
    app.session_interface = ServerSideSessions()
    # Behind a reverse proxy that ends https, X-Forwarded-Proto tells the portal so (Secure cookie).
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=1)


def _add_asset_url(app: Flask) -> None:
    """asset_url() for the templates."""

    @app.template_global()
    def asset_url(filename: str) -> str:
        """URL of a static file, versioned by its modification time."""
        path = Path(app.static_folder) / filename
        version = int(path.stat().st_mtime) if path.exists() else 0
        return url_for("static", filename=filename, v=version)


def _register_blueprints(app: Flask) -> None:
    """The database, CSRF, the pages; training mode's only when it is on."""
    db.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(selvbetjening.bp)
    if app.config["TRAINING"]:  # off: not a route, not a pixel of it
        training.init_app(app)


def _add_error_pages(app: Flask) -> None:
    """Danish error pages (ERROR_TITLES) instead of Werkzeug's English ones."""

    @app.errorhandler(HTTPException)
    def http_error(error):
        title, message = ERROR_TITLES.get(error.code, (error.name, error.description))
        if error.code == 400 and error.description and error.description != type(error).description:
            message = error.description  # our own abort(400, description=...) says more
        return render_template("error.html", title=title, message=message), error.code

    @app.errorhandler(500)
    def server_error(error):
        title, message = ERROR_TITLES[500]
        return render_template("error.html", title=title, message=message), 500

    @app.errorhandler(sqlite3.OperationalError)
    def database_unavailable(error):
        """The database cannot be written (read-only, disk full, locked too long): nothing was changed."""
        app.logger.error("database error: %s", error)
        title, message = ERROR_TITLES[503]
        return render_template("error.html", title=title, message=message), 503


def _add_security_headers(app: Flask) -> None:
    """No sniffing, no frame, no referrer elsewhere; no cache and the CSP on every page."""

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint != "static":
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.headers["Cache-Control"] = "no-store"
        return response
