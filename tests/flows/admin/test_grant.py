"""grant_right's decisions (rule, idempotence, replace, dry run, retries) on a fake portal.

The browser-facing page objects are replaced by small fakes holding one employee's rights,
so these tests run without Chromium; tests/e2e runs the same code against the mock portal.
"""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from flows import errors
from flows.admin import commands, grant
from flows.admin.session import Session
from flows.core import pages
from flows.core.credentials import Credentials
from flows.core.pages import EmployeeRow, SaveResult, event_mentions
from flows.errors import ExitStatus

from helpers.fake_portal import LRA, FakePortal, make_session


def test_grant_saves_once_and_verifies(monkeypatch):
    portal = FakePortal()
    outcome = grant.grant_right(make_session(portal, monkeypatch), "lra@nets.dk", "sagsbehandler")
    assert outcome.result == "granted" and outcome.changed
    assert portal.held["sagsbehandler"] and portal.saves == 1
    assert "verified" in outcome.message


def test_already_held_is_not_saved_again(monkeypatch):
    portal = FakePortal(sagsbehandler=True)
    outcome = grant.grant_right(make_session(portal, monkeypatch), "Medlem - Lra", "sagsbehandler")
    assert outcome.result == "unchanged" and not outcome.changed and portal.saves == 0


def test_revoke_and_revoke_not_held(monkeypatch):
    portal = FakePortal(sagsbehandler=True)
    session = make_session(portal, monkeypatch)
    assert grant.grant_right(session, "lra@nets.dk", "sagsbehandler", revoke=True).result == "revoked"
    assert not portal.held["sagsbehandler"]
    assert grant.grant_right(session, "lra@nets.dk", "sagsbehandler", revoke=True).result == "unchanged"
    assert portal.saves == 1


def test_one_right_rule_refuses_without_replace(monkeypatch):
    portal = FakePortal(**{"kommunal-sagsbehandler": True})
    with pytest.raises(errors.RuleRefused, match="holds Kommunal sagsbehandler.*--replace") as info:
        grant.grant_right(make_session(portal, monkeypatch), "lra@nets.dk", "sagsbehandler")
    assert errors.exit_status_of(info.value) == ExitStatus.REFUSED
    assert portal.saves == 0 and portal.held["kommunal-sagsbehandler"]


def test_replace_swaps_in_one_save(monkeypatch):
    portal = FakePortal(**{"kommunal-sagsbehandler": True})
    outcome = grant.grant_right(make_session(portal, monkeypatch), "lra@nets.dk", "sagsbehandler", replace=True)
    assert outcome.result == "replaced" and portal.saves == 1
    assert portal.held == {"sagsbehandler": True, "kommunal-sagsbehandler": False}


def test_dry_run_changes_nothing_but_still_applies_the_rule(monkeypatch):
    portal = FakePortal()
    session = make_session(portal, monkeypatch)
    outcome = grant.grant_right(session, "lra@nets.dk", "kommunal-sagsbehandler", dry_run=True)
    assert outcome.result == "would-grant" and not outcome.changed and portal.saves == 0
    portal.held["sagsbehandler"] = True
    with pytest.raises(errors.RuleRefused):
        grant.grant_right(session, "lra@nets.dk", "kommunal-sagsbehandler", dry_run=True)
    assert (
        grant.grant_right(session, "lra@nets.dk", "kommunal-sagsbehandler", replace=True, dry_run=True).result
        == "would-replace"
    )
    assert portal.saves == 0


def test_portal_error_before_saving_is_retried(monkeypatch):
    portal = FakePortal()
    portal.fail_open = 2
    outcome = grant.grant_right(make_session(portal, monkeypatch), "lra@nets.dk", "sagsbehandler")
    assert outcome.result == "granted" and outcome.attempts == 3 and portal.saves == 1


