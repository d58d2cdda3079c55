"""Serve the mock portal inside this process, for the guide, the demo, benchmarks and tests."""

from __future__ import annotations

import secrets
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import catalogue
from flows.core.credentials import Credentials

# A fixed moment for everything the portal dates (events, confirmations), so screenshots of
# the embedded mock are the same pixels on every run.
FIXED_NOW = "2026-01-15T10:00:00+01:00"
FIXED_KEY_CODE = "0427"


class EmbeddedPortal:
    """A mock portal with its own fresh demo database, served on a free port of 127.0.0.1."""

    def __init__(self, app, server, thread):
        self.app = app
        self._server = server
        self._thread = thread
        self.url = f"http://127.0.0.1:{server.server_port}"

    def reset(self) -> None:
        """Back to the freshly seeded demo data."""
        # The portal (Flask) on first use: `sesag guide --help` needs no portal (decision 0013).
        from mock_portal.db import reset_demo_database

        with self.app.app_context():
            reset_demo_database()


def deterministic_config(database: str) -> dict:
    """Portal config for reproducible pixels: demo mode, fixed clock, fixed key-card code."""
    return {
        "DATABASE": database,
        "DEMO_MODE": True,
        "FIXED_NOW": FIXED_NOW,
        "KEYCARD_FIXED_CODE": FIXED_KEY_CODE,
    }


@contextmanager
def embedded_portal(**config) -> Iterator[EmbeddedPortal]:
    """Start the mock on a free port with a fresh seeded database; stop it afterwards.

    ``config`` overrides the deterministic defaults (e.g. ``TRAINING=True``).
    """
    # The portal (Flask) on first use: `sesag guide --help` needs no portal (decision 0013).
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # the guide's progress is the output, not an access log
            pass

    # The portal (Flask) on first use: `sesag guide --help` needs no portal (decision 0013).
    from mock_portal import create_app

    with tempfile.TemporaryDirectory(prefix="sesag-portal-") as folder:
        settings = deterministic_config(str(Path(folder) / "portal.sqlite"))
        settings["SECRET_KEY"] = secrets.token_hex(16)
        settings.update(config)
        app = create_app(settings)
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        thread = threading.Thread(target=server.serve_forever, name="sesag-portal", daemon=True)
        portal = EmbeddedPortal(app, server, thread)
        portal.reset()
        thread.start()
        try:
            yield portal
        finally:
            server.shutdown()
            thread.join(timeout=5)


@contextmanager
def portal_or_embedded(base_url: str | None) -> Iterator[tuple[str, bool]]:
    """Yield (url, embedded): ``base_url`` as given, or a fresh embedded mock when None."""
    if base_url:
        yield base_url.rstrip("/"), False
        return
    with embedded_portal() as portal:
        yield portal.url, True


@dataclass(frozen=True)
class Example:
    """The guide's worked example on the embedded portal: who logs in, whom they give the right."""

    credentials: Credentials
    employee: str


def example_for(right_key: str) -> Example:
    """The example of the edition for ``right_key``: the administrator of an organisation whose
    staff get that right (an insurer for Sagsbehandler, a municipality for Kommunal
    sagsbehandler) and the employee they give it to, from the portal's demo data."""
    # The portal (Flask) on first use: `sesag guide --help` needs no portal (decision 0013).
    from mock_portal import demo_data

    company, person = demo_data.example(catalogue.right(right_key).portal_id)
    return Example(Credentials(company.admin.user_id, company.admin.password), person.name)


def credentials_for(embedded: bool):
    """The demo administrator on the embedded mock; SESAG_* from the environment elsewhere."""
    return Credentials.demo() if embedded else Credentials.from_env()
