"""axe-core on every screen a person meets: 0 serious or critical violations.

The screens of the procedure come from the step catalogue (each scene, walked by
``run_procedure``); the rest are listed here: the key card, the list before a search, the
events, every training page and the guide's HTML. axe runs offline (axe-playwright-python ships
axe.min.js).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from flows.core import steps
from flows.core.credentials import Credentials
from flows.core.embedded import embedded_portal
from flows.core.pages import EmployeePage, EmployeesPage, FrontPage, LoginPage, RightsPage, SelfServicePage

from helpers.sesag_cli import run

BLOCKING = ("serious", "critical")
AXE = Axe()


def blocking_violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line each."""
    found = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} x {', '.join(' '.join(n['target']) for n in v['nodes'][:4])}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def assert_accessible(results: dict[str, list[str]]) -> None:
    failing = {screen: found for screen, found in results.items() if found}
    assert not failing, "axe found serious/critical violations:\n" + "\n".join(
        f"- {screen}: " + "; ".join(found) for screen, found in failing.items()
    )


@pytest.fixture(scope="module")
def training_portal():
    with embedded_portal(TRAINING=True) as portal:
        yield portal


def test_every_scene_of_the_procedure(page: Page, portal):
    results: dict[str, list[str]] = {}

    def check(step: steps.Step, scene: steps.ActedScene, walk: steps.Walk) -> None:
        results[f"{scene.id} ({scene.screen})"] = blocking_violations(page)

    walk = steps.Walk(page=page, base_url=portal.url, credentials=Credentials.demo())
    steps.run_procedure(walk, check)
    assert len(results) == sum(len(step.scenes) for step in steps.procedure())
    assert_accessible(results)


def test_the_other_screens(page: Page, portal):
    """Key card, a refused log-in, the list before searching, no match, inactive rows, the events."""
    results: dict[str, list[str]] = {}
    front, login = FrontPage(page, portal.url), LoginPage(page)
    front.open()
    front.go_to_login()
    login.user_field.fill("admin")
    login.password_field.fill("forkert")
    login.next_button.click()
    login.error.wait_for()
    results["log-in refused"] = blocking_violations(page)
    credentials = Credentials.demo()
    login.user_field.fill(credentials.user)
    login.password_field.fill(credentials.password)
    login.next_button.click()
    login.key_field.wait_for()
    results["key card"] = blocking_violations(page)
    login.key_field.fill(credentials.key_for(login.code_asked(), login.demo_key_shown()))
    login.login_button.click()
    SelfServicePage(page).open_employees()
    employees = EmployeesPage(page)
    results["employees, before a search"] = blocking_violations(page)
    employees.search(name="ingen med det navn")
    results["employees, no match"] = blocking_violations(page)
    employees.search(status="inaktiv")
    assert employees.rows.count() > 0  # the greyed rows of those who have left are checked too
    results["employees, inactive"] = blocking_violations(page)
    employees.search(name=steps.DEFAULT_EMPLOYEE, status="aktiv")
    employees.open_employee(steps.DEFAULT_EMPLOYEE)
    EmployeePage(page).open_events()
    results["events"] = blocking_violations(page)
    assert_accessible(results)


def test_every_training_page(page: Page, training_portal):
    """The start page, the hint panel on the pages of the procedure, the result (not yet, done)."""
    results: dict[str, list[str]] = {}
    front = FrontPage(page, training_portal.url)
    front.open()
    results["front page with the Øvelse switch"] = blocking_violations(page)
    page.goto(training_portal.url + "/oevelse")
    results["/oevelse"] = blocking_violations(page)
    page.get_by_role("button", name="Start øvelse").click()
    page.get_by_role("complementary", name="Øvelse").get_by_text("Opgave").wait_for()
    results["hint panel, front page"] = blocking_violations(page)
    page.get_by_role("complementary", name="Øvelse").get_by_role("link", name="Se resultat").click()
    results["result, not done yet"] = blocking_violations(page)
    front.open()
    front.go_to_login()
    results["hint panel, log-in"] = blocking_violations(page)
    LoginPage(page).log_in(Credentials.demo())
    SelfServicePage(page).open_employees()
    results["hint panel, employees"] = blocking_violations(page)
    EmployeesPage(page).search(name=steps.DEFAULT_EMPLOYEE)
    EmployeesPage(page).open_employee(steps.DEFAULT_EMPLOYEE)
    EmployeePage(page).open_rights()
    rights = RightsPage(page)
    results["hint panel, rights"] = blocking_violations(page)
    rights.set_right("sagsbehandler", True)
    rights.save()
    results["hint panel, saved"] = blocking_violations(page)
    page.get_by_role("complementary", name="Øvelse").get_by_role("link", name="Se resultat").click()
    results["result, done"] = blocking_violations(page)
    page.goto(training_portal.url + "/oevelse/oversigt")
    results["trainer overview, the code"] = blocking_violations(page)
    page.get_by_label("Underviserkode").fill(training_portal.app.config["TRAINER_CODE"])
    page.get_by_role("button", name="Vis oversigt").click()
    page.get_by_role("table").wait_for()
    results["trainer overview"] = blocking_violations(page)
    assert_accessible(results)


def test_the_guides_html(page: Page, tmp_path):
    """The HTML that ``sesag guide`` writes now (its template may change after the committed one)."""
    out = tmp_path / "guide"
    done = run("guide", "--out", str(out), "--formats", "html", timeout=300)
    assert done.returncode == 0, done.stderr
    page.goto((out / "vejledning.html").as_uri())
    assert_accessible({"vejledning.html": blocking_violations(page)})
