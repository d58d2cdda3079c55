"""The rendered vejledning: HTML, Markdown and PDF from the step catalogue and synthetic shots."""

from __future__ import annotations

import base64
import io
import re
import shutil
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageDraw

import flows
from flows.core import steps
from flows.guide import copies, render, scenes, wording

from helpers.pdf_checks import accessibility_problems, without_artifacts
from helpers.validators import pdfua_errors, vnu_messages

SCENES = [scene for step in steps.procedure() for scene in step.scenes]
WHEN = datetime(2025, 11, 28, 12, 52, tzinfo=wording.TIMEZONE)
PORTAL = "http://127.0.0.1:5000/"


def make_shot(path: Path, index: int, size=(640, 450)) -> Path:
    """A small screenshot-like PNG, different for every scene."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 40), fill=(0, 40, 85))
    draw.rectangle((40 + 30 * index, 120, 300 + 30 * index, 160), outline=(227, 6, 19), width=3)
    draw.text((60, 200), f"scene {index}", fill="black")
    image.save(path)
    return path


@pytest.fixture(scope="module")
def drawn_shots(tmp_path_factory) -> dict[str, Path]:
    """The synthetic shots, drawn once for the module; tests use copies (``shots``)."""
    folder = tmp_path_factory.mktemp("drawn")
    return {scene.id: make_shot(folder / f"{scene.id}.png", i) for i, scene in enumerate(SCENES)}


@pytest.fixture
def shots(drawn_shots, tmp_path) -> dict[str, Path]:
    """The test's own copy of the shots (a test may put files beside them)."""
    folder = tmp_path / "shots"
    folder.mkdir()
    return {scene_id: Path(shutil.copyfile(path, folder / path.name)) for scene_id, path in drawn_shots.items()}


def capture(shots, lang="da", portal=PORTAL) -> render.Capture:
    return render.Capture(
        lang=lang,
        portal_url=portal,
        generated_at=WHEN,
        right="sagsbehandler",
        employee=steps.DEFAULT_EMPLOYEE,
        shots=shots,
    )


INLINE = {"a", "strong", "span", "time", "em", "b", "code"}


class Page(HTMLParser):
    """The visible text, the images and the external references of an HTML page."""

    def __init__(self, html: str):
        super().__init__()
        self.chunks: list[str] = []
        self.images: list[dict[str, str]] = []
        self.references: list[str] = []
        self._skip = 0
        self.feed(html)
        self.text = " ".join("".join(self.chunks).split())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in INLINE:
            self.chunks.append(" ")
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag == "img":
            self.images.append(attrs)
        if (
            tag in ("link", "iframe")
            or (tag == "script" and attrs.get("src"))
            or (tag in ("img", "source") and not attrs.get("src", "").startswith("data:"))
        ):
            self.references.append(f"{tag} {attrs}")

    def handle_endtag(self, tag):
        if tag not in INLINE:
            self.chunks.append(" ")
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append(data)


def squash(text: str) -> str:
    return " ".join(text.split())


def all_texts(lang: str) -> list[str]:
    text = steps.guide_text(lang)
    texts = [text["issuer"], text["title"], text["rule"], *text["intro"]]
    texts += [right["label"][lang] for right in steps.rights()] + [right["who"][lang] for right in steps.rights()]
    for step in steps.procedure():
        texts += [step.title(lang), *step.bullets[lang], *(scene.caption[lang] for scene in step.scenes)]
    return texts


@pytest.fixture(scope="module")
def pdf_browser(playwright):
    """One Chromium for the module, from pytest-playwright's Playwright (one per session)."""
    from flows.core.browser import open_browser

    browser = open_browser(playwright)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def printed(drawn_shots, tmp_path_factory, pdf_browser):
    """The guide in every format, printed to PDF once for the module: Chromium takes 1-1.5 s
    a PDF, so the tests that only read the PDF share this one."""
    out = tmp_path_factory.mktemp("printed") / "guide"
    return out, render.render_guide(capture(drawn_shots), out, browser=pdf_browser)


@pytest.fixture(scope="module")
def printed_en(drawn_shots, tmp_path_factory, pdf_browser):
    """The English guide printed to PDF once for the module."""
    out = tmp_path_factory.mktemp("printed-en") / "guide"
    return out, render.render_guide(capture(drawn_shots, "en"), out, formats=("pdf",), browser=pdf_browser)


