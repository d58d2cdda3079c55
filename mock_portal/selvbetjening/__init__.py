"""NemID selvbetjening: overview, Administrér medarbejdere, medarbejder, rettigheder, hændelser.

Every view needs a log-in, and every query is scoped to the administrator's own company: an
employee id of another company answers 404, on GET and on POST alike. The blueprint's URLs are
here, each page's view in a module of its own.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint

from mock_portal.clock import COPENHAGEN
from mock_portal.selvbetjening import employee, employees, events, pages, rights_page

bp = Blueprint("selvbetjening", __name__, url_prefix="/selvbetjening")

EMPLOYEE = "/medarbejdere/<int:employee_id>"
FORM = ("GET", "POST")
bp.add_url_rule("/", "overview", pages.overview)  # added first: url_for gives /selvbetjening/
bp.add_url_rule("", "overview", pages.overview)
bp.add_url_rule("/side/<key>", "simple", pages.simple)
bp.add_url_rule("/medarbejdere", "employees", employees.employees)
bp.add_url_rule(EMPLOYEE, "employee", employee.employee, methods=FORM)
bp.add_url_rule(f"{EMPLOYEE}/rettigheder", "rights", rights_page.rights, methods=FORM)
bp.add_url_rule(f"{EMPLOYEE}/haendelser", "events", events.events)
bp.add_url_rule(f"{EMPLOYEE}/slet", "delete", employee.delete, methods=FORM)


@bp.app_template_filter("when")
def when(stamp: str) -> str:
    """An event time as the portal shows it: 15-01-2026 kl. 10:00 (Copenhagen time)."""
    moment = datetime.fromisoformat(stamp).astimezone(COPENHAGEN)
    return moment.strftime("%d-%m-%Y kl. %H:%M")


@bp.app_context_processor
def menu():
    return {"portal_menu": pages.MENU}
