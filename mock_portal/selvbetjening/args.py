"""What a page reads from its query string: a number, or text without what no stored field holds."""

from __future__ import annotations

import unicodedata

from flask import abort, request


def int_arg(name: str, default: int, allowed=None) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    # ASCII only: str.isdigit() accepts '²', which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        abort(404)
    value = int(raw)
    if allowed is not None and value not in allowed:
        abort(404)
    return value


def nfc(text: str) -> str:
    # 'å' may arrive decomposed (a + ring, e.g. pasted from macOS); fold() maps only the composed one.
    return unicodedata.normalize("NFC", text)


def without_controls(text: str) -> str:
    """``text`` without control and invisible characters, a tab or line break as a space.

    No stored name, e-mail or group holds one (the form refuses them), so a search is what is
    left; and a NUL would end FTS5's quoted phrase early ("unterminated string").
    """
    if text.isprintable():  # the common case: nothing to take out
        return text
    return "".join(
        " " if char.isspace() else char
        for char in text
        if unicodedata.category(char) not in ("Cc", "Cf") or char.isspace()
    )


def text_arg(name: str, limit: int) -> str:
    return without_controls(nfc(request.args.get(name, ""))).strip()[:limit]
