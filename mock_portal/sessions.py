"""Server-side sessions: the cookie holds a random id, the session itself is a database row.

``flask.session`` works as before. Log-af, a lock and the time-outs end the row on the server,
so a copy of the cookie is worth nothing afterwards; :func:`renew` gives a new id (at log-in and
log-af). Rows are stored through ``db.get_db()``: in training mode, in the trainee's sandbox.
Config: ``SESSION_IDLE_MINUTES`` (30), ``SESSION_MAX_HOURS`` (8), ``SESAG_COOKIE_SECURE``
(None: Secure exactly when the request came over https, also through a proxy).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import sqlite3

from flask import request, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from mock_portal import db

COOKIE_ID = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


class PortalSession(CallbackDict, SessionMixin):
    """The request's session data; ``sid`` is the cookie's id (None: not stored yet)."""

    def __init__(self, initial=None, sid: str | None = None):
        def on_update(self):
            self.modified = True
            self.accessed = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.modified = False
        self.renewed = False
        self.unavailable = False  # the database could not be read: serve the error page, store nothing


def renew() -> None:
    """Empty the session and give it a new id: the old one ends (log-in, log-af)."""
    session.clear()
    session.renewed = True


def _key(sid: str) -> str:
    return hashlib.sha256(sid.encode("ascii")).hexdigest()


class ServerSideSessions(SessionInterface):
    serializer = TaggedJSONSerializer()

    def _limits(self, app) -> tuple[float, float]:
        return float(app.config["SESSION_IDLE_MINUTES"]) * 60, float(app.config["SESSION_MAX_HOURS"]) * 3600

    def open_session(self, app, request) -> PortalSession:
        if app.static_url_path and request.path.startswith(app.static_url_path + "/"):
            return PortalSession()  # a stylesheet needs no session: no database work
        sid = request.cookies.get(self.get_cookie_name(app), "")
        if COOKIE_ID.fullmatch(sid):
            try:
                row = db.load_session(_key(sid), *self._limits(app))
            except sqlite3.Error:  # the view's own database work answers 503; this must not raise first
                broken = PortalSession()
                broken.unavailable = True
                return broken
            if row is not None:
                return PortalSession(self.serializer.loads(row["data"]), sid)
        return PortalSession()

    def save_session(self, app, session: PortalSession, response) -> None:
        if session.unavailable:
            return
        name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
        if session.renewed and session.sid:
            db.end_session(_key(session.sid))
            session.sid = None
        if not session:
            if session.sid:
                try:
                    db.end_session(_key(session.sid))
                except sqlite3.Error:
                    # Training's start/stop swaps or removes the sandbox file (and its sessions with
                    # it) under this request's connection; an explicit renew() must not fail quietly.
                    if session.renewed:
                        raise
            if session.sid or session.renewed:
                response.delete_cookie(name, domain=domain, path=path)
            return
        response.vary.add("Cookie")
        admin_id = session.get("admin_id")
        if session.sid is None:
            session.sid = secrets.token_urlsafe(32)
            db.create_session(_key(session.sid), admin_id, self.serializer.dumps(dict(session)), self._limits(app)[1])
        elif session.modified:
            db.update_session(_key(session.sid), admin_id, self.serializer.dumps(dict(session)))
            return
        else:
            # best effort: a read-only moment must not turn a page into an error
            with contextlib.suppress(sqlite3.Error):
                db.touch_session(_key(session.sid))
            return
        secure = app.config["SESAG_COOKIE_SECURE"]
        response.set_cookie(
            name,
            session.sid,
            domain=domain,
            path=path,
            httponly=self.get_cookie_httponly(app),
            samesite=self.get_cookie_samesite(app),
            secure=request.is_secure if secure is None else bool(secure),
        )
