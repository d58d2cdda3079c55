"""Training mode (``TRAINING=True``, ``sesag portal --training``): practise Trin 1-5 in a sandbox.

A trainee starts an exercise on ``/oevelse`` ("Giv <medarbejder> rettigheden <rettighed>") and
gets a private copy of the freshly seeded demo database (``sandboxes``). The hint panel shows
the scene of the current page and frames what to click next ('Vis hvor', static/training.js):
``hints`` looks it up in the step catalogue, ``hooks`` records the progress once per request,
``exercise`` holds the task and its check, ``views`` the exercise's pages, ``trainer`` the
trainer's overview of every trainee's progress.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Blueprint

import catalogue
from mock_portal.training import hooks, trainer, views
from mock_portal.training.hints import BLUEPRINT
from mock_portal.training.sandboxes import RateLimit, Sandboxes, SandboxGuard, sandbox_database

bp = Blueprint(BLUEPRINT, __name__, url_prefix="/oevelse")
bp.add_url_rule("", "start_page", views.start_page)  # added first: url_for gives /oevelse
bp.add_url_rule("/", "start_page", views.start_page)
bp.add_url_rule("/start", "start", views.start, methods=("POST",))
bp.add_url_rule("/forfra", "reset", views.reset, methods=("POST",))
bp.add_url_rule("/afslut", "stop", views.stop, methods=("POST",))
bp.add_url_rule("/resultat", "result", views.result)
bp.add_url_rule("/oversigt", "overview", trainer.overview, methods=("GET", "POST"))
bp.app_context_processor(hooks.panel_context)
bp.before_app_request(hooks.keep_sessions_apart)
bp.after_app_request(hooks.after_request)


def init_app(app) -> None:
    """Switch training mode on: sandboxes, the /oevelse pages, the hint panel, the trainer code."""
    config = app.config
    folder = config["TRAINING_FOLDER"] or str(Path(config["DATABASE"]).parent / "oevelse")
    app.extensions["sesag.training"] = Sandboxes(
        Path(folder),
        int(config["TRAINING_MAX_SANDBOXES"]),
        float(config["TRAINING_MAX_AGE"]),
        idle=float(config["TRAINING_IDLE"]),
        per_client=int(config["TRAINING_STARTS_PER_CLIENT"]),
        window=float(config["TRAINING_CLIENT_WINDOW"]),
    )
    if config["TRAINER_CODE"] is None:
        config["TRAINER_CODE"] = f"{secrets.randbelow(10**6):06d}"
    app.extensions["sesag.trainer_tries"] = RateLimit(10, 600)
    app.extensions["sesag.database_path"] = sandbox_database
    app.wsgi_app = SandboxGuard(app, app.wsgi_app)
    catalogue.training()  # a catalogue that contradicts itself fails at start-up, not in class
    app.register_blueprint(bp)
