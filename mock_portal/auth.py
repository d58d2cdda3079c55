"""NemID log-in as NemID did it: bruger-id + adgangskode, then a key from the key card.

Five wrong answers in a row (password or key) lock the user until an operator unlocks it
(``flask --app mock_portal unlock-user BRUGER_ID`` or ``sesag portal --unlock BRUGER_ID``).
"""
from __future__ import annotations

import functools
import random
import secrets

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from mock_portal.db import PASSWORD_HASH_METHOD, get_db

bp = Blueprint("auth", __name__)

WRONG_LOGIN = "Forkert bruger-id eller adgangskode. Prøv igen."
WRONG_KEY = "Forkert nøgle. Prøv igen med nøglen, der hører til nøglenummeret."
LOCKED = ("Din NemID er spærret efter {attempts} forkerte forsøg. Kontakt din NemID administrator "
          "eller Nets DanID support for at få den åbnet igen.")
MAX_FIELD = 100
_UNKNOWN_USER_HASH = generate_password_hash(secrets.token_hex(16), method=PASSWORD_HASH_METHOD)


def _shown(error: str | None) -> str | None:
    """An alert as the page shows it: LOCKED names the configured MAX_LOGIN_ATTEMPTS."""
    return error and error.format(attempts=current_app.config["MAX_LOGIN_ATTEMPTS"])


def login_required(view):
    """Send a visitor who is not logged in to the log-in page."""

    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.admin is None:
            return redirect(url_for("auth.login", next=request.path))
        return view(**kwargs)

    return wrapped


@bp.before_app_request
def load_logged_in_admin() -> None:
    admin_id = session.get("admin_id")
    g.admin = None
    g.company = None
    if admin_id is not None:
        db = get_db()
        g.admin = db.execute("SELECT * FROM admin WHERE id = ? AND locked = 0", (admin_id,)).fetchone()
        if g.admin is not None:
            g.company = db.execute("SELECT * FROM company WHERE id = ?", (g.admin["company_id"],)).fetchone()


def _count_failure(admin) -> bool:
    """Count a wrong answer; True when this one locked the user."""
    db = get_db()
    attempts = admin["failed_attempts"] + 1
    locked = attempts >= current_app.config["MAX_LOGIN_ATTEMPTS"]
    db.execute("UPDATE admin SET failed_attempts = ?, locked = ? WHERE id = ?", (attempts, int(locked), admin["id"]))
    return locked


def _safe_next(target: str | None) -> str:
    # Only a path on this site: no '//host', and no backslash, which browsers read as '/'.
    if target and target.startswith("/") and not target.startswith("//") and target.isprintable() \
            and "\\" not in target:
        return target
    return url_for("selvbetjening.overview")


@bp.route("/log-paa", methods=("GET", "POST"))
def login():
    """Step one: bruger-id and adgangskode."""
    error = None
    user_id = ""
    if request.method == "POST":
        user_id = request.form.get("bruger_id", "").strip()[:MAX_FIELD]
        password = request.form.get("adgangskode", "")[:MAX_FIELD]
        admin = get_db().execute("SELECT * FROM admin WHERE user_id = ?", (user_id,)).fetchone()
        if admin is not None and admin["locked"]:
            error = LOCKED
        elif admin is None:
            # Spend the time a real check costs, so response times do not reveal bruger-ids.
            check_password_hash(_UNKNOWN_USER_HASH, password)
            error = WRONG_LOGIN
        elif not check_password_hash(admin["password_hash"], password):
            error = WRONG_LOGIN
            if admin is not None and _count_failure(admin):
                error = LOCKED
        else:
            session.clear()
            session["pending_admin_id"] = admin["id"]
            session["next"] = _safe_next(request.args.get("next"))
            return redirect(url_for("auth.keycard"))
    status = 401 if error else 200
    return render_template("login.html", error=_shown(error), user_id=user_id), status


def _choose_code(admin_id: int) -> str:
    fixed = current_app.config.get("KEYCARD_FIXED_CODE")
    codes = [row["code"] for row in get_db().execute("SELECT code FROM keycard WHERE admin_id = ? ORDER BY code", (admin_id,))]
    if fixed and fixed in codes:
        return fixed
    return random.SystemRandom().choice(codes)


@bp.route("/log-paa/noeglekort", methods=("GET", "POST"))
def keycard():
    """Step two: the key for the code number shown, from the administrator's key card."""
    admin_id = session.get("pending_admin_id")
    if admin_id is None:
        return redirect(url_for("auth.login"))
    db = get_db()
    admin = db.execute("SELECT * FROM admin WHERE id = ?", (admin_id,)).fetchone()
    if admin is None:
        session.clear()
        return redirect(url_for("auth.login"))
    error = None
    if admin["locked"]:
        error = LOCKED
    elif request.method == "POST":
        code = session.get("key_code")
        typed = request.form.get("noegle", "").strip()[:MAX_FIELD]
        row = db.execute("SELECT key FROM keycard WHERE admin_id = ? AND code = ?", (admin_id, code)).fetchone()
        if row is not None and typed == row["key"]:
            target = session.get("next")
            session.clear()
            session["admin_id"] = admin_id
            db.execute("UPDATE admin SET failed_attempts = 0 WHERE id = ?", (admin_id,))
            return redirect(_safe_next(target))
        error = LOCKED if _count_failure(admin) else WRONG_KEY
    if error != LOCKED and (request.method == "GET" or "key_code" not in session or error):
        session["key_code"] = _choose_code(admin_id)
    code = session.get("key_code", "")
    demo_key = None
    if current_app.config.get("DEMO_MODE") and error != LOCKED:
        found = db.execute("SELECT key FROM keycard WHERE admin_id = ? AND code = ?", (admin_id, code)).fetchone()
        demo_key = found["key"] if found else None
    status = 401 if error else 200
    return render_template("keycard.html", error=_shown(error), code=code, demo_key=demo_key,
                           locked=error == LOCKED, user_id=admin["user_id"]), status


@bp.route("/log-af", methods=("POST",))
def logout():
    """End the session."""
    session.clear()
    flash("Du er nu logget af.", "success")
    return redirect(url_for("public.front"))
