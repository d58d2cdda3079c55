"""The ``sesag`` command: the mock portal, the flows, the guide and the demo."""

from __future__ import annotations

import importlib
import os

import click

# name -> "module:attribute". Loaded on first use so `sesag --help` and `sesag portal` stay fast
# and the portal never pulls in Playwright.
COMMANDS = {
    "portal": "mock_portal.cli:portal_command",
    "grant": "flows.commands:grant_command",
    "bulk": "flows.bulk:bulk_command",
    "guide": "flows.guide:guide_command",
    "demo": "flows.demo:demo_command",
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
def browser_command(no_install):
    """Find the Chromium the flows drive, installing one when none is found.

    Looks for Playwright's bundled Chromium, then SESAG_CHROMIUM or a Chromium on PATH, then
    installs one (apt-get as root on Debian, else `playwright install chromium`). Then the
    headless shell that grant and bulk use instead (SESAG_CHROMIUM_SHELL or
    chromium-headless-shell on PATH), installed with apt-get as root beside a system Chromium.

    \b
    Exit codes:
      0  a Chromium was found (or installed)
      1  none was found and none could be installed: the message says what to run
      2  usage error
    """
    from playwright.sync_api import sync_playwright

    from flows.browser import BrowserNotFound, ensure_headless_shell, executable_path

    def log(message):
        click.echo(message, err=True)

    try:
        with sync_playwright() as playwright:
            path = executable_path(playwright, install=not no_install, log=log)
            click.echo(f"Chromium: {path or 'Playwright bundled ' + playwright.chromium.executable_path}")
            shell = ensure_headless_shell(playwright, log=log, install=not no_install)
            click.echo(f"Headless shell (grant, bulk): {shell or _no_headless_shell(path)}")
    except BrowserNotFound as exc:
        raise click.ClickException(str(exc)) from exc


def _no_headless_shell(chromium_path: str | None) -> str:
    """What grant and bulk launch when ``ensure_headless_shell`` found no shell."""
    if os.environ.get("SESAG_CHROMIUM"):
        return "none, SESAG_CHROMIUM is used for every flow"
    if chromium_path is None:
        return "Playwright's own, beside its bundled Chromium"
    return "none, full Chromium is used (apt-get install chromium-headless-shell for about 25 % less CPU)"


if __name__ == "__main__":
    main()
