"""``sesag guide``: build the vejledning, check it against a fresh run, approve a reviewed change.

Three subcommands (``build``, ``check``, ``approve``); the flags that picked them before
(``sesag guide``, ``--check``, ``--approve``) still do.
"""

from __future__ import annotations

import inspect
import tempfile
from pathlib import Path

import click

from flows.core import browser as browsers
from flows.core import steps
from flows.core.running import run_command, to_stderr
from flows.errors import ExitStatus, UsageError
from flows.guide import build as builder
from flows.guide import diffreport
from flows.guide.publishing import check_out
from flows.guide.review import DEFAULT_DIFF_DIR, approve_options, approve_shots, browser_hint, check

FORMATS = ("html", "pdf", "md")
# The flags that chose a mode before `sesag guide` had subcommands, and the subcommand each is.
MODE_FLAGS = {"--check": "check", "--approve": "approve"}

# What each exit code means for the guide (flows.errors.ExitStatus); each subcommand lists its own.
EXIT_CODES = {
    ExitStatus.FAILED: "unexpected error",
    ExitStatus.PORTAL: "the portal unreachable or failing, or a screen not as the steps expect (an\n"
    "     --employee the list does not show, a renamed button)",
    ExitStatus.LOGIN: "log-in failed or credentials missing",
    ExitStatus.UNVERIFIED: "saved, but Trin 5 does not show the right as held",
    ExitStatus.CHANGED: "a screenshot changed (see --diff-dir/index.html)",
    ExitStatus.BROWSER: "no browser (run `sesag browser`), or the browser failed",
}
RUN_CODES = (ExitStatus.PORTAL, ExitStatus.LOGIN, ExitStatus.UNVERIFIED)  # a run through Trin 1-5


def add_exit_codes(command: click.Command, ok: str, usage: str, *codes: ExitStatus) -> None:
    """End ``command``'s --help with its exit codes: 0 (``ok``), 1, 2 (``usage``), ``codes``, 10."""
    lines = [f"  0  {ok}", f"  1  {EXIT_CODES[ExitStatus.FAILED]}", f"  2  usage error: {usage}"]
    lines += [f"  {int(code)}  {EXIT_CODES[code]}" for code in codes]
    lines.append(f"  10 {EXIT_CODES[ExitStatus.BROWSER]}")
    command.help = inspect.cleandoc(command.help) + "\n\n\b\nExit codes:\n" + "\n".join(lines)


class GuideGroup(click.Group):
    """The guide's subcommands, with today's mode flags translated into them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in self.commands:
            return super().parse_args(ctx, args)
        before_end = args[: args.index("--")] if "--" in args else args
        modes = [flag for flag in MODE_FLAGS if flag in before_end]
        if len(modes) == 2:
            raise click.UsageError(
                "--check and --approve go one after the other: check, review the report, then approve", ctx
            )
        if not modes and any(name in ("-h", "--help") for name in before_end):
            return super().parse_args(ctx, args)
        name = MODE_FLAGS[modes[0]] if modes else "build"
        rest = list(args)
        if modes:
            rest.remove(modes[0])
        if name != "approve" and (scenes := _positional(self.commands[name], rest)):
            raise click.UsageError(f"scene names ({' '.join(scenes)}) only go with approve", ctx)
        return super().parse_args(ctx, [name, *rest])


def _positional(command: click.Command, args: list[str]) -> list[str]:
    """The arguments in ``args`` that are no option of ``command`` nor an option's value."""
    takes_value = {
        name for param in command.params if isinstance(param, click.Option) and not param.is_flag for name in param.opts
    }
    found, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg.startswith("-"):
            skip = arg in takes_value
        else:
            found.append(arg)
    return found


@click.group("guide", cls=GuideGroup)
def guide_command():
    """Make the illustrated vejledning, and keep it true to the portal.

    \b
    sesag guide build    regenerate the guide into --out (default screenshots/); also: sesag guide
    sesag guide check    compare a fresh run with --out; report in --diff-dir; also: --check
    sesag guide approve  take reviewed shots into --out; also: --approve [SCENE ...]

    Each subcommand's --help lists its options and exit codes.
    """


def out_option(function):
    return click.option(
        "--out",
        type=click.Path(path_type=Path),
        default=builder.DEFAULT_OUT,
        show_default=True,
        help="Folder of the guide.",
    )(function)


def diff_dir_option(function):
    return click.option(
        "--diff-dir",
        type=click.Path(path_type=Path),
        default=DEFAULT_DIFF_DIR,
        show_default=True,
        help="The report of a check and its new shots.",
    )(function)


def run_options(function):
    """The options of a run through Trin 1-5: where, as whom, for which right, in which browser."""
    options = [
        click.option(
            "--base-url",
            help="Run against this portal instead of the embedded mock (credentials from SESAG_USER, SESAG_PASSWORD, SESAG_KEYCARD).",
        ),
        click.option(
            "--right",
            type=click.Choice(steps.RIGHT_KEYS),
            default="sagsbehandler",
            show_default=True,
            help="The right the guide grants: the edition, and on the embedded portal its example (an insurer or a municipality).",
        ),
        click.option(
            "--employee",
            help="The employee the guide grants it to (default: the edition's example on the embedded portal, "
            f"'{steps.DEFAULT_EMPLOYEE}' on another).",
        ),
        click.option("--lang", type=click.Choice(steps.LANGUAGES), default="da", show_default=True),
        click.option(
            "--trace",
            type=click.Path(path_type=Path),
            default=Path("guide-trace.zip"),
            show_default=True,
            help="Where a failing run saves its Playwright trace (and a screenshot of the page beside it).",
        ),
        click.option("--headed", is_flag=True, help="Show the browser (needs a display)."),
        browsers.connect_option,
    ]
    for option in reversed(options):
        function = option(function)
    return function


