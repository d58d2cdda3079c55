"""Administrér rettigheder: the tree, FORTRYD, GEM RETTIGHEDER."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from mock_portal import rights as portal_rights
from mock_portal.auth import login_required
from mock_portal.db import get_db, write_transaction
from mock_portal.selvbetjening.records import add_event, employee_or_404, held


@login_required
def rights(employee_id):
    """The tree with the rights held ticked; on POST the rules checked, then the change saved."""
    person = employee_or_404(employee_id)
    if request.method != "POST":
        return _rights_page(person, held(employee_id), person["rights_version"])
    wanted = set(request.form.getlist("right"))
    try:
        if not person["active"]:  # deleted: a right on it would be a right nobody sees or revokes
            raise portal_rights.RightsRuleError(
                f"{person['name']} er slettet (inaktiv). Rettigheder gives kun til aktive medarbejdere."
            )
        portal_rights.validate(wanted)
    except portal_rights.RightsRuleError as refusal:
        flash(str(refusal), "error")
        return _rights_page(person, wanted, person["rights_version"], 400)
    return _save(person, employee_id, wanted, request.form.get("version", ""))


def _rights_page(person, shown: set[str], version, status: int = 200):
    return render_template(
        "selvbetjening/rights.html",
        current="employees",
        person=person,
        tree=portal_rights.RIGHTS_TREE,
        one_right=portal_rights.ONE_AES_RIGHT,
        held=shown,
        version=version,
    ), status


def _save(person, employee_id: int, wanted: set[str], version: str):
    """Grants and revokes what differs, each change an event; 409 if the rights changed since read."""
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
            return _rights_page(person, held(employee_id), current, 409)
        # Only rights the catalogue knows take part: one of a service since removed from the
        # catalogue is not on the page, so its absence from the form is no wish to revoke it.
        before = held(employee_id) & portal_rights.all_rights().keys()
        for right_id in sorted(wanted - before):
            db.execute("INSERT INTO employee_right (employee_id, right_id) VALUES (?, ?)", (employee_id, right_id))
        for right_id in sorted(before - wanted):
            db.execute("DELETE FROM employee_right WHERE employee_id = ? AND right_id = ?", (employee_id, right_id))
        changes = portal_rights.describe_change(before, wanted)
        for text in changes:
            add_event(person, text)
        if changes:
            db.execute("UPDATE employee SET rights_version = rights_version + 1 WHERE id = ?", (employee_id,))
    flash(f"Rettighederne er gemt for {person['name']}.", "success")
    return redirect(url_for("selvbetjening.rights", employee_id=employee_id))
