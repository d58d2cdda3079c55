"""Finding and launching Chromium, without starting one."""

import subprocess

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


CHROMIUM = "/usr/bin/chromium"
SHELL = "/usr/bin/chromium-headless-shell"


@pytest.fixture
def on_path(monkeypatch):
    """A Debian machine: no bundled Chromium, no overrides, no display; ``chromium`` on PATH.
    Add names to the returned dict to put more on PATH."""
    for name in ("SESAG_CHROMIUM", "SESAG_CHROMIUM_SHELL", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    found = {"chromium": CHROMIUM}
    monkeypatch.setattr(browser.shutil, "which", lambda name: found.get(name))
    return found


@pytest.fixture
def no_bundled(tmp_path):
    return FakePlaywright(str(tmp_path / "missing"))


def executable(path):
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_flows_without_pictures_use_the_headless_shell_on_path(on_path, no_bundled):
    on_path["chromium-headless-shell"] = SHELL
    assert browser.launch_options(no_bundled, pictures=False)["executable_path"] == SHELL
    assert browser.launch_options(no_bundled)["executable_path"] == CHROMIUM  # pictures: full Chromium


def test_flows_without_pictures_composite_in_the_browser_process(on_path, no_bundled, monkeypatch):
    """No GPU process for frames nobody looks at (bench/bulk.py: faster with one and two workers)."""
    on_path["chromium-headless-shell"] = SHELL
    assert "--in-process-gpu" in browser.launch_options(no_bundled, pictures=False)["args"]
    assert "--in-process-gpu" not in browser.launch_options(no_bundled)["args"]  # the guide's pixels as they were
    monkeypatch.setenv("DISPLAY", ":99")
    assert "--in-process-gpu" not in browser.launch_options(no_bundled, headed=True, pictures=False)["args"]


def test_flows_without_pictures_draw_no_frames(on_path, no_bundled, monkeypatch):
    """A browser that keeps no pictures draws no frames either (bench/bulk.py --compare-frames)."""
    on_path["chromium-headless-shell"] = SHELL
    assert browser.NO_FRAMES in browser.launch_options(no_bundled, pictures=False)["args"]
    assert browser.NO_FRAMES not in browser.launch_options(no_bundled)["args"]  # the guide shoots frames
    monkeypatch.setenv("DISPLAY", ":99")
    assert browser.NO_FRAMES not in browser.launch_options(no_bundled, headed=True, pictures=False)["args"]


def test_without_frames_no_task_waits_for_one_after_a_click(on_path, no_bundled):
    """Blink holds a page's tasks after a click or key press until the next frame, at most 50 ms:
    without frames every form submitted waited that long. The feature is switched off on top of
    the features Playwright switches off itself (a second --disable-features replaces the first)."""
    on_path["chromium-headless-shell"] = SHELL
    args = browser.launch_options(no_bundled, pictures=False)["args"]
    disabled = [arg for arg in args if arg.startswith("--disable-features=")]
    assert len(disabled) == 1
    features = disabled[0].removeprefix("--disable-features=").split(",")
    assert browser.NO_INPUT_DEFERRAL in features
    assert set(browser.playwright_disabled_features()) <= set(features)
    assert not any(arg.startswith("--disable-features=") for arg in browser.launch_options(no_bundled)["args"])


def test_playwrights_own_disabled_features_are_read_from_its_driver():
    """If a Playwright upgrade moves them, this fails (launches then only lose the speed-up)."""
    features = browser.playwright_disabled_features()
    assert features is not None and "PaintHolding" in features
    assert all(feature and "," not in feature and " " not in feature for feature in features)


def test_draws_frames_knows_how_each_browser_was_launched(recording):
    frameless = browser.launch_local(recording, {"args": [browser.NO_FRAMES]})
    drawing = browser.launch_local(recording, {"args": []})
    assert browser.draws_frames(frameless) is False
    assert browser.draws_frames(drawing) is True
    assert browser.draws_frames(object()) is True  # launched elsewhere (the test plugin, a browser server)
    assert browser.draws_frames(None) is True  # a persistent context has no browser


def test_without_a_headless_shell_every_flow_uses_full_chromium(on_path, no_bundled):
    options = browser.launch_options(no_bundled, pictures=False)
    assert options["executable_path"] == CHROMIUM
    assert browser.NO_FRAMES not in options["args"]  # full Chromium ignores it: its clicks wait for frames


def test_sesag_chromium_wins_over_the_headless_shell(on_path, no_bundled, tmp_path, monkeypatch):
    on_path["chromium-headless-shell"] = SHELL
    mine = executable(tmp_path / "my-chromium")
    monkeypatch.setenv("SESAG_CHROMIUM", mine)
    monkeypatch.setenv("SESAG_CHROMIUM_SHELL", executable(tmp_path / "my-shell"))
    assert browser.launch_options(no_bundled, pictures=False)["executable_path"] == mine
    assert browser.launch_options(no_bundled)["executable_path"] == mine


def test_sesag_chromium_shell_names_the_headless_shell(on_path, no_bundled, tmp_path, monkeypatch):
    shell = executable(tmp_path / "my-shell")
    monkeypatch.setenv("SESAG_CHROMIUM_SHELL", shell)
    assert browser.launch_options(no_bundled, pictures=False)["executable_path"] == shell
    assert browser.launch_options(no_bundled)["executable_path"] == CHROMIUM


def test_bad_sesag_chromium_shell_is_a_clear_error(on_path, no_bundled, tmp_path, monkeypatch):
    monkeypatch.setenv("SESAG_CHROMIUM_SHELL", str(tmp_path / "nope"))
    with pytest.raises(browser.BrowserNotFound, match="SESAG_CHROMIUM_SHELL=.*nope is not an executable file"):
        browser.launch_options(no_bundled, pictures=False)


def test_headed_never_uses_the_headless_shell(on_path, no_bundled, monkeypatch):
    on_path["chromium-headless-shell"] = SHELL
    monkeypatch.setenv("DISPLAY", ":99")
    options = browser.launch_options(no_bundled, headed=True, pictures=False)
    assert options["headless"] is False and options["executable_path"] == CHROMIUM


def test_playwrights_bundled_chromium_picks_its_own_headless_shell(on_path, tmp_path):
    on_path["chromium-headless-shell"] = SHELL
    bundled = tmp_path / "chrome"
    bundled.write_text("")
    options = browser.launch_options(FakePlaywright(str(bundled)), pictures=False)
    assert "executable_path" not in options
    assert browser.NO_FRAMES in options["args"]  # Playwright launches its headless shell headless
    assert browser.NO_FRAMES not in browser.launch_options(FakePlaywright(str(bundled)))["args"]


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


class FakeBrowser:
    """What ``launch`` or ``connect`` returns: knows its browser type, as Playwright's does."""

    def __init__(self, kind, browser_type):
        self.kind = kind
        self.browser_type = browser_type

    def close(self):
        pass


class RecordingChromium:
    """Records how the flows open a browser (launch or connect)."""

    def __init__(self, refuse: bool = False):
        self.calls = []
        self.refuse = refuse

    def launch(self, **options):
        self.calls.append(("launch", options))
        return FakeBrowser("local browser", self)

    def connect(self, endpoint, **options):
        self.calls.append(("connect", {"endpoint": endpoint, **options}))
        if self.refuse:
            from playwright.sync_api import Error

            raise Error("WebSocket error: connect ECONNREFUSED 127.0.0.1:9\nCall log: ...")
        return FakeBrowser("remote browser", self)


@pytest.fixture
def recording(monkeypatch):
    monkeypatch.delenv(browser.CONNECT_ENV, raising=False)
    monkeypatch.setattr(browser, "executable_path", lambda pw, install: None)
    playwright = FakePlaywright("unused")
    playwright.chromium = RecordingChromium()
    return playwright


def test_open_browser_launches_locally_by_default(recording):
    assert browser.open_browser(recording).kind == "local browser"
    assert [kind for kind, _ in recording.chromium.calls] == ["launch"]


def test_sesag_connect_sends_every_browser_to_the_server(recording, monkeypatch):
    monkeypatch.setenv(browser.CONNECT_ENV, "ws://grid:3000/x")
    assert browser.open_browser(recording, slowmo=100).kind == "remote browser"
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


def test_another_browser_is_launched_like_the_one_it_was_given(recording, on_path):
    on_path["chromium-headless-shell"] = SHELL
    first = browser.open_browser(recording, slowmo=50, pictures=False)
    browser.another_browser(first)
    (_, launched), (_, again) = recording.chromium.calls
    assert launched["executable_path"] == SHELL and again == launched


def test_another_browser_keeps_what_the_first_launch_was_given(recording):
    first = browser.launch_local(recording, {"headless": True, "args": ["--x"]}, handle_sigint=False)
    browser.another_browser(first)
    assert recording.chromium.calls[1] == ("launch", {"headless": True, "args": ["--x"], "handle_sigint": False})


def test_another_browser_of_a_browser_launched_elsewhere_gets_this_machines_options(recording, on_path):
    on_path["chromium-headless-shell"] = SHELL
    launched_by_the_test_plugin = FakeBrowser("local browser", recording.chromium)
    browser.another_browser(launched_by_the_test_plugin)
    [(kind, options)] = recording.chromium.calls
    assert kind == "launch" and options == browser.launch_options(recording)
    assert "executable_path" not in options  # not the shell: the recording fixture's bundled Chromium


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


class AptGet:
    """subprocess.run for apt-get: records the commands; ``fails`` are the packages it cannot install."""

    def __init__(self, on_path, fails=()):
        self.on_path = on_path
        self.fails = set(fails)
        self.commands = []

    def __call__(self, command, **kwargs):
        self.commands.append(command)
        package = command[-1]
        if command[:2] == ["apt-get", "install"]:
            if package in self.fails:
                return subprocess.CompletedProcess(command, 100)
            self.on_path[package] = f"/usr/bin/{package}"
        return subprocess.CompletedProcess(command, 0)

    def installs(self):
        return [command[-1] for command in self.commands if command[:2] == ["apt-get", "install"]]


@pytest.fixture
def root_with_apt(on_path, monkeypatch):
    monkeypatch.setattr(browser, "_is_root", lambda: True)
    on_path["apt-get"] = "/usr/bin/apt-get"
    del on_path["chromium"]
    return on_path


def test_install_chromium_also_installs_the_headless_shell(root_with_apt, monkeypatch):
    apt = AptGet(root_with_apt)
    monkeypatch.setattr(browser.subprocess, "run", apt)
    browser.install_chromium(log=lambda line: None)
    assert apt.installs() == ["chromium", "chromium-headless-shell"]
    assert root_with_apt["chromium-headless-shell"] == SHELL


def test_a_headless_shell_that_will_not_install_is_one_line_not_an_error(root_with_apt, monkeypatch):
    apt = AptGet(root_with_apt, fails={"chromium-headless-shell"})
    monkeypatch.setattr(browser.subprocess, "run", apt)
    logged = []
    browser.install_chromium(log=logged.append)
    assert apt.installs() == ["chromium", "chromium-headless-shell"]
    assert len([line for line in logged if "chromium-headless-shell" in line]) == 1


def test_ensure_headless_shell_installs_it_beside_a_system_chromium(root_with_apt, no_bundled, monkeypatch):
    root_with_apt["chromium"] = CHROMIUM
    apt = AptGet(root_with_apt)
    monkeypatch.setattr(browser.subprocess, "run", apt)
    assert browser.ensure_headless_shell(no_bundled, install=False) is None
    assert apt.commands == []  # only looks
    assert browser.ensure_headless_shell(no_bundled, log=lambda line: None) == SHELL
    assert apt.installs() == ["chromium-headless-shell"]


def test_ensure_headless_shell_tolerates_a_failed_install(root_with_apt, no_bundled, monkeypatch):
    root_with_apt["chromium"] = CHROMIUM
    monkeypatch.setattr(browser.subprocess, "run", AptGet(root_with_apt, fails={"chromium-headless-shell"}))
    assert browser.ensure_headless_shell(no_bundled, log=lambda line: None) is None


def test_ensure_headless_shell_installs_nothing_for_playwrights_bundled_chromium(root_with_apt, tmp_path, monkeypatch):
    bundled = tmp_path / "chrome"
    bundled.write_text("")
    apt = AptGet(root_with_apt)
    monkeypatch.setattr(browser.subprocess, "run", apt)
    browser.ensure_headless_shell(FakePlaywright(str(bundled)), log=lambda line: None)
    assert apt.commands == []


class FakeSyncPlaywright:
    def __init__(self, playwright):
        self.playwright = playwright

    def __enter__(self):
        return self.playwright

    def __exit__(self, *exc):
        return False


def sesag_browser(monkeypatch, fake_playwright, *args):
    """Run `sesag browser ARGS` with ``fake_playwright`` as Playwright."""
    from click.testing import CliRunner
    from playwright import sync_api

    from flows.cli import browser_command

    monkeypatch.setattr(sync_api, "sync_playwright", lambda: FakeSyncPlaywright(fake_playwright))
    return CliRunner().invoke(browser_command, list(args))


def test_sesag_browser_names_the_headless_shell(on_path, no_bundled, monkeypatch):
    on_path["chromium-headless-shell"] = SHELL
    result = sesag_browser(monkeypatch, no_bundled, "--no-install")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"Chromium: {CHROMIUM}", f"Headless shell (grant, bulk): {SHELL}"]


