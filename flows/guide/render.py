"""Render the captured screenshots as the illustrated vejledning: HTML, PDF and Markdown.

One set of Jinja2 templates (``flows/guide/templates/``) is fed by the step catalogue
(``flows.core.steps``): every word comes from ``vejledning.toml``, the templates hold only layout.
``vejledning.html`` is self-contained (screenshots as data URIs) and prints on A4;
``vejledning.pdf`` is that same page printed by Chromium with "Side N af M" footers;
``vejledning.md`` links the PNGs beside it so the guide reads on a code host.
Each scene shows its full shot and, beside it, its magnified details (``flows.guide.detail``).
The output depends only on the capture: the same shots and generation time give the same bytes,
the PDF included (its dates are set to the generation time, see ``generation_time``).
"""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from PIL import Image
from playwright.sync_api import sync_playwright

import catalogue
from flows import tool
from flows.core import steps
from flows.core.browser import open_browser
from flows.guide import detail, pdfdoc
from flows.guide.copies import Copies, data_uri
from flows.guide.scenes import PRINT_DETAIL_MAX_PCT, PRINT_DETAIL_SCALE, PRINT_GAP_PCT, PRINT_SHOT_PCT, scene_context
from flows.guide.wording import (
    PORTAL_LANG,
    TIMEZONE,
    css_string,
    format_date,
    format_time,
    md_escape,
    rich_html,
    rich_md,
    slug,
)

FORMATS = ("html", "pdf", "md")
BASENAME = "vejledning"

# Print geometry shared by the page's CSS (@page) and Chromium's PDF call, so the HTML printed
# from a browser and the PDF lay out alike; the bottom margin leaves room for the page footer.
MARGIN = {"top": "16mm", "right": "16mm", "bottom": "18mm", "left": "16mm"}


@dataclass
class Capture:
    """One run of the procedure: what it ran against and one PNG per scene."""

    lang: str
    portal_url: str
    generated_at: datetime
    right: str
    employee: str
    shots: dict[str, Path] = field(default_factory=dict)  # details are found beside each shot
    device_scale: float = 2  # shot pixels per CSS px: the shot opens at its real size


def generation_time(previous: Path, shots: dict[str, Path]) -> datetime:
    """When the guide counts as made, so that regenerating an unchanged portal changes no file.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when set; else the time of the
    guide in ``previous`` when every new shot and detail is byte for byte the one there; else now.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return datetime.fromtimestamp(int(epoch), TIMEZONE)
    now = datetime.now(TIMEZONE).replace(second=0, microsecond=0)
    kept = _time_of(previous / f"{BASENAME}.html")
    if kept is None:
        return now
    for shot in shots.values():
        shot = Path(shot)
        for path in (shot, *detail.details_of(shot)):
            old = previous / path.name
            if not old.is_file() or old.read_bytes() != path.read_bytes():
                return now
        if len(detail.details_of(previous / shot.name)) != len(detail.details_of(shot)):
            return now
    return kept


def _time_of(html: Path) -> datetime | None:
    """The generation time written in a guide's HTML (its <time datetime>), or None."""
    try:
        found = re.search(r'<time datetime="([^"]+)"', html.read_text(encoding="utf-8"))
        return datetime.fromisoformat(found.group(1)) if found else None
    except (OSError, ValueError):
        return None


@cache
def _environments() -> tuple[Environment, Environment]:
    """(HTML environment with autoescape, Markdown environment without)."""
    loader = PackageLoader("flows.guide", "templates")
    common = dict(
        loader=loader, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )
    html = Environment(autoescape=True, **common)
    html.filters.update(rich=rich_html, css_string=css_string)
    md = Environment(autoescape=False, **common)
    md.filters.update(rich=rich_md, md=md_escape)
    return html, md


