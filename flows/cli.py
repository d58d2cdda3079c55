"""The ``sesag`` command: the mock portal, the flows, the guide and the demo."""

from __future__ import annotations

import importlib
import os

import click

from flows.core.running import run_command
from flows.errors import BrowserNotFound

# name -> "module:attribute". Loaded on first use so `sesag --help` and `sesag portal` stay fast
# and the portal never pulls in Playwright.
COMMANDS = {
    "portal": "mock_portal.cli:portal_command",
    "grant": "flows.admin.commands:grant_command",
    "bulk": "flows.admin.bulk:bulk_command",
    "guide": "flows.guide.build:guide_command",
    "demo": "flows.demo.show:demo_command",
    "browser": "flows.cli:browser_command",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when they run."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attribute = target.split(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sesag")
def main():
    """Guide and tester for granting Se Sag rights on a NemID medarbejdersignatur.

    \b
    sesag guide    regenerate the illustrated vejledning into screenshots/
    sesag portal   serve the mock NemID selvbetjening portal
    sesag grant    grant or revoke a Se Sag right for one employee
    sesag bulk     grant or revoke rights from a CSV or Excel file
    sesag demo     show the procedure to new administrators
    sesag browser  find (or install) the Chromium the flows drive
    """


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
    from playwright.sync_api import sync_playwright

    from flows.core import browser as browsers

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


if __name__ == "__main__":
    main()
