"""grant_right against the live mock in Chromium: grant, revoke, replace, the rule, lookups."""

import os
import re

import pytest
from playwright.sync_api import expect

from flows import errors
from flows.admin import grant
from flows.admin.session import Session
from flows.core.credentials import Credentials
from flows.core.embedded import embedded_portal
from flows.core.pages import EmployeesPage
from flows.core.steps import RIGHT_KEYS
from flows.errors import ExitStatus

LRA = "lra@nets.dk"
BRUGER = "bruger@nets.dk"


@pytest.fixture
def session(page, portal):
    page.set_default_timeout(10_000)
    session = Session(page, portal.url, Credentials.demo(), retries=1, backoff=0.05)
    session.log_in()
    return session


def expect_held(rights, *held):
    """Exactly the Se Sag rights ``held`` are ticked on the rights page."""
    for key in RIGHT_KEYS:
        if key in held:
            expect(rights.checkbox(key)).to_be_checked()
        else:
            expect(rights.checkbox(key)).not_to_be_checked()


def open_rights(session, who):
    """Go to the rights page of ``who`` (as the flow does) and return the RightsPage."""
    row = grant.find_employee(session, who)
    session.screens.employees.open_employee(row.name, row.email)
    session.screens.employee_page.open_rights()
    return session.screens.rights


def test_grant_then_the_rights_and_events_pages_show_it(session):
    outcome = grant.grant_right(session, LRA, "sagsbehandler")
    assert (outcome.result, outcome.name, outcome.changed) == ("granted", "Medlem - Lra", True)
    rights = open_rights(session, LRA)
    expect_held(rights, "sagsbehandler")
    session.screens.events.open(rights.events_url())
    expect(session.screens.events.rows.first).to_contain_text("Sagsbehandler")
    expect(session.screens.events.rows.first).to_contain_text("tildelt")


def test_grant_by_name_ignores_case(session):
    assert grant.grant_right(session, "medlem - BRUGER", "kommunal-sagsbehandler").result == "granted"
    expect(open_rights(session, BRUGER).checkbox("kommunal-sagsbehandler")).to_be_checked()


def test_granting_twice_is_idempotent(session):
    assert grant.grant_right(session, LRA, "sagsbehandler").result == "granted"
    events_before = len(_events(session, LRA))
    again = grant.grant_right(session, LRA, "sagsbehandler")
    assert again.result == "unchanged" and not again.changed
    assert len(_events(session, LRA)) == events_before  # no second save, no second event


def test_revoke(session):
    grant.grant_right(session, LRA, "sagsbehandler")
    outcome = grant.grant_right(session, LRA, "sagsbehandler", revoke=True)
    assert outcome.result == "revoked"
    rights = open_rights(session, LRA)
    expect(rights.checkbox("sagsbehandler")).not_to_be_checked()
    session.screens.events.open(rights.events_url())
    expect(session.screens.events.rows.first).to_contain_text("fjernet")
    assert grant.grant_right(session, LRA, "sagsbehandler", revoke=True).result == "unchanged"


def test_one_right_rule_refuses_and_changes_nothing(session):
    grant.grant_right(session, LRA, "kommunal-sagsbehandler")
    with pytest.raises(errors.RuleRefused, match="--replace"):
        grant.grant_right(session, LRA, "sagsbehandler")
    rights = open_rights(session, LRA)
    expect_held(rights, "kommunal-sagsbehandler")


def test_replace_swaps_the_rights_in_one_save(session):
    grant.grant_right(session, LRA, "kommunal-sagsbehandler")
    outcome = grant.grant_right(session, LRA, "sagsbehandler", replace=True)
    assert outcome.result == "replaced"
    rights = open_rights(session, LRA)
    expect_held(rights, "sagsbehandler")
    texts = [event.text for event in _events(session, LRA)]
    assert any("fjernet" in t and "Kommunal sagsbehandler" in t for t in texts)


def test_the_portal_itself_refuses_both_rights(session):
    """The rule is enforced by the server too, not only by the flow."""
    rights = open_rights(session, LRA)
    rights.set_right("sagsbehandler", True)
    rights.set_right("kommunal-sagsbehandler", True)
    result = rights.save()
    assert not result.saved and "højst have én" in result.message
    expect(rights.error).to_be_visible()
    rights.reload()
    expect_held(rights)


def test_a_fresh_tab_stays_logged_in_and_the_old_one_is_closed(session):
    old = session.page
    session.renew_page()
    assert old.is_closed() and not session.page.is_closed()
    assert session.screens.employees.page is session.page and session.screens.rights.page is session.page
    outcome = grant.grant_right(session, LRA, "sagsbehandler")
    assert outcome.result == "granted"  # no log-in page on the way: same context, same session


