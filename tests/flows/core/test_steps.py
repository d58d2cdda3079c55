"""The step catalogue: complete, in order, and word for word the official guide."""

import os
import re
from pathlib import Path

import pytest

import catalogue
from flows import errors
from flows.core import pages, steps

# The official guide, in ../shared beside the checkout (SESAG_SEED: another place, e.g. in a worktree).
SEED = Path(os.environ.get("SESAG_SEED") or Path(__file__).resolve().parents[4] / "shared/seed/vejledning-se-sag.txt")


def test_five_steps_in_order():
    assert [step.number for step in steps.procedure()] == [1, 2, 3, 4, 5]
    assert steps.procedure()[0].title("da") == "Trin 1"
    assert steps.procedure()[4].title("en") == "Step 5"


def test_every_scene_has_exactly_one_action():
    scene_ids = [scene.id for step in steps.procedure() for scene in step.scenes]
    assert len(scene_ids) == len(set(scene_ids))
    assert sorted(scene_ids) == sorted(steps.ACTIONS)


def test_every_step_and_scene_speaks_both_languages():
    for step in steps.procedure():
        assert len(step.bullets["da"]) == len(step.bullets["en"]) > 0
        for scene in step.scenes:
            assert scene.caption["da"] and scene.caption["en"]
    assert steps.guide_text("da").keys() == steps.guide_text("en").keys()


def test_danish_text_is_the_official_guide_verbatim(require):
    official = require.file(SEED, "the official guide (../shared/seed beside the checkout, or SESAG_SEED)")
    seed = re.sub(r"<(https?://[^>]+)>", r"\1", official.read_text(encoding="utf-8"))
    seed = " ".join(seed.split())
    texts = [steps.guide_text("da")["title"], steps.guide_text("da")["rule"], *steps.guide_text("da")["intro"]]
    texts += [right["who"]["da"] for right in steps.rights()]
    texts += [bullet for step in steps.procedure() for bullet in step.bullets["da"]]
    missing = [text for text in texts if " ".join(text.split()) not in seed]
    assert missing == []


def test_right_labels_and_unknown_right():
    assert steps.right_label("sagsbehandler") == "Sagsbehandler"
    assert steps.right_label("kommunal-sagsbehandler") == "Kommunal sagsbehandler"
    assert tuple(r["key"] for r in steps.rights()) == steps.RIGHT_KEYS
    with pytest.raises(ValueError, match="unknown right 'admin'"):
        steps.right_label("admin")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language"):
        steps.guide_text("de")


def test_run_procedure_prepares_shows_then_acts_each_scene_in_order():
    log = []

    walk = object.__new__(steps.Walk)  # no browser: actions are swapped for recorders below
    original = dict(steps.ACTIONS)
    try:
        for scene_id in original:
            steps.ACTIONS[scene_id] = steps.Action(
                prepare=lambda w, s=scene_id: log.append(("prepare", s)),
                targets=lambda w: [],
                act=lambda w, s=scene_id: log.append(("act", s)),
            )
        steps.procedure.cache_clear()
        steps.run_procedure(walk, lambda step, scene, w: log.append(("shown", scene.id)))
    finally:
        steps.ACTIONS.update(original)
        steps.procedure.cache_clear()
    ids = [scene.id for step in steps.procedure() for scene in step.scenes]
    expected = [(kind, scene_id) for scene_id in ids for kind in ("prepare", "shown", "act")]
    assert log == expected


def test_a_failing_scene_is_named():
    walk = object.__new__(steps.Walk)
    original = dict(steps.ACTIONS)
    try:
        steps.ACTIONS["trin-3-medarbejdere"] = steps.Action(
            prepare=lambda w: (_ for _ in ()).throw(LookupError("no such employee\ncall log...")),
            targets=lambda w: [],
        )
        for scene_id in original:
            if scene_id != "trin-3-medarbejdere":
                steps.ACTIONS[scene_id] = steps.Action(targets=lambda w: [])
        steps.procedure.cache_clear()
        with pytest.raises(
            errors.StepFailed, match=r"^Trin 3 \(trin-3-medarbejdere\) failed: no such employee$"
        ) as failed:
            steps.run_procedure(walk)
    finally:
        steps.ACTIONS.update(original)
        steps.procedure.cache_clear()
    assert failed.value.step.number == 3
    assert isinstance(failed.value.__cause__, LookupError)


def test_a_scene_without_an_action_is_an_error_naming_file_and_scene():
    original = dict(steps.ACTIONS)
    try:
        del steps.ACTIONS["trin-4-medarbejder"]
        steps.procedure.cache_clear()
        with pytest.raises(ValueError, match=r"^vejledning\.toml: scene 'trin-4-medarbejder' has no action"):
            steps.procedure()
    finally:
        steps.ACTIONS.update(original)
        steps.procedure.cache_clear()


def test_rights_derive_from_the_catalogue():
    assert tuple(right.key for right in catalogue.rights()) == steps.RIGHT_KEYS
    assert (
        steps.right_label("kommunal-sagsbehandler", "en") == catalogue.right("aes.kommunal_sagsbehandler").label["en"]
    )
    assert {r.key: (r.portal_label, r.portal_id) for r in catalogue.rights()} == pages.RIGHTS


def _all_strings(value):
    """Every string in a piece of the catalogue's data, however nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_strings(item)


def test_the_key_card_has_a_scene_of_its_own():
    trin_1 = steps.procedure()[0]
    assert [(scene.id, scene.screen) for scene in trin_1.scenes] == [
        ("trin-1-forside", "front"),
        ("trin-1-log-paa", "login"),
        ("trin-1-noeglekort", "keycard"),
    ]
    login, keycard = trin_1.scenes[1:]
    # Each caption names the button of its own screen.
    assert "'Næste'" in login.caption["da"] and "'Log på'" not in login.caption["da"]
    assert "'Log på'" in keycard.caption["da"] and "'Næste'" not in keycard.caption["da"]
    assert "'Næste'" in login.caption["en"] and "'Log på'" in keycard.caption["en"]


def test_every_scene_says_what_its_screenshot_shows():
    for step in steps.procedure():
        for scene in step.scenes:
            assert scene.shows and scene.shows["da"] and scene.shows["en"], scene.id


def test_no_doubled_words_in_either_language():
    doubled = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
    slips = [text for text in _all_strings(steps.text()) if doubled.search(text)]
    assert slips == []


@pytest.mark.parametrize(
    ("right", "user", "employee"),
    [("sagsbehandler", "admin2", "Sara Lund"), ("kommunal-sagsbehandler", "admin", "Jonas Holm")],
)
def test_each_edition_logs_in_to_an_organisation_that_gives_its_right(right, user, employee):
    """--right picks the edition and its worked example on the embedded portal: the insurer's
    administrator gives Sagsbehandler, the municipality's gives Kommunal sagsbehandler."""
    from flows.core import embedded

    example = embedded.example_for(right)
    assert (example.credentials.user, example.employee) == (user, employee)
    assert example.credentials.uses_demo_hint
    with pytest.raises(ValueError, match="unknown right"):
        embedded.example_for("admin")
