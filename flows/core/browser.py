"""Find, install and open the Chromium the flows drive.

Order of preference: Playwright's bundled Chromium, then a system Chromium (``SESAG_CHROMIUM``
or ``chromium``/``chromium-browser``/``google-chrome`` on PATH). Only ``sesag browser``
installs one (``install_chromium``); every other command that finds none says to run it
(``BrowserNotFound``). Flows that keep no pictures (``sesag grant``, ``sesag bulk``) launch the
system's ``chromium-headless-shell`` instead when there is one (see ``launch_options``). Or none
of that: given a Playwright browser server (``--connect WS_URL``, or ``SESAG_CONNECT``) the
flows drive its browser. Every command opens its browser with ``open_browser``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from inspect import signature
from pathlib import Path
from typing import Any

import click
from playwright.sync_api import BrowserType
from playwright.sync_api import Error as PlaywrightError

import catalogue
from flows import first_line
from flows.errors import BrowserNotFound

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HEADLESS_SHELL = "chromium-headless-shell"  # Debian's package and command of that name
SHELL_ENV = "SESAG_CHROMIUM_SHELL"

# The closed network makes Chromium's background fetches stall start-up; as root the sandbox
# cannot start. The rest makes pixels the same from run to run.
BASE_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--force-color-profile=srgb",
    "--font-render-hinting=none",
    "--hide-scrollbars",
)

# Frames composited in the browser process: for browsers that keep no pictures (launch_options).
IN_PROCESS_GPU = "--in-process-gpu"

# The fast profile only (docs/decisions/0001-fast-profile.md): no frames drawn unless asked for
# over DevTools, which nothing here asks. In such a browser requestAnimationFrame never fires, so
# Playwright's wait for a steady element never ends: the fast profile's clicks skip Playwright's
# actionability checks (``Profile.force_clicks``). Full Chromium ignores the switch.
NO_FRAMES = "--enable-begin-frame-control"

# The ways a command may drive its browser (``--profile``, ``SESAG_PROFILE``).
DEFAULT_PROFILE = "default"
FAST_PROFILE = "fast"
PROFILES = (DEFAULT_PROFILE, FAST_PROFILE)
PROFILE_ENV = "SESAG_PROFILE"

# A Playwright browser server for every command that opens a browser (a grid, CI's launch-server).
CONNECT_ENV = "SESAG_CONNECT"


def connect_option(function):
    """``--connect WS_URL`` (env SESAG_CONNECT): every command that opens a browser takes it."""
    return click.option(
        "--connect",
        metavar="WS_URL",
        envvar=CONNECT_ENV,
        help=f"Use a remote Playwright browser server instead of a local Chromium (env {CONNECT_ENV}).",
    )(function)


VIEWPORT = {"width": 1280, "height": 900}
LOCALE = "da-DK"
TIMEZONE = catalogue.TIMEZONE

NO_BROWSER = (
    "No Chromium found. Run `sesag browser` to install one (or `make setup`), or point SESAG_CHROMIUM at a "
    "Chromium binary."
)
INSTALL_HELP = (
    "Install one with `sudo apt-get install chromium` (Debian/Ubuntu) or `.venv/bin/playwright install chromium`, "
    "or point SESAG_CHROMIUM at a Chromium binary."
)
# Debian builds chromium and chromium-headless-shell from one source package, at one version:
# installing either may upgrade the other, and the libraries they share.
APT_UPGRADE_NOTE = "apt may upgrade the system Chromium (and the libraries it shares) along with it"


@dataclass(frozen=True)
class BrowserSpec:
    """How a command opens its browser, so that a bulk worker can open one alike in its own thread.

    ``profile``: ``default`` (Playwright's documented behaviour) or ``fast`` (frameless headless
    shell and clicks without actionability checks: docs/decisions/0001-fast-profile.md).
    ``connect``: a Playwright browser server's ws endpoint, else a local launch. ``pictures=False``:
    the flow takes no screenshots (grant, bulk), so the headless shell will do. ``own_signals``: the
    caller handles SIGINT and SIGTERM, so Playwright must not close the browser on them.
    """

    profile: str = DEFAULT_PROFILE
    connect: str | None = None
    pictures: bool = True
    headed: bool = False
    slowmo: float = 0
    own_signals: bool = False

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"unknown profile {self.profile!r}; choose one of {', '.join(PROFILES)}")

    @property
    def force_clicks(self) -> bool:
        """True in the fast profile: clicks go without Playwright's actionability checks."""
        return self.profile == FAST_PROFILE


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def system_chromium() -> str | None:
    """Return the path of a system Chromium (``SESAG_CHROMIUM`` first), or None."""
    override = os.environ.get("SESAG_CHROMIUM")
    if override:
        if Path(override).is_file() and os.access(override, os.X_OK):
            return override
        raise BrowserNotFound(f"SESAG_CHROMIUM={override} is not an executable file.")
    for name in SYSTEM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def system_headless_shell() -> str | None:
    """Return the path of a system headless shell (``SESAG_CHROMIUM_SHELL`` first), or None."""
    override = os.environ.get(SHELL_ENV)
    if override:
        if Path(override).is_file() and os.access(override, os.X_OK):
            return override
        raise BrowserNotFound(f"{SHELL_ENV}={override} is not an executable file.")
    return shutil.which(HEADLESS_SHELL)


