"""The employee list's search as SQLite is asked it: its conditions, its count and its page.

What was typed (name, e-mail, group, status) becomes one WHERE clause over one source: the
trigram index (FTS5) for a term of at least TRIGRAM characters, a scan of the index of folded
columns for a shorter one. The count and the page then pick the cheapest way to that clause.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from mock_portal.keys import TRIGRAM, fold

PAGE_SIZES = (15, 30, 50)
STATUSES = {"aktiv": "Aktive", "inaktiv": "Inaktive", "alle": "Alle"}
SORT_AT_MOST = 300  # trigram matches sorted for a page; more are paged by walking the list's index
# The trigram index is asked for at most this many characters of a search (6 trigrams); a
# longer search is checked on those matches. FTS5 reads a doclist per trigram of the phrase,
# so a long phrase of trigrams most names hold ("sensen...") costs many times its first 8
# characters (decision 0008; the figures in bench/README.md).
PHRASE_AT_MOST = 8
WALK = "employee INDEXED BY employee_short_search"  # the list's order, the folded columns in it
ACTIVE = {"aktiv": (1, 1), "inaktiv": (0, 0), "alle": (0, 1)}  # short_term_count's active IN (?, ?)


@dataclass
class EmployeeQuery:
    """One company's list for what was typed: ``where``/``params`` over ``source``."""

    company: int
    name: str = ""
    email: str = ""
    group: str = ""
    status: str = "aktiv"
    size: int = PAGE_SIZES[0]
    page: int = 1
    where: list[str] = field(init=False, default_factory=list)
    params: list = field(init=False, default_factory=list)
    phrases: list[str] = field(init=False, default_factory=list)  # FTS5 column phrases, one MATCH
    shorts: list[tuple[str, str]] = field(init=False, default_factory=list)  # (field, term) below a trigram
    walk: list[tuple[str, str]] = field(init=False, default_factory=list)  # (column, term) of the phrases
    longs: bool = field(init=False, default=False)  # a term longer than its phrase, checked on the matches
    table: str = field(init=False, default="employee")
    source: str = field(init=False, default="employee")

    def __post_init__(self):
        self.where.append("employee.company_id = ?")
        self.params.append(self.company)
        if self.group:  # case- and accent-insensitive like the other fields (?gruppe=jobcenter works too)
            self.where.append("employee.grp_fold = ?")
            self.params.append(fold(self.group))
        if self.status != "alle":
            self.where.append("employee.active = ?")
            self.params.append(1 if self.status == "aktiv" else 0)
        for kind, column, text in (("name", "name_fold", self.name), ("email", "email_fold", self.email)):
            self._add_term(kind, column, fold(text))
        # Without a group the short search's index is the smallest to scan (and in the list's order).
        self.table = WALK if self.shorts and not self.group else "employee"
        self.source = self.table
        if self.phrases:  # the trigram index finds the matches; the count reads only those rows
            # Only company and status to check: the narrow index, not the table's wide rows.
            scope = " INDEXED BY employee_scope" if not (self.shorts or self.group or self.longs) else ""
            self.source = f"employee_search CROSS JOIN employee{scope} ON employee.id = employee_search.rowid"
            self.where.insert(0, "employee_search MATCH ?")
            self.params.insert(0, " AND ".join(self.phrases))

    def _add_term(self, kind: str, column: str, term: str) -> None:
        if len(term) >= TRIGRAM:
            phrase = term[:PHRASE_AT_MOST]
            self.phrases.append(f'{column} : "{phrase.replace(chr(34), chr(34) * 2)}"')
            self.walk.append((column, term))
            if phrase != term:  # the index finds the matches of its start; the whole is checked on them
                self.where.append(f"instr(employee.{column}, ?) > 0")
                self.params.append(term)
                self.longs = True
        elif term:  # too short for the trigram index: a scan of the index that holds the folded columns
            self.where.append(f"instr(employee.{column}, ?) > 0")
            self.params.append(term)
            self.shorts.append((kind, term))

    @property
    def clause(self) -> str:
        return " AND ".join(self.where)

    @property
    def searching(self) -> bool:
        return bool(self.name or self.email or self.group or self.status != "aktiv")

    def as_args(self) -> dict:
        """The query string that asks for this list again (the pager's links keep the search)."""
        return {"navn": self.name, "email": self.email, "gruppe": self.group, "status": self.status, "vis": self.size}

    def count(self, db) -> int:
        """How many employees match."""
        if len(self.shorts) <= 1 and not self.phrases and not self.group:
            # The list, or one short term alone: counted already (schema.sql's short_term_count).
            return db.execute(
                "SELECT COALESCE(SUM(n), 0) FROM short_term_count"
                " WHERE company_id = ? AND active IN (?, ?) AND field = ? AND term = ?",
                (self.company, *ACTIVE[self.status], *(self.shorts or [("name", "")])[0]),
            ).fetchone()[0]
        return db.execute(f"SELECT COUNT(*) FROM {self.source} WHERE {self.clause}", self.params).fetchone()[0]

    def pages(self, total: int) -> int:
        return max(1, math.ceil(total / self.size))

    def page_plan(self, total: int) -> tuple[str, list[str], list]:
        """(source, where, params) the page's rows are read from, for ``total`` matches."""
        if not (self.phrases and total > SORT_AT_MOST):
            return self.source, self.where, self.params
        # Many matches: walk the list's index in order and stop at the page, rather than sort
        # them. Without a group the walk tests each entry's folded name and e-mail in the index
        # itself (what the trigram index matches, the same substrings), so its cost is the
        # page's, however many match; with one, it tests them against the set of matches.
        where, params = list(self.where), list(self.params)
        if self.group:
            where[0] = "employee.id IN (SELECT rowid FROM employee_search WHERE employee_search MATCH ?)"
            return self.table, where, params
        del where[0], params[0]
        for column, term in self.walk:
            check = f"instr(employee.{column}, ?) > 0"
            if check not in where:  # a long search's is there already
                where.append(check)
                params.append(term)
        return WALK, where, params

    def rows(self, db, total: int, backwards: bool | None = None) -> list:
        """The page's rows, in the list's order, of ``total`` matches (the page must be one of
        them). ``backwards``: counted from the end, by default for a page in the second half."""
        if not total:  # nothing matches: a second pass over the trigram index would find nothing again
            return []
        # The page's ids from an index alone (by position in name_key order), then only those rows.
        # A page in the second half is counted from the end (the index read backwards): the last
        # page costs what the first does, the middle one is the farthest from both ends.
        start = (self.page - 1) * self.size
        if backwards is None:
            backwards = start > total / 2
        order, skip, take = "", start, self.size
        if backwards:
            order, skip, take = " DESC", max(0, total - start - self.size), min(self.size, total - start)
        source, where, params = self.page_plan(total)
        return db.execute(
            f"SELECT * FROM employee WHERE id IN (SELECT employee.id FROM {source} WHERE {' AND '.join(where)}"
            f" ORDER BY employee.name_key{order}, employee.id{order} LIMIT ? OFFSET ?) ORDER BY name_key, id",
            [*params, take, skip],
        ).fetchall()
