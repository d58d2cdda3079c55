"""Training mode: sandboxes per trainee, the hint panel per screen, wrong turns, the final check."""

from __future__ import annotations

import html as htmllib
import json
import re
import sqlite3
from html.parser import HTMLParser

import flask
import pytest

import catalogue
from mock_portal import create_app
from mock_portal.db import reset_demo_database

LRA = 1  # "Medlem - Lra": the first demo employee (deterministic seed)
BRUGER = 2  # "Medlem - Bruger"
SAGSBEHANDLER = "aes.sagsbehandler"
KOMMUNAL = "aes.kommunal_sagsbehandler"


def caption(screen: str) -> str:
    """What the panel tells the trainee to do on ``screen``."""
    data = catalogue.training()
    return data.scene_for(screen).caption["da"]


def step_of(screen: str) -> int:
    return catalogue.training().scene_for(screen).step


@pytest.fixture
def app(app_factory, tmp_path):
    """conftest's portal (a copy of the seeded database, TEST_CONFIG) in training mode."""
    return app_factory(TRAINING=True, TRAINING_FOLDER=str(tmp_path / "oevelse"))


class Trainee:
    """A browser of one trainee: a test client with its own cookies."""

    def __init__(self, app, auth_for):
        self.client = app.test_client()
        self.auth = auth_for(self.client)

    def csrf(self, url: str = "/") -> str:
        return form_token(self.client.get(url).get_data(as_text=True))

    def start(self, employee: int = LRA, right: str = SAGSBEHANDLER, name: str | None = None):
        data = {"csrf_token": self.csrf("/oevelse"), "medarbejder": employee, "rettighed": right}
        if name is not None:
            data["deltager"] = name
        return self.client.post("/oevelse/start", data=data)

    def log_in(self) -> None:
        """The NemID log-in (demo admin, key from the demo hint), as conftest's ``auth`` does it."""
        assert self.auth.login().status_code == 302

    def save_rights(self, employee: int, rights: list[str]):
        url = f"/selvbetjening/medarbejdere/{employee}/rettigheder"
        page = self.client.get(url).get_data(as_text=True)
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        return self.client.post(url, data={"csrf_token": form_token(page), "version": version, "right": rights})

    def held(self, employee: int) -> set[str]:
        page = self.client.get(f"/selvbetjening/medarbejdere/{employee}/rettigheder").get_data(as_text=True)
        return set(re.findall(r'name="right" value="([^"]+)"[^>]*\bchecked\b', page))

    def panel(self, url: str) -> str:
        return panel_text(self.client.get(url).get_data(as_text=True))


