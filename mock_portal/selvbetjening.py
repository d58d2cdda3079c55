"""NemID selvbetjening: overview, Administrér medarbejdere, medarbejder, rettigheder, hændelser.

Every view needs a log-in, and every query is scoped to the administrator's own company: an
employee id of another company answers 404, on GET and on POST alike.
"""

from __future__ import annotations

import math
import re
import threading
import time
import unicodedata
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for

from mock_portal import rights as portal_rights
from mock_portal.auth import login_required
from mock_portal.clock import COPENHAGEN, now, stamp
from mock_portal.db import (
    TRIGRAM,
    TooMuchWork,
    bounded_work,
    danish_key,
    fold,
    get_db,
    write_transaction,
)

bp = Blueprint("selvbetjening", __name__, url_prefix="/selvbetjening")

PAGE_SIZES = (15, 30, 50)
EVENTS_PAGE = 50
STATUSES = {"aktiv": "Aktive", "inaktiv": "Inaktive", "alle": "Alle"}
MAX_NAME = 100
MAX_EMAIL = 254
MAX_ADDRESS = 200
MAX_ID = 2**62
SORT_AT_MOST = 300  # trigram matches sorted for a page; more are paged by walking the list's index
# The trigram index is asked for at most this many characters of a search (6 trigrams); a
# longer search is checked on those matches. FTS5 reads a doclist per trigram of the phrase:
# 100 characters of trigrams most names hold ("sensen...") cost 40x the first 14, and the
# first 8 cost 2.5 ms at 50,000 employees (bench/README.md).
PHRASE_AT_MOST = 8
# The bounds on a list page's SQLite work (SEARCH_CPU_*) are config: create_app's defaults.
TOO_MANY_SEARCHES = "Du har søgt meget på kort tid. Vent et øjeblik, og søg igen."
TOO_MUCH_WORK = (
    "Søgningen kræver for meget arbejde til at blive vist. Skriv en kortere eller mere præcis søgning, "
    "eller vælg en gruppe eller status."
)
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")

MENU = [
    ("information", "Information"),
    ("bestil", "Bestil"),
    ("overview", "Selvbetjening"),
    ("opret", "Opret medarbejdere"),
    ("statistik", "Statistik"),
    ("employees", "Administrér medarbejdere"),
    ("bestillinger", "Administrér bestillinger"),
    ("oevrige", "Øvrige signaturer"),
    ("services", "Tilføj services"),
    ("fakturering", "Fakturering"),
    ("certifikat", "Søg certifikat"),
    ("indstillinger", "NemID indstillinger"),
    ("priser", "Priser"),
    ("vilkaar", "Vilkår"),
    ("support", "Support"),
]
SIMPLE_PAGES = {key: label for key, label in MENU if key not in ("overview", "employees")}


@bp.app_template_filter("when")
def when(stamp: str) -> str:
    """An event time as the portal shows it: 15-01-2026 kl. 10:00 (Copenhagen time)."""
    moment = datetime.fromisoformat(stamp).astimezone(COPENHAGEN)
    return moment.strftime("%d-%m-%Y kl. %H:%M")


@bp.app_context_processor
def menu():
    return {"portal_menu": MENU}


def _stamp() -> str:
    return stamp(now())


def _employee_or_404(employee_id: int):
    """The employee if it belongs to the logged-in administrator's company, else 404."""
    if employee_id > MAX_ID:  # SQLite integers are 64-bit; a longer id cannot exist
        abort(404)
    row = (
        get_db()
        .execute("SELECT * FROM employee WHERE id = ? AND company_id = ?", (employee_id, g.admin["company_id"]))
        .fetchone()
    )
    if row is None:
        abort(404)
    return row


def _held(employee_id: int) -> set[str]:
    rows = get_db().execute("SELECT right_id FROM employee_right WHERE employee_id = ?", (employee_id,))
    return {row["right_id"] for row in rows}


def _event(employee, text: str) -> None:
    get_db().execute(
        "INSERT INTO event (company_id, employee_id, at, actor, text) VALUES (?, ?, ?, ?, ?)",
        (employee["company_id"], employee["id"], _stamp(), f"{g.admin['name']} ({g.admin['user_id']})", text),
    )


@bp.route("")
@bp.route("/")
@login_required
def overview():
    return render_template("overview.html", current="overview")