def test_a_save_that_landed_is_verified_not_repeated(monkeypatch):
    portal = FakePortal()
    portal.fail_save_answer = 1
    outcome = grant.grant_right(make_session(portal, monkeypatch), "lra@nets.dk", "sagsbehandler")
    assert outcome.result == "granted" and outcome.attempts == 2
    assert portal.saves == 1  # not saved twice
    assert [event.text for event in portal.events] == ["Rettigheden Sagsbehandler er tildelt"]


def test_gives_up_after_the_retries(monkeypatch):
    portal = FakePortal()
    portal.fail_open = 10
    with pytest.raises(errors.PortalDown, match="gave up after 3 tries") as info:
        grant.grant_right(make_session(portal, monkeypatch), "lra@nets.dk", "sagsbehandler")
    assert errors.exit_status_of(info.value) == ExitStatus.PORTAL and portal.saves == 0


def test_portal_refusal_is_reported_and_not_retried(monkeypatch):
    portal = FakePortal()
    portal.refuse = "En medarbejder kan højst have én af rettighederne Sagsbehandler og Kommunal sagsbehandler."
    with pytest.raises(errors.SaveRefused, match="højst have én"):
        grant.grant_right(make_session(portal, monkeypatch), "lra@nets.dk", "sagsbehandler")


def test_verification_fails_when_no_event_is_written(monkeypatch):
    portal = FakePortal()
    session = make_session(portal, monkeypatch)
    session.screens.events = mock.Mock(open=lambda url: None, entries=lambda: [])
    with pytest.raises(errors.VerificationFailed, match="no event"):
        grant.grant_right(session, "lra@nets.dk", "sagsbehandler")


def test_unknown_and_ambiguous_employee(monkeypatch):
    twin = EmployeeRow("Medlem - Lra", "lra2@nets.dk", "Jura")
    session = make_session(FakePortal(), monkeypatch, rows=(LRA, twin))
    with pytest.raises(errors.EmployeeNotFound) as info:
        grant.grant_right(session, "nobody@nets.dk", "sagsbehandler")
    assert errors.exit_status_of(info.value) == ExitStatus.EMPLOYEE
    with pytest.raises(errors.AmbiguousEmployee):
        grant.grant_right(session, "Medlem - Lra", "sagsbehandler")


def session_that_expires_once(monkeypatch, calls: list):
    """A session whose first 'Administrér rettigheder' finds the log-in gone."""
    portal = FakePortal()
    session = make_session(portal, monkeypatch)

    def expire_once():
        if not calls:
            calls.append("expired")
            raise errors.NotLoggedIn("session ended")
        portal.open_rights()

    session.screens.employee_page = mock.Mock(open_rights=expire_once)
    return session


def test_not_logged_in_logs_in_again_and_retries(monkeypatch):
    calls = []
    session = session_that_expires_once(monkeypatch, calls)
    monkeypatch.setattr(session, "_log_in_once", lambda: calls.append("login"))
    assert grant.grant_right(session, "lra@nets.dk", "sagsbehandler").result == "granted"
    assert calls == ["expired", "login"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kommunal sagsbehandler", "kommunal-sagsbehandler"),
        ("SAGSBEHANDLER", "sagsbehandler"),
        ("aes.kommunal_sagsbehandler", "kommunal-sagsbehandler"),
    ],
)
def test_normalise_right(text, expected):
    assert grant.normalise_right(text) == expected


def test_unknown_right_is_refused():
    with pytest.raises(ValueError, match="unknown right 'admin'"):
        grant.normalise_right("admin")


def test_event_mentions_tells_the_two_labels_apart():
    assert event_mentions("Rettighed Sagsbehandler tildelt", "Sagsbehandler", True)
    assert not event_mentions("Rettighed Kommunal sagsbehandler tildelt", "Sagsbehandler", True)
    assert event_mentions("Rettighed Kommunal sagsbehandler tildelt", "Kommunal sagsbehandler", True)
    assert not event_mentions("Rettighed Sagsbehandler tildelt", "Sagsbehandler", False)
    assert event_mentions("Sagsbehandler fjernet", "Sagsbehandler", False)