def form_token(page: str) -> str:
    """The csrf_token of the (first) form on a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def new_trainee(app, auth_for):
    """``new_trainee()``: one more trainee with a browser (cookies) of their own."""
    return lambda: Trainee(app, auth_for)


def panel_text(page: str) -> str:
    """The text of the hint panel, tags dropped, spaces collapsed ('' when there is none)."""
    found = re.search(r'<aside class="training" role="complementary" aria-label="Øvelse">(.*?)</aside>', page, re.S)
    if not found:
        return ""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def test_training_off_adds_nothing(tmp_path):
    plain = create_app({"DATABASE": str(tmp_path / "p.sqlite"), "SECRET_KEY": "x"})
    with plain.app_context():
        reset_demo_database()
    page = plain.test_client().get("/").get_data(as_text=True)
    assert "training" not in page and "Øvelse" not in page
    # the include leaves no trace at all between the header and the body
    assert re.search(r"</header>\s*<div class=\"body", page)
    assert plain.test_client().get("/oevelse").status_code == 404


def test_front_page_offers_start_oevelse(new_trainee):
    trainee = new_trainee()
    assert 'href="/oevelse">Start øvelse</a>' in trainee.client.get("/").get_data(as_text=True)
    start = trainee.client.get("/oevelse").get_data(as_text=True)
    assert "Medlem - Lra</option>" in start and 'value="1" selected' in start
    for label in ("Sagsbehandler", "Kommunal sagsbehandler"):
        assert f">{label}</label>" in start
    assert catalogue.rights()[0].who["da"] in start


def test_start_makes_a_sandbox_and_logs_out(new_trainee, tmp_path):
    trainee = new_trainee()
    trainee.log_in()
    answer = trainee.start()
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert "sesag_oevelse=" in answer.headers["Set-Cookie"]
    assert len(list((tmp_path / "oevelse").glob("sandkasse-*.sqlite"))) == 1
    assert trainee.client.get("/selvbetjening/").status_code == 302  # logged out: begin at Trin 1
    text = trainee.panel("/")
    assert "Opgave: Giv Medlem - Lra rettigheden Sagsbehandler" in text
    assert f"Trin {step_of('front')} af 5" in text and caption("front") in text


def test_start_refuses_an_unknown_right_or_employee(new_trainee):
    trainee = new_trainee()
    token = trainee.csrf("/oevelse")
    assert (
        trainee.client.post(
            "/oevelse/start", data={"csrf_token": token, "medarbejder": LRA, "rettighed": "finans.betaler"}
        ).status_code
        == 400
    )
    assert (
        trainee.client.post(
            "/oevelse/start", data={"csrf_token": token, "medarbejder": "999", "rettighed": SAGSBEHANDLER}
        ).status_code
        == 400
    )
    assert trainee.client.get_cookie("sesag_oevelse") is None


def test_sandboxes_are_private(new_trainee):
    one, two, outsider = new_trainee(), new_trainee(), new_trainee()
    for trainee in (one, two):
        trainee.start()
        trainee.log_in()
    outsider.log_in()  # no exercise: the portal's shared database
    assert one.save_rights(LRA, [SAGSBEHANDLER]).status_code == 302
    assert two.save_rights(LRA, [KOMMUNAL]).status_code == 302
    assert one.held(LRA) == {SAGSBEHANDLER}
    assert two.held(LRA) == {KOMMUNAL}
    assert outsider.held(LRA) == set()


def test_start_forfra_resets_the_sandbox(new_trainee):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    trainee.save_rights(LRA, [KOMMUNAL])
    answer = trainee.client.post("/oevelse/forfra", data={"csrf_token": trainee.csrf()})
    assert answer.status_code == 302
    trainee.log_in()
    assert trainee.held(LRA) == set()
    assert "Giv Medlem - Lra rettigheden Sagsbehandler" in trainee.panel("/")  # same task


def test_afslut_removes_the_sandbox(new_trainee, tmp_path):
    trainee = new_trainee()
    trainee.start()
    trainee.client.post("/oevelse/afslut", data={"csrf_token": trainee.csrf()})
    assert list((tmp_path / "oevelse").glob("sandkasse-*.sqlite")) == []
    assert "Start øvelse" in trainee.panel("/") and "Opgave" not in trainee.panel("/")


def sandbox_files(tmp_path) -> list:
    return sorted((tmp_path / "oevelse").glob("sandkasse-*.sqlite"))


def test_a_full_portal_refuses_a_new_sandbox_and_evicts_none_in_use(app, new_trainee, tmp_path):
    app.extensions["sesag.training"].max_count = 3
    trainees = [new_trainee() for _ in range(3)]
    for trainee in trainees:
        trainee.start()
    late = new_trainee().start()
    assert late.status_code == 503 and "ikke plads" in late.get_data(as_text=True)
    assert len(sandbox_files(tmp_path)) == 3
    assert all("Opgave" in trainee.panel("/") for trainee in trainees)


def test_an_idle_sandbox_makes_room(app, new_trainee, tmp_path):
    import os
    import time

    app.extensions["sesag.training"].max_count = 2
    idle, busy = new_trainee(), new_trainee()
    idle.start()
    old = time.time() - 2 * 3600  # unused for two hours (TRAINING_IDLE: one)
    os.utime(sandbox_files(tmp_path)[0], (old, old))
    busy.start()
    assert new_trainee().start().status_code == 302
    assert "Opgave" in busy.panel("/")
    assert len(sandbox_files(tmp_path)) == 2


def test_sandboxes_per_client_are_limited(app, new_trainee, tmp_path):
    app.extensions["sesag.training"].starts.count = 3
    answers = [new_trainee().start().status_code for _ in range(5)]  # one address, no cookies kept
    assert answers == [302, 302, 302, 429, 429]
    assert len(sandbox_files(tmp_path)) == 3


def test_a_trainee_whose_sandbox_is_gone_is_logged_out_and_never_writes_to_the_shared_database(
    app, new_trainee, tmp_path, query
):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    url = f"/selvbetjening/medarbejdere/{LRA}/rettigheder"
    page = trainee.client.get(url).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    for path in sandbox_files(tmp_path):
        path.unlink()  # cleaned up (or evicted) while the trainee works
    answer = trainee.client.post(
        url, data={"csrf_token": form_token(page), "version": version, "right": [SAGSBEHANDLER]}
    )
    assert answer.status_code == 303 and answer.headers["Location"] == "/oevelse?slut=1"
    assert query("SELECT * FROM employee_right WHERE employee_id = ? AND right_id = ?", LRA, SAGSBEHANDLER) == []
    assert trainee.client.get_cookie("sesag_oevelse") is None
    assert trainee.client.get("/selvbetjening/").status_code == 302  # logged out
    assert "findes ikke længere" in trainee.client.get("/oevelse?slut=1").get_data(as_text=True)


def test_a_trainees_session_is_bound_to_its_sandbox(app, new_trainee):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    assert trainee.client.get("/selvbetjening/").status_code == 200
    thief = app.test_client()  # the trainee's session cookie, without the sandbox
    thief.set_cookie("session", trainee.client.get_cookie("session").value)
    assert thief.get("/selvbetjening/").status_code == 302


def test_a_huge_employee_number_is_refused_with_400(new_trainee):
    trainee = new_trainee()
    answer = trainee.client.post(
        "/oevelse/start",
        data={"csrf_token": trainee.csrf("/oevelse"), "medarbejder": "9" * 10240, "rettighed": SAGSBEHANDLER},
    )
    assert answer.status_code == 400


def test_a_forged_cookie_gives_no_sandbox(new_trainee):
    trainee = new_trainee()
    trainee.client.set_cookie("sesag_oevelse", "../../portal")
    assert "Opgave" not in trainee.panel("/")


@pytest.mark.parametrize(
    "url, screen",
    [
        ("/", "front"),
        ("/log-paa", "login"),
    ],
)
def test_hints_before_log_in(new_trainee, url, screen):
    trainee = new_trainee()
    trainee.start()
    text = trainee.panel(url)
    assert f"Trin {step_of(screen)} af 5" in text and caption(screen) in text


def test_hints_per_screen_when_logged_in(new_trainee):
    trainee = new_trainee()
    trainee.start()
    token = trainee.csrf("/log-paa")
    trainee.client.post("/log-paa", data={"csrf_token": token, "bruger_id": "admin", "adgangskode": "nemid-demo"})
    key_page = trainee.panel("/log-paa/noeglekort")  # the key card belongs to Trin 1 too
    assert "Trin 1 af 5" in key_page and caption("keycard") in key_page
    trainee.log_in()
    for url, screen in [
        ("/selvbetjening/", "selfservice"),
        ("/selvbetjening/medarbejdere", "employees"),
        (f"/selvbetjening/medarbejdere/{LRA}", "employee"),
        (f"/selvbetjening/medarbejdere/{LRA}/rettigheder", "rights"),
    ]:
        text = trainee.panel(url)
        assert f"Trin {step_of(screen)} af 5" in text, url
        assert caption(screen) in text, url
        assert "Hov" not in text and "hører ikke til" not in text, url
    step5 = catalogue.steps()[4]
    assert step5.bullets["da"][0] in trainee.panel(f"/selvbetjening/medarbejdere/{LRA}/rettigheder")
    assert "Rettigheden i denne øvelse: Sagsbehandler" in trainee.panel(
        f"/selvbetjening/medarbejdere/{LRA}/rettigheder"
    )


def test_wrong_employee_gets_a_gentle_hint_back(new_trainee):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    page = trainee.client.get(f"/selvbetjening/medarbejdere/{BRUGER}").get_data(as_text=True)
    text = panel_text(page)
    assert "Hov, det er Medlem - Bruger. Opgaven gælder Medlem - Lra" in text
    assert f"Trin {step_of('employees')} af 5" in text
    assert '<a href="/selvbetjening/medarbejdere">Tilbage til medarbejderlisten</a>' in page
    assert "Hov, det er Medlem - Bruger" in trainee.panel(f"/selvbetjening/medarbejdere/{BRUGER}/rettigheder")


def test_menu_page_outside_the_procedure(new_trainee):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    page = trainee.client.get("/selvbetjening/side/statistik").get_data(as_text=True)
    text = panel_text(page)
    assert "'Statistik' hører ikke til proceduren." in text and caption("selfservice") in text
    assert 'href="/selvbetjening/medarbejdere">Til Administrér medarbejdere</a>' in page
    assert "Det er ikke et trin i proceduren" in trainee.panel(f"/selvbetjening/medarbejdere/{LRA}/haendelser")


def test_ticking_both_rights_is_explained(new_trainee):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    answer = trainee.save_rights(LRA, [SAGSBEHANDLER, KOMMUNAL])
    assert answer.status_code == 400
    text = panel_text(answer.get_data(as_text=True))
    assert "Du har sat flueben ved både Sagsbehandler og Kommunal sagsbehandler" in text
    assert "fjern fluebenet ved Kommunal sagsbehandler" in text


def test_success_check(new_trainee):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    assert "ikke gemt" in trainee.client.get("/oevelse/resultat").get_data(as_text=True)
    assert trainee.save_rights(LRA, [SAGSBEHANDLER]).status_code == 302
    text = trainee.panel(f"/selvbetjening/medarbejdere/{LRA}/rettigheder")
    assert "Godt klaret! Medlem - Lra har nu rettigheden Sagsbehandler og ikke Kommunal sagsbehandler." in text
    assert caption("saved") in text and "Trin 5 af 5" in text
    result = trainee.client.get("/oevelse/resultat").get_data(as_text=True)
    assert "Godt klaret!" in result and "training-ok" in result and "<strong>Sagsbehandler</strong>" in result


def test_wrong_right_fails_the_check(new_trainee):
    trainee = new_trainee()
    trainee.start(right=SAGSBEHANDLER)
    trainee.log_in()
    trainee.save_rights(LRA, [KOMMUNAL])
    text = trainee.panel(f"/selvbetjening/medarbejdere/{LRA}/rettigheder")
    assert "Godt klaret" not in text
    assert "Medlem - Lra har fået Kommunal sagsbehandler, men opgaven var Sagsbehandler." in text
    result = trainee.client.get("/oevelse/resultat").get_data(as_text=True)
    assert "training-wrong" in result and "Godt klaret" not in result
    # put right, then the check passes
    trainee.save_rights(LRA, [SAGSBEHANDLER])
    assert "Godt klaret!" in trainee.panel("/oevelse/resultat")


def test_kommunal_task_and_other_employee(new_trainee):
    trainee = new_trainee()
    trainee.start(employee=BRUGER, right=KOMMUNAL)
    trainee.log_in()
    trainee.save_rights(LRA, [KOMMUNAL])  # the wrong employee
    assert "Opgave: Giv Medlem - Bruger rettigheden Kommunal sagsbehandler" in trainee.panel("/")
    assert "Du har ikke gemt rettigheder for Medlem - Bruger endnu." in trainee.client.get(
        "/oevelse/resultat"
    ).get_data(as_text=True)
    trainee.save_rights(BRUGER, [KOMMUNAL])
    result = trainee.client.get("/oevelse/resultat").get_data(as_text=True)
    assert "Godt klaret! Medlem - Bruger har nu rettigheden Kommunal sagsbehandler" in result
    assert "Du har også gemt rettigheder for Medlem - Lra" in result


def test_extra_rights_fail_the_check(new_trainee):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    trainee.save_rights(LRA, [SAGSBEHANDLER, "finans.betaler"])
    text = trainee.panel("/selvbetjening/")
    assert "men også Betalingsgodkender" in text and "Godt klaret" not in text


def test_saving_with_nothing_ticked_is_not_success(new_trainee):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    trainee.save_rights(LRA, [])
    assert "Medlem - Lra har endnu ikke rettigheden Sagsbehandler." in trainee.panel("/selvbetjening/")


class _Controls(HTMLParser):
    """The texts of the things a person can click or fill in, outside the training panel."""

    KINDS = {"a", "button", "label", "summary", "legend"}

    def __init__(self):
        super().__init__()
        self.open: list[list] = []
        self.in_panel = 0
        self.hidden: list[str] = []  # aria-hidden elements: not part of an accessible name
        self.texts: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("aria-hidden") == "true":
            self.hidden.append(tag)
        if tag == "aside" and "training" in (attrs.get("class") or ""):
            self.in_panel += 1
        if tag in self.KINDS and not self.in_panel:
            self.open.append([tag, ""])
        if tag == "input" and attrs.get("type") in ("submit", "button") and not self.in_panel:
            self.texts.add(_fold(attrs.get("value")))

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()
        if tag == "aside" and self.in_panel:
            self.in_panel -= 1
        if self.open and self.open[-1][0] == tag:
            self.texts.add(_fold(self.open.pop()[1]))

    def handle_data(self, data):
        if self.hidden:
            return
        for item in self.open:
            item[1] += data


def _fold(text) -> str:
    return " ".join((text or "").split()).rstrip(":*").casefold()


def panel_part(page: str, css_class: str) -> str:
    found = re.findall(rf'<p class="{css_class}">(.*?)</p>', page, re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", part)) for part in found)


def each_screen(trainee):
    """(screen, page) for every screen of training.toml, reached as a trainee reaches it."""
    yield "front", trainee.client.get("/").get_data(as_text=True)
    yield "login", trainee.client.get("/log-paa").get_data(as_text=True)
    trainee.auth.start()
    yield "keycard", trainee.client.get("/log-paa/noeglekort").get_data(as_text=True)
    trainee.auth.key()
    yield "selfservice", trainee.client.get("/selvbetjening/").get_data(as_text=True)
    yield "employees", trainee.client.get("/selvbetjening/medarbejdere").get_data(as_text=True)
    yield "employee", trainee.client.get(f"/selvbetjening/medarbejdere/{LRA}").get_data(as_text=True)
    yield "rights", trainee.client.get(f"/selvbetjening/medarbejdere/{LRA}/rettigheder").get_data(as_text=True)
    trainee.save_rights(LRA, [SAGSBEHANDLER])
    yield "saved", trainee.client.get(f"/selvbetjening/medarbejdere/{LRA}/rettigheder").get_data(as_text=True)


def test_every_hint_names_buttons_and_links_that_are_on_its_page(new_trainee):
    """A quoted label in what the panel says to do ('Log på', 'Gem rettigheder') is a control on
    that very page: the key-card page must not say 'Næste' when its button is 'Log på'."""
    trainee = new_trainee()
    trainee.start()
    seen = set()
    for screen, page in each_screen(trainee):
        seen.add(screen)
        said = " ".join(panel_part(page, kind) for kind in ("training-do", "training-extra", "training-ok"))
        assert said.strip(), screen
        controls = _Controls()
        controls.feed(page)
        quoted = re.findall(r"'([^']+)'", said)
        missing = [label for label in quoted if _fold(label) not in controls.texts]
        assert missing == [], f"{screen}: the hint names {missing}, which the page does not show"
    assert seen == set(catalogue.training().screens)


def test_the_panel_carries_each_screens_targets(new_trainee):
    """What 'Vis hvor' frames: the screen's targets with the task filled in, as JSON data (no
    inline script: the page's CSP allows only its own files)."""
    trainee = new_trainee()
    trainee.start()
    for screen, page in each_screen(trainee):
        found = re.search(r'<script type="application/json" id="training-targets">(.*?)</script>', page, re.S)
        assert found, screen
        expected = [
            {"role": t.role, "name": t.name.format(employee="Medlem - Lra", right="Sagsbehandler"), "within": t.within}
            for t in catalogue.training().screens[screen].targets
        ]
        assert json.loads(found.group(1)) == expected, screen
        assert 'role="switch" id="training-show"' in page and "/static/training.js" in page
        assert re.search(r"<script>|\son[a-z]+=", page) is None, screen  # nothing inline


