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

import base64
import hashlib
import io
import os
import re
import shutil
import zlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from PIL import Image

import catalogue
from flows import tool
from flows.core import browser as browsers
from flows.core import steps
from flows.guide import detail, pdfdoc

FORMATS = ("html", "pdf", "md")
BASENAME = "vejledning"
TIMEZONE = ZoneInfo(browsers.TIMEZONE)

# Print geometry shared by the page's CSS (@page) and Chromium's PDF call, so the HTML printed
# from a browser and the PDF lay out alike; the bottom margin leaves room for the page footer.
MARGIN = {"top": "16mm", "right": "16mm", "bottom": "18mm", "left": "16mm"}
# In print a scene's full shot takes this share of the column (it shows where), and its details
# this share of their screen size (they show what: framed labels stay >= 9 pt on A4). A detail
# that fits beside the full shot goes there.
PRINT_SHOT_PCT = 36
PRINT_DETAIL_SCALE = 0.82
PRINT_DETAIL_MAX_PCT = 85  # and at most this share of the column (all of it when it is the scene's only picture)
PRINT_GAP_PCT = 2
# The documents carry copies of the shots with each colour channel rounded to 6 bits: at most
# COLOUR_ERROR levels of 255 off, which no eye sees, and a third lighter to compress. The HTML
# embeds them as lossless WebP, the PDF gets them as PNG (Chromium re-compresses every image but
# a JPEG losslessly). The shots themselves, which --check compares, stay as they were taken.
# Why not a palette or JPEG: docs/decisions/0009-document-image-copies.md.
COLOUR_BITS = 6
COLOUR_ERROR = 2
_LEVELS = (1 << COLOUR_BITS) - 1
_ROUNDED = [round(round(value * _LEVELS / 255) * 255 / _LEVELS) for value in range(256)] * 3
# Lossless WebP; quality is the encoder's effort: the least that keeps the HTML under 1 MB (bench/README.md).
WEBP_OPTIONS = {"lossless": True, "method": 1, "quality": 25}