def headless_shell_path(playwright) -> str | None:
    """The headless shell that flows keeping no pictures launch, or None for full Chromium.

    ``SESAG_CHROMIUM`` wins over any shell. Playwright's bundled Chromium comes with a headless
    shell of its own, which Playwright launches by itself; so there only ``SESAG_CHROMIUM_SHELL``
    (set on purpose) is used.
    """
    if os.environ.get("SESAG_CHROMIUM"):
        return None
    if not os.environ.get(SHELL_ENV) and bundled_chromium_present(playwright):
        return None
    return system_headless_shell()


def bundled_chromium_present(playwright) -> bool:
    """True when Playwright's own Chromium build has been downloaded."""
    try:
        return Path(playwright.chromium.executable_path).is_file()
    except Exception:  # noqa: BLE001 - an unknown platform has no bundled build
        return False


def executable_path(playwright) -> str | None:
    """The Chromium to launch: None means Playwright's bundled one, else a path.

    Installs nothing: with none found, BrowserNotFound says to run ``sesag browser``.
    """
    if os.environ.get("SESAG_CHROMIUM"):
        return system_chromium()
    if bundled_chromium_present(playwright):
        return None
    found = system_chromium()
    if found:
        return found
    raise BrowserNotFound(NO_BROWSER)


# --- installing: `sesag browser` only -----------------------------------------------------------


def _apt_env() -> dict[str, str]:
    return dict(os.environ, DEBIAN_FRONTEND="noninteractive")


def can_apt_get() -> bool:
    """True when Debian packages can be installed here (root, apt-get on PATH)."""
    return _is_root() and bool(shutil.which("apt-get"))


def chromium_install_plan() -> str:
    """What ``install_chromium`` will run here, in words (said before it runs)."""
    if can_apt_get():
        return (
            f"`apt-get update` and `apt-get install chromium {HEADLESS_SHELL}` (Debian packages; {APT_UPGRADE_NOTE}), "
            "else `playwright install chromium`"
        )
    return "`playwright install chromium` (Playwright's own Chromium build, downloaded into your home folder)"


def _apt_install_headless_shell(log) -> bool:
    """``apt-get install chromium-headless-shell``; without it grant and bulk still work (in
    full Chromium), so a failure is one line, not an error."""
    done = subprocess.run(["apt-get", "install", "-y", "-qq", HEADLESS_SHELL], check=False, env=_apt_env())
    if done.returncode != 0:
        log(f"Could not install {HEADLESS_SHELL} (apt-get exit {done.returncode}); grant and bulk use full Chromium.")
    return done.returncode == 0


def install_chromium(log=print) -> None:
    """Install a Chromium: apt-get when root on Debian (with the headless shell), else
    Playwright's installer (whose Chromium comes with a headless shell of its own)."""
    if can_apt_get():
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=_apt_env())
        done = subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=_apt_env())
        if done.returncode == 0:
            _apt_install_headless_shell(log)
        if done.returncode == 0 and system_chromium():
            return
        log("apt-get could not install chromium; trying `playwright install chromium` ...")
    try:
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], timeout=600, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        raise BrowserNotFound(f"Automatic install failed ({exc}). {INSTALL_HELP}") from exc


def install_headless_shell(log=print) -> bool:
    """``apt-get update`` and ``apt-get install chromium-headless-shell`` (root on Debian only)."""
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=_apt_env())
    return _apt_install_headless_shell(log)


# --- opening ------------------------------------------------------------------------------------


