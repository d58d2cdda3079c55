"""``sesag browser``: find the Chromium the flows drive, and install one only when asked to or
when none is found (the one command that installs anything)."""

from __future__ import annotations

import os

import click
from playwright.sync_api import sync_playwright

from flows.core import browser as browsers
from flows.core.running import run_command
from flows.errors import BrowserNotFound


@click.command("browser")
@click.option("--no-install", is_flag=True, help="Only look; do not install a browser.")
@click.option(
    "--headless-shell",
    "headless_shell",
    is_flag=True,
    help="Also install Debian's chromium-headless-shell beside a system Chromium (root with apt-get; apt may upgrade the system Chromium with it).",
)
def browser_command(no_install, headless_shell):
    """Find the Chromium the flows drive, installing one when none is found.

    The only command that installs anything. Looks for Playwright's bundled Chromium, then
    SESAG_CHROMIUM or a Chromium on PATH; with none found, says what it will install, then
    installs it (apt-get as root on Debian: chromium and chromium-headless-shell, else
    `playwright install chromium`). Then names the headless shell that grant and bulk launch
    instead (SESAG_CHROMIUM_SHELL or chromium-headless-shell on PATH); beside a system Chromium
    it is installed only with --headless-shell, as apt may upgrade the system Chromium with it.
    With a Chromium found and no --headless-shell, nothing is installed (no apt-get at all).

    \b
    Exit codes:
      0  a Chromium was found (or installed)
      2  usage error
      10 none found (--no-install), or the install failed: the message says what to run
    """
    run_command(lambda: _find_or_install(no_install, headless_shell))


def _find_or_install(no_install: bool, headless_shell: bool) -> None:
    def log(message):
        click.echo(message, err=True)

    with sync_playwright() as playwright:
        try:
            path = browsers.executable_path(playwright)
        except BrowserNotFound:
            if no_install:
                raise
            log(f"No Chromium found. Installing one with {browsers.chromium_install_plan()} ...")
            browsers.install_chromium(log=log)
            path = browsers.executable_path(playwright)
        click.echo(f"Chromium: {path or 'Playwright bundled ' + playwright.chromium.executable_path}")
        shell = browsers.headless_shell_path(playwright)
        if not shell and headless_shell and _shell_would_be_used(browsers, playwright) and not no_install:
            if not browsers.can_apt_get():
                raise BrowserNotFound(
                    f"--headless-shell installs with apt-get, as root on Debian; install {browsers.HEADLESS_SHELL} yourself."
                )
            log(
                f"Installing {browsers.HEADLESS_SHELL} with `apt-get update` and `apt-get install "
                f"{browsers.HEADLESS_SHELL}`; {browsers.APT_UPGRADE_NOTE} ..."
            )
            browsers.install_headless_shell(log=log)
            shell = browsers.headless_shell_path(playwright)
        click.echo(f"Headless shell (grant, bulk): {shell or _no_headless_shell(path)}")


def _shell_would_be_used(browsers, playwright) -> bool:
    return not os.environ.get("SESAG_CHROMIUM") and not browsers.bundled_chromium_present(playwright)


def _no_headless_shell(chromium_path: str | None) -> str:
    """What grant and bulk launch when no headless shell was found."""
    if os.environ.get("SESAG_CHROMIUM"):
        return "none, SESAG_CHROMIUM is used for every flow"
    if chromium_path is None:
        return "Playwright's own, beside its bundled Chromium"
    return (
        "none, full Chromium is used (`sesag browser --headless-shell` installs chromium-headless-shell "
        "for about 25 % less CPU; apt may upgrade the system Chromium with it)"
    )
