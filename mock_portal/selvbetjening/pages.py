"""The overview (Selvbetjening) and the menu's other pages, which only say what they are."""

from __future__ import annotations

from flask import abort, render_template

from mock_portal.auth import login_required

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


@login_required
def overview():
    return render_template("selvbetjening/overview.html", current="overview")


@login_required
def simple(key):
    label = SIMPLE_PAGES.get(key)
    if label is None:
        abort(404)
    return render_template("selvbetjening/simple.html", current=key, title=label)
