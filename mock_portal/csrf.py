"""CSRF protection: a token per session, required in every POST form (``csrf_token``)."""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session


def token() -> str:
    """The session's CSRF token (created on first use)."""
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return session["csrf_token"]


def protect() -> None:
    if request.method != "POST":
        return
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf_token", "")
    # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    if not expected or not hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8")):
        abort(400, description="Formularen er udløbet eller ugyldig. Gå tilbage, genindlæs siden og prøv igen.")


def init_app(app) -> None:
    app.before_request(protect)
    app.jinja_env.globals["csrf_token"] = token