def test_a_detour_frames_nothing(new_trainee):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    page = trainee.client.get(f"/selvbetjening/medarbejdere/{BRUGER}").get_data(as_text=True)
    assert "Hov, det er" in page and 'id="training-targets"' not in page


def test_the_trainer_overview_needs_the_code(app, new_trainee):
    trainer = app.test_client()
    assert "Underviserkode" in trainer.get("/oevelse/oversigt").get_data(as_text=True)
    token = form_token(trainer.get("/oevelse/oversigt").get_data(as_text=True))
    wrong = trainer.post("/oevelse/oversigt", data={"csrf_token": token, "kode": "000000x"})
    assert wrong.status_code == 403 and "Forkert kode" in wrong.get_data(as_text=True)
    assert "<table" not in trainer.get("/oevelse/oversigt").get_data(as_text=True)


def test_guessing_the_trainer_code_is_limited(app):
    trainer = app.test_client()
    token = form_token(trainer.get("/oevelse/oversigt").get_data(as_text=True))
    answers = [
        trainer.post("/oevelse/oversigt", data={"csrf_token": token, "kode": f"{n:06d}"}).status_code
        for n in range(11)
        if f"{n:06d}" != app.config["TRAINER_CODE"]
    ][:11]
    assert answers[:10] == [403] * 10 and answers[10:] == [429] * len(answers[10:])
    right = trainer.post("/oevelse/oversigt", data={"csrf_token": token, "kode": app.config["TRAINER_CODE"]})
    assert right.status_code == 429  # even the right code waits out the window


