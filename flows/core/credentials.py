"""The administrator's NemID log-in: bruger-id, adgangskode and a key card.

Credentials come from the environment only (``SESAG_USER``, ``SESAG_PASSWORD``,
``SESAG_KEYCARD``), never from command-line arguments, and never show up in a repr, a log line
or an exception message: what goes wrong is said with the variable's name or the line number
of the key-card file, not with the secret.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from flows.errors import CredentialsError

DEMO = "demo"  # SESAG_KEYCARD value: read the key from the demo mock's hint box
DEMO_USER = "admin"
DEMO_PASSWORD = "nemid-demo"

_CODE = re.compile(r"^\d{4}$")
_KEY = re.compile(r"^\d{6}$")


class KeyCard:
    """A NemID key card: 4-digit code number -> 6-digit key. Its repr shows only the size."""

    def __init__(self, keys: Mapping[str, str], source: str = "key card"):
        self._keys = dict(keys)
        self.source = source

    @classmethod
    def parse(cls, text: str, source: str = "key card") -> KeyCard:
        """Read ``code key`` lines (blank lines and ``#`` comments allowed)."""
        keys: dict[str, str] = {}
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.replace(",", " ").replace(";", " ").split()
            if len(parts) != 2 or not _CODE.match(parts[0]) or not _KEY.match(parts[1]):
                # The line may hold a key: name the line, never echo it.
                raise CredentialsError(f"{source}, line {number}: expected '<4-digit code> <6-digit key>'")
            keys[parts[0]] = parts[1]
        if not keys:
            raise CredentialsError(f"{source}: no 'code key' lines found")
        return cls(keys, source)

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> KeyCard:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CredentialsError(f"cannot read the key-card file {path}: {exc.strerror}") from None
        return cls.parse(text, source=f"key-card file {path}")

    def __len__(self) -> int:
        return len(self._keys)

    def keys(self) -> list[str]:
        """Every key on the card (what an artefact must never hold)."""
        return list(self._keys.values())

    def key_for(self, code: str) -> str:
        try:
            return self._keys[code]
        except KeyError:
            raise CredentialsError(f"the {self.source} has no key for code {code}") from None

    def __repr__(self) -> str:
        return f"KeyCard({self.source!r}, {len(self._keys)} keys)"

    __str__ = __repr__


@dataclass(frozen=True, repr=False)
class Credentials:
    """Who logs in. ``keycard`` None means: use the demo mock's key hint."""

    user: str
    password: str = field(compare=False)
    keycard: KeyCard | None = field(default=None, compare=False)
    # Keys typed that came from the portal's demo hint, not from a card (see ``secrets``).
    typed_keys: set[str] = field(default_factory=set, compare=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        """SESAG_USER, SESAG_PASSWORD and SESAG_KEYCARD (a file of ``code key`` lines, or ``demo``)."""
        env = os.environ if environ is None else environ
        missing = [name for name in ("SESAG_USER", "SESAG_PASSWORD") if not env.get(name)]
        if missing:
            raise CredentialsError(
                f"set {' and '.join(missing)} in the environment (credentials are never taken from the command line)"
            )
        source = env.get("SESAG_KEYCARD", "").strip() or DEMO
        keycard = None if source.lower() == DEMO else KeyCard.from_file(source)
        return cls(env["SESAG_USER"], env["SESAG_PASSWORD"], keycard)

    @classmethod
    def demo(cls) -> Credentials:
        """The demo mock's administrator of company 1, keys from the demo hint."""
        return cls(DEMO_USER, DEMO_PASSWORD, None)

    @property
    def uses_demo_hint(self) -> bool:
        return self.keycard is None

    def key_for(self, code: str, demo_key: str | None) -> str:
        """The 6-digit key for the code the portal asks for."""
        if self.keycard is not None:
            return self.keycard.key_for(code)
        if demo_key:
            self.typed_keys.add(demo_key)
            return demo_key
        raise CredentialsError(
            "SESAG_KEYCARD is 'demo' but the portal shows no demo key (not a demo portal?); "
            "point SESAG_KEYCARD at a file of 'code key' lines"
        )

    def secrets(self) -> list[str]:
        """The password and every key (on the card, or typed from the demo hint): what no
        trace, screenshot, log or report may hold (``flows.core.redact``)."""
        keys = self.keycard.keys() if self.keycard is not None else []
        return [self.password, *keys, *sorted(self.typed_keys)]

    def __repr__(self) -> str:
        card = "demo key hint" if self.keycard is None else repr(self.keycard)
        return f"Credentials(user={self.user!r}, password=***, keycard={card})"

    __str__ = __repr__