def guide_context(
    capture: Capture, image_src: dict[str, str], sizes: dict[str, tuple[int, int]] | None = None
) -> dict[str, Any]:
    """What the templates are fed: the catalogue's words in ``capture.lang`` and the images.

    ``image_src``: image key (a file's stem: ``<scene>``, ``<scene>.detail-<n>``) -> its src;
    ``sizes``: key -> pixel size, to place each detail at its magnification.
    """
    lang = capture.lang
    text = steps.guide_text(lang)
    format_time(capture.generated_at, lang)  # a naive time is refused here, before anything is written
    rights = [
        {"key": r["key"], "label": r["label"][lang], "who": r["who"][lang], "chosen": r["key"] == capture.right}
        for r in steps.rights()
    ]
    (other,) = [r for r in steps.RIGHT_KEYS if r != capture.right]
    example = {
        "employee": capture.employee,
        "right": steps.right_label(capture.right, "da"),  # as the portal labels it
        "other": steps.right_label(other, "da"),
        "one_right": catalogue.one_right_sentence(),
    }
    trin = []
    for step in steps.procedure():
        heading = step.heading(lang)
        trin.append(
            {
                "number": step.number,
                "title": step.title(lang),
                "heading": heading,
                "anchor": slug(heading),
                "bullets": step.bullets[lang],
                "note": step.note[lang].format(**example) if step.note else "",
                "scenes": [
                    scene_context(s, lang, image_src, sizes, capture.device_scale, example) for s in step.scenes
                ],
            }
        )
    # Pictures below the first screen load as the reader scrolls to them: all but the first.
    for number, scene in enumerate(scene for step in trin for scene in step["scenes"]):
        scene["first"] = number == 0
    date = format_date(capture.generated_at, lang)
    before_date, _, after_date = text["updated"].partition("{date}")
    return {
        "lang": lang,
        "t": text,
        "rights": rights,
        "steps": trin,
        "updated": (before_date, date, after_date.format(generator=tool())),
        "generated_iso": capture.generated_at.astimezone(TIMEZONE).isoformat(timespec="minutes"),
        "margin": MARGIN,
        "print_shot_pct": PRINT_SHOT_PCT,
        "print_detail_scale": PRINT_DETAIL_SCALE,
        "print_detail_max_pct": PRINT_DETAIL_MAX_PCT,
        "print_gap_pct": PRINT_GAP_PCT,
    }


def _collect_shots(capture: Capture, out_dir: Path) -> dict[str, Path]:
    """Each scene's PNG as ``out_dir/<scene_id>.png``, and its details beside it (copied in
    when they live elsewhere); keyed by file stem."""
    wanted = [scene.id for step in steps.procedure() for scene in step.scenes]
    missing = [scene_id for scene_id in wanted if scene_id not in capture.shots]
    if missing:
        raise ValueError(f"no screenshot for scene(s): {', '.join(missing)}")
    placed = {}
    for scene_id in wanted:
        source = Path(capture.shots[scene_id])
        if not source.is_file():
            raise FileNotFoundError(f"screenshot of {scene_id} not found: {source}")
        for path in (source, *detail.details_of(source)):
            target = out_dir / path.name
            if path.resolve() != target.resolve():
                shutil.copyfile(path, target)
            placed[target.stem] = target
    return placed


def render_html(capture: Capture, shots: dict[str, Path], for_pdf: bool = False, embed: bool = True) -> str:
    """The HTML page: screenshots embedded as data URIs (``embed``) or linked beside it.

    ``for_pdf`` leaves out the CSS page footer, as Chromium's PDF footer takes its place.
    """
    html_env, _ = _environments()
    sources = {key: data_uri(path) if embed else path.name for key, path in shots.items()}
    sizes = {}
    for key, path in shots.items():
        with Image.open(path) as image:
            sizes[key] = image.size
    context = guide_context(capture, sources, sizes)
    return html_env.get_template("vejledning.html.j2").render(**context, for_pdf=for_pdf)


def render_markdown(capture: Capture, shots: dict[str, Path]) -> str:
    """The Markdown guide, linking the PNGs beside it."""
    _, md_env = _environments()
    context = guide_context(capture, {key: path.name for key, path in shots.items()})
    return md_env.get_template("vejledning.md.j2").render(**context)


def pdf_footer(capture: Capture) -> str:
    """Chromium's footer template: the issuer, and "Side N af M"."""
    html_env, _ = _environments()
    return html_env.get_template("pdf-footer.html.j2").render(t=steps.guide_text(capture.lang), margin=MARGIN)


def pdf_document(capture: Capture) -> pdfdoc.Document:
    """What the guide's PDF says about itself: title, language, publisher, headings, link names."""
    text = steps.guide_text(capture.lang)
    step_titles = {slug(step.title(capture.lang)): step.title(capture.lang) for step in steps.procedure()}
    headings = [text["title"], text["contents"], *(r["label"][capture.lang] for r in steps.rights())]
    return pdfdoc.Document(
        title=text["title"],
        lang=capture.lang,
        author=steps.guide_text(PORTAL_LANG)["issuer"],  # the publisher's name, in every edition
        subject=text["intro"][0],
        created=capture.generated_at,
        headings=[*headings, *step_titles.values()],
        link_names=step_titles,
    )


