"""How the documents say things: dates and times in the edition's language, portal labels in
bold (and tagged Danish in the English edition), text escaped for HTML, CSS and Markdown, and when
a guide counts as made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from flows.core import browser as browsers

TIMEZONE = ZoneInfo(browsers.TIMEZONE)


# Dates are locale formatting, not guide text: month names and the clock style per language.
_MONTHS = {
    "da": (
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


# A web address, or a 'quoted' portal label (a quote not inside a word, so "administrator's"
# is left alone). Portal labels are set in bold as the official guides do.
_TOKENS = re.compile(
    r"(?P<url>https?://[^\s<>'\"]*[^\s<>'\".,;:!?)])"
    r"|(?<!\w)'(?P<label>[^'\n]+?)'(?!\w)"
)


PORTAL_LANG = "da"  # the language of the portal's labels, which every edition quotes as they are


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def format_time(moment: datetime, lang: str = "da") -> str:
    """``moment`` in Copenhagen time, written as ``lang`` writes dates."""
    if moment.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware (e.g. datetime.now(render.TIMEZONE))")
    local = moment.astimezone(TIMEZONE)
    month = _MONTHS[lang][local.month - 1]
    if lang == "da":
        return f"{local.day}. {month} {local.year} kl. {local:%H.%M}"
    return f"{local.day} {month} {local.year}, {local:%H:%M} ({local.tzname()})"


def format_date(moment: datetime, lang: str = "da") -> str:
    """The day of ``moment`` in Copenhagen, written as ``lang`` writes dates ('28. november 2025')."""
    local = moment.astimezone(TIMEZONE)
    month = _MONTHS[lang][local.month - 1]
    return f"{local.day}. {month} {local.year}" if lang == "da" else f"{local.day} {month} {local.year}"


def _segments(text: str) -> Iterator[tuple[str, str]]:
    """Split ``text`` into ("text" | "url" | "label", value) pieces."""
    position = 0
    for match in _TOKENS.finditer(text):
        if match.start() > position:
            yield "text", text[position : match.start()]
        kind = "url" if match.group("url") else "label"
        yield kind, match.group(kind)
        position = match.end()
    if position < len(text):
        yield "text", text[position:]


def rich_html(text: str, lang: str = PORTAL_LANG) -> Markup:
    """Escaped ``text`` with web addresses linked and 'portal labels' in bold.

    In a guide in another ``lang`` than the portal's, a label is marked as Danish (WCAG 3.1.2:
    a screen reader then says it in Danish, and the PDF tags it /Lang da).
    """
    marked = Markup("") if lang == PORTAL_LANG else Markup(' lang="{0}"').format(PORTAL_LANG)
    parts = []
    for kind, value in _segments(text):
        if kind == "url":
            parts.append(Markup('<a href="{0}">{0}</a>').format(value))
        elif kind == "label":
            parts.append(Markup('<strong class="label"{1}>&#39;{0}&#39;</strong>').format(value, marked))
        else:
            parts.append(escape(value))
    return Markup("").join(parts)


def md_escape(text: str) -> str:
    """``text`` with Markdown's active characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def rich_md(text: str) -> str:
    """``text`` as Markdown: web addresses as autolinks, 'portal labels' in bold."""
    parts = []
    for kind, value in _segments(text):
        if kind == "url":
            parts.append(f"<{value}>")
        elif kind == "label":
            parts.append(f"**'{md_escape(value)}'**")
        else:
            parts.append(md_escape(value))
    return "".join(parts)


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string (for ``content:``), safe inside a <style> element."""
    escaped = "".join(c if c.isascii() and c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text)
    return Markup(f'"{escaped}"')


def slug(text: str) -> str:
    """The anchor GitHub and GitLab give a Markdown heading (lower case, spaces to hyphens)."""
    kept = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return kept.replace(" ", "-")