def test_the_trainer_overview_shows_each_trainees_progress(app, new_trainee):
    done, busy = new_trainee(), new_trainee()
    done.start()
    done.log_in()
    done.save_rights(LRA, [SAGSBEHANDLER])
    done.panel("/selvbetjening/")  # the panel notes the passed check
    busy.start(employee=BRUGER, right=KOMMUNAL)
    busy.log_in()
    busy.panel("/selvbetjening/medarbejdere")
    trainer = app.test_client()
    token = form_token(trainer.get("/oevelse/oversigt").get_data(as_text=True))
    assert (
        trainer.post("/oevelse/oversigt", data={"csrf_token": token, "kode": app.config["TRAINER_CODE"]}).status_code
        == 302
    )
    rows = overview_rows(trainer)
    assert rows[0][:2] == ["Deltager", "Opgave"]
    assert [row[:2] + row[3:] for row in rows[1:]] == [
        ["uden navn", "Giv Medlem - Bruger rettigheden Kommunal sagsbehandler", "Trin 3 af 5", "Nej", "0 min."],
        ["uden navn", "Giv Medlem - Lra rettigheden Sagsbehandler", "Trin 5 af 5", "Ja", "0 min."],
    ]
    assert all(re.fullmatch(r"kl\. \d\d:\d\d", row[2]) for row in rows[1:])  # when each began