@guide_command.command("build")
@out_option
@run_options
@click.option("--formats", default=",".join(FORMATS), show_default=True, help="Comma-separated: html, pdf, md.")
def build_command(out, formats, **options):
    """Regenerate the illustrated vejledning into --out (default screenshots/).

    Without --base-url it starts the embedded mock portal with fresh demo data, so one
    command rebuilds everything: one framed screenshot per scene of Trin 1-5, and
    vejledning.html, vejledning.pdf and vejledning.md. The previous guide is replaced only
    when every step succeeded, and only the guide's own files in --out are replaced (those its
    guide.json lists); a folder holding other files and no guide is refused (exit 2).

    When the guide could not be made, the message names the step, the screen, its URL and
    what was missing; the trace (without the password or any key) and a screenshot of the
    page (secrets masked) are saved.
    """
    wanted = tuple(kind.strip() for kind in formats.split(",") if kind.strip())
    unknown = sorted(set(wanted) - set(FORMATS))
    if unknown:
        raise click.UsageError(f"unknown format(s): {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    run_command(
        lambda: _build(out, wanted, options),
        after_error=lambda exc: _left_as_it_was(exc, out),
        any_error_in_one_line=True,
    )


add_exit_codes(build_command, "the guide was made", "an --out that cannot be used, an unknown format", *RUN_CODES)


@guide_command.command("check")
@out_option
@diff_dir_option
@run_options
def check_command(out, diff_dir, **options):
    """Compare a fresh run of Trin 1-5 with the guide in --out.

    It regenerates the screenshots into a temporary folder and compares each with the one in
    --out, region by region: anti-aliasing noise passes, a change the size of a glyph or more
    fails (text, a 2 px shift, a colour). It writes --diff-dir/index.html (committed, new and
    diff side by side, changed regions outlined, near misses listed) and keeps the new shots
    there for `sesag guide approve`. Nothing in --out is changed.
    """
    run_command(lambda: _check(out, diff_dir, options), any_error_in_one_line=True)


add_exit_codes(check_command, "nothing changed", "a --diff-dir that cannot be used", *RUN_CODES, ExitStatus.CHANGED)


@guide_command.command("approve")
@click.argument("scenes", nargs=-1, metavar="[SCENE ...]")
@out_option
@diff_dir_option
@browsers.connect_option
def approve_command(scenes, out, diff_dir, connect):
    """After reviewing a check: take its new shots (all, or the SCENEs named) into --out and
    re-render the documents. A scene the check found removed is removed from --out."""
    run_command(lambda: _approve(out, diff_dir, scenes, connect))


add_exit_codes(
    approve_command, "the shots were approved", "an --out that cannot be used, nothing to approve, an unknown SCENE"
)


def _left_as_it_was(exc: Exception, out: Path) -> None:
    if not isinstance(exc, UsageError):
        to_stderr(f"The guide in {out} was left as it was.")


def _approve(out: Path, diff_dir: Path, scenes, connect) -> None:
    approved = approve_shots(out, diff_dir, scenes, connect=connect)
    to_stderr(f"Approved {len(approved)} shot(s) into {out}/: {', '.join(approved)}; documents re-rendered.")


def _generating(options: dict) -> None:
    to_stderr(f"Generating the vejledning ({options['lang']}, {steps.right_label(options['right'])}) ...")


def _build(out: Path, formats: tuple[str, ...], options: dict) -> None:
    check_out(out)  # before any work: a folder of other files is refused at once
    _generating(options)
    run = builder.build(out, formats=formats, **options)
    to_stderr(
        f"Done in {run.seconds:.1f} s: {len(run.shots)} screenshots and {', '.join(sorted(run.files)) or 'no documents'} in {out}/"
    )


def _check(out: Path, diff_dir: Path, options: dict) -> int:
    diffreport.check_report_dir(diff_dir)
    _generating(options)
    with tempfile.TemporaryDirectory(prefix="sesag-check-") as folder:
        run = builder.generate(Path(folder), previous=out, formats=(), **options)
        results = check(run, out, diff_dir)
    report = diff_dir / diffreport.REPORT
    changed = [result for result in results if result.failed]
    if changed:
        _say_what_changed(changed, len(results), run, out, diff_dir)
        return ExitStatus.CHANGED
    _echo_match(results, run, out, report)
    return ExitStatus.OK


def _say_what_changed(changed, total: int, run, out: Path, diff_dir: Path) -> None:
    to_stderr(f"{len(changed)} of {total} screenshots changed:")
    for result in changed:
        to_stderr(f"  {result.line()}")
    hint = browser_hint(run, out)
    if hint:
        to_stderr(hint)
    to_stderr(f"Review: {diff_dir / diffreport.REPORT}")
    command = diffreport.approve_command((result.scene for result in changed), approve_options(out, diff_dir))
    to_stderr(f"When the change is meant: {command}")


def _echo_match(results, run, out: Path, report: Path) -> None:
    to_stderr(f"All {len(results)} screenshots match {out} ({run.seconds:.1f} s).")
    for result in results:
        if result.diff and result.diff.near_misses:
            to_stderr(f"  near miss, not failing: {result.line()}")
    to_stderr(f"Report: {report}")