def display_available() -> bool:
    """True when a headed browser can open a window."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or sys.platform in (
        "darwin",
        "win32",
    )


def launch_options(
    playwright, headed: bool = False, slowmo: float = 0, pictures: bool = True, profile: str = DEFAULT_PROFILE
) -> dict[str, Any]:
    """Keyword arguments for ``playwright.chromium.launch`` on this machine (installs nothing).

    ``pictures=False`` (grant and bulk: they read text and click) launches headless in the
    system's headless shell when there is one (``headless_shell_path``): measured by
    bench/bulk.py, about 25 % less CPU per verified change than full Chromium. Its text is
    rendered a few pixels differently, and the guide's committed shots come from full Chromium,
    so whatever keeps pictures (guide, demo, PDF, the e2e tests) keeps full Chromium. This is
    also what Playwright does with its bundled builds since 1.49. Such a browser also composites
    in its own process (``--in-process-gpu``): a GPU process only adds a process and its messages
    for frames nobody looks at (bench/bulk.py --compare-gpu-process). The fast profile's headless
    shell draws no frames at all (``NO_FRAMES``, docs/decisions/0001-fast-profile.md).
    """
    args = list(BASE_ARGS)
    if _is_root():
        args.append("--no-sandbox")
    headless = not (headed and display_available())
    if headless and not pictures:
        args.append(IN_PROCESS_GPU)
    options: dict[str, Any] = {"headless": headless, "args": args}
    if slowmo:
        options["slow_mo"] = slowmo
    shell = headless_shell_path(playwright) if headless and not pictures else None
    path = shell or executable_path(playwright)
    if path:
        options["executable_path"] = path
    if profile == FAST_PROFILE and headless and not pictures and (shell or not path):  # a headless shell
        args.append(NO_FRAMES)
    return options


def context_options(device_scale_factor: float = 1) -> dict[str, Any]:
    """Keyword arguments for ``browser.new_context``: the deterministic screen every run uses."""
    return {
        "viewport": dict(VIEWPORT),
        "locale": LOCALE,
        "timezone_id": TIMEZONE,
        "reduced_motion": "reduce",
        "color_scheme": "light",
        "device_scale_factor": device_scale_factor,
    }


def server_config(playwright) -> dict[str, Any]:
    """``playwright launch-server --config`` for this machine: the Chromium and flags the flows
    launch locally, served to clients that connect (CI runs the e2e tests against it)."""
    options = launch_options(playwright)
    config: dict[str, Any] = {"headless": True, "args": options["args"]}
    if "executable_path" in options:
        config["executablePath"] = options["executable_path"]
    return config


def connect_options(ws_url: str) -> dict[str, Any]:
    """Keyword arguments for ``chromium.connect`` (pytest-playwright's ``connect_options``). The
    remote browser reaches this machine's loopback through the connection, so the embedded mock on
    127.0.0.1 works from a grid too. The endpoint's keyword is ``ws_endpoint`` up to some
    Playwright release and ``endpoint`` after it (1.49 and 1.65 differ): named as this one names it."""
    keyword = "endpoint" if "endpoint" in signature(BrowserType.connect).parameters else "ws_endpoint"
    return {keyword: ws_url, "expose_network": "<loopback>"}


def open_browser(playwright, spec: BrowserSpec = BrowserSpec()):
    """The one way every command opens its browser: connect to ``spec.connect`` (a Playwright
    browser server, whose browser is used as it is) or launch a local Chromium as
    ``launch_options`` says. No browser found, or a server that does not answer: BrowserNotFound."""
    if spec.connect:
        try:
            return playwright.chromium.connect(**connect_options(spec.connect), slow_mo=spec.slowmo or None)
        except PlaywrightError as exc:
            raise BrowserNotFound(f"cannot connect to the browser server {spec.connect}: {first_line(exc)}") from None
    options = launch_options(
        playwright, headed=spec.headed, slowmo=spec.slowmo, pictures=spec.pictures, profile=spec.profile
    )
    if spec.own_signals:
        options.update(handle_sigint=False, handle_sigterm=False)
    try:
        return playwright.chromium.launch(**options)
    except PlaywrightError as exc:
        if not died_while_starting(exc):
            raise
    # A Chromium that exits while it starts (a machine short of memory or processes for a moment)
    # is started once more; what fails twice is the user's to see.
    return playwright.chromium.launch(**options)


def died_while_starting(exc: PlaywrightError) -> bool:
    """True when a launch failed because the browser process went away, not because of how it was
    asked (no such file, a bad switch). Playwright's public API tells it only by its message."""
    message = first_line(exc)
    return "has been closed" in message or "Browser closed" in message
