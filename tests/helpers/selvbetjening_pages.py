"""Reading the selvbetjening pages in Flask test-client tests: the list's names, the forms'
versions and values, the rights tree's ticks, and what the database holds for an employee."""

from __future__ import annotations

import html as htmllib
import re

LIST = "/selvbetjening/medarbejdere"
SAG, KOM = "aes.sagsbehandler", "aes.kommunal_sagsbehandler"


def names(page_html: str) -> list[str]:
    """The names in the table, from the pencil links' accessible names."""
    return [htmllib.unescape(n) for n in re.findall(r'aria-label="Administrér ([^"]+)"', page_html)]


def get(client, path, **params):
    response = client.get(path, query_string=params)
    return response, response.get_data(as_text=True)


def listed(client, **params) -> list[str]:
    """The names listed for a search over every employee (active or not), up to 50."""
    response, page_html = get(client, LIST, **{"status": "alle", "vis": 50, **params})
    assert response.status_code == 200
    return names(page_html)


def version(html: str) -> str:
    return re.search(r'<input type="hidden" name="version" value="(\d+)">', html).group(1)


def employee_form(client, eid) -> dict:
    page_html = client.get(f"{LIST}/{eid}").get_data(as_text=True)

    def value(name):
        return htmllib.unescape(re.search(rf'name="{name}" value="([^"]*)"', page_html).group(1))

    return {"navn": value("navn"), "email": value("email"), "adresse": value("adresse"), "version": version(page_html)}


def rights_url(eid) -> str:
    return f"{LIST}/{eid}/rettigheder"


def rights_page(client, eid) -> str:
    return client.get(rights_url(eid)).get_data(as_text=True)


def checked(html):
    return set(re.findall(r'<input type="checkbox" id="r-[^"]+" name="right" value="([^"]+)"[^>]*\bchecked>', html))


def held(query, eid):
    return {r["right_id"] for r in query("SELECT right_id FROM employee_right WHERE employee_id = ?", eid)}


def rights_state(query, eid):
    return (
        query("SELECT right_id FROM employee_right WHERE employee_id = ? ORDER BY right_id", eid),
        query("SELECT COUNT(*) AS n FROM event"),
        query("SELECT rights_version FROM employee WHERE id = ?", eid),
    )