# Resolves to the number of images that failed (not found, or not decodable), once all settled.
_IMAGES_DECODED = """() => Promise.all(Array.from(document.images, (img) =>
  img.decode().then(() => img.naturalWidth > 0 ? 0 : 1, () => 1))).then((r) => r.reduce((a, b) => a + b, 0))"""


def print_pdf(capture: Capture, shots: dict[str, Path], target: Path, browser, copies: Copies | None = None) -> None:
    """Print the guide to an accessible A4 PDF with Chromium, in one page load.

    The page is loaded from a file beside the screenshots' document copies (see COLOUR_BITS),
    which spares Chromium a page of a MB of base64; a browser that cannot read our files (a
    remote one) gets the self-contained page instead. Chromium tags the PDF and makes its
    bookmarks; ``flows.guide.pdfdoc`` finishes it (language, metadata, artifacts).
    """
    prefix = f".{target.stem}-print-"
    page_file = target.with_name(f"{prefix}page.html")
    copies = copies or Copies()
    copies.start(shots.values())
    try:
        context = browser.new_context()
        try:
            images = copies.placeholders(shots, target.parent, prefix)
            page_file.write_text(render_html(capture, images, for_pdf=True, embed=False), encoding="utf-8")
            page = context.new_page()
            try:
                page.goto(page_file.as_uri(), wait_until="load")
                failed = page.evaluate(_IMAGES_DECODED)
            except Exception:  # noqa: BLE001 - file:// refused (remote browser): embed instead
                failed = -1
            if failed:
                page.set_content(render_html(capture, images, for_pdf=True), wait_until="load")
                if page.evaluate(_IMAGES_DECODED):
                    raise RuntimeError("Chromium could not decode the screenshots for the PDF")
            page.pdf(
                path=str(target),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=pdf_footer(capture),
                margin=MARGIN,
                outline=True,
                tagged=True,
            )
            pdfdoc.finish(target, pdf_document(capture), copies.flate(shots))
        finally:
            context.close()
    finally:
        for leftover in target.parent.glob(f"{prefix}*"):
            leftover.unlink(missing_ok=True)


def _print_with_own_browser(capture: Capture, shots: dict[str, Path], target: Path, copies: Copies) -> None:
    """Launch a Chromium just for the PDF.

    In a thread of its own: Playwright's sync API refuses to start where an event loop already
    runs (a caller inside another Playwright session, a notebook, a pytest-playwright run).
    """

    def work() -> None:
        with sync_playwright() as playwright:
            browser = open_browser(playwright)
            try:
                print_pdf(capture, shots, target, browser, copies)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sesag-pdf") as pool:
        pool.submit(work).result()


def render_guide(
    capture: Capture, out_dir: Path, formats=FORMATS, browser=None, copies: Copies | None = None
) -> dict[str, Path]:
    """Write ``vejledning.{html,pdf,md}`` (those in ``formats``) into ``out_dir``.

    ``browser`` is a Playwright Browser to print the PDF with; without one a Chromium is
    launched for it. ``copies``: the shots' document copies, begun while they were taken.
    Returns format -> written file.
    """
    formats = tuple(formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    steps.guide_text(capture.lang)  # an unknown language fails before anything is written
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shots = _collect_shots(capture, out_dir)
    written: dict[str, Path] = {}
    prefix = f".{BASENAME}-copy-"
    copies = copies or Copies()
    copies.start(shots.values())  # while the Markdown is written and the PDF prints
    try:
        if "md" in formats:
            written["md"] = out_dir / f"{BASENAME}.md"
            written["md"].write_text(render_markdown(capture, shots), encoding="utf-8")
        if "pdf" in formats:
            written["pdf"] = out_dir / f"{BASENAME}.pdf"
            if browser is None:
                _print_with_own_browser(capture, shots, written["pdf"], copies)
            else:
                print_pdf(capture, shots, written["pdf"], browser, copies)
        if "html" in formats:
            written["html"] = out_dir / f"{BASENAME}.html"
            webp = copies.webp(shots, out_dir, prefix)
            written["html"].write_text(render_html(capture, webp), encoding="utf-8")
    finally:
        for leftover in out_dir.glob(f"{prefix}*"):
            leftover.unlink(missing_ok=True)
    return {kind: written[kind] for kind in FORMATS if kind in written}