@pytest.fixture
def html_md(shots, tmp_path):
    out = tmp_path / "guide"
    files = render.render_guide(capture(shots), out, formats=("html", "md"))
    return out, files


def test_html_and_md_are_written(html_md):
    out, files = html_md
    assert files == {"html": out / "vejledning.html", "md": out / "vejledning.md"}
    assert all(path.stat().st_size > 0 for path in files.values())
    assert not (out / "vejledning.pdf").exists()


def test_html_holds_every_word_of_the_guide(html_md):
    _, files = html_md
    page = Page(files["html"].read_text(encoding="utf-8"))
    missing = [text for text in all_texts("da") if squash(text) not in page.text]
    assert missing == []
    assert "Trin 1" in page.text and "Trin 5" in page.text


def test_html_steps_come_in_order_with_their_bullets(html_md):
    _, files = html_md
    text = Page(files["html"].read_text(encoding="utf-8")).text
    body = text[text.index(steps.procedure()[0].bullets["da"][0]) :]
    positions = [body.index(squash(bullet)) for step in steps.procedure() for bullet in step.bullets["da"]]
    assert positions == sorted(positions)


def test_html_is_self_contained_with_every_screenshot(html_md, shots):
    _, files = html_md
    page = Page(files["html"].read_text(encoding="utf-8"))
    assert page.references == []
    assert len(page.images) == len(SCENES)
    for image, scene in zip(page.images, SCENES, strict=False):
        assert colour_error(decoded(image["src"]), shots[scene.id]) <= copies.COLOUR_ERROR
        assert image["alt"] == scene.shows["da"].format(employee=steps.DEFAULT_EMPLOYEE, right="Sagsbehandler")


def decoded(src: str) -> Image.Image:
    """The picture of a data URI (the HTML's images are lossless WebP of the document's copy)."""
    prefix = "data:image/webp;base64,"
    assert src.startswith(prefix)
    return Image.open(io.BytesIO(base64.b64decode(src[len(prefix) :])))


def colour_error(image: Image.Image, shot: Path) -> int:
    """The largest difference of a colour channel between ``image`` and the PNG ``shot``."""
    with Image.open(shot) as original:
        assert image.size == original.size
        return int(np.abs(np.asarray(image.convert("RGB"), int) - np.asarray(original.convert("RGB"), int)).max())


def test_html_images_have_their_size_and_load_lazily_below_the_first(html_md):
    """Width and height reserve each picture's place; all but the first wait until scrolled to."""
    _, files = html_md
    images = Page(files["html"].read_text(encoding="utf-8")).images
    assert all(int(image["width"]) > 0 and int(image["height"]) > 0 for image in images)
    assert "loading" not in images[0]
    assert all(image.get("loading") == "lazy" for image in images[1:])


def test_document_copies_keep_the_shots_pixels_within_two_levels(shots, tmp_path):
    """The document's copies (6-bit colour) differ from the shots by at most two levels per
    channel, invisible; the shots themselves (what --check compares) are left as they were."""
    before = {key: path.read_bytes() for key, path in shots.items()}
    files = render.render_guide(capture(shots), tmp_path / "g", formats=("html",))
    images = Page(files["html"].read_text(encoding="utf-8")).images
    errors = [colour_error(decoded(image["src"]), shots[scene.id]) for image, scene in zip(images, SCENES, strict=True)]
    assert 0 < max(errors) <= copies.COLOUR_ERROR == 2
    assert {key: (tmp_path / "g" / path.name).read_bytes() for key, path in shots.items()} == before
    assert {key: path.read_bytes() for key, path in shots.items()} == before


def test_html_prints_on_a4_with_clean_steps(html_md):
    _, files = html_md
    html = files["html"].read_text(encoding="utf-8")
    assert re.search(r"@page\s*{[^}]*size:\s*A4", html)
    assert re.search(r"\.continued\s*{[^}]*break-before:\s*page", html)
    assert re.search(r"\.shot\s*{[^}]*break-inside:\s*avoid", html)
    assert '<html lang="da">' in html


