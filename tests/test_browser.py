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
