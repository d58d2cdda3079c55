"""Find, install and launch the Chromium the flows drive.

Order of preference: Playwright's bundled Chromium, then a system Chromium (``SESAG_CHROMIUM``
or ``chromium``/``chromium-browser``/``google-chrome`` on PATH), then an install (``apt-get
install chromium`` when root on Debian, else ``playwright install chromium``), else a clear
error that says what to run. Or none of that: given a Playwright browser server (``--connect
WS_URL``, or ``SESAG_CONNECT`` for every command and the test suite) the flows drive its browser.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import catalogue
from flows import first_line

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

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

# A Playwright browser server for every command that opens a browser (a grid, CI's launch-server).
CONNECT_ENV = "SESAG_CONNECT"

VIEWPORT = {"width": 1280, "height": 900}
LOCALE = "da-DK"
TIMEZONE = catalogue.TIMEZONE

INSTALL_HELP = (
    "No Chromium found. Install one with `sudo apt-get install chromium` (Debian/Ubuntu) or "
    "`.venv/bin/playwright install chromium`, or point SESAG_CHROMIUM at a Chromium binary."
)


class BrowserNotFound(RuntimeError):
    """No usable Chromium and none could be installed."""


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


def bundled_chromium_present(playwright) -> bool:
    """True when Playwright's own Chromium build has been downloaded."""
    try:
        return Path(playwright.chromium.executable_path).is_file()
    except Exception:  # noqa: BLE001 - an unknown platform has no bundled build
        return False


def install_chromium(log=print) -> None:
    """Install a Chromium: apt-get when root on Debian, else Playwright's installer."""
    if _is_root() and shutil.which("apt-get"):
        log("Installing Chromium with apt-get (Debian package 'chromium') ...")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        done = subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env)
        if done.returncode == 0 and system_chromium():
            return
    log("Installing Chromium with `playwright install chromium` ...")
    try:
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], timeout=600, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        raise BrowserNotFound(f"{INSTALL_HELP} (automatic install failed: {exc})") from exc


def executable_path(playwright, install: bool = True, log=print) -> str | None:
    """The Chromium to launch: None means Playwright's bundled one, else a path.

    Installs one when none is found and ``install`` is true; raises BrowserNotFound otherwise.
    """
    if os.environ.get("SESAG_CHROMIUM"):
        return system_chromium()
    if bundled_chromium_present(playwright):
        return None
    found = system_chromium()
    if found:
        return found
    if not install:
        raise BrowserNotFound(INSTALL_HELP)
    install_chromium(log=log)
    if bundled_chromium_present(playwright):
        return None
    found = system_chromium()
    if found:
        return found
    raise BrowserNotFound(INSTALL_HELP)


def display_available() -> bool:
    """True when a headed browser can open a window."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or sys.platform in (
        "darwin",
        "win32",
    )


def launch_options(playwright, headed: bool = False, slowmo: float = 0, install: bool = True) -> dict[str, Any]:
    """Keyword arguments for ``playwright.chromium.launch`` on this machine."""
    args = list(BASE_ARGS)
    if _is_root():
        args.append("--no-sandbox")
    options: dict[str, Any] = {"headless": not (headed and display_available()), "args": args}
    if slowmo:
        options["slow_mo"] = slowmo
    path = executable_path(playwright, install=install)
    if path:
        options["executable_path"] = path
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


def server_config(playwright, install: bool = True) -> dict[str, Any]:
    """``playwright launch-server --config`` for this machine: the Chromium and flags the flows
    launch locally, served to clients that connect (CI runs the e2e tests against it)."""
    options = launch_options(playwright, install=install)
    config: dict[str, Any] = {"headless": True, "args": options["args"]}
    if "executable_path" in options:
        config["executablePath"] = options["executable_path"]
    return config


_remote: str | None = None


def remote_endpoint() -> str | None:
    """The browser server to connect to: the one ``remote()`` set, else SESAG_CONNECT, else None."""
    return _remote or os.environ.get(CONNECT_ENV) or None


@contextmanager
def remote(ws_url: str | None) -> Iterator[None]:
    """Within the block ``open_browser`` connects to ``ws_url`` (a command's ``--connect``)."""
    global _remote
    before, _remote = _remote, ws_url or _remote
    try:
        yield
    finally:
        _remote = before


def connect_options(ws_url: str) -> dict[str, Any]:
    """Keyword arguments for ``chromium.connect``. The remote browser reaches this machine's
    loopback through the connection, so the embedded mock on 127.0.0.1 works from a grid too."""
    return {"endpoint": ws_url, "expose_network": "<loopback>"}


def open_browser(playwright, headed: bool = False, slowmo: float = 0, connect: str | None = None):
    """Launch a local Chromium, or connect to a Playwright browser server (``connect``, else
    ``remote_endpoint()``); a server that does not answer is BrowserNotFound."""
    connect = connect or remote_endpoint()
    if not connect:
        return playwright.chromium.launch(**launch_options(playwright, headed=headed, slowmo=slowmo))
    from playwright.sync_api import Error as PlaywrightError

    try:
        return playwright.chromium.connect(**connect_options(connect), slow_mo=slowmo or None)
    except PlaywrightError as exc:
        raise BrowserNotFound(f"cannot connect to the browser server {connect}: {first_line(exc)}") from None


def another_browser(browser):
    """One more browser of ``browser``'s kind: launched here with this machine's options, or
    from the browser server in use (``remote_endpoint()``)."""
    from types import SimpleNamespace

    return open_browser(SimpleNamespace(chromium=browser.browser_type))
