"""Demo employees for tests that change rights through the portal."""

from __future__ import annotations

from mock_portal.demo_data import companies


def plain_employees(count: int) -> list:
    """The first ``count`` active demo employees of the first company with no Se Sag right, no
    administrator among them, and a name and e-mail that find one employee each."""
    people = [
        e
        for e in companies()[0].employees
        if e.active and not e.rights and not e.is_admin and "Jensen" not in e.name and not e.email.endswith("nets.dk")
    ]
    return people[:count]
