"""Finding and launching Chromium, without starting one."""

import subprocess

import pytest
from playwright.sync_api import Error as PlaywrightError

from flows import errors
from flows.core import browser


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
    with pytest.raises(errors.BrowserNotFound, match="SESAG_CHROMIUM"):
        browser.executable_path(FakePlaywright(str(tmp_path / "missing")))


def test_nothing_found_says_to_run_sesag_browser_and_installs_nothing(tmp_path, no_system_chromium, monkeypatch):
    monkeypatch.setattr(browser.subprocess, "run", lambda *a, **k: pytest.fail(f"ran {a}"))
    with pytest.raises(errors.BrowserNotFound, match=r"No Chromium found\. Run `sesag browser`"):
        browser.executable_path(FakePlaywright(str(tmp_path / "missing")))
    with pytest.raises(errors.BrowserNotFound, match="sesag browser"):
        browser.launch_options(FakePlaywright(str(tmp_path / "missing")), pictures=False)


def test_launch_options_as_root(tmp_path, monkeypatch):
    monkeypatch.setattr(browser, "_is_root", lambda: True)
    monkeypatch.setattr(browser, "executable_path", lambda pw: "/usr/bin/chromium")
    options = browser.launch_options(object())
    assert options["executable_path"] == "/usr/bin/chromium"
    assert options["headless"] is True
    for flag in ("--no-sandbox", "--disable-background-networking", "--disable-component-update"):
        assert flag in options["args"]


def test_headed_needs_a_display(monkeypatch):
    monkeypatch.setattr(browser, "executable_path", lambda pw: None)
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


def test_by_default_grant_and_bulks_headless_shell_draws_frames(on_path, no_bundled):
    """Playwright's documented behaviour by default: frames drawn, so its checks before a click work."""
    on_path["chromium-headless-shell"] = SHELL
    assert browser.NO_FRAMES not in browser.launch_options(no_bundled, pictures=False)["args"]
    assert not browser.BrowserSpec(pictures=False).force_clicks


def test_only_the_fast_profile_draws_no_frames_and_forces_clicks(on_path, no_bundled, monkeypatch):
    """docs/decisions/0001-fast-profile.md (bench/bulk.py --compare-frames)."""
    on_path["chromium-headless-shell"] = SHELL
    assert browser.NO_FRAMES in browser.launch_options(no_bundled, pictures=False, profile="fast")["args"]
    assert browser.NO_FRAMES not in browser.launch_options(no_bundled, profile="fast")["args"]  # pictures: frames
    assert browser.BrowserSpec(profile="fast", pictures=False).force_clicks
    monkeypatch.setenv("DISPLAY", ":99")
    assert (
        browser.NO_FRAMES not in browser.launch_options(no_bundled, headed=True, pictures=False, profile="fast")["args"]
    )


def test_an_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="unknown profile 'quick'; choose one of default, fast"):
        browser.BrowserSpec(profile="quick")


@pytest.mark.parametrize("profile", browser.PROFILES)
@pytest.mark.parametrize("pictures", [True, False])
def test_no_switch_replaces_playwrights_own_disabled_features(on_path, no_bundled, profile, pictures):
    """Chromium takes only the last --disable-features: one of ours would drop Playwright's own."""
    on_path["chromium-headless-shell"] = SHELL
    args = browser.launch_options(no_bundled, pictures=pictures, profile=profile)["args"]
    assert not any(arg.startswith("--disable-features") for arg in args)


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
    with pytest.raises(errors.BrowserNotFound, match="SESAG_CHROMIUM_SHELL=.*nope is not an executable file"):
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
    assert browser.NO_FRAMES not in options["args"]  # the default profile draws frames
    fast = browser.launch_options(FakePlaywright(str(bundled)), pictures=False, profile="fast")
    assert browser.NO_FRAMES in fast["args"]  # Playwright launches its headless shell headless
    assert browser.NO_FRAMES not in browser.launch_options(FakePlaywright(str(bundled)), profile="fast")["args"]


def test_context_is_deterministic():
    options = browser.context_options(device_scale_factor=2)
    assert options["viewport"] == {"width": 1280, "height": 900}
    assert options["locale"] == "da-DK"
    assert options["timezone_id"] == "Europe/Copenhagen"
    assert options["reduced_motion"] == "reduce"
    assert options["device_scale_factor"] == 2


def test_server_config_serves_this_machines_chromium_and_flags(monkeypatch):
    monkeypatch.setattr(browser, "_is_root", lambda: True)
    monkeypatch.setattr(browser, "executable_path", lambda pw: "/usr/bin/chromium")
    config = browser.server_config(object())
    assert config["executablePath"] == "/usr/bin/chromium" and config["headless"] is True
    for flag in ("--no-sandbox", "--disable-background-networking", "--disable-component-update"):
        assert flag in config["args"]