def overview_rows(trainer) -> list[list[str]]:
    """The trainer's overview as rows of cell texts (the header row first)."""
    page = trainer.get("/oevelse/oversigt").get_data(as_text=True)
    return [
        [
            " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)
    ]


def trainer_of(app):
    """A test client that has given the trainer code."""
    trainer = app.test_client()
    token = form_token(trainer.get("/oevelse/oversigt").get_data(as_text=True))
    assert (
        trainer.post("/oevelse/oversigt", data={"csrf_token": token, "kode": app.config["TRAINER_CODE"]}).status_code
        == 302
    )
    return trainer


def test_the_overview_tells_two_trainees_on_one_task_apart(app, new_trainee):
    """#20, 18: each trainee's name (given on the start page) in a column of its own."""
    for name in ("Mette Holm", "Jonas <b>Berg</b>"):
        assert new_trainee().start(name=name).status_code == 302
    rows = overview_rows(trainer_of(app))
    assert sorted(row[0] for row in rows[1:]) == ["Jonas <b>Berg</b>", "Mette Holm"]  # escaped: shown as typed
    assert len({tuple(row) for row in rows[1:]}) == 2
    assert all(row[1] == "Giv Medlem - Lra rettigheden Sagsbehandler" for row in rows[1:])


def test_start_forfra_keeps_the_trainees_name(app, new_trainee):
    trainee = new_trainee()
    trainee.start(name="Mette Holm")
    assert trainee.client.post("/oevelse/forfra", data={"csrf_token": trainee.csrf("/")}).status_code == 302
    assert [row[0] for row in overview_rows(trainer_of(app))[1:]] == ["Mette Holm"]


def test_the_trainees_name_is_cleaned_and_bounded(app, new_trainee):
    assert new_trainee().start(name="  Mette\x00 Holm\u200b ").status_code == 302
    assert [row[0] for row in overview_rows(trainer_of(app))[1:]] == ["Mette Holm"]
    too_long = new_trainee().start(name="x" * 61)
    assert too_long.status_code == 400 and "Dit navn må højst være 60 tegn" in too_long.get_data(as_text=True)


def test_the_task_list_tells_namesakes_apart(app, new_trainee):
    """#20, 18: the demo company has two Anne Jensens; the list and the task name each by e-mail."""
    page = new_trainee().client.get("/oevelse").get_data(as_text=True)
    options = [htmllib.unescape(text) for text in re.findall(r"<option[^>]*>([^<]*)</option>", page)]
    assert len(options) == len(set(options)) > 2
    assert "Anne Jensen (anne.jensen@eksempelkommune.dk)" in options
    assert "Anne Jensen (anne.jensen2@eksempelkommune.dk)" in options
    assert "Medlem - Lra" in options  # a name nobody shares is shown alone
    second = int(re.search(r'<option value="(\d+)"[^>]*>Anne Jensen \(anne\.jensen2@', page)[1])
    trainee = new_trainee()
    trainee.start(employee=second)
    assert "Giv Anne Jensen (anne.jensen2@eksempelkommune.dk) rettigheden Sagsbehandler" in trainee.panel("/")


def test_portal_training_prints_the_trainer_code(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from mock_portal.cli import portal_command

    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    served = []
    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.append(app))
    monkeypatch.setenv("SESAG_SECRET_KEY", "cli-test")
    result = CliRunner().invoke(portal_command, ["--db", str(tmp_path / "p.sqlite"), "--training", "--port", "5123"])
    assert result.exit_code == 0, result.output
    code = served[0].config["TRAINER_CODE"]
    assert re.fullmatch(r"\d{6}", code)
    assert f"Trainer overview: http://127.0.0.1:5123/oevelse/oversigt (code {code})" in result.output


# Progress is recorded where the request is handled, once; rendering a page only reads it.


def sandbox_progress(tmp_path) -> tuple:
    """(trin, finished) of the one sandbox in the training folder."""
    (path,) = sandbox_files(tmp_path)
    with sqlite3.connect(path) as db:
        return db.execute("SELECT trin, finished FROM oevelse").fetchone()


def test_rendering_the_panel_writes_no_progress(app, new_trainee, tmp_path):
    trainee = new_trainee()
    trainee.start()
    assert sandbox_progress(tmp_path) == (None, None)
    cookie = trainee.client.get_cookie("sesag_oevelse")
    with app.test_request_context("/selvbetjening/", headers={"Cookie": f"sesag_oevelse={cookie.value}"}):
        shown = flask.render_template_string("{{ training.hint.step }}")
        flask.render_template_string("{{ training.hint.step }}")
    assert shown.isdigit()  # the panel was rendered, twice
    assert sandbox_progress(tmp_path) == (None, None)


def test_a_page_of_the_procedure_records_its_trin(new_trainee, tmp_path):
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    trainee.client.get("/selvbetjening/medarbejdere")
    assert sandbox_progress(tmp_path)[0] == step_of("employees")


def test_saving_the_right_records_the_finish_without_another_page(app, new_trainee, tmp_path):
    """The save is answered with a redirect: no page is rendered, and the check passed all the same."""
    trainee = new_trainee()
    trainee.start()
    trainee.log_in()
    assert trainee.save_rights(LRA, [SAGSBEHANDLER]).status_code in (302, 303)
    trin, finished = sandbox_progress(tmp_path)
    assert trin == len(catalogue.steps()) and finished is not None
