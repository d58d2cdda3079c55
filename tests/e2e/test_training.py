"""Training mode in Chromium: a trainee completes the exercise (with one wrong turn), two
trainees practising at the same time do not see each other's changes, and 'Vis hvor' frames the
elements the guide frames."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from flows.core import browser as sesag_browser
from flows.core import steps
from flows.core.credentials import Credentials
from flows.core.embedded import embedded_portal
from flows.core.pages import EmployeePage, EmployeesPage, FrontPage, LoginPage, RightsPage, SelfServicePage


@pytest.fixture(scope="module")
def training_portal():
    """A portal of its own in training mode: trainees get sandboxes, the shared data stays as seeded."""
    with embedded_portal(TRAINING=True) as portal:
        yield portal


def panel(page: Page):
    return page.get_by_role("complementary", name="Øvelse")


def start_exercise(page: Page, url: str, employee: str = "Medlem - Lra", right: str = "Sagsbehandler") -> None:
    """As a trainee does it: the switch on the front page, then the task form."""
    FrontPage(page, url).open()
    panel(page).get_by_role("link", name="Start øvelse").click()
    page.get_by_label("Medarbejder").select_option(label=employee)
    page.get_by_role("radio", name=right, exact=True).check()
    page.get_by_role("button", name="Start øvelse").click()
    expect(panel(page)).to_contain_text(f"Opgave: Giv {employee} rettigheden {right}")


def reach_rights(page: Page, url: str, employee: str = "Medlem - Lra") -> RightsPage:
    FrontPage(page, url).go_to_login()
    LoginPage(page).log_in(Credentials.demo())
    SelfServicePage(page).open_employees()
    employees = EmployeesPage(page)
    employees.search(name=employee)
    employees.open_employee(employee)
    EmployeePage(page).open_rights()
    return RightsPage(page)


def test_trainee_completes_the_exercise_with_one_wrong_turn(page: Page, training_portal):
    url = training_portal.url
    start_exercise(page, url)
    hints = panel(page)
    expect(hints).to_contain_text("Trin 1 af 5")
    expect(hints).to_contain_text("Vælg 'Log på NemID selvbetjening'.")

    front = FrontPage(page, url)
    front.go_to_login()
    expect(hints).to_contain_text("Trin 1 af 5")
    LoginPage(page).log_in(Credentials.demo())
    expect(hints).to_contain_text("Trin 2 af 5")
    expect(hints).to_contain_text("Vælg 'Administrér medarbejdere' i menuen til venstre.")

    SelfServicePage(page).open_employees()
    expect(hints).to_contain_text("Trin 3 af 5")
    employees = EmployeesPage(page)

    # the wrong turn: the pencil of another employee
    employees.search(name="Medlem")
    employees.open_employee("Medlem - Bruger")
    expect(hints).to_contain_text("Hov, det er Medlem - Bruger. Opgaven gælder Medlem - Lra")
    hints.get_by_role("link", name="Tilbage til medarbejderlisten").click()
    expect(page).to_have_url(re.compile(r"/selvbetjening/medarbejdere$"))
    expect(hints).not_to_contain_text("Hov")

    employees.search(name="Medlem - Lra")
    employees.open_employee("Medlem - Lra")
    expect(hints).to_contain_text("Trin 4 af 5")
    EmployeePage(page).open_rights()
    expect(hints).to_contain_text("Trin 5 af 5")
    expect(hints).to_contain_text("Rettigheden i denne øvelse: Sagsbehandler")

    rights = RightsPage(page)
    rights.set_right("sagsbehandler", True)
    assert rights.save().saved
    expect(hints).to_contain_text(
        "Godt klaret! Medlem - Lra har nu rettigheden Sagsbehandler og ikke Kommunal sagsbehandler."
    )

    hints.get_by_role("link", name="Se resultat").click()
    expect(page.get_by_role("heading", name="RESULTAT AF ØVELSEN")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Godt klaret!")


def test_two_trainees_do_not_see_each_others_changes(page: Page, browser, training_portal):
    url = training_portal.url
    other = browser.new_context(**sesag_browser.context_options())
    try:
        second = other.new_page()
        start_exercise(page, url, right="Sagsbehandler")
        start_exercise(second, url, right="Kommunal sagsbehandler")
        first_rights = reach_rights(page, url)
        second_rights = reach_rights(second, url)

        first_rights.set_right("sagsbehandler", True)
        assert first_rights.save().saved
        second.reload()
        expect(second_rights.checkbox("sagsbehandler")).not_to_be_checked()  # not in the second sandbox

        second_rights.set_right("kommunal-sagsbehandler", True)
        assert second_rights.save().saved
        expect(panel(second)).to_contain_text("Godt klaret! Medlem - Lra har nu rettigheden Kommunal sagsbehandler")

        page.reload()
        expect(first_rights.checkbox("sagsbehandler")).to_be_checked()
        expect(first_rights.checkbox("kommunal-sagsbehandler")).not_to_be_checked()
        expect(panel(page)).to_contain_text("Godt klaret! Medlem - Lra har nu rettigheden Sagsbehandler")
    finally:
        other.close()


def framed(page: Page):
    """The elements 'Vis hvor' frames now (once training.js has run)."""
    expect(page.locator("html[data-training-shown]")).to_have_count(1)
    return page.locator(".training-target")


def test_vis_hvor_frames_what_the_guide_frames_on_each_screen(page: Page, training_portal):
    """The catalogue's declarative targets, found by training.js in the live page, are the very
    elements flows/core/steps.py's Playwright targets find, scene by scene through Trin 1-5."""
    start_exercise(page, training_portal.url)
    walk = steps.Walk(page=page, base_url=training_portal.url, credentials=Credentials.demo())
    checked = []

    def on_scene(step, scene, walk):
        guide = scene.targets(walk)
        shown = framed(page)
        expect(shown).to_have_count(sum(target.count() for target in guide))
        for target in guide:
            expect(target).to_have_class(re.compile(r"\btraining-target\b"))
        checked.append(scene.id)

    steps.run_procedure(walk, on_scene)
    assert checked == [scene.id for step in steps.procedure() for scene in step.scenes]


def test_vis_hvor_switches_the_frames_off_and_remembers_it(page: Page, training_portal):
    start_exercise(page, training_portal.url)
    expect(framed(page)).to_have_count(1)  # 'Log på NemID selvbetjening'
    switch = panel(page).get_by_role("switch", name="Vis hvor")
    switch.uncheck()
    expect(page.locator(".training-target")).to_have_count(0)
    FrontPage(page, training_portal.url).go_to_login()
    expect(panel(page).get_by_role("switch", name="Vis hvor")).not_to_be_checked()
    expect(framed(page)).to_have_count(0)
    panel(page).get_by_role("switch", name="Vis hvor").check()
    expect(page.locator(".training-target")).to_have_count(3)  # bruger-id, adgangskode, 'Næste'