def test_markdown_links_the_screenshots_beside_it(html_md):
    out, files = html_md
    md = files["md"].read_text(encoding="utf-8")
    links = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", md)
    assert [target for _, target in links] == [f"{scene.id}.png" for scene in SCENES]
    for _alt, target in links:
        assert not Path(target).is_absolute() and (out / target).is_file()
    assert "data:" not in md


def test_markdown_holds_every_word_of_the_guide(html_md):
    _, files = html_md
    md = files["md"].read_text(encoding="utf-8")
    readable = squash(re.sub(r"\\(.)", r"\1", md.replace("**", "")).replace("<http", "http").replace("dk>", "dk"))
    missing = [text for text in all_texts("da") if squash(text) not in readable]
    assert missing == []
    titles = re.findall(r"^## (.+)$", md, flags=re.M)
    assert [t for t in titles if t.startswith("Trin")] == [step.heading("da") for step in steps.procedure()]
    for step in steps.procedure():  # the table of contents links each step's heading anchor
        assert f"](#{wording.slug(step.heading('da'))})" in md


def test_english_comes_from_the_same_catalogue(shots, tmp_path):
    da = render.render_guide(capture(shots, "da"), tmp_path / "da", formats=("html", "md"))
    en = render.render_guide(capture(shots, "en"), tmp_path / "en", formats=("html", "md"))
    da_text = Page(da["html"].read_text(encoding="utf-8")).text
    en_text = Page(en["html"].read_text(encoding="utf-8")).text
    assert da_text != en_text
    assert [text for text in all_texts("en") if squash(text) not in en_text] == []
    assert steps.guide_text("da")["title"] not in en_text
    assert "Step 3" in en_text and "Trin 3" not in en_text
    assert "Last updated 28 November 2025." in en_text
    assert '<html lang="en">' in en["html"].read_text(encoding="utf-8")
    assert "## Step 1: Log on to NemID self-service" in en["md"].read_text(encoding="utf-8")


def test_render_is_deterministic(shots, tmp_path):
    first = render.render_guide(capture(shots), tmp_path / "a", formats=("html", "md"))
    second = render.render_guide(capture(shots), tmp_path / "b", formats=("html", "md"))
    for kind in ("html", "md"):
        assert first[kind].read_bytes() == second[kind].read_bytes()


def test_text_is_escaped_not_trusted(shots, tmp_path):
    html, md = render_html_of(shots, tmp_path, employee="<b>Ib</b> & co")
    assert "&lt;b&gt;Ib&lt;/b&gt; &amp; co" in html and "<b>Ib" not in html
    assert r"\<b\>Ib\</b\> & co" in md


def test_screenshots_elsewhere_are_copied_beside_the_guide(shots, tmp_path):
    out = tmp_path / "elsewhere"
    render.render_guide(capture(shots), out, formats=("md",))
    for scene in SCENES:
        assert (out / f"{scene.id}.png").read_bytes() == shots[scene.id].read_bytes()


def test_missing_screenshot_and_bad_input_are_refused(shots, tmp_path):
    partial = dict(shots)
    del partial["trin-4-medarbejder"]
    with pytest.raises(ValueError, match="trin-4-medarbejder"):
        render.render_guide(capture(partial), tmp_path / "g", formats=("html",))
    with pytest.raises(ValueError, match="docx"):
        render.render_guide(capture(shots), tmp_path / "g", formats=("html", "docx"))
    with pytest.raises(ValueError):
        render.render_guide(capture(shots, lang="de"), tmp_path / "g", formats=("html",))
    naive = capture(shots)
    naive.generated_at = datetime(2025, 11, 28, 12, 52)
    with pytest.raises(ValueError, match="timezone"):
        render.render_guide(naive, tmp_path / "g", formats=("html",))


def test_time_is_copenhagen_time_per_language():
    summer = datetime(2025, 6, 30, 22, 5, tzinfo=ZoneInfo("UTC"))
    assert wording.format_time(summer, "da") == "1. juli 2025 kl. 00.05"
    assert wording.format_time(summer, "en") == "1 July 2025, 00:05 (CEST)"