@bp.route("/side/<key>")
@login_required
def simple(key):
    label = SIMPLE_PAGES.get(key)
    if label is None:
        abort(404)
    return render_template("simple.html", current=key, title=label)


def _int_arg(name: str, default: int, allowed=None) -> int:
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


def _nfc(text: str) -> str:
    # 'å' may arrive decomposed (a + ring, e.g. pasted from macOS); fold() maps only the composed one.
    return unicodedata.normalize("NFC", text)


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


def _allowance() -> SearchAllowance:
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


def _text_arg(name: str, limit: int) -> str:
    return without_controls(_nfc(request.args.get(name, ""))).strip()[:limit]


@bp.route("/medarbejdere")
@login_required
def employees():
    """ADMINISTRÉR MEDARBEJDERE: the table, Vis 15, paging and AVANCERET SØGNING."""
    name = _text_arg("navn", MAX_NAME)
    email = _text_arg("email", MAX_EMAIL)
    group = _text_arg("gruppe", MAX_NAME)
    status = request.args.get("status", "aktiv")
    if status not in STATUSES:
        status = "aktiv"
    size = _int_arg("vis", PAGE_SIZES[0], PAGE_SIZES)
    page = _int_arg("side", 1)
    company = g.admin["company_id"]
    where, params = ["employee.company_id = ?"], [company]
    if group:  # case- and accent-insensitive like the other fields (?gruppe=jobcenter works too)
        where.append("employee.grp_fold = ?")
        params.append(fold(group))
    if status != "alle":
        where.append("employee.active = ?")
        params.append(1 if status == "aktiv" else 0)
    phrases, shorts, walk, longs = [], [], [], False
    for field, column, text in (("name", "name_fold", name), ("email", "email_fold", email)):
        term = fold(text)
        if len(term) >= TRIGRAM:
            phrase = term[:PHRASE_AT_MOST]
            phrases.append(f'{column} : "{phrase.replace(chr(34), chr(34) * 2)}"')
            walk.append((column, term))
            if phrase != term:  # the index finds the matches of its start; the whole is checked on them
                where.append(f"instr(employee.{column}, ?) > 0")
                params.append(term)
                longs = True
        elif term:  # too short for the trigram index: a scan of the index that holds the folded columns
            where.append(f"instr(employee.{column}, ?) > 0")
            params.append(term)
            shorts.append((field, term))
    short = bool(shorts)
    # Without a group the short search's index is the smallest to scan (and in the list's order).
    table = "employee INDEXED BY employee_short_search" if short and not group else "employee"
    source = table
    if phrases:  # the trigram index finds the matches; the count reads only those rows
        # Only company and status to check: the narrow index, not the table's wide rows.
        scope = " INDEXED BY employee_scope" if not (short or group or longs) else ""
        source = f"employee_search CROSS JOIN employee{scope} ON employee.id = employee_search.rowid"
        where.insert(0, "employee_search MATCH ?")
        params.insert(0, " AND ".join(phrases))
    query = {"navn": name, "email": email, "gruppe": group, "status": status, "vis": size}
    allowance, who = _allowance(), session.sid or request.remote_addr or ""
    if not allowance.allows(who):  # answered before any query: the waiting page costs next to nothing
        return render_template("error.html", title="Administrér medarbejdere", message=TOO_MANY_SEARCHES), 429
    started = time.thread_time()
    try:
        with bounded_work(current_app.config["SEARCH_CPU_SECONDS"]):
            total, rows, pages = _list_page(
                where, params, shorts, phrases, walk, source, table, group, status, size, page
            )
    except TooMuchWork:
        return _employees_page(name, email, group, status, query, size, [], 0, 1, 1, TOO_MUCH_WORK), 400
    finally:
        used = time.thread_time() - started
        allowance.spend(who, max(0.0, used - current_app.config["SEARCH_CPU_FREE"]))
    return _employees_page(name, email, group, status, query, size, rows, total, page, pages)


