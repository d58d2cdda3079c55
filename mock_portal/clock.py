"""The portal's clock: Copenhagen time, FIXED_NOW for reproducible runs, and how times are stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app

import catalogue

try:
    COPENHAGEN = ZoneInfo(catalogue.TIMEZONE)
except ZoneInfoNotFoundError:  # no tz database (some minimal systems): Danish winter time
    COPENHAGEN = timezone(timedelta(hours=1), "CET")


def now() -> datetime:
    """The portal's clock: FIXED_NOW when configured (reproducible screenshots), else real time."""
    fixed = current_app.config["FIXED_NOW"]
    if fixed:
        moment = datetime.fromisoformat(fixed)
        return moment if moment.tzinfo else moment.replace(tzinfo=COPENHAGEN)
    return datetime.now(COPENHAGEN)


def stamp(moment: datetime) -> str:
    """How a time is stored: UTC ISO 8601, so text order is time order (also across DST)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def check_fixed_now(value: str | None) -> None:
    """Refuse a malformed FIXED_NOW at start-up rather than on the first request."""
    if value:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"FIXED_NOW must be an ISO date-time, e.g. 2026-01-15T10:00:00+01:00, not {value!r}"
            ) from None
