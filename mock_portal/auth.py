"""NemID log-in as NemID did it: bruger-id + adgangskode, then a key from the key card.

Five wrong answers in a row (password or key) lock the user until an operator unlocks it
(``flask --app mock_portal unlock-user BRUGER_ID`` or ``sesag portal --unlock BRUGER_ID``).
A try is taken from the count in one statement before anything is checked, so parallel guesses
never get more than five checks. Unknown, locked and open ids answer alike, in about the same
time, until the password is right; only then does a locked user read "spærret". Each key of the
card is used once (the pending log-in and its code live in the server-side session).
"""

from __future__ import annotations

import functools
import hmac
import random
import secrets

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from mock_portal.db import PASSWORD_HASH_METHOD, end_admin_sessions, get_db, spend_key, unspent_codes, write
from mock_portal.sessions import renew

bp = Blueprint("auth", __name__)

WRONG_LOGIN = "Forkert bruger-id eller adgangskode. Prøv igen."
WRONG_KEY = "Forkert nøgle. Prøv igen med nøglen, der hører til nøglenummeret."
LOCKED = (
    "Din NemID er spærret efter {attempts} forkerte forsøg. Kontakt din NemID administrator "
    "eller Nets DanID support for at få den åbnet igen."
)
MAX_FIELD = 100
MAX_NEXT = 512  # a longer next= is dropped (it would only be a way to make requests heavy)


def _shown(error: str | None) -> str | None:
    """An alert as the page shows it: LOCKED names the configured MAX_LOGIN_ATTEMPTS."""
    return error and error.format(attempts=current_app.config["MAX_LOGIN_ATTEMPTS"])


def login_required(view):
    """Send a visitor who is not logged in to the log-in page."""

    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.admin is None:
            target = request.path if len(request.path) <= MAX_NEXT else None
            return redirect(url_for("auth.login", next=target))
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


@functools.lru_cache(maxsize=8)
def _decoy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


def _spend_time_like(stored_hash: str | None, password: str) -> None:
    """Check a decoy of the same algorithm and rounds as ``stored_hash``: the time a real check costs."""
    method = stored_hash.split("$", 1)[0] if stored_hash else PASSWORD_HASH_METHOD
    check_password_hash(_decoy_hash(method), password)


def _take_try(admin_id: int) -> bool:
    """Take one of the user's tries before checking anything; False when none is left (locked, or
    the last one is being checked right now)."""
    taken = write(
        "UPDATE admin SET failed_attempts = failed_attempts + 1"
        " WHERE id = ? AND locked = 0 AND failed_attempts < ? RETURNING failed_attempts",
        (admin_id, current_app.config["MAX_LOGIN_ATTEMPTS"]),
    )
    return taken is not None


def _give_try_back(admin_id: int) -> None:
    """A right password: it does not count (only a full log-in clears the count)."""
    write("UPDATE admin SET failed_attempts = failed_attempts - 1 WHERE id = ? AND failed_attempts > 0", (admin_id,))


def _lock_if_used_up(admin_id: int) -> bool:
    """After a wrong answer: lock the user when that was the last try, ending their sessions; True if so."""
    locked = write(
        "UPDATE admin SET locked = 1 WHERE id = ? AND locked = 0 AND failed_attempts >= ? RETURNING id",
        (admin_id, current_app.config["MAX_LOGIN_ATTEMPTS"]),
    )
    if locked is not None:
        end_admin_sessions(admin_id)
    return locked is not None


def _safe_next(target: str | None) -> str:
    # Only a path on this site: no '//host', and no backslash, which browsers read as '/'.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and target.isprintable()
        and "\\" not in target
        and len(target) <= MAX_NEXT
    ):
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
        db = get_db()
        admin = db.execute("SELECT * FROM admin WHERE user_id = ?", (user_id,)).fetchone()
        error = WRONG_LOGIN
        if admin is None:
            any_admin = db.execute("SELECT password_hash FROM admin ORDER BY id LIMIT 1").fetchone()
            _spend_time_like(any_admin[0] if any_admin else None, password)
        elif admin["locked"]:
            if check_password_hash(admin["password_hash"], password):
                error = LOCKED
        elif not _take_try(admin["id"]):
            _spend_time_like(admin["password_hash"], password)
        elif check_password_hash(admin["password_hash"], password):
            _give_try_back(admin["id"])
            renew()
            session["pending_admin_id"] = admin["id"]
            session["next"] = _safe_next(request.args.get("next"))
            return redirect(url_for("auth.keycard"))
        else:
            _lock_if_used_up(admin["id"])
    status = 401 if error else 200
    return render_template("auth/login.html", error=_shown(error), user_id=user_id), status


def _choose_code(admin_id: int) -> str:
    """A code whose key is not used yet: the fixed one (reproducible screenshots) while it is unused."""
    codes = unspent_codes(admin_id)
    fixed = current_app.config["KEYCARD_FIXED_CODE"]
    if fixed and fixed in codes:
        return fixed
    return random.SystemRandom().choice(codes)


def _key_is_right(admin_id: int, code: str | None, typed: str) -> bool:
    row = get_db().execute("SELECT key FROM keycard WHERE admin_id = ? AND code = ?", (admin_id, code)).fetchone()
    return row is not None and hmac.compare_digest(typed.encode(), row["key"].encode())


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
        if not _take_try(admin_id):
            error = LOCKED
        elif _key_is_right(admin_id, code, typed) and spend_key(admin_id, code):
            # Written first (the key spent, the count cleared, one transaction); then the session.
            target = session.get("next")
            renew()
            session["admin_id"] = admin_id
            return redirect(_safe_next(target))
        else:
            error = LOCKED if _lock_if_used_up(admin_id) else WRONG_KEY
    if error != LOCKED and (request.method == "GET" or "key_code" not in session or error):
        session["key_code"] = _choose_code(admin_id)
    code = session.get("key_code", "")
    demo_key = None
    if current_app.config["DEMO_MODE"] and error != LOCKED:
        found = db.execute("SELECT key FROM keycard WHERE admin_id = ? AND code = ?", (admin_id, code)).fetchone()
        demo_key = found["key"] if found else None
    status = 401 if error else 200
    return render_template(
        "auth/keycard.html",
        error=_shown(error),
        code=code,
        demo_key=demo_key,
        locked=error == LOCKED,
        user_id=admin["user_id"],
    ), status


@bp.route("/log-af", methods=("POST",))
def logout():
    """End the session (on the server: a copy of the cookie no longer works)."""
    renew()
    flash("Du er nu logget af.", "success")
    return redirect(url_for("public.front"))