def _list_page(where, params, shorts, phrases, walk, source, table, group, status, size, page):
    """(total, the page's rows, pages) of the list's search; 404 for a page beyond the last."""
    company = g.admin["company_id"]
    db = get_db()
    clause = " AND ".join(where)
    if len(shorts) <= 1 and not phrases and not group:
        # The list, or one short term alone: counted already (schema.sql's short_term_count).
        total = db.execute(
            "SELECT COALESCE(SUM(n), 0) FROM short_term_count"
            " WHERE company_id = ? AND active IN (?, ?) AND field = ? AND term = ?",
            (company, *{"aktiv": (1, 1), "inaktiv": (0, 0), "alle": (0, 1)}[status], *(shorts or [("name", "")])[0]),
        ).fetchone()[0]
    else:
        total = db.execute(f"SELECT COUNT(*) FROM {source} WHERE {clause}", params).fetchone()[0]
    if phrases and total > SORT_AT_MOST:
        # Many matches: walk the list's index in order and stop at the page, rather than sort
        # them. Without a group the walk tests each entry's folded name and e-mail in the index
        # itself (what the trigram index matches, the same substrings), so its cost is the
        # page's, however many match; with one, it tests them against the set of matches.
        if group:
            source = table
            where[0] = "employee.id IN (SELECT rowid FROM employee_search WHERE employee_search MATCH ?)"
        else:
            source = "employee INDEXED BY employee_short_search"
            del where[0], params[0]
            for column, term in walk:
                check = f"instr(employee.{column}, ?) > 0"
                if check not in where:  # a long search's is there already
                    where.append(check)
                    params.append(term)
        clause = " AND ".join(where)
    pages = max(1, math.ceil(total / size))
    if page < 1 or page > pages:
        abort(404)
    # The page's ids from an index alone (by position in name_key order), then only those rows.
    # A page in the second half is counted from the end (the index read backwards): the last
    # page costs what the first does, the middle one is the farthest from both ends.
    start = (page - 1) * size
    order, skip, take = "", start, size
    if start > total / 2:
        order, skip, take = " DESC", max(0, total - start - size), min(size, total - start)
    if not total:  # nothing matches: a second pass over the trigram index would find nothing again
        return 0, [], pages
    rows = db.execute(
        f"SELECT * FROM employee WHERE id IN (SELECT employee.id FROM {source} WHERE {clause}"
        f" ORDER BY employee.name_key{order}, employee.id{order} LIMIT ? OFFSET ?) ORDER BY name_key, id",
        params + [take, skip],
    ).fetchall()
    return total, rows, pages


def _employees_page(name, email, group, status, query, size, rows, total, page, pages, error=""):
    company = g.admin["company_id"]
    db = get_db()
    # The distinct groups by index seeks, one per group, rather than a pass over every employee.
    groups = sorted(
        (
            row[0]
            for row in db.execute(
                "WITH RECURSIVE grp (name) AS (SELECT MIN(grp) FROM employee WHERE company_id = :company"
                " UNION ALL SELECT (SELECT MIN(grp) FROM employee WHERE company_id = :company AND grp > grp.name)"
                " FROM grp WHERE grp.name IS NOT NULL) SELECT name FROM grp WHERE name IS NOT NULL",
                {"company": company},
            )
        ),
        key=lambda grp: (danish_key(grp), grp),
    )
    searching = bool(name or email or group or status != "aktiv")
    return render_template(
        "employees.html",
        current="employees",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        size=size,
        window=page_window(page, pages),
        sizes=PAGE_SIZES,
        groups=groups,
        statuses=STATUSES,
        searching=searching,
        query=query,
        error=error,
    )


