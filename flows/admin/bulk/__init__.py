"""sesag bulk (moved whole to command.py; split next)."""

from flows.admin.bulk.command import *  # noqa: F403
