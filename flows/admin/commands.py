"""``sesag grant`` and what it shares with ``sesag bulk``: the browser options."""

from __future__ import annotations

import click

from flows.admin import grant as grants
from flows.admin.session import DEFAULT_BASE_URL, DEFAULT_RETRIES, DEFAULT_TIMEOUT, open_session
from flows.core import browser as browsers
from flows.core.credentials import Credentials
from flows.core.running import run_command
from flows.core.steps import RIGHT_KEYS
from flows.errors import ExitStatus


class RightParam(click.ParamType):
    """A Se Sag right as ``sesag grant --right`` and bulk files take it: its key or its label,
    any case (``flows.admin.grant.normalise_right`` decides, for both)."""

    name = "right"

    def get_metavar(self, param, ctx=None):
        return "|".join(RIGHT_KEYS)

    def convert(self, value, param, ctx):
        try:
            return grants.normalise_right(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def browser_spec(
    profile: str, connect: str | None, headed: bool, slowmo: float, own_signals: bool = False
) -> browsers.BrowserSpec:
    """How grant and bulk open their browser: no pictures kept (the headless shell will do)."""
    return browsers.BrowserSpec(
        profile=profile, connect=connect or None, pictures=False, headed=headed, slowmo=slowmo, own_signals=own_signals
    )


def browser_options(function):
    """--base-url, --headed, --slowmo, --connect, --profile, --retries, --timeout, --block-assets
    (shared with bulk)."""
    for option in reversed(
        [
            click.option(
                "--base-url",
                envvar="SESAG_BASE_URL",
                default=DEFAULT_BASE_URL,
                show_default=True,
                help="The portal (env SESAG_BASE_URL). Default: a local `sesag portal`.",
            ),
            click.option("--headed", is_flag=True, help="Show the browser window (needs a display)."),
            click.option(
                "--slowmo",
                type=click.FloatRange(min=0),
                default=0,
                metavar="MS",
                help="Slow each browser action down by MS milliseconds.",
            ),
            browsers.connect_option,
            click.option(
                "--profile",
                type=click.Choice(browsers.PROFILES),
                envvar=browsers.PROFILE_ENV,
                default=browsers.DEFAULT_PROFILE,
                show_default=True,
                help=(
                    f"default: Playwright's checks before every click. fast: a headless shell that draws no "
                    f"frames and clicks without those checks; tuned on the mock, faster, for portals you trust "
                    f"(env {browsers.PROFILE_ENV}; docs/decisions/0001-fast-profile.md)."
                ),
            ),
            click.option(
                "--retries",
                type=click.IntRange(0, 10),
                default=DEFAULT_RETRIES,
                show_default=True,
                help="Retries after a portal error or time-out.",
            ),
            click.option(
                "--timeout",
                type=click.FloatRange(min=1),
                default=DEFAULT_TIMEOUT,
                show_default=True,
                metavar="SECONDS",
                help="How long a page or element may take.",
            ),
            click.option(
                "--block-assets",
                is_flag=True,
                help="Do not load images, fonts and media (faster on image-heavy portals; turns the browser cache off).",
            ),
        ]
    ):
        function = option(function)
    return function


@click.command("grant")
@click.option(
    "--employee", required=True, metavar="NAME_OR_EMAIL", help="Exact e-mail address or exact name (case ignored)."
)
@click.option("--right", required=True, type=RightParam(), help="The Se Sag right: its key or its label, any case.")
@click.option("--revoke", is_flag=True, help="Take the right away instead of granting it.")
@click.option(
    "--replace", is_flag=True, help="If the employee holds the other Se Sag right, swap it for this one (one save)."
)
@click.option("--dry-run", is_flag=True, help="Find the employee and check the rule; save nothing.")
@browser_options
def grant_command(
    employee,
    right,
    revoke,
    replace,
    dry_run,
    base_url,
    headed,
    slowmo,
    connect,
    profile,
    retries,
    timeout,
    block_assets,
):
    """Grant (or --revoke) a Se Sag right for one employee, and verify it.

    Logs in to the portal, finds the employee by exact e-mail address or name through
    AVANCERET SØGNING, opens Administrér rettigheder, ticks or unticks the right, clicks GEM
    RETTIGHEDER, then reads the rights page and Se hændelser again to confirm the change.
    Granting a right the employee already holds changes nothing and exits 0. An employee may
    hold only one of Sagsbehandler and Kommunal sagsbehandler: asking for one while the other
    is held is refused unless --replace is given. When the answer to a save is lost, the
    rights page and the events by this administrator decide whether this run made the change.

    Credentials come only from the environment: SESAG_USER, SESAG_PASSWORD and SESAG_KEYCARD
    (a file of "code key" lines, or "demo" to read the demo mock's key hint; default demo).

    \b
    Exit codes:
      0  done and verified, or unchanged (the right already held / not held); dry run passed
      1  unexpected error
      2  usage error
      3  employee not found, or more than one employee matches
      4  refused: the one-right rule (use --replace), or the portal refused the save
      5  portal unreachable or failing after the retries, or a page not as expected
      6  log-in failed or credentials missing
      7  saved, but the rights or events page does not confirm it
      10 no browser (run `sesag browser`), or the browser failed
    """
    if revoke and replace:
        raise click.UsageError("--replace only applies when granting (not with --revoke).")

    def work() -> int:
        credentials = Credentials.from_env()
        spec = browser_spec(profile, connect, headed, slowmo)
        with open_session(base_url, credentials, spec, timeout, retries, block_assets) as session:
            outcome = grants.grant_right(session, employee, right, revoke=revoke, replace=replace, dry_run=dry_run)
        click.echo(outcome.message)
        return ExitStatus.OK

    run_command(work)
