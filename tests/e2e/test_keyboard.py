"""Trin 1-5 with the keyboard alone: Tab to each control the guide names, Enter or Space on it.

No mouse click and no ``fill``: text is typed into the focused field. Every control reached
must show where the focus is (an outline), and at the end the employee holds the right.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from flows.core import steps
from flows.core.credentials import Credentials
from flows.core.pages import EmployeePage, EmployeesPage, FrontPage, LoginPage, RightsPage, SelfServicePage, navigate

MAX_TABS = 80  # more than any portal page has controls before the one the procedure needs


def tab_to(page: Page, target: Locator) -> int:
    """Press Tab until ``target`` has the focus; return how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            outline = target.evaluate(
                "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }"
            )
            assert outline[0] != "none" and outline[1] != "0px", f"{target} has the focus but shows no outline"
            return presses
    raise AssertionError(f"{target} was not reached with {MAX_TABS} presses of Tab")


def type_into(page: Page, field: Locator, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def press_on(page: Page, target: Locator, key: str = "Enter") -> None:
    """Tab to ``target`` and press ``key`` on it, waiting for the page it loads."""
    tab_to(page, target)
    navigate(page, lambda: page.keyboard.press(key))


def test_trin_1_to_5_with_the_keyboard_alone(page: Page, portal):
    credentials, employee, right = Credentials.demo(), steps.DEFAULT_EMPLOYEE, "sagsbehandler"
    front, login = FrontPage(page, portal.url), LoginPage(page)
    front.open()

    # Trin 1: log-in, then the key card.
    press_on(page, front.login_link)
    type_into(page, login.user_field, credentials.user)
    type_into(page, login.password_field, credentials.password)
    press_on(page, login.next_button)
    type_into(page, login.key_field, credentials.key_for(login.code_asked(), login.demo_key_shown()))
    press_on(page, login.login_button)

    # Trin 2: Administrér medarbejdere.
    self_service = SelfServicePage(page)
    expect(self_service.heading).to_be_visible()
    press_on(page, self_service.employees_link)

    # Trin 3: find the employee (AVANCERET SØGNING opens with Enter), then the pencil.
    employees = EmployeesPage(page)
    tab_to(page, employees.advanced_search)
    page.keyboard.press("Enter")
    expect(employees.name_field).to_be_visible()
    type_into(page, employees.name_field, employee)
    press_on(page, employees.search_button)
    press_on(page, employees.pencil(employee).first)

    # Trin 4: Administrér rettigheder.
    press_on(page, EmployeePage(page).rights_link)

    # Trin 5: tick the right with Space, then Gem rettigheder.
    rights = RightsPage(page)
    box = rights.checkbox(right)
    tab_to(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    press_on(page, rights.save_button)

    expect(rights.status).to_be_visible()
    assert rights.is_held(right)
    assert rights.held() == {"sagsbehandler": True, "kommunal-sagsbehandler": False}
