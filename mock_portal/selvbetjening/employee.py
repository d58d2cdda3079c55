"""ADMINISTRÉR MEDARBEJDER: the form and HÆNDELSER OG RETTIGHEDER FOR <navn>, and Slet."""

from __future__ import annotations

import re
import unicodedata

from flask import flash, redirect, render_template, request, url_for

from mock_portal.auth import login_required
from mock_portal.db import get_db, write_transaction
from mock_portal.selvbetjening.args import nfc
from mock_portal.selvbetjening.records import MAX_ADDRESS, MAX_EMAIL, MAX_NAME, add_event, employee_or_404

EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
LABELS = {
    "name": "Navn",
    "email": "E-mail-adresse",
    "address": "Adresse",
    "is_admin": "NemID administrator",
}


def validate_employee(form) -> tuple[dict, list[str]]:
    values = {
        "name": nfc(form.get("navn", "")).strip(),
        "email": nfc(form.get("email", "")).strip(),
        "address": nfc(form.get("adresse", "")).strip(),
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


def email_taken(employee, email: str) -> bool:
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


def stored_values(person) -> dict:
    """The form's values as the employee's row holds them."""
    return {
        "name": person["name"],
        "email": person["email"],
        "address": person["address"],
        "is_admin": bool(person["is_admin"]),
    }


@login_required
def employee(employee_id):
    """The form: shown, or checked and saved."""
    person = employee_or_404(employee_id)
    errors: list[str] = []
    values = stored_values(person)
    status = 200
    if request.method == "POST":
        values, errors = validate_employee(request.form)
        if not errors and email_taken(person, values["email"]):
            errors.append("En anden medarbejder har allerede den e-mail-adresse.")
        if not errors:
            return _save(employee_id, values)
        status = 400
    return render_template(
        "selvbetjening/employee.html", current="employees", person=person, values=values, errors=errors
    ), status


def _save(employee_id: int, values: dict):
    """Saves the changed fields, each with its event; 409 if someone saved since the form was read."""
    db = get_db()
    with write_transaction(db):  # the version check and the write are one step
        person = employee_or_404(employee_id)
        if request.form.get("version", "") != str(person["data_version"]):
            flash(
                f"Oplysningerne om {person['name']} er ændret af en anden, efter du åbnede siden. "
                "Intet er gemt. Genindlæs siden, og ret oplysningerne igen.",
                "error",
            )
            return render_template(
                "selvbetjening/employee.html",
                current="employees",
                person=person,
                values=stored_values(person),
                errors=[],
            ), 409
        old = stored_values(person)
        changed = [key for key in LABELS if values[key] != old[key]]
        if changed:
            db.execute(
                "UPDATE employee SET name = ?, email = ?, address = ?, is_admin = ?,"
                " data_version = data_version + 1 WHERE id = ?",
                (values["name"], values["email"], values["address"], int(values["is_admin"]), employee_id),
            )
        for key in changed:
            shown = ("ja" if values[key] else "nej") if key == "is_admin" else values[key]
            add_event(person, f"Oplysninger ændret: {LABELS[key]} er nu {shown}")
    flash("Oplysningerne om medarbejderen er gemt." if changed else "Ingen ændringer at gemme.", "success")
    return redirect(url_for("selvbetjening.employee", employee_id=employee_id))


@login_required
def delete(employee_id):
    """Slet: asks first, then makes the employee inactive (nothing is lost)."""
    person = employee_or_404(employee_id)
    if request.method == "POST":
        if person["active"]:
            with write_transaction(get_db()):
                get_db().execute("UPDATE employee SET active = 0 WHERE id = ?", (employee_id,))
                add_event(person, "Medarbejderen er slettet (gjort inaktiv)")
        flash(f"{person['name']} er slettet og vises nu som inaktiv.", "success")
        return redirect(url_for("selvbetjening.employees"))
    return render_template("selvbetjening/delete.html", current="employees", person=person)