def test_server_config_without_a_path_uses_playwrights_bundled_chromium(monkeypatch):
    monkeypatch.setattr(browser, "executable_path", lambda pw: None)
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
        self.launch_failures: list[str] = []  # the messages of launches that fail, in order

    def launch(self, **options):
        self.calls.append(("launch", options))
        if self.launch_failures:
            raise PlaywrightError(self.launch_failures.pop(0))
        return FakeBrowser("local browser", self)

    def connect(self, endpoint, **options):
        self.calls.append(("connect", {"endpoint": endpoint, **options}))
        if self.refuse:
            raise PlaywrightError("WebSocket error: connect ECONNREFUSED 127.0.0.1:9\nCall log: ...")
        return FakeBrowser("remote browser", self)


@pytest.fixture
def recording(monkeypatch):
    monkeypatch.delenv(browser.CONNECT_ENV, raising=False)
    monkeypatch.setattr(browser, "executable_path", lambda pw: None)
    playwright = FakePlaywright("unused")
    playwright.chromium = RecordingChromium()
    return playwright


def test_open_browser_launches_locally_by_default(recording, monkeypatch):
    monkeypatch.setenv(browser.CONNECT_ENV, "ws://from-env/")  # read by the commands' --connect, not here
    assert browser.open_browser(recording).kind == "local browser"
    assert [kind for kind, _ in recording.chromium.calls] == ["launch"]


# What Playwright says when the browser process exits while it starts (seen once in CI, under load).
DIED_AT_START = "BrowserType.launch: Target page, context or browser has been closed"


def test_a_browser_that_dies_while_it_starts_is_started_once_more(recording):
    recording.chromium.launch_failures = [DIED_AT_START]
    assert browser.open_browser(recording).kind == "local browser"
    first, second = recording.chromium.calls
    assert first == second  # the same launch again, not another browser


def test_a_browser_that_dies_twice_while_it_starts_is_the_error(recording):
    recording.chromium.launch_failures = [DIED_AT_START, DIED_AT_START]
    with pytest.raises(PlaywrightError, match="has been closed"):
        browser.open_browser(recording)
    assert len(recording.chromium.calls) == 2


def test_a_launch_that_fails_otherwise_is_not_tried_again(recording):
    recording.chromium.launch_failures = ["BrowserType.launch: Executable doesn't exist at /nowhere/chrome"]
    with pytest.raises(PlaywrightError, match="Executable"):
        browser.open_browser(recording)
    assert len(recording.chromium.calls) == 1


def test_open_browser_with_own_signals_leaves_sigint_and_sigterm_to_the_caller(recording):
    browser.open_browser(recording, browser.BrowserSpec(own_signals=True))
    [(_, options)] = recording.chromium.calls
    assert options["handle_sigint"] is False and options["handle_sigterm"] is False


def test_connect_sends_the_browser_to_the_server(recording):
    spec = browser.BrowserSpec(connect="ws://grid:3000/x", slowmo=100)
    assert browser.open_browser(recording, spec).kind == "remote browser"
    kind, options = recording.chromium.calls[0]
    assert kind == "connect" and options["endpoint"] == "ws://grid:3000/x" and options["slow_mo"] == 100
    assert options["expose_network"] == "<loopback>"  # the grid's browser reaches our embedded mock


def test_browser_module_keeps_no_connection_or_launch_registry():
    """--connect travels as a parameter; how a browser was launched is not looked up later."""
    for gone in ("remote", "remote_endpoint", "_remote", "another_browser", "launch_local", "_launched_with"):
        assert not hasattr(browser, gone), gone
    assert not hasattr(browser, "draws_frames") and not hasattr(browser, "playwright_disabled_features")


def test_a_server_that_does_not_answer_is_one_clear_line(recording):
    recording.chromium.refuse = True
    with pytest.raises(errors.BrowserNotFound) as refused:
        browser.open_browser(recording, browser.BrowserSpec(connect="ws://127.0.0.1:9/"))
    assert str(refused.value) == (
        "cannot connect to the browser server ws://127.0.0.1:9/: WebSocket error: connect ECONNREFUSED 127.0.0.1:9"
    )


def test_guide_connect_option_reaches_open_browser(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from flows.guide import build as builder
    from flows.guide import commands as guide_commands

    monkeypatch.delenv(browser.CONNECT_ENV, raising=False)
    seen = []

    def generate(*args, **kwargs):
        seen.append(kwargs["connect"])
        raise errors.GuideError("stopped before any browser")

    monkeypatch.setattr(builder, "generate", generate)
    result = CliRunner().invoke(
        guide_commands.guide_command, ["--out", str(tmp_path / "g"), "--connect", "ws://grid:3000/"]
    )
    assert result.exit_code == errors.ExitStatus.PORTAL and seen == ["ws://grid:3000/"]
    result = CliRunner().invoke(
        guide_commands.guide_command, ["--out", str(tmp_path / "g")], env={browser.CONNECT_ENV: "ws://from-env/"}
    )
    assert seen == ["ws://grid:3000/", "ws://from-env/"]


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

    from flows.core import browser_command

    monkeypatch.setattr(browser_command, "sync_playwright", lambda: FakeSyncPlaywright(fake_playwright))
    return CliRunner().invoke(browser_command.browser_command, list(args))


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
        "Headless shell (grant, bulk): none, full Chromium is used (`sesag browser --headless-shell` installs "
        "chromium-headless-shell for about 25 % less CPU; apt may upgrade the system Chromium with it)"
    )