# Dates are locale formatting, not guide text: month names and the clock style per language.
_MONTHS = {
    "da": (
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

# A web address, or a 'quoted' portal label (a quote not inside a word, so "administrator's"
# is left alone). Portal labels are set in bold as the official guides do.
_TOKENS = re.compile(
    r"(?P<url>https?://[^\s<>'\"]*[^\s<>'\".,;:!?)])"
    r"|(?<!\w)'(?P<label>[^'\n]+?)'(?!\w)"
)
PORTAL_LANG = "da"  # the language of the portal's labels, which every edition quotes as they are
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


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


def format_time(moment: datetime, lang: str = "da") -> str:
    """``moment`` in Copenhagen time, written as ``lang`` writes dates."""
    if moment.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware (e.g. datetime.now(render.TIMEZONE))")
    local = moment.astimezone(TIMEZONE)
    month = _MONTHS[lang][local.month - 1]
    if lang == "da":
        return f"{local.day}. {month} {local.year} kl. {local:%H.%M}"
    return f"{local.day} {month} {local.year}, {local:%H:%M} ({local.tzname()})"


def format_date(moment: datetime, lang: str = "da") -> str:
    """The day of ``moment`` in Copenhagen, written as ``lang`` writes dates ('28. november 2025')."""
    local = moment.astimezone(TIMEZONE)
    month = _MONTHS[lang][local.month - 1]
    return f"{local.day}. {month} {local.year}" if lang == "da" else f"{local.day} {month} {local.year}"


def _segments(text: str) -> Iterator[tuple[str, str]]:
    """Split ``text`` into ("text" | "url" | "label", value) pieces."""
    position = 0
    for match in _TOKENS.finditer(text):
        if match.start() > position:
            yield "text", text[position : match.start()]
        kind = "url" if match.group("url") else "label"
        yield kind, match.group(kind)
        position = match.end()
    if position < len(text):
        yield "text", text[position:]


def rich_html(text: str, lang: str = PORTAL_LANG) -> Markup:
    """Escaped ``text`` with web addresses linked and 'portal labels' in bold.

    In a guide in another ``lang`` than the portal's, a label is marked as Danish (WCAG 3.1.2:
    a screen reader then says it in Danish, and the PDF tags it /Lang da).
    """
    marked = Markup("") if lang == PORTAL_LANG else Markup(' lang="{0}"').format(PORTAL_LANG)
    parts = []
    for kind, value in _segments(text):
        if kind == "url":
            parts.append(Markup('<a href="{0}">{0}</a>').format(value))
        elif kind == "label":
            parts.append(Markup('<strong class="label"{1}>&#39;{0}&#39;</strong>').format(value, marked))
        else:
            parts.append(escape(value))
    return Markup("").join(parts)


def md_escape(text: str) -> str:
    """``text`` with Markdown's active characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def rich_md(text: str) -> str:
    """``text`` as Markdown: web addresses as autolinks, 'portal labels' in bold."""
    parts = []
    for kind, value in _segments(text):
        if kind == "url":
            parts.append(f"<{value}>")
        elif kind == "label":
            parts.append(f"**'{md_escape(value)}'**")
        else:
            parts.append(md_escape(value))
    return "".join(parts)


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string (for ``content:``), safe inside a <style> element."""
    escaped = "".join(c if c.isascii() and c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text)
    return Markup(f'"{escaped}"')


def slug(text: str) -> str:
    """The anchor GitHub and GitLab give a Markdown heading (lower case, spaces to hyphens)."""
    kept = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return kept.replace(" ", "-")


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


def _data_uri(path: Path) -> str:
    kind = {".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp"}.get(path.suffix.lower(), "png")
    return f"data:image/{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@cache
def _pool() -> ThreadPoolExecutor:
    """Threads for the image copies (Pillow decodes and encodes outside the interpreter lock)."""
    return ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="sesag-images")


def _encode(data: bytes) -> dict[str, Any]:
    """The document copy of the PNG ``data``: lossless WebP for the HTML, and for the PDF its
    pixels compressed as a PDF Flate stream (with the size), which replaces a placeholder."""
    with Image.open(io.BytesIO(data)) as image:
        copy = image.convert("RGB").point(_ROUNDED)
    webp = io.BytesIO()
    copy.save(webp, "WEBP", **WEBP_OPTIONS)
    return {"webp": webp.getvalue(), "flate": zlib.compress(copy.tobytes(), 6), "size": copy.size}


@cache
def _blank_jpeg(size: tuple[int, int]) -> bytes:
    """A plain white JPEG of ``size`` (the PDF's placeholders are made of it)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "JPEG", quality=10)
    return buffer.getvalue()


def _placeholder(size: tuple[int, int], marker: str) -> bytes:
    """A JPEG of ``size`` that carries ``marker`` in a comment segment (right after its start)."""
    comment = marker.encode("ascii")
    blank = _blank_jpeg(size)
    return blank[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + blank[2:]


class Copies:
    """The documents' copies of the shots (see COLOUR_BITS), made in threads.

    ``start`` as soon as a shot is taken (the guide does, so the encoding runs while the browser
    walks on); ``webp`` and ``placeholders`` later give the files, waiting only for what is not
    done yet. Keyed by the shot's bytes: a shot copied elsewhere, or retaken unchanged, is not
    encoded again.

    The PDF is printed from placeholders: a white JPEG of each picture's size, marked with its
    key. Chromium puts a JPEG into the PDF as it is (any other image it decodes and compresses
    again, the slowest part of printing), and ``flows.guide.pdfdoc`` swaps each placeholder for the
    copy's pixels, compressed here in the threads (``flate``).
    """

    def __init__(self) -> None:
        self._pending: dict[str, Future] = {}

    def start(self, paths) -> None:
        """Begin encoding the shots at ``paths`` (PNG files)."""
        for path in paths:
            self._future(Path(path).read_bytes())

    def _future(self, data: bytes) -> tuple[str, Future]:
        key = pdfdoc.PLACEHOLDER + hashlib.sha256(data).hexdigest()
        if key not in self._pending:
            self._pending[key] = _pool().submit(_encode, data)
        return key, self._pending[key]

    def webp(self, shots: dict[str, Path], folder: Path, prefix: str) -> dict[str, Path]:
        """Each shot's copy as ``folder/<prefix><stem>.webp``; key -> path."""
        written = {}
        for name, path in shots.items():
            _, future = self._future(path.read_bytes())
            written[name] = folder / f"{prefix}{path.stem}.webp"
            written[name].write_bytes(future.result()["webp"])
        return written

    def placeholders(self, shots: dict[str, Path], folder: Path, prefix: str) -> dict[str, Path]:
        """Each shot's placeholder JPEG as ``folder/<prefix><stem>.jpg``; key -> path."""
        written = {}
        for name, path in shots.items():
            with Image.open(path) as image:
                size = image.size
            key, _ = self._future(path.read_bytes())
            written[name] = folder / f"{prefix}{path.stem}.jpg"
            written[name].write_bytes(_placeholder(size, key))
        return written

    def flate(self, shots: dict[str, Path]) -> dict[str, bytes]:
        """Placeholder key -> the copy's pixels as a Flate stream, for every shot."""
        found = {}
        for path in shots.values():
            key, future = self._future(path.read_bytes())
            found[key] = future.result()["flate"]
        return found


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
                    _scene_context(s, lang, image_src, sizes, capture.device_scale, example) for s in step.scenes
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


def _scene_context(
    scene: steps.Scene,
    lang: str,
    image_src: dict[str, str],
    sizes: dict[str, tuple[int, int]] | None,
    device_scale: float,
    example: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One scene for the templates: caption and badge key, alt texts, the full shot and its details.

    The instruction is said once per picture, in its caption; the full shot's alt text describes
    the screen and names what is marked; each detail's alt text names the marks it shows.
    """
    example = example or {}
    caption = scene.caption[lang]
    shows = (scene.shows or {}).get(lang, "").format(**example) or caption
    marks = [mark.format(**example) for mark in (scene.marks or {}).get(lang, [])]
    numbered = [f"{number} {mark}" for number, mark in enumerate(marks, start=1)]
    width, height = (sizes or {}).get(scene.id, (0, 0))
    keys = []
    for number in range(1, len(image_src) + 1):
        key = detail.detail_path(Path(f"{scene.id}.png"), number).stem
        if key not in image_src:
            break
        keys.append(key)
    # Which marks a detail shows: all in one detail, or one each (flows.guide.detail.plan groups them in order).
    named = numbered if len(marks) > 1 else marks  # a lone mark has no badge
    shown_in = [named] * len(keys) if len(keys) != len(named) else [[mark] for mark in named]
    details = []
    room = 100 - PRINT_SHOT_PCT - PRINT_GAP_PCT if scene.full else 0  # beside the full shot, in print
    word = steps.guide_text(lang)["detail"]
    for number, (key, its_marks) in enumerate(zip(keys, shown_in, strict=True), start=1):
        detail_width = (sizes or {}).get(key, (0, 0))[0]
        # Its width at MAGNIFICATION, in % of the full shot's (the page caps it at 100 %).
        share = 100.0 * detail.MAGNIFICATION * detail_width / width if width else 100.0
        names = " · ".join(its_marks)
        if not scene.full and number == 1:  # the scene's only picture: it describes the screen
            alt = shows
        elif shown_in.count(its_marks) > 1:  # one alt text per picture
            alt = f"{word} {number}: {names}"
        else:
            alt = f"{word}: {names}"
        printed = min(PRINT_DETAIL_MAX_PCT if scene.full else 100, share * PRINT_DETAIL_SCALE)
        beside = printed <= room
        # In order only: the details read 1, 2, ... as their badges do.
        room = room - printed - PRINT_GAP_PCT if beside else 0
        detail_height = (sizes or {}).get(key, (0, 0))[1]
        details.append(
            {
                "file": f"{key}.png",
                "src": image_src[key],
                "width_pct": f"{share:.2f}",
                "alt": alt,
                "beside": beside,
                "real_width": round(detail_width / device_scale),
                "real_height": round(detail_height / device_scale),
            }
        )
    return {
        "id": scene.id,
        "caption": caption,
        "legend": " · ".join(numbered) if len(numbered) > 1 else "",
        "full": scene.full or not details,  # a scene shown only by its detail needs one
        "continued": scene.new_page,
        "alt": shows,
        "file": f"{scene.id}.png",
        "src": image_src[scene.id],
        "width": width,
        "height": height,
        "real_width": round(width / device_scale),
        "real_height": round(height / device_scale),
        "details": details,
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
    sources = {key: _data_uri(path) if embed else path.name for key, path in shots.items()}
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
        from playwright.sync_api import sync_playwright

        from flows.core.browser import open_browser

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
