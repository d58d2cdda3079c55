"""Finding and launching Chromium, without starting one."""

import pytest

from flows import browser


class FakeChromium:
    def __init__(self, path):
        self.executable_path = path


class FakePlaywright:
    def __init__(self, bundled_path):
        self.chromium = FakeChromium(bundled_path)


@pytest.fixture
def no_system_chromium(monkeypatch):
    monkeypatch.delenv("SESAG_CHROMIUM", raising=False)
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)


def test_bundled_chromium_is_preferred(tmp_path, monkeypatch):
    monkeypatch.delenv("SESAG_CHROMIUM", raising=False)
    bundled = tmp_path / "chrome"
    bundled.write_text("")
    assert browser.executable_path(FakePlaywright(str(bundled))) is None


def test_system_chromium_when_no_bundled(tmp_path, monkeypatch):
    monkeypatch.delenv("SESAG_CHROMIUM", raising=False)
    monkeypatch.setattr(browser.shutil, "which", lambda name: "/usr/bin/chromium" if name == "chromium" else None)
    assert browser.executable_path(FakePlaywright(str(tmp_path / "missing"))) == "/usr/bin/chromium"


def test_sesag_chromium_overrides(tmp_path, monkeypatch):
    binary = tmp_path / "my-chromium"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    monkeypatch.setenv("SESAG_CHROMIUM", str(binary))
    assert browser.executable_path(FakePlaywright(str(tmp_path / "missing"))) == str(binary)


def test_bad_sesag_chromium_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SESAG_CHROMIUM", str(tmp_path / "nope"))
    with pytest.raises(browser.BrowserNotFound, match="SESAG_CHROMIUM"):
        browser.executable_path(FakePlaywright(str(tmp_path / "missing")))


def test_nothing_found_without_install_says_what_to_run(tmp_path, no_system_chromium):
    with pytest.raises(browser.BrowserNotFound, match="apt-get install chromium"):
        browser.executable_path(FakePlaywright(str(tmp_path / "missing")), install=False)


def test_install_is_tried_when_nothing_is_found(tmp_path, no_system_chromium, monkeypatch):
    installed = tmp_path / "chrome"
    monkeypatch.setattr(browser, "install_chromium", lambda log: installed.write_text(""))
    assert browser.executable_path(FakePlaywright(str(installed)), log=lambda m: None) is None


def test_launch_options_as_root(tmp_path, monkeypatch):
    monkeypatch.setattr(browser, "_is_root", lambda: True)
    monkeypatch.setattr(browser, "executable_path", lambda pw, install: "/usr/bin/chromium")
    options = browser.launch_options(object())
    assert options["executable_path"] == "/usr/bin/chromium"
    assert options["headless"] is True
    for flag in ("--no-sandbox", "--disable-background-networking", "--disable-component-update"):
        assert flag in options["args"]


def test_headed_needs_a_display(monkeypatch):
    monkeypatch.setattr(browser, "executable_path", lambda pw, install: None)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert browser.launch_options(object(), headed=True)["headless"] is True
    monkeypatch.setenv("DISPLAY", ":99")
    options = browser.launch_options(object(), headed=True, slowmo=250)
    assert options["headless"] is False and options["slow_mo"] == 250
    assert "executable_path" not in options


def test_context_is_deterministic():
    options = browser.context_options(device_scale_factor=2)
    assert options["viewport"] == {"width": 1280, "height": 900}
    assert options["locale"] == "da-DK"
    assert options["timezone_id"] == "Europe/Copenhagen"
    assert options["reduced_motion"] == "reduce"
    assert options["device_scale_factor"] == 2


def test_server_config_serves_this_machines_chromium_and_flags(monkeypatch):
    monkeypatch.setattr(browser, "_is_root", lambda: True)
    monkeypatch.setattr(browser, "executable_path", lambda pw, install: "/usr/bin/chromium")
    config = browser.server_config(object())
    assert config["executablePath"] == "/usr/bin/chromium" and config["headless"] is True
    for flag in ("--no-sandbox", "--disable-background-networking", "--disable-component-update"):
        assert flag in config["args"]


def test_server_config_without_a_path_uses_playwrights_bundled_chromium(monkeypatch):
    monkeypatch.setattr(browser, "executable_path", lambda pw, install: None)
    assert "executablePath" not in browser.server_config(object())


class RecordingChromium:
    """Records how the flows open a browser (launch or connect)."""

    def __init__(self, refuse: bool = False):
        self.calls = []
        self.refuse = refuse

    def launch(self, **options):
        self.calls.append(("launch", options))
        return "local browser"

    def connect(self, endpoint, **options):
        self.calls.append(("connect", {"endpoint": endpoint, **options}))
        if self.refuse:
            from playwright.sync_api import Error

            raise Error("WebSocket error: connect ECONNREFUSED 127.0.0.1:9\nCall log: ...")
        return "remote browser"


@pytest.fixture
def recording(monkeypatch):
    monkeypatch.delenv(browser.CONNECT_ENV, raising=False)
    monkeypatch.setattr(browser, "executable_path", lambda pw, install: None)
    playwright = FakePlaywright("unused")
    playwright.chromium = RecordingChromium()
    return playwright


def test_open_browser_launches_locally_by_default(recording):
    assert browser.open_browser(recording) == "local browser"
    assert [kind for kind, _ in recording.chromium.calls] == ["launch"]


def test_sesag_connect_sends_every_browser_to_the_server(recording, monkeypatch):
    monkeypatch.setenv(browser.CONNECT_ENV, "ws://grid:3000/x")
    assert browser.open_browser(recording, slowmo=100) == "remote browser"
    kind, options = recording.chromium.calls[0]
    assert kind == "connect" and options["endpoint"] == "ws://grid:3000/x" and options["slow_mo"] == 100
    assert options["expose_network"] == "<loopback>"  # the grid's browser reaches our embedded mock


def test_connect_argument_and_remote_block_win_over_the_environment(recording, monkeypatch):
    monkeypatch.setenv(browser.CONNECT_ENV, "ws://from-env/")
    browser.open_browser(recording, connect="ws://given/")
    with browser.remote("ws://command-option/"):
        browser.open_browser(recording)
    browser.open_browser(recording)
    assert [options["endpoint"] for _, options in recording.chromium.calls] == [
        "ws://given/",
        "ws://command-option/",
        "ws://from-env/",
    ]


def test_a_server_that_does_not_answer_is_one_clear_line(recording):
    recording.chromium.refuse = True
    with pytest.raises(browser.BrowserNotFound) as refused:
        browser.open_browser(recording, connect="ws://127.0.0.1:9/")
    assert str(refused.value) == (
        "cannot connect to the browser server ws://127.0.0.1:9/: WebSocket error: connect ECONNREFUSED 127.0.0.1:9"
    )


def test_guide_connect_option_reaches_open_browser(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from flows import guide

    monkeypatch.delenv(browser.CONNECT_ENV, raising=False)
    seen = []

    def generate(*args, **kwargs):
        seen.append(browser.remote_endpoint())
        raise guide.GuideError("stopped before any browser")

    monkeypatch.setattr(guide, "generate", generate)
    result = CliRunner().invoke(guide.guide_command, ["--out", str(tmp_path / "g"), "--connect", "ws://grid:3000/"])
    assert result.exit_code == 2 and seen == ["ws://grid:3000/"]
    assert browser.remote_endpoint() is None  # only while the command runs