def test_sesag_browser_beside_a_system_chromium_runs_no_apt_at_all(root_with_apt, no_bundled, monkeypatch):
    """`make setup` (and so `make guide`) runs `sesag browser`: with a Chromium there, apt must not
    run, for installing the headless shell may upgrade the system Chromium (issue 20, finding 19)."""
    root_with_apt["chromium"] = CHROMIUM
    monkeypatch.setattr(browser.subprocess, "run", lambda *a, **k: pytest.fail(f"ran {a}"))
    result = sesag_browser(monkeypatch, no_bundled)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Chromium: {CHROMIUM}"


def test_sesag_browser_headless_shell_says_apt_may_upgrade_chromium_before_it_installs(
    root_with_apt, no_bundled, monkeypatch
):
    root_with_apt["chromium"] = CHROMIUM
    apt = AptGet(root_with_apt)
    monkeypatch.setattr(browser.subprocess, "run", apt)
    result = sesag_browser(monkeypatch, no_bundled, "--headless-shell")
    assert result.exit_code == 0, result.output
    assert apt.installs() == ["chromium-headless-shell"]
    announce = result.output.index("apt may upgrade the system Chromium")
    assert announce < result.output.index(f"Headless shell (grant, bulk): {SHELL}")


def test_sesag_browser_says_what_it_will_install_then_installs_it(root_with_apt, no_bundled, monkeypatch):
    apt = AptGet(root_with_apt)
    monkeypatch.setattr(browser.subprocess, "run", apt)
    result = sesag_browser(monkeypatch, no_bundled)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("No Chromium found. Installing one with `apt-get update` and `apt-get install chromium")
    assert "apt may upgrade the system Chromium" in lines[0]
    assert apt.installs() == ["chromium", "chromium-headless-shell"]
    assert f"Chromium: {CHROMIUM}" in lines


def test_sesag_browser_no_install_with_nothing_found_is_one_line(no_system_chromium, no_bundled, monkeypatch):
    monkeypatch.setattr(browser.subprocess, "run", lambda *a, **k: pytest.fail(f"ran {a}"))
    result = sesag_browser(monkeypatch, no_bundled, "--no-install")
    assert result.exit_code == errors.ExitStatus.BROWSER and "No Chromium found. Run `sesag browser`" in result.output


def test_sesag_browser_with_playwrights_bundled_chromium(on_path, tmp_path, monkeypatch):
    bundled = tmp_path / "chrome"
    bundled.write_text("")
    result = sesag_browser(monkeypatch, FakePlaywright(str(bundled)), "--no-install")
    assert (
        result.output.splitlines()[1] == "Headless shell (grant, bulk): Playwright's own, beside its bundled Chromium"
    )


def test_grant_and_bulk_sessions_launch_the_headless_shell(recording, on_path, monkeypatch):
    """``open_session`` (sesag grant, sesag bulk): no pictures kept, so the shell; bulk's workers
    get the same spec (``Session.browser_spec``) and open theirs with it."""
    from flows.admin import session
    from flows.core.credentials import Credentials

    on_path["chromium-headless-shell"] = SHELL
    monkeypatch.setattr(session, "sync_playwright", lambda: FakeSyncPlaywright(recording))
    monkeypatch.setattr(session, "new_session", lambda browser, *args, browser_spec: browser_spec)
    spec = browser.BrowserSpec(pictures=False, own_signals=True)
    with session.open_session("http://portal", Credentials.demo(), spec) as given:
        assert given == spec
    [(_, options)] = recording.chromium.calls
    assert options["executable_path"] == SHELL and options["handle_sigint"] is False


def test_grant_without_a_browser_says_to_run_sesag_browser_and_installs_nothing(
    no_system_chromium, no_bundled, monkeypatch
):
    from click.testing import CliRunner

    from flows.admin import session
    from flows.admin.commands import grant_command

    monkeypatch.setattr(browser.subprocess, "run", lambda *a, **k: pytest.fail(f"ran {a}"))
    monkeypatch.setattr(session, "sync_playwright", lambda: FakeSyncPlaywright(no_bundled))
    result = CliRunner().invoke(
        grant_command,
        ["--employee", "x@example.dk", "--right", "sagsbehandler"],
        env={"SESAG_USER": "admin", "SESAG_PASSWORD": "x", "SESAG_KEYCARD": "demo"},
    )
    assert result.exit_code == errors.ExitStatus.BROWSER
    assert result.output == (
        "Error: No Chromium found. Run `sesag browser` to install one (or `make setup`), or point SESAG_CHROMIUM "
        "at a Chromium binary.\n"
    )


@pytest.mark.parametrize("command", ["grant", "bulk"])
def test_the_profile_is_shown_in_help(command):
    from click.testing import CliRunner

    from flows.cli import main

    shown = " ".join(CliRunner().invoke(main, [command, "--help"]).output.split())
    assert "--profile [default|fast]" in shown and "SESAG_PROFILE" in shown and "fast:" in shown