def test_dry_run_changes_nothing(session):
    before = _events(session, LRA)
    outcome = grant.grant_right(session, LRA, "sagsbehandler", dry_run=True)
    assert outcome.result == "would-grant" and not outcome.changed
    expect(open_rights(session, LRA).checkbox("sagsbehandler")).not_to_be_checked()
    assert _events(session, LRA) == before


def test_unknown_employee_is_a_clear_error(session):
    with pytest.raises(errors.EmployeeNotFound, match="nobody@example.dk") as info:
        grant.grant_right(session, "nobody@example.dk", "sagsbehandler")
    assert errors.exit_status_of(info.value) == ExitStatus.EMPLOYEE
    with pytest.raises(errors.EmployeeNotFound, match="Medlem - "):  # partial name: candidates listed
        grant.grant_right(session, "Medlem", "sagsbehandler")


def test_ambiguous_employee_lists_the_candidates_and_changes_nothing(session):
    # Give another employee the same name through the employee form, as an administrator could.
    employees = EmployeesPage(session.page)
    employees.open(session.base_url)
    employees.search(email=BRUGER)
    employees.open_employee("Medlem - Bruger", BRUGER)
    session.screens.employee_page.edit(name="Medlem - Lra")
    assert session.screens.employee_page.save().saved
    with pytest.raises(errors.AmbiguousEmployee) as info:
        grant.grant_right(session, "Medlem - Lra", "sagsbehandler")
    assert LRA in str(info.value) and BRUGER in str(info.value)
    for email in (LRA, BRUGER):
        expect(open_rights(session, email).checkbox("sagsbehandler")).not_to_be_checked()
    # The e-mail address tells them apart.
    assert grant.grant_right(session, BRUGER, "sagsbehandler").result == "granted"


def test_wrong_password_shows_the_portals_alert(page, portal):
    session = Session(page, portal.url, Credentials("admin", "wrong-password", None), retries=0)
    with pytest.raises(errors.LoginError) as info:
        session.log_in()
    expect(session.screens.login.error).to_be_visible()
    assert "wrong-password" not in str(info.value)
    assert session.screens.login.error_text() in str(info.value)


def test_wrong_key_is_refused(page, portal, tmp_path):
    from flows.core.credentials import KeyCard

    card = KeyCard({code: "000000" for code in [f"{n:04d}" for n in range(10000)]})
    session = Session(page, portal.url, Credentials("admin", "nemid-demo", card), retries=0)
    with pytest.raises(errors.LoginError, match="Key card refused"):
        session.log_in()
    expect(session.screens.login.error).to_be_visible()


def _events(session, who):
    rights = open_rights(session, who)
    session.screens.events.open(rights.events_url())
    return session.screens.events.entries()


def _fail_rights_page(session, times):
    """Make the portal answer 503 to the next ``times`` loads of a rights page."""
    failed = []

    def flaky(route):
        if len(failed) < times:
            failed.append(route.request.method)
            route.fulfill(status=503, body="Service Unavailable", content_type="text/plain")
        else:
            route.continue_()

    session.page.route(re.compile(r"/rettigheder$"), flaky)
    session.backoff = 0.01
    return failed


def test_a_portal_error_is_retried(session):
    failed = _fail_rights_page(session, times=1)
    outcome = grant.grant_right(session, LRA, "sagsbehandler")
    assert failed == ["GET"] and outcome.result == "granted" and outcome.attempts == 2


def test_a_failing_portal_is_reported_after_the_retries_and_nothing_changes(session):
    failed = _fail_rights_page(session, times=10)
    with pytest.raises(errors.PortalDown, match="HTTP 503.*gave up after 2 tries"):
        grant.grant_right(session, LRA, "sagsbehandler")
    assert failed == ["GET", "GET"]
    session.page.unroute(re.compile(r"/rettigheder$"))
    expect(open_rights(session, LRA).checkbox("sagsbehandler")).not_to_be_checked()


def _lose_the_first_saves_answer(session, how):
    """The first save lands in the portal but its answer is lost: either the connection drops
    ('abort'), or the browser resends the POST and the portal refuses the resend as stale
    (409, 'resend'), which is what Chromium does after a lost answer."""
    saves = []

    def lose(route):
        if route.request.method != "POST" or saves:
            route.continue_()
            return
        saves.append(route.fetch(max_redirects=0))  # the save reaches the portal and lands
        if how == "abort":
            route.abort("connectionreset")
        else:
            resent = route.fetch(max_redirects=0)
            saves.append(resent)
            route.fulfill(response=resent)

    session.page.route(re.compile(r"/rettigheder$"), lose)
    # After a dropped connection Chromium loads its error page, which can interrupt the next
    # navigation: allow the default number of retries.
    session.retries, session.backoff = 3, 0.05
    return saves


@pytest.fixture(scope="module")
def real_clock_portal():
    """A portal on real time (the shared one has a fixed clock for the guide's screenshots):
    the events' times are what tells this run's change from an older one."""
    with embedded_portal(FIXED_NOW=None) as portal:
        yield portal


