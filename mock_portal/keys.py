"""The employees' search and sort keys: Danish alphabetical order, the folded forms a search
matches, and the short searches (below the trigram index) whose matches schema.sql counts.

The database computes its stored columns with these (db.register_functions), so a bulk insert
that sets the triggers aside stores the same keys.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

# Danish alphabetical order: Æ, Ø, Å come after Z (characters just after 'z' stand in for them).
_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def danish_key(text: str) -> str:
    """Sort key for Danish alphabetical order, ignoring case and other accents: Æ, Ø, Å after Z,
    and 'aa' sorts as Å (Aagaard after Zeuthen)."""
    # NFC first: a decomposed å (a + ring) would otherwise lose its ring and sort as 'a'.
    text = unicodedata.normalize("NFC", text).casefold().replace("aa", "å").translate(_DANISH_ORDER)
    return _without_accents(text)


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():  # most names once æ, ø, å are mapped: skip the per-letter filter
        return decomposed
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form for search: 'SØREN' and 'soren' both give 'soren'.

    Danish letters fold as a Dane types them without a Danish keyboard: æ→ae, ø→o, å→aa,
    other accents are dropped (é→e).
    """
    if not text:
        return ""
    # NFC first: a decomposed å (a + ring, as pasted from some systems) folds like å.
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    return _without_accents(text)


TRIGRAM = 3  # the shortest search the trigram index (schema.sql's employee_search) can serve


def short_terms(text: str | None) -> list[str]:
    """The searches too short for the trigram index that a folded text matches, whose matches
    schema.sql's short_term_count counts: '' (no search: the list's own count) and the text's
    distinct pieces of one and two characters."""
    return sorted(_short_term_set(text or ""))


def _short_term_set(text: str) -> set[str]:
    # '', one and two characters: the lengths below TRIGRAM (3)
    pieces = set(text)
    pieces.update([text[i : i + 2] for i in range(len(text) - 1)])
    pieces.add("")
    return pieces


def search_keys(name: str, email: str, group: str) -> tuple[str, str, str, str]:
    """An employee's name_key, name_fold, email_fold and grp_fold: what schema.sql's
    employee_keys triggers store (for bulk inserts that set the triggers aside)."""
    return danish_key(name), fold(name), fold(email), fold(group)


def count_short_terms(db: sqlite3.Connection, rows: Iterable[tuple[int, int, str, str]]) -> None:
    """Add employees, as (company_id, active, name_fold, email_fold), to short_term_count at once:
    what its triggers do row by row (for an older database, and the generator's bulk insert;
    counted here in Python: far cheaper than the same through SQL's json_each)."""
    counts: defaultdict[tuple, Counter] = defaultdict(Counter)
    for company_id, active, name_fold, email_fold in rows:
        counts[company_id, active, "name"].update(_short_term_set(name_fold or ""))
        counts[company_id, active, "email"].update(_short_term_set(email_fold or ""))
    db.executemany(
        "INSERT INTO short_term_count (company_id, active, field, term, n) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT DO UPDATE SET n = n + excluded.n",
        [(*group, term, n) for group, counter in counts.items() for term, n in counter.items()],
    )
