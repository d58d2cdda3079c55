"""Trin 1-5 of the vejledning in Chromium against the live mock: every scene shows its targets."""

import pytest
from playwright.sync_api import expect

from flows import errors
from flows.core import steps
from flows.core.credentials import Credentials
from flows.core.pages import EventsPage

STEPS = [step.number for step in steps.procedure()]


class Reached(Exception):
    """Stop the walk once the step under test has been checked."""


@pytest.mark.parametrize("number", STEPS, ids=[f"trin-{n}" for n in STEPS])
def test_trin_shows_what_the_guide_frames(number, page, portal):
    walk = steps.Walk(page=page, base_url=portal.url, credentials=Credentials.demo())
    seen = []

    def on_scene(step, scene, walk):
        for target in scene.targets(walk):
            expect(target).to_be_visible()
        seen.append(scene.id)
        if step.number > number:
            raise Reached

    try:
        steps.run_procedure(walk, on_scene)
    except errors.StepFailed as stopped:
        if not isinstance(stopped.__cause__, Reached):
            raise
    wanted = [scene.id for step in steps.procedure() if step.number <= number for scene in step.scenes]
    assert seen[: len(wanted)] == wanted


def test_whole_procedure_grants_the_right_and_logs_an_event(page, portal):
    walk = steps.Walk(
        page=page,
        base_url=portal.url,
        credentials=Credentials.demo(),
        employee="Medlem - Bruger",
        right="kommunal-sagsbehandler",
    )
    steps.run_procedure(walk)
    expect(walk.rights.status).to_contain_text("Medlem - Bruger")
    expect(walk.rights.checkbox("kommunal-sagsbehandler")).to_be_checked()
    expect(walk.rights.checkbox("sagsbehandler")).not_to_be_checked()
    events = EventsPage(page)
    events.open(walk.rights.events_url())
    expect(events.rows.first).to_contain_text("Kommunal sagsbehandler")
    expect(events.rows.first).to_contain_text("tildelt")