def test_sesag_browser_says_when_there_is_no_headless_shell(on_path, no_bundled, monkeypatch):
    monkeypatch.setattr(browser.subprocess, "run", lambda *a, **k: pytest.fail("--no-install installed"))
    monkeypatch.setattr(browser, "_is_root", lambda: True)
    on_path["apt-get"] = "/usr/bin/apt-get"
    result = sesag_browser(monkeypatch, no_bundled, "--no-install")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "Headless shell (grant, bulk): none, full Chromium is used "
        "(apt-get install chromium-headless-shell for about 25 % less CPU)"
    )


def test_sesag_browser_with_playwrights_bundled_chromium(on_path, tmp_path, monkeypatch):
    bundled = tmp_path / "chrome"
    bundled.write_text("")
    result = sesag_browser(monkeypatch, FakePlaywright(str(bundled)), "--no-install")
    assert (
        result.output.splitlines()[1] == "Headless shell (grant, bulk): Playwright's own, beside its bundled Chromium"
    )


@pytest.mark.parametrize("own_signals", [False, True])
def test_grant_and_bulk_sessions_launch_the_headless_shell(recording, on_path, monkeypatch, own_signals):
    """``open_session`` (sesag grant, sesag bulk): no pictures kept, so the shell, for its
    browser and for bulk's extra workers'."""
    from playwright import sync_api

    from flows import session
    from flows.credentials import Credentials

    on_path["chromium-headless-shell"] = SHELL
    monkeypatch.setattr(sync_api, "sync_playwright", lambda: FakeSyncPlaywright(recording))
    monkeypatch.setattr(session, "new_session", lambda browser, *args, launch_another: launch_another)
    with session.open_session("http://portal", Credentials.demo(), own_signals=own_signals) as launch_another:
        browser.another_browser(launch_another())
    launched = [options for _, options in recording.chromium.calls]
    assert len(launched) == 3 and all(options["executable_path"] == SHELL for options in launched)
    assert all(options.get("handle_sigint", True) is not own_signals for options in launched)
