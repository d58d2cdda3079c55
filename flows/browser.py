"""Find, install and launch the Chromium the flows drive.

Order of preference: Playwright's bundled Chromium, then a system Chromium (``SESAG_CHROMIUM``
or ``chromium``/``chromium-browser``/``google-chrome`` on PATH), then an install (``apt-get
install chromium`` when root on Debian, else ``playwright install chromium``), else a clear
error that says what to run. Flows that keep no pictures (``sesag grant``, ``sesag bulk``)
launch the system's ``chromium-headless-shell`` instead when there is one (see
``launch_options``). Or none of that: given a Playwright browser server (``--connect WS_URL``,
or ``SESAG_CONNECT`` for every command and the test suite) the flows drive its browser.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import catalogue
from flows import first_line

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

# No frames drawn unless asked for over DevTools (HeadlessExperimental.beginFrame, which nothing
# here asks): for headless shells that keep no pictures (launch_options). Chromium otherwise
# paints, rasters and composites frames of every new document for nobody. Full Chromium ignores
# the switch. In such a browser requestAnimationFrame never fires, so nothing may wait for a
# frame: see ``draws_frames``.
NO_FRAMES = "--enable-begin-frame-control"

# Blink holds a page's tasks after a click or key press until the next frame is drawn, at most
# 50 ms: without frames every form submitted (GEM RETTIGHEDER) waited out those 50 ms, with all
# processes idle. Switched off where no frames are drawn.
NO_INPUT_DEFERRAL = "DeferRendererTasksAfterInput"

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


def _apt_env() -> dict[str, str]:
    return dict(os.environ, DEBIAN_FRONTEND="noninteractive")


def _can_apt_get() -> bool:
    return _is_root() and bool(shutil.which("apt-get"))


def _apt_install_headless_shell(log) -> None:
    """``apt-get install chromium-headless-shell``; without it grant and bulk still work (in
    full Chromium), so a failure is one line, not an error."""
    done = subprocess.run(["apt-get", "install", "-y", "-qq", HEADLESS_SHELL], check=False, env=_apt_env())
    if done.returncode != 0:
        log(f"Could not install {HEADLESS_SHELL} (apt-get exit {done.returncode}); grant and bulk use full Chromium.")


def install_chromium(log=print) -> None:
    """Install a Chromium: apt-get when root on Debian (with the headless shell), else
    Playwright's installer (whose Chromium comes with a headless shell of its own)."""
    if _can_apt_get():
        log("Installing Chromium with apt-get (Debian package 'chromium') ...")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=_apt_env())
        done = subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=_apt_env())
        if done.returncode == 0:
            _apt_install_headless_shell(log)
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


def ensure_headless_shell(playwright, log=print, install: bool = True) -> str | None:
    """The headless shell grant and bulk will launch (see ``headless_shell_path``), or None.

    Beside a system Chromium, with none found, installs Debian's (root with apt-get only, and
    only when ``install``); a failed install leaves grant and bulk on full Chromium.
    """
    shell = headless_shell_path(playwright)
    if shell or not install or not _can_apt_get():
        return shell
    if os.environ.get("SESAG_CHROMIUM") or bundled_chromium_present(playwright):
        return None  # the shell would not be used
    log(f"Installing the headless shell with apt-get (Debian package '{HEADLESS_SHELL}') ...")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=_apt_env())
    _apt_install_headless_shell(log)
    return headless_shell_path(playwright)