@pytest.fixture
def real_clock_session(page, real_clock_portal):
    real_clock_portal.reset()
    session = Session(page, real_clock_portal.url, Credentials.demo(), retries=1, backoff=0.05)
    session.log_in()
    return session


@pytest.mark.parametrize("how", ["abort", "resend"])
def test_a_lost_answer_is_reported_as_this_runs_change(real_clock_session, how):
    session = real_clock_session
    saves = _lose_the_first_saves_answer(session, how)
    outcome = grant.grant_right(session, LRA, "sagsbehandler")
    if how == "resend":
        assert [response.status for response in saves] == [302, 409]
    assert (outcome.result, outcome.changed) == ("granted", True), outcome.message
    session.page.unroute(re.compile(r"/rettigheder$"))
    texts = [event.text for event in _events(session, LRA)]
    assert sum("tildelt" in text and "Sagsbehandler" in text for text in texts) == 1  # saved once


def searches_during(session, work):
    """The list searches the browser asked for while ``work()`` ran, and its result."""
    asked = []

    def note(request):
        if request.is_navigation_request() and "/medarbejdere?" in request.url:
            asked.append(request.url)

    session.page.on("request", note)
    try:
        result = work()
    finally:
        session.page.remove_listener("request", note)
    return asked, result


def test_the_next_row_of_the_same_employee_goes_straight_to_the_rights_page(session):
    first, _ = searches_during(session, lambda: grant.grant_right(session, LRA, "sagsbehandler"))
    second, outcome = searches_during(session, lambda: grant.grant_right(session, LRA, "sagsbehandler", revoke=True))
    assert len(first) == 1 and second == []  # bulk's grant-then-revoke rows: one search
    assert (outcome.result, outcome.name, outcome.changed) == ("revoked", "Medlem - Lra", True)
    expect_held(open_rights(session, LRA))


def test_an_employee_renamed_between_rows_is_looked_up_again(session, portal):
    from mock_portal.db import get_db

    grant.grant_right(session, LRA, "sagsbehandler")
    with portal.app.app_context():
        get_db().execute("UPDATE employee SET name = 'Omdøbt Lra' WHERE email = ?", (LRA,))
    asked, outcome = searches_during(session, lambda: grant.grant_right(session, LRA, "sagsbehandler", revoke=True))
    assert len(asked) == 1 and (outcome.result, outcome.name) == ("revoked", "Omdøbt Lra")


@pytest.fixture
def frameless_session(playwright, portal):
    """A session in the fast profile's browser: a headless shell that draws no frames
    (flows.core.browser.NO_FRAMES), with a short timeout, so a click waiting for a frame fails fast."""
    from flows.core import browser as browsers

    spec = browsers.BrowserSpec(profile=browsers.FAST_PROFILE, pictures=False)
    options = browsers.launch_options(playwright, pictures=False, profile=spec.profile)
    if browsers.NO_FRAMES not in options["args"]:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true: no headless shell for the fast profile (`sesag browser --headless-shell`)")
        pytest.skip("no headless shell to draw no frames in (`sesag browser --headless-shell` installs one)")
    frameless = browsers.open_browser(playwright, spec)
    try:
        context = frameless.new_context(**browsers.context_options())
        context.set_default_timeout(5_000)
        session = Session(context.new_page(), portal.url, Credentials.demo(), retries=0, browser_spec=spec)
        session.log_in()
        yield session
    finally:
        frameless.close()


def test_the_fast_profiles_browser_draws_no_frames_and_no_click_waits_for_one(frameless_session):
    session = frameless_session
    waited = session.page.evaluate(
        "new Promise(done => { requestAnimationFrame(() => done('a frame')); setTimeout(() => done('none'), 500); })"
    )
    assert waited == "none"
    employees = session.screens.employees
    employees.open(session.base_url)
    employees.search(name="Medlem - Lra")  # unfolds AVANCERET SØGNING, clicks 'Søg'
    assert [row.email for row in employees.results()] == [LRA]
    assert grant.grant_right(session, LRA, "sagsbehandler").result == "granted"
    assert grant.grant_right(session, LRA, "kommunal-sagsbehandler", replace=True).result == "replaced"
    session.renew_page()  # bulk's fresh tab, and a worker's own browser, launched alike
    assert grant.grant_right(session, LRA, "kommunal-sagsbehandler", revoke=True).result == "revoked"
    worker = session.start_worker()  # a thread with its own Playwright and frameless browser
    try:
        outcome = worker.submit(lambda tab: grant.grant_right(tab, BRUGER, "sagsbehandler")).result()
        assert outcome.result == "granted"
    finally:
        worker.close()
    expect_held(open_rights(session, LRA))
    expect_held(open_rights(session, BRUGER), "sagsbehandler")
