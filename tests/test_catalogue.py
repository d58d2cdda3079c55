"""The step catalogue (catalogue/): one loader, the rights table the portal and the flows derive
from, training's data checked against the scenes, and no Flask or Playwright in it."""

import subprocess
import sys
import tomllib

import pytest

import catalogue
from mock_portal import rights as portal_rights


@pytest.mark.parametrize(
    "name",
    [
        "kommunal-sagsbehandler",
        "aes.kommunal_sagsbehandler",
        "Kommunal sagsbehandler",
        "KOMMUNAL_SAGSBEHANDLER",
        "  kommunal   sagsbehandler ",
        "Kommunal sagsbehandler (municipal case officer)",
    ],
)
def test_right_resolves_a_key_a_portal_id_or_a_label(name):
    assert catalogue.right(name).key == "kommunal-sagsbehandler"


def test_an_unknown_right_names_the_choices():
    with pytest.raises(ValueError, match="unknown right 'admin'; choose one of sagsbehandler, kommunal-sagsbehandler"):
        catalogue.right("admin")


def test_the_portals_tree_carries_the_catalogues_rights():
    known = portal_rights.all_rights()
    for right in catalogue.rights():
        assert (known[right.portal_id].label, known[right.portal_id].info) == (right.portal_label, right.who["da"])
    assert {r.portal_id for r in catalogue.rights()} == portal_rights.AES_RIGHTS


def test_the_rights_page_shows_the_catalogues_texts(logged_in, client):
    """Rendered, not just imported: each Se Sag checkbox's value, label and info text."""
    page = client.get("/selvbetjening/medarbejdere/1/rettigheder").get_data(as_text=True)
    for right in catalogue.rights():
        assert f'value="{right.portal_id}"' in page
        assert f'<label for="r-{right.portal_id}">{right.portal_label}</label>' in page
        assert f'<p class="info-text" id="info-{right.portal_id}">{right.who["da"]}</p>' in page


def test_every_endpoint_training_names_is_the_portals(app_factory, tmp_path):
    app = app_factory(TRAINING=True, TRAINING_FOLDER=str(tmp_path / "oevelse"))
    endpoints = set(app.view_functions)
    data = catalogue.training()
    named = {e for s in data.screens.values() for e in s.endpoints}
    named |= {e for d in data.detours for e in d.endpoints if e != catalogue.ANY_ENDPOINT}
    named |= {d.link_to for d in data.detours if d.link_to}
    assert named - endpoints == set()


def _training_data() -> dict:
    with open(catalogue._source(catalogue.TRAINING), "rb") as handle:
        return tomllib.load(handle)


def test_a_scene_with_nothing_to_click_is_an_error_naming_file_and_scene():
    data = _training_data()
    data["screens"]["employee"]["targets"] = []
    with pytest.raises(
        catalogue.CatalogueError,
        match=r"^training\.toml: scene 'trin-4-medarbejder' \(screen 'employee'\) has no action",
    ):
        catalogue.load_training(data, catalogue.scenes())


def test_a_scene_whose_screen_is_missing_is_an_error():
    data = _training_data()
    del data["screens"]["rights"]
    with pytest.raises(catalogue.CatalogueError, match="scene 'trin-5-rettigheder'"):
        catalogue.load_training(data, catalogue.scenes())


def test_a_detour_to_a_scene_that_does_not_exist_is_an_error_naming_file_and_scene():
    data = _training_data()
    data["detours"][0]["back_to"] = "trin-9-findes-ikke"
    with pytest.raises(
        catalogue.CatalogueError,
        match=r"^training\.toml: .*scene 'trin-9-findes-ikke', which vejledning\.toml does not have",
    ):
        catalogue.load_training(data, catalogue.scenes())


def test_an_endpoint_on_two_screens_is_an_error():
    data = _training_data()
    data["screens"]["employee"]["endpoints"].append("selvbetjening.rights")
    with pytest.raises(catalogue.CatalogueError, match="'selvbetjening.rights' is on two screens"):
        catalogue.load_training(data, catalogue.scenes())


def test_an_unknown_condition_or_placeholder_is_an_error():
    data = _training_data()
    data["detours"][0]["when"] = "tuesday"
    with pytest.raises(catalogue.CatalogueError, match="unknown condition 'tuesday'"):
        catalogue.load_training(data, catalogue.scenes())
    data = _training_data()
    data["results"]["ok"] = "Godt klaret, {name}!"
    with pytest.raises(
        catalogue.CatalogueError, match=r"^training\.toml: results\.ok uses the unknown placeholder \{name\}"
    ):
        catalogue.load_training(data, catalogue.scenes())


def test_the_portal_evaluates_every_condition():
    from mock_portal.training import hints

    assert set(hints.CONDITIONS) == set(catalogue.CONDITIONS)


def test_a_broken_file_is_named(tmp_path):
    broken = tmp_path / "training.toml"
    broken.write_text("task = \n", encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match=r"^training\.toml: "):
        catalogue._read(broken)


def test_each_scene_is_found_on_its_screens_endpoints():
    data = catalogue.training()
    for scene in catalogue.scenes():
        screen = data.screens[scene.screen]
        assert data.scene_on(screen) == scene
        assert all(data.screen_of(endpoint) == screen for endpoint in screen.endpoints)


@pytest.mark.parametrize(
    "package, forbidden",
    [("catalogue", ("flask", "playwright", "flows", "mock_portal")), ("mock_portal", ("playwright", "flows"))],
)
def test_imports_stay_on_their_side(package, forbidden):
    """The catalogue is neutral; the portal (with training mode on) never imports the flows."""
    code = (
        f"import sys, {package}\n"
        "if hasattr(sys.modules['mock_portal'] if 'mock_portal' in sys.modules else None, 'create_app'):\n"
        "    app = sys.modules['mock_portal'].create_app({'TRAINING': True, 'SECRET_KEY': 'x',"
        " 'DATABASE': sys.argv[1]})\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code, "/nonexistent/portal.sqlite"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert [name for name in forbidden if name in loaded] == []