def display_available() -> bool:
    """True when a headed browser can open a window."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or sys.platform in (
        "darwin",
        "win32",
    )


def launch_options(
    playwright, headed: bool = False, slowmo: float = 0, install: bool = True, pictures: bool = True
) -> dict[str, Any]:
    """Keyword arguments for ``playwright.chromium.launch`` on this machine.

    ``pictures=False`` (grant and bulk: they read text and click) launches headless in the
    system's headless shell when there is one (``headless_shell_path``): measured by
    bench/bulk.py, about 25 % less CPU per verified change than full Chromium. Its text is
    rendered a few pixels differently, and the guide's committed shots come from full Chromium,
    so whatever keeps pictures (guide, demo, PDF, the e2e tests) keeps full Chromium. This is
    also what Playwright does with its bundled builds since 1.49. Such a browser also composites
    in its own process (``--in-process-gpu``): a GPU process only adds a process and its messages
    for frames nobody looks at (bench/bulk.py --compare-gpu-process). A headless shell draws no
    frames at all (``NO_FRAMES``): 10-20 % less CPU per verified change, and faster
    (bench/bulk.py --compare-frames).
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
    path = shell or executable_path(playwright, install=install)
    if path:
        options["executable_path"] = path
    if headless and not pictures and (shell or not path):  # a headless shell: ours, or Playwright's own
        args.append(NO_FRAMES)
        playwrights = playwright_disabled_features()
        if playwrights is not None:  # else it stays on: slower, not wrong
            args.append("--disable-features=" + ",".join([*playwrights, NO_INPUT_DEFERRAL]))
    return options


@lru_cache(maxsize=1)
def playwright_disabled_features() -> tuple[str, ...] | None:
    """The Chromium features Playwright's driver switches off at every launch, read from the
    driver's code; None when they cannot be found there.

    Chromium takes only the last ``--disable-features``, so one of ours must repeat Playwright's
    (which keep, for one, HTTP on HTTP and Chromium from calling home).
    """
    import playwright

    lib = Path(playwright.__file__).parent / "driver" / "package" / "lib"
    for source in (lib / "coreBundle.js", lib / "server" / "chromium" / "chromiumSwitches.js"):
        try:
            code = source.read_text(encoding="utf-8")
        except OSError:
            continue
        found = re.search(r"\bdisabledFeatures\s*=\s*\[(.*?)\]", code, flags=re.DOTALL)
        if found:
            listed = re.sub(r"//[^\n]*", "", found.group(1))  # comments may quote names too
            features = tuple(re.findall(r"[\"']([A-Za-z0-9_]+)[\"']", listed))
            return features or None
    return None


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


# The options each browser launched here was launched with, so that another_browser launches
# the same kind (headless shell or full Chromium). Weak: a closed, forgotten browser drops out.
_launched_with: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def launch_local(playwright, options: dict[str, Any], **more: Any):
    """``playwright.chromium.launch(**options, **more)``, remembered for ``another_browser``."""
    options = {**options, **more}
    browser = playwright.chromium.launch(**options)
    _launched_with[browser] = options
    return browser


def draws_frames(browser) -> bool:
    """False for a browser launched here with ``NO_FRAMES``: there nothing may wait for an
    animation frame (Playwright's wait for a steady element before a click, a screenshot).
    True for any other, also one launched elsewhere (the test plugin's, a browser server's)."""
    try:
        options = _launched_with.get(browser)
    except TypeError:  # no weak reference to it: not one of ours
        return True
    return options is None or NO_FRAMES not in options.get("args", ())


def open_browser(
    playwright, headed: bool = False, slowmo: float = 0, connect: str | None = None, pictures: bool = True
):
    """Launch a local Chromium (``pictures=False``: maybe the headless shell, see
    ``launch_options``), or connect to a Playwright browser server (``connect``, else
    ``remote_endpoint()``), whose browser is used as it is; a server that does not answer is
    BrowserNotFound."""
    connect = connect or remote_endpoint()
    if not connect:
        return launch_local(playwright, launch_options(playwright, headed=headed, slowmo=slowmo, pictures=pictures))
    from playwright.sync_api import Error as PlaywrightError

    try:
        return playwright.chromium.connect(**connect_options(connect), slow_mo=slowmo or None)
    except PlaywrightError as exc:
        raise BrowserNotFound(f"cannot connect to the browser server {connect}: {first_line(exc)}") from None


def another_browser(browser):
    """One more browser of ``browser``'s kind: launched with the options ``browser`` was
    launched with here (``launch_local``); for a browser launched elsewhere (the test plugin's),
    with this machine's options, or from the browser server in use (``remote_endpoint()``)."""
    from types import SimpleNamespace

    playwright = SimpleNamespace(chromium=browser.browser_type)
    options = _launched_with.get(browser)
    if options is not None:
        return launch_local(playwright, options)
    return open_browser(playwright)