@pytest.mark.chromium
def test_pdf_has_pages_steps_and_page_numbers(printed, pdf_pages):
    out, files = printed
    assert set(files) == {"html", "pdf", "md"}
    data = files["pdf"].read_bytes()
    assert data.startswith(b"%PDF-")
    assert not list(out.glob(".*")), "the page printed from is cleaned up"
    pages = pdf_pages(files["pdf"])
    assert len(pages) >= 2
    text = squash(" ".join(pages))
    missing = [item for item in all_texts("da") if squash(item) not in text]
    assert missing == []
    assert all(f"Side {n} af {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert len(pages) <= 6
    # Where a step runs on to a page marked for it, that page starts with its heading "(fortsat)".
    firsts = [page.strip().splitlines()[0].strip() for page in pages]
    assert "Trin 1: Log på NemID selvbetjening (fortsat)" in firsts


@pytest.mark.chromium
def test_pdf_without_a_browser_launches_its_own(shots, tmp_path, pdf_pages):
    files = render.render_guide(capture(shots, "en"), tmp_path / "en", formats=("pdf",))
    assert list(files) == ["pdf"]
    pages = pdf_pages(files["pdf"])
    assert len(pages) >= 2
    assert "Step 5" in " ".join(pages) and "Page 1 of" in pages[0]


@pytest.mark.chromium
def test_pdf_falls_back_to_the_embedded_page(shots, tmp_path, pdf_browser, monkeypatch, pdf_pages):
    """A browser that cannot read the files beside the guide (a remote one) still prints it."""
    original = render.render_html

    def unreadable(capture, shots, for_pdf=False, embed=True):
        html = original(capture, shots, for_pdf=for_pdf, embed=embed)
        return html if embed else html.replace('src="', 'src="nowhere/')

    monkeypatch.setattr(render, "render_html", unreadable)
    files = render.render_guide(capture(shots), tmp_path / "g", formats=("pdf",), browser=pdf_browser)
    pages = pdf_pages(files["pdf"])
    assert len(pages) >= 2 and "Trin 5" in " ".join(pages)
    assert files["pdf"].read_bytes().count(b"/Subtype /Image") >= len(SCENES)
    assert not list((tmp_path / "g").glob(".*"))


@pytest.mark.chromium
def test_pdf_screenshots_are_embedded_within_two_levels(printed, drawn_shots):
    """Every screenshot is in the PDF, losslessly compressed from the document's copy (no JPEG)."""
    _, files = printed
    with pikepdf.open(files["pdf"]) as pdf:
        pictures = [
            pikepdf.PdfImage(image).as_pil_image() for page in pdf.pages for image in page.get_images().values()
        ]
        assert all(
            image.get("/Filter") != pikepdf.Name.DCTDecode for page in pdf.pages for image in page.get_images().values()
        )
    assert len(pictures) == len(SCENES)
    for picture, scene in zip(pictures, SCENES, strict=True):
        assert colour_error(picture, drawn_shots[scene.id]) <= copies.COLOUR_ERROR


@pytest.fixture
def shots_with_details(shots):
    """The synthetic shots, each with one detail beside it (two for the last scene)."""
    for index, scene in enumerate(SCENES):
        with Image.open(shots[scene.id]) as image:
            image.crop((0, 0, 160, 90)).save(shots[scene.id].with_name(f"{scene.id}.detail-1.png"))
            if index == len(SCENES) - 1:
                image.crop((0, 0, 400, 90)).save(shots[scene.id].with_name(f"{scene.id}.detail-2.png"))
    return shots


def test_details_follow_their_shot_at_twice_its_scale(shots_with_details, tmp_path):
    files = render.render_guide(capture(shots_with_details), tmp_path / "g", formats=("html", "md"))
    html = files["html"].read_text(encoding="utf-8")
    page = Page(html)
    last = SCENES[-1].id
    # The last scene (Trin 5's confirmation) is shown by its details only, not by a second full shot.
    assert not SCENES[-1].full
    assert len(page.images) == 2 * len(SCENES) + 1 - 1
    details = [image for image in page.images if image.get("class", "").split()[0] == "detail"]
    # 160 px of a 640 px shot, twice as large: half the figure's width; 400 px: 125 %, capped to all of it.
    assert [d["style"] for d in details[:2]] == ["--share: 50.00%"] * 2
    assert details[-1]["style"] == "--share: 125.00%"  # the page caps it at 100 % (max-width)
    assert re.search(r"img\.detail\s*{[^}]*width:\s*var\(--share\);\s*max-width:\s*100%", html)
    assert all(d["alt"].startswith("Forstørret udsnit: ") for d in details[:-2])
    assert details[-2]["alt"] == SCENES[-1].shows["da"].format(employee=steps.DEFAULT_EMPLOYEE)
    assert details[-1]["alt"] == "Forstørret udsnit 2: beskeden 'Rettighederne er gemt'"
    assert (tmp_path / "g" / f"{last}.detail-2.png").is_file()
    md = files["md"].read_text(encoding="utf-8")
    assert f"]({last}.detail-1.png)" in md and f"]({last}.detail-2.png)" in md


def test_a_shot_opens_full_size_by_a_link_named_for_what_it_does(html_md):
    """Plain CSS :target opens it (a script only adds Esc and the focus)."""
    _, files = html_md
    html = files["html"].read_text(encoding="utf-8")
    for scene in SCENES:
        opener = re.search(
            rf'<div class="zoom" id="{scene.id}-stor">\s*<img class="full"[^>]*>\s*'
            rf'<a class="zoom-open" href="#{scene.id}-stor">Vis billedet i fuld størrelse</a>',
            html,
        )
        assert opener, scene.id
        assert f'<a class="zoom-close" href="#{scene.id}">Luk <span' in html
    # 640 px synthetic shots taken at device scale 2 open 320 CSS px wide.
    assert 'style="--real-width: 320px"' in html
    assert re.search(r"\.zoom:target\s*{[^}]*position:\s*fixed", html)


def test_generation_time_comes_from_source_date_epoch(shots, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764330720")
    assert render.generation_time(tmp_path / "none", shots) == WHEN


def test_generation_time_is_kept_while_no_shot_changed(shots, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    previous = tmp_path / "previous"
    render.render_guide(capture(shots), previous, formats=("html",))
    assert render.generation_time(previous, shots) == WHEN
    changed = dict(shots)
    changed[SCENES[2].id] = make_shot(tmp_path / "changed.png", 99)
    assert render.generation_time(previous, changed) > WHEN
    assert render.generation_time(tmp_path / "nothing-yet", shots) > WHEN


@pytest.mark.chromium
def test_same_capture_same_bytes_pdf_included(printed, shots, tmp_path, pdf_browser):
    """Rendered again (other shot files, same bytes; another folder), every file is the same."""
    _, first = printed
    second = render.render_guide(capture(shots), tmp_path / "b", browser=pdf_browser)
    for kind in ("html", "md", "pdf"):
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind
    with pikepdf.open(first["pdf"]) as pdf:
        assert str(pdf.docinfo.CreationDate) == str(pdf.docinfo.ModDate) == "D:20251128115200+00'00'"


# --- the reader's document: headings, the example, said once, nothing of the mock -------------

MOCK_WORDS = re.compile(r"\b\w*(demo|test|mock)\w*\b", re.IGNORECASE)


def render_html_of(shots, tmp_path, lang="da", right="sagsbehandler", employee="Sara Lund"):
    chosen = render.Capture(
        lang=lang, portal_url=PORTAL, generated_at=WHEN, right=right, employee=employee, shots=shots
    )
    files = render.render_guide(chosen, tmp_path / f"{lang}-{right}", formats=("html", "md"))
    return files["html"].read_text(encoding="utf-8"), files["md"].read_text(encoding="utf-8")


def test_headings_say_what_each_step_does(shots, tmp_path):
    html, md = render_html_of(shots, tmp_path)
    headings = [squash(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r'<h2 class="step-title"[^>]*>(.*?)</h2>', html)]
    assert headings == [step.heading("da") for step in steps.procedure()]
    assert "Trin 3: Find medarbejderen" in headings
    assert "## Trin 3: Find medarbejderen" in md
    assert f"](#{wording.slug('Trin 3: Find medarbejderen')})" in md  # the contents link the heading's anchor


@pytest.mark.parametrize(
    ("right", "other"), [("sagsbehandler", "Kommunal sagsbehandler"), ("kommunal-sagsbehandler", "Sagsbehandler")]
)
@pytest.mark.parametrize("lang", steps.LANGUAGES)
def test_trin_5_says_what_to_do_when_the_other_right_is_ticked(shots, tmp_path, lang, right, other):
    """One save swaps the rights; the portal's own sentence for both ticked is quoted as it says it."""
    from mock_portal.rights import ONE_AES_RIGHT

    html, md = render_html_of(shots, tmp_path, lang, right)
    text = Page(html).text
    trin_5 = text[text.index(steps.procedure()[4].heading(lang)) :]
    assert f"'{other}'" in trin_5 and f"'{steps.right_label(right, 'da')}'" in trin_5
    assert ONE_AES_RIGHT in trin_5
    assert ("én gem bytter" if lang == "da" else "one save swaps") in trin_5
    assert ONE_AES_RIGHT in md


@pytest.mark.parametrize("lang", steps.LANGUAGES)
def test_before_you_start_and_after_saving(shots, tmp_path, lang):
    words = steps.guide_text(lang)
    text = Page(render_html_of(shots, tmp_path, lang)[0]).text
    before, after = text.index(words["before_title"]), text.index(words["after_title"])
    assert (
        before < text.index(steps.procedure()[0].heading(lang)) < text.index(steps.procedure()[4].heading(lang)) < after
    )
    for line in (*words["before"], *words["after"]):
        assert squash(line.replace("'", "")) in text.replace("'", "")
    assert "NemID administrator" in " ".join(words["before"]) or "NemID administrator" in " ".join(words["before"])


@pytest.mark.parametrize("lang", steps.LANGUAGES)
def test_colophon_says_last_updated_and_the_generator_and_nothing_of_the_mock(shots, tmp_path, lang):
    html, md = render_html_of(shots, tmp_path, lang)
    page = Page(html)
    sentence = {
        "da": f"Senest opdateret 28. november 2025. Skærmbillederne er lavet med sesag {flows.tool_version()}.",
        "en": f"Last updated 28 November 2025. The screenshots were made with sesag {flows.tool_version()}.",
    }[lang]
    assert sentence in page.text
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?\S*", flows.tool_version())
    readable = [page.text, md, *(image.get("alt", "") for image in page.images)]
    readable += re.findall(r"<title>(.*?)</title>", html)
    assert [MOCK_WORDS.findall(text) for text in readable] == [[]] * len(readable)


@pytest.mark.parametrize("lang", steps.LANGUAGES)
def test_the_title_is_at_most_60_characters(shots, tmp_path, lang):
    html, _ = render_html_of(shots, tmp_path, lang)
    (title,) = re.findall(r"<title>(.*?)</title>", html)
    assert 0 < len(title) <= 60 and "Se Sag" in title


def figures(html: str) -> list[str]:
    return re.findall(r'<figure class="shot[^"]*".*?</figure>', html, flags=re.S)


def test_each_instruction_is_said_once_per_figure(shots_with_details, tmp_path):
    """A screen reader hears the instruction once (the caption); the alt text describes the screen
    and names what is marked; the caption maps the badges; the zoom link says what it does."""
    html, _ = render_html_of(shots_with_details, tmp_path, employee="Sara Lund")
    found = figures(html)
    shown = [scene for scene in SCENES]
    assert len(found) == len(shown)
    for figure, scene in zip(found, shown, strict=True):
        caption = squash(Page(re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S).group(1)).text)
        alts = [html_unescape(a) for a in re.findall(r'alt="([^"]*)"', figure)]
        said = [caption, *alts, *(html_unescape(n) for n in re.findall(r'aria-label="([^"]*)"', figure))]
        said += [squash(Page(a).text) for a in re.findall(r'<a class="zoom-open"[^>]*>(.*?)</a>', figure, re.S)]
        instruction = scene.caption["da"]
        assert sum(squash(instruction) in text for text in said) == 1, (scene.id, said)
        assert len(set(alts)) == len(alts), f"{scene.id}: two pictures with one alt text"
        marks = [m.format(employee="Sara Lund", right="Sagsbehandler") for m in scene.marks["da"]]
        if len(marks) > 1:
            assert " · ".join(f"{n} {m}" for n, m in enumerate(marks, start=1)) in caption, scene.id
        if scene.full:
            assert "Sara Lund" in alts[0] or "{employee}" not in scene.shows["da"]
            assert "Vis billedet i fuld størrelse" in figure
    trin_3 = found[[s.id for s in SCENES].index("trin-3-medarbejdere")]
    assert "1 'Søg' · 2 blyantsikonet" in squash(Page(trin_3).text)


def html_unescape(text: str) -> str:
    import html as html_module

    return html_module.unescape(text)


def test_english_marks_the_danish_labels(shots, tmp_path):
    html, _ = render_html_of(shots, tmp_path, "en")
    labels = re.findall(r'<strong class="label"([^>]*)>', html)
    assert labels and all('lang="da"' in attrs for attrs in labels)
    da, _ = render_html_of(shots, tmp_path, "da")
    assert 'lang="da"' not in "".join(re.findall(r'<strong class="label"([^>]*)>', da))


@pytest.mark.chromium
def test_the_zoom_closes_with_escape_and_gives_focus_back(html_md, pdf_browser):
    _, files = html_md
    page = pdf_browser.new_page()
    try:
        page.goto(files["html"].as_uri())
        scene = SCENES[1].id
        opener = page.locator(f"#{scene} .zoom-open")
        opener.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == f"#{scene}-stor"
        page.wait_for_function("document.activeElement.className === 'zoom-close'", timeout=5000)
        page.keyboard.press("Escape")
        page.wait_for_function("document.activeElement.className === 'zoom-open'", timeout=5000)
        assert page.evaluate("location.hash") == f"#{scene}"
        assert page.evaluate("document.activeElement.closest('figure').id") == scene
        assert (
            page.locator(f"#{scene}-stor img.full").evaluate("img => getComputedStyle(img.closest('.zoom')).position")
            != "fixed"
        )
    finally:
        page.close()


def test_in_print_a_detail_that_fits_goes_beside_its_shot_in_order(shots_with_details, tmp_path):
    """Shorter on paper: a detail narrow enough sits beside the full shot (the page's CSS and
    this choice share --print-*), the others below it, in the order of their badges."""
    html, _ = render_html_of(shots_with_details, tmp_path)
    found = figures(html)
    first = found[0]  # 160 of 640 px at 2x and 0.8: 40 % of the column, beside a 36 % shot
    assert re.search(r'<img class="detail beside"', first)
    assert f"--print-shot: {scenes.PRINT_SHOT_PCT}%" in html
    last = found[-1]  # a scene shown by its details alone has no shot to sit beside
    assert "beside" not in last
    assert re.search(r"img\.detail\.beside\s*{[^}]*order:\s*1", html)


def _headings(lang: str) -> list[str]:
    words = steps.guide_text(lang)
    steps_ = [step.heading(lang) for step in steps.procedure()]
    return [words["title"], words["before_title"], *steps_, words["after_title"]]


@pytest.mark.chromium
@pytest.mark.parametrize("lang", ["da", "en"])
def test_pdf_is_tagged_and_accessible(lang, printed, printed_en):
    """Structure tree, /Lang, bookmarks, DisplayDocTitle, XMP, Info, artifacts, links, alt texts."""
    _, files = printed if lang == "da" else printed_en
    title = steps.guide_text(lang)["title"]
    assert accessibility_problems(files["pdf"], lang, title, _headings(lang)) == []


@pytest.mark.chromium
def test_pdf_footer_is_an_artifact(printed, tmp_path, pdf_pages):
    """The running footer and page numbers are marked as artifacts, the guide's text is not."""
    _, files = printed
    pages = pdf_pages(without_artifacts(files["pdf"], tmp_path / "bare.pdf"))
    text = squash(" ".join(pages))
    assert not re.search(r"Side \d+ af \d+", text), "the page numbers are artifacts"
    assert all(squash(page).count(steps.guide_text("da")["issuer"]) <= 1 for page in pages), "so is the footer"
    assert squash(steps.guide_text("da")["title"]) in text
    assert squash(SCENES[0].caption["da"]) in text


@pytest.mark.chromium
@pytest.mark.parametrize("lang", ["da", "en"])
def test_pdfua_reports_no_errors(lang, printed, printed_en):
    _, files = printed if lang == "da" else printed_en
    count, errors = pdfua_errors(files["pdf"])
    assert (count, errors) == (0, [])


def test_html_passes_the_nu_html_checker_in_both_languages(shots, tmp_path):
    """The W3C's Nu HTML checker (vnu-jar, pinned) finds no error and no warning."""
    pages = [
        render.render_guide(capture(shots, lang), tmp_path / lang, formats=("html",))["html"] for lang in ("da", "en")
    ]
    assert vnu_messages(*pages) == []