def page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers the pager shows: all of them when few, else the first, the last and
    ``around`` either side of ``page``, with None for each gap (3,334 links would be a page of
    their own at 50,000 employees)."""
    if pages <= 2 * around + 5:
        return list(range(1, pages + 1))
    near = range(max(2, page - around), min(pages - 1, page + around) + 1)
    window: list[int | None] = [1]
    if near[0] > 2:
        window.append(None)
    window += near
    if near[-1] < pages - 1:
        window.append(None)
    return window + [pages]


def _validate_employee(form) -> tuple[dict, list[str]]:
    values = {
        "name": _nfc(form.get("navn", "")).strip(),
        "email": _nfc(form.get("email", "")).strip(),
        "address": _nfc(form.get("adresse", "")).strip(),
        "is_admin": form.get("nemid_administrator") == "ja",
    }
    errors = []
    if not values["name"]:
        errors.append("Navn skal udfyldes.")
    elif len(values["name"]) > MAX_NAME:
        errors.append(f"Navn må højst være {MAX_NAME} tegn.")
    if not values["email"]:
        errors.append("E-mail-adresse skal udfyldes.")
    elif len(values["email"]) > MAX_EMAIL or not EMAIL.match(values["email"]):
        errors.append("E-mail-adressen er ikke gyldig.")
    if not values["address"]:
        errors.append("Adresse skal udfyldes.")
    elif len(values["address"]) > MAX_ADDRESS:
        errors.append(f"Adresse må højst være {MAX_ADDRESS} tegn.")
    # A line break or control character would corrupt the table, the events and any export.
    for key, label in (("name", "Navn"), ("email", "E-mail-adresse"), ("address", "Adresse")):
        if any(unicodedata.category(c) == "Cc" for c in values[key]):
            errors.append(f"{label} må ikke indeholde linjeskift eller kontroltegn.")
        # Zero-width and bidi characters make two employees look identical (the flows' lookup).
        elif any(unicodedata.category(c) == "Cf" for c in values[key]):
            errors.append(f"{label} må ikke indeholde usynlige tegn eller retningstegn.")
    return values, errors


def _email_taken(employee, email: str) -> bool:
    """Another employee of the same company has this e-mail address (in any case)."""
    return (
        get_db()
        .execute(
            "SELECT 1 FROM employee WHERE company_id = ? AND id != ? AND lower(email) = lower(?)",
            (employee["company_id"], employee["id"], email),
        )
        .fetchone()
        is not None
    )


@bp.route("/medarbejdere/<int:employee_id>", methods=("GET", "POST"))
@login_required
def employee(employee_id):
    """ADMINISTRÉR MEDARBEJDER: the form and HÆNDELSER OG RETTIGHEDER FOR <navn>."""
    person = _employee_or_404(employee_id)
    errors: list[str] = []
    values = {
        "name": person["name"],
        "email": person["email"],
        "address": person["address"],
        "is_admin": bool(person["is_admin"]),
    }
    status = 200
    if request.method == "POST":
        values, errors = _validate_employee(request.form)
        if not errors and _email_taken(person, values["email"]):
            errors.append("En anden medarbejder har allerede den e-mail-adresse.")
        if errors:
            status = 400
        else:
            labels = {
                "name": "Navn",
                "email": "E-mail-adresse",
                "address": "Adresse",
                "is_admin": "NemID administrator",
            }
            db = get_db()
            with write_transaction(db):  # the version check and the write are one step
                person = _employee_or_404(employee_id)
                if request.form.get("version", "") != str(person["data_version"]):
                    flash(
                        f"Oplysningerne om {person['name']} er ændret af en anden, efter du åbnede siden. "
                        "Intet er gemt. Genindlæs siden, og ret oplysningerne igen.",
                        "error",
                    )
                    values = {
                        "name": person["name"],
                        "email": person["email"],
                        "address": person["address"],
                        "is_admin": bool(person["is_admin"]),
                    }
                    return render_template(
                        "employee.html", current="employees", person=person, values=values, errors=[]
                    ), 409
                old = {
                    "name": person["name"],
                    "email": person["email"],
                    "address": person["address"],
                    "is_admin": bool(person["is_admin"]),
                }
                changed = [key for key in labels if values[key] != old[key]]
                if changed:
                    db.execute(
                        "UPDATE employee SET name = ?, email = ?, address = ?, is_admin = ?,"
                        " data_version = data_version + 1 WHERE id = ?",
                        (values["name"], values["email"], values["address"], int(values["is_admin"]), employee_id),
                    )
                for key in changed:
                    shown = ("ja" if values[key] else "nej") if key == "is_admin" else values[key]
                    _event(person, f"Oplysninger ændret: {labels[key]} er nu {shown}")
            flash("Oplysningerne om medarbejderen er gemt." if changed else "Ingen ændringer at gemme.", "success")
            return redirect(url_for("selvbetjening.employee", employee_id=employee_id))
    return render_template("employee.html", current="employees", person=person, values=values, errors=errors), status


@bp.route("/medarbejdere/<int:employee_id>/rettigheder", methods=("GET", "POST"))
@login_required
def rights(employee_id):
    """Administrér rettigheder: the tree, FORTRYD, GEM RETTIGHEDER."""
    person = _employee_or_404(employee_id)
    held = _held(employee_id)
    status = 200
    shown = held
    if request.method == "POST":
        wanted = set(request.form.getlist("right"))
        version = request.form.get("version", "")
        shown = wanted
        try:
            if not person["active"]:  # deleted: a right on it would be a right nobody sees or revokes
                raise portal_rights.RightsRuleError(
                    f"{person['name']} er slettet (inaktiv). Rettigheder gives kun til aktive medarbejdere."
                )
            portal_rights.validate(wanted)
        except portal_rights.RightsRuleError as refusal:
            flash(str(refusal), "error")
            status = 400
        else:
            db = get_db()
            with write_transaction(db):  # serialise saves: the version check and write are one step
                current, active = db.execute(
                    "SELECT rights_version, active FROM employee WHERE id = ?", (employee_id,)
                ).fetchone()
                if version != str(current) or not active:  # changed, or deleted, since the page was read
                    flash(
                        "Rettighederne er ændret af en anden, efter du åbnede siden. Genindlæs siden, "
                        "og gem dine ændringer igen.",
                        "error",
                    )
                    return render_template(
                        "rights.html",
                        current="employees",
                        person=person,
                        tree=portal_rights.RIGHTS_TREE,
                        one_right=portal_rights.ONE_AES_RIGHT,
                        held=_held(employee_id),
                        version=current,
                    ), 409
                # Only rights the catalogue knows take part: one of a service since removed from the
                # catalogue is not on the page, so its absence from the form is no wish to revoke it.
                before = _held(employee_id) & portal_rights.all_rights().keys()
                for right_id in sorted(wanted - before):
                    db.execute(
                        "INSERT INTO employee_right (employee_id, right_id) VALUES (?, ?)", (employee_id, right_id)
                    )
                for right_id in sorted(before - wanted):
                    db.execute(
                        "DELETE FROM employee_right WHERE employee_id = ? AND right_id = ?", (employee_id, right_id)
                    )
                changes = portal_rights.describe_change(before, wanted)
                for text in changes:
                    _event(person, text)
                if changes:
                    db.execute("UPDATE employee SET rights_version = rights_version + 1 WHERE id = ?", (employee_id,))
            flash(f"Rettighederne er gemt for {person['name']}.", "success")
            return redirect(url_for("selvbetjening.rights", employee_id=employee_id))
    return render_template(
        "rights.html",
        current="employees",
        person=person,
        tree=portal_rights.RIGHTS_TREE,
        one_right=portal_rights.ONE_AES_RIGHT,
        held=shown,
        version=person["rights_version"],
    ), status


@bp.route("/medarbejdere/<int:employee_id>/haendelser")
@login_required
def events(employee_id):
    """Se hændelser: every change of rights and data, newest first."""
    person = _employee_or_404(employee_id)
    page = _int_arg("side", 1)
    db = get_db()
    total = db.execute("SELECT COUNT(*) FROM event WHERE employee_id = ?", (employee_id,)).fetchone()[0]
    pages = max(1, math.ceil(total / EVENTS_PAGE))
    if page < 1 or page > pages:
        abort(404)
    rows = db.execute(
        "SELECT * FROM event WHERE employee_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
        (employee_id, EVENTS_PAGE, (page - 1) * EVENTS_PAGE),
    ).fetchall()
    return render_template(
        "events.html",
        current="employees",
        person=person,
        events=rows,
        page=page,
        pages=pages,
        window=page_window(page, pages),
    )


@bp.route("/medarbejdere/<int:employee_id>/slet", methods=("GET", "POST"))
@login_required
def delete(employee_id):
    """Slet: asks first, then makes the employee inactive (nothing is lost)."""
    person = _employee_or_404(employee_id)
    if request.method == "POST":
        if person["active"]:
            with write_transaction(get_db()):
                get_db().execute("UPDATE employee SET active = 0 WHERE id = ?", (employee_id,))
                _event(person, "Medarbejderen er slettet (gjort inaktiv)")
        flash(f"{person['name']} er slettet og vises nu som inaktiv.", "success")
        return redirect(url_for("selvbetjening.employees"))
    return render_template("delete.html", current="employees", person=person)
