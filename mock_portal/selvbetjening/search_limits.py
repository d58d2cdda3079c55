"""How much SQLite work the employee list's searches may take: per session, over time."""

from __future__ import annotations

import threading
import time

from flask import current_app

# The bound on one page's work (SEARCH_CPU_SECONDS) and the allowance's (SEARCH_CPU_*) are
# config: create_app's defaults.
TOO_MANY_SEARCHES = "Du har søgt meget på kort tid. Vent et øjeblik, og søg igen."
TOO_MUCH_WORK = (
    "Søgningen kræver for meget arbejde til at blive vist. Skriv en kortere eller mere præcis søgning, "
    "eller vælg en gruppe eller status."
)


class SearchAllowance:
    """Per session, the CPU time its list pages may still use: it grows by ``per_second`` up to
    ``burst``, and each page's use is taken from it. Below zero, the session waits."""

    def __init__(self, burst: float, per_second: float, clock=time.monotonic, keep: int = 10_000):
        self.burst, self.per_second, self.clock, self.keep = burst, per_second, clock, keep
        self._levels: dict[str, tuple[float, float]] = {}  # session -> (level, when)
        self._lock = threading.Lock()

    def level(self, key: str) -> float:
        """The session's allowance now (seconds of CPU)."""
        level, when = self._levels.get(key, (self.burst, self.clock()))
        return min(self.burst, level + (self.clock() - when) * self.per_second)

    def allows(self, key: str) -> bool:
        with self._lock:
            return self.level(key) >= 0

    def spend(self, key: str, seconds: float) -> None:
        with self._lock:
            if len(self._levels) >= self.keep:  # forget the sessions that are full again
                self._levels = {k: v for k, v in self._levels.items() if self.level(k) < self.burst}
            self._levels[key] = (self.level(key) - seconds, self.clock())


def search_allowance() -> SearchAllowance:
    """The app's one allowance, made on first use from its config."""
    allowance = current_app.extensions.get("sesag.search_allowance")
    if allowance is None:
        config = current_app.config
        allowance = current_app.extensions.setdefault(
            "sesag.search_allowance",
            SearchAllowance(
                config["SEARCH_CPU_BURST"],
                config["SEARCH_CPU_PER_SECOND"],
            ),
        )
    return allowance