def test_help_documents_the_exit_codes():
    result = CliRunner().invoke(commands.grant_command, ["--help"])
    assert result.exit_code == 0
    for code in range(8):
        assert f"  {code}  " in result.output


def test_revoke_with_replace_is_a_usage_error():
    result = CliRunner().invoke(
        commands.grant_command, ["--employee", "x", "--right", "sagsbehandler", "--revoke", "--replace"]
    )
    assert result.exit_code == 2


def test_unknown_right_on_the_command_line_is_a_usage_error():
    result = CliRunner().invoke(commands.grant_command, ["--employee", "x", "--right", "admin"])
    assert result.exit_code == 2


def test_missing_credentials_exit_6_and_no_browser(monkeypatch):
    opened = []
    monkeypatch.setattr(commands, "open_session", lambda *a, **k: opened.append(1))
    result = CliRunner().invoke(
        commands.grant_command,
        ["--employee", "x", "--right", "sagsbehandler"],
        env={"SESAG_USER": None, "SESAG_PASSWORD": None},
    )
    assert result.exit_code == 6 and "SESAG_USER" in result.output and opened == []


def test_password_never_printed_on_login_failure(monkeypatch):
    secret = "top-secret-42"

    def refuse(*args, **kwargs):
        raise errors.LoginError("Log-in refused: Forkert bruger-id eller adgangskode.")

    monkeypatch.setattr(commands, "open_session", refuse)
    result = CliRunner().invoke(
        commands.grant_command,
        ["--employee", "x", "--right", "sagsbehandler"],
        env={"SESAG_USER": "admin", "SESAG_PASSWORD": secret},
    )
    assert result.exit_code == 6 and secret not in result.output


def test_a_failing_log_in_again_is_retried_too(monkeypatch):
    calls = []
    session = session_that_expires_once(monkeypatch, calls)

    def flaky_login():
        calls.append("login")
        if calls.count("login") == 1:
            raise errors.PortalUnavailable("HTTP 502")

    monkeypatch.setattr(session, "_log_in_once", flaky_login)
    assert grant.grant_right(session, "lra@nets.dk", "sagsbehandler").result == "granted"
    assert calls == ["expired", "login", "login"]


def test_an_element_time_out_is_retried(monkeypatch):
    portal = FakePortal()
    session = make_session(portal, monkeypatch)
    original, calls = portal.held_now, []

    def slow_once():
        if not calls:
            calls.append(1)
            raise pages.PlaywrightTimeout("Locator.evaluate_all: Timeout 15000ms exceeded.")
        return original()

    session.screens.rights.held = slow_once
    assert grant.grant_right(session, "lra@nets.dk", "sagsbehandler").attempts == 2


def test_a_save_resent_and_refused_as_stale_is_reported_as_this_runs_change(monkeypatch):
    """The answer is lost, the browser resends the POST, the portal answers 409: the change
    is this run's (the events by this administrator since the run began say so)."""
    portal = FakePortal()
    portal.resent_as_stale = 1
    outcome = grant.grant_right(make_session(portal, monkeypatch), "lra@nets.dk", "sagsbehandler")
    assert (outcome.result, outcome.changed) == ("granted", True)
    assert portal.saves == 1 and "verified" in outcome.message


def test_after_a_stale_save_a_change_by_another_administrator_is_not_claimed(monkeypatch):
    portal = FakePortal()
    session = make_session(portal, monkeypatch)
    original = portal.save

    def someone_else_saved_first():
        portal.save = original
        portal.change_by_someone("sagsbehandler", True)
        return SaveResult(False, "Rettighederne er ændret af en anden. Genindlæs siden.", stale=True)

    portal.save = someone_else_saved_first
    session.screens.rights.save = lambda: portal.save()
    outcome = grant.grant_right(session, "lra@nets.dk", "sagsbehandler")
    assert (outcome.result, outcome.changed) == ("unchanged", False)
    assert portal.saves == 0


