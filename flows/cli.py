"""The ``sesag`` command: the mock portal, the flows, the guide and the demo."""

from __future__ import annotations

import importlib

import click

# name -> "module:attribute". Loaded on first use so `sesag --help` and `sesag portal` stay fast
# and the portal never pulls in Playwright.
COMMANDS = {
    "portal": "mock_portal.cli:portal_command",
    "grant": "flows.admin.commands:grant_command",
    "bulk": "flows.admin.bulk:bulk_command",
    "guide": "flows.guide.commands:guide_command",
    "demo": "flows.demo.show:demo_command",
    "browser": "flows.core.browser_command:browser_command",
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

    def format_commands(self, ctx, formatter):
        """Nothing: ``main``'s docstring lists the commands, and listing them here would import
        every one (Playwright with them) for ``sesag --help``."""


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


if __name__ == "__main__":
    main()