def test_after_a_lost_answer_an_own_change_from_before_the_run_is_not_claimed(monkeypatch):
    portal = FakePortal()
    session = make_session(portal, monkeypatch)
    session.started = datetime.now(ZoneInfo("UTC")) + timedelta(minutes=5)  # the change below is older than the run
    portal.fail_save_answer = 1
    outcome = grant.grant_right(session, "lra@nets.dk", "sagsbehandler")
    assert (outcome.result, outcome.changed) == ("unchanged", False)


def test_refusals_name_the_employee_found(monkeypatch):
    portal = FakePortal(**{"kommunal-sagsbehandler": True})
    with pytest.raises(errors.RuleRefused) as info:
        grant.grant_right(make_session(portal, monkeypatch), "lra@nets.dk", "sagsbehandler")
    assert info.value.employee == LRA


def test_not_held_wording(monkeypatch):
    outcome = grant.grant_right(make_session(FakePortal(), monkeypatch), "lra@nets.dk", "sagsbehandler", revoke=True)
    assert outcome.message == "Medlem - Lra <lra@nets.dk> does not hold Sagsbehandler; nothing to do."


@pytest.mark.parametrize(
    "exc, code",
    [
        (errors.AmbiguousEmployee("x"), ExitStatus.EMPLOYEE),
        (errors.RuleRefused("x"), ExitStatus.REFUSED),
        (errors.LoginError("x"), ExitStatus.LOGIN),
        (errors.VerificationFailed("x"), ExitStatus.UNVERIFIED),
        (errors.GrantError("x"), ExitStatus.FAILED),
    ],
)
def test_one_table_from_exception_to_exit_code(exc, code):
    assert errors.exit_status_of(exc) == code


@pytest.mark.parametrize("text", ["Sagsbehandler", "SAGSBEHANDLER", "kommunal sagsbehandler", "Kommunal-Sagsbehandler"])
def test_grant_takes_a_right_as_bulk_does_by_label_in_any_case_or_by_slug(text, monkeypatch):
    from contextlib import contextmanager

    from flows.admin.sheets import parse_text

    asked = []

    @contextmanager
    def no_browser(*args, **kwargs):
        yield object()

    def fake_grant(session, employee, right, **kwargs):
        asked.append(right)
        return grant.Outcome(employee, right, "grant", "granted", changed=True, message="Granted.")

    monkeypatch.setattr(commands, "open_session", no_browser)
    monkeypatch.setattr(grant, "grant_right", fake_grant)
    result = CliRunner().invoke(
        commands.grant_command,
        ["--employee", "lra@nets.dk", "--right", text],
        env={"SESAG_USER": "admin", "SESAG_PASSWORD": "x", "SESAG_KEYCARD": "demo"},
    )
    assert result.exit_code == 0, result.output
    [bulk_row], _ = parse_text(f"lra@nets.dk;{text}\n")
    assert asked == [bulk_row.right]


def test_no_portal_at_the_address_says_which_address_and_what_to_do():
    page = mock.MagicMock()
    page.goto.side_effect = pages.PlaywrightError(
        "Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:5999/log-paa\nCall log:\n  - navigating"
    )
    session = Session(page, "http://127.0.0.1:5999", Credentials.demo(), retries=1, sleep=lambda s: None)
    with pytest.raises(errors.PortalDown) as info:
        session.log_in()
    message = str(info.value)
    assert "http://127.0.0.1:5999" in message and "net::ERR_CONNECTION_REFUSED" in message
    assert "sesag portal" in message and "--base-url" in message and "SESAG_BASE_URL" in message
    assert "Page.goto" not in message and "\n" not in message and page.goto.call_count == 2
    assert errors.exit_status_of(info.value) == ExitStatus.PORTAL
