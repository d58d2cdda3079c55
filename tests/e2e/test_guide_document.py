"""The vejledning as its readers get it: in both languages, labels big enough in the A4 PDF,
numbered markers, and an HTML page that works on a phone.

Run with ``-s`` to see the label heights in the PDF.
"""

from __future__ import annotations

import html
import math
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from flows.core import steps
from flows.guide import build as builder
from flows.guide import manifest
from flows.guide.detail import Box

from helpers.pdf_checks import accessibility_problems
from helpers.validators import pdfua_errors, vnu_messages

SCENES = [scene for step in steps.procedure() for scene in step.scenes]
MIN_LABEL_PT = 9.0
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module", params=steps.LANGUAGES)
def made(request, tmp_path_factory):
    """(lang, folder, GuideRun): the guide in that language, generated once for the module."""
    lang = request.param
    out = tmp_path_factory.mktemp(f"guide-{lang}") / "screenshots"

    def work() -> builder.GuideRun:  # own thread: pytest-playwright's event loop runs in this one
        return builder.build(out, lang=lang, progress=lambda message: None)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return lang, out, pool.submit(work).result()


@pytest.fixture(scope="module")
def kommune(tmp_path_factory):
    """The edition for municipalities (HTML and PDF), generated once for the module."""
    out = tmp_path_factory.mktemp("guide-kommune") / "screenshots"

    def work() -> builder.GuideRun:
        return builder.build(
            out, right="kommunal-sagsbehandler", formats=("html", "pdf"), progress=lambda message: None
        )

    with ThreadPoolExecutor(max_workers=1) as pool:
        return out, pool.submit(work).result()


MOCK_WORDS = re.compile(r"demo|test|mock", re.IGNORECASE)


def test_no_shot_shows_anything_of_the_mock(made):
    """The pictures show the portal as a reader's does: no demo key hint, no test or demo names."""
    _, _, run = made
    for scene in SCENES:
        assert MOCK_WORDS.findall(run.scenes[scene.id].text) == [], scene.id
    keycard = run.scenes["trin-1-noeglekort"].text
    assert "Nøgle nr." in keycard and "Kun til" not in keycard


def test_each_edition_shows_an_organisation_that_gives_its_right(made, kommune):
    """Sagsbehandler: an insurer's case officer; Kommunal sagsbehandler: a job-centre employee
    of a municipality. Trin 5 ticks the edition's right, for the edition's employee."""
    _, _, insurer = made
    _, municipality = kommune
    for run, right, employee, group in (
        (insurer, "Sagsbehandler", "Sara Lund", "Arbejdsskade"),
        (municipality, "Kommunal sagsbehandler", "Jonas Holm", "Jobcenter"),
    ):
        assert run.scenes["trin-5-rettigheder"].marked[0] == right
        listed = run.scenes["trin-3-medarbejdere"].text
        assert employee in listed and group in listed
        assert f"Rettighederne er gemt for {employee}." in run.scenes["trin-5-gemt"].marked[0]
    assert "eksempelforsikring.dk" in insurer.scenes["trin-3-medarbejdere"].text
    assert "eksempelkommune.dk" in municipality.scenes["trin-3-medarbejdere"].text


def test_no_detail_edge_cuts_text_and_no_badge_covers_any(made, kommune):
    """The issue's "Tilfø", "TRYD", "ns", "dere" and the hidden first letters of "Bruger-id" and
    "Nøgle": every line of text, field and icon on the page is wholly inside or wholly outside each
    detail, and no badge lies on any of them. The pencil's detail shows whose row it is on, the key
    field's shows 'Nøgle nr.'."""
    for run in (made[2], kommune[1]):
        for scene in SCENES:
            shot = run.scenes[scene.id]
            area = Box(0, 0, shot.area.width, shot.area.height)
            texts = [part for box in shot.texts if (part := box.clipped(area)) is not None]
            assert texts, scene.id
            for number, crop in enumerate(shot.crops, start=1):
                cut = [box for box in texts if crop.cuts(box)]
                assert cut == [], f"{scene.id} detail {number} cuts {cut[:3]}"
            for badge in shot.badges:
                covered = [box for box in texts if badge.overlaps(box)]
                assert covered == [], f"{scene.id}: a badge covers {covered[:3]}"
    run = made[2]
    for scene_id, target in (("trin-3-medarbejdere", 1), ("trin-1-noeglekort", 0)):
        shot = run.scenes[scene_id]
        (needed,) = shot.context[target]  # the name cell; 'Nøgle nr. 0427'
        holding = [crop for crop in shot.crops if crop.contains(shot.targets[target].frame)]
        assert holding and holding[0].contains(needed), scene_id
    assert run.options["employee"] in run.scenes["trin-3-medarbejdere"].text


def test_at_most_6_pages_and_every_page_starts_with_a_heading(made, kommune, pdf_pages):
    """Short, and never a page without its heading: a step that runs on to a page starts it
    with its heading "(fortsat)"."""
    lang, out, _ = made
    for folder, language in ((out, lang), (kommune[0], "da")):
        pages = pdf_pages(folder / "vejledning.pdf")
        assert len(pages) <= 6, f"{folder}: {len(pages)} pages"
        words = steps.guide_text(language)
        headings = [step.heading(language) for step in steps.procedure()]
        allowed = {*headings, *(f"{h} ({words['continued']})" for h in headings), words["after_title"]}
        firsts = [" ".join(page.strip().splitlines()[0].split()) for page in pages[1:]]
        assert [first for first in firsts if first not in allowed] == [], firsts
        print(f"\n{folder.parent.name}: {len(pages)} pages")


def _multiply(m, n):
    """The PDF matrix product m x n ([a b c d e f] each)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]


def placed_images(pdf: Path) -> list[dict]:
    """Every image drawn in the PDF, in drawing order: its pixel size and its size on paper (pt)."""
    found = []

    def walk(stream_owner, resources, ctm):
        stack = []
        xobjects = resources.get("/XObject", {}) if resources else {}
        content = ContentStream(stream_owner, stream_owner.pdf if hasattr(stream_owner, "pdf") else None)
        for operands, operator in content.operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                ctm = _multiply([float(v) for v in operands], ctm)
            elif operator == b"Do":
                xobject = xobjects[operands[0]].get_object()
                if xobject["/Subtype"] == "/Image":
                    found.append(
                        {
                            "pixels": (int(xobject["/Width"]), int(xobject["/Height"])),
                            "width_pt": math.hypot(ctm[0], ctm[1]),
                            "height_pt": math.hypot(ctm[2], ctm[3]),
                        }
                    )
                elif xobject["/Subtype"] == "/Form":
                    matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(xobject, xobject.get("/Resources"), _multiply(matrix, ctm))

    for page in PdfReader(pdf).pages:
        walk(page.get_contents(), page["/Resources"], [1, 0, 0, 1, 0, 0])
    return found


def label_heights(run: builder.GuideRun, pdf: Path) -> list[tuple[str, int, float, float]]:
    """(scene, target number, label height in the full shot, in its detail), in pt on A4."""
    images = placed_images(pdf)
    expected = []
    for scene in SCENES:
        shot = run.scenes[scene.id]
        if scene.full:  # Trin 5's confirmation is shown by its detail only
            expected.append(("full", scene.id, round(shot.area.width * manifest.DEVICE_SCALE)))
        expected += [("detail", scene.id, round(crop.width * manifest.DEVICE_SCALE)) for crop in shot.crops]
    assert [image["pixels"][0] for image in images] == [width for _, _, width in expected], (
        "the PDF's images are the shots and their details, in order"
    )
    rows = []
    placed = iter(images)
    for scene in SCENES:
        shot = run.scenes[scene.id]
        full = next(placed) if scene.full else None
        details = [next(placed) for _ in shot.crops]
        full_scale = full["width_pt"] / shot.area.width if full else 0.0  # pt per CSS px
        for number, target in enumerate(shot.targets, start=1):
            inside = [
                (crop, image) for crop, image in zip(shot.crops, details, strict=False) if crop.contains(target.frame)
            ]
            assert inside, f"{scene.id}: target {number} is in no detail"
            crop, image = inside[0]
            rows.append(
                (scene.id, number, target.label_px * full_scale, target.label_px * image["width_pt"] / crop.width)
            )
    return rows


def test_every_framed_label_is_at_least_9_pt_in_the_pdf(made):
    lang, out, run = made
    rows = label_heights(run, out / "vejledning.pdf")
    print(f"\nLabel heights in the A4 PDF ({lang}), pt: full shot -> magnified detail")
    for scene_id, number, full_pt, detail_pt in rows:
        print(f"  {scene_id:<22} target {number}: {full_pt:4.1f} -> {detail_pt:4.1f}")
    smallest = min(row[3] for row in rows)
    print(f"  smallest: {smallest:.1f} pt (target >= {MIN_LABEL_PT})")
    assert smallest >= MIN_LABEL_PT
    assert len(rows) == sum(len(run.scenes[s.id].targets) for s in SCENES)


def test_scenes_with_several_clicks_number_them_in_the_texts_order(made):
    _, _, run = made
    counts = {scene.id: len(run.scenes[scene.id].targets) for scene in SCENES}
    assert counts["trin-1-log-paa"] == 3  # bruger-id, adgangskode, 'Næste'
    assert counts["trin-1-noeglekort"] == 2  # the key, 'Log på'
    assert counts["trin-3-medarbejdere"] == 2  # the search, then the pencil
    assert counts["trin-5-rettigheder"] == 2  # the tick box, then 'Gem rettigheder'
    search, pencil = run.scenes["trin-3-medarbejdere"].targets
    tick, save = run.scenes["trin-5-rettigheder"].targets
    assert search.frame.y < pencil.frame.y and tick.frame.y < save.frame.y


def test_the_guide_reads_whole_in_its_language(made, pdf_pages):
    lang, out, run = made
    text = " ".join(" ".join(pdf_pages(out / "vejledning.pdf")).split())
    wanted = [steps.guide_text(lang)["title"], *(s.caption[lang] for s in SCENES)]
    wanted += [bullet for step in steps.procedure() for bullet in step.bullets[lang]]
    assert [w for w in wanted if " ".join(w.split()) not in text] == []
    other = "en" if lang == "da" else "da"
    assert steps.guide_text(other)["title"] not in text
    source = (out / "vejledning.html").read_text(encoding="utf-8")
    alts = [html.unescape(alt) for alt in re.findall(r'<img class="full"[^>]* alt="([^"]+)"', source)]
    example = run.options["employee"]
    assert alts == [s.shows[lang].format(employee=example, right="Sagsbehandler") for s in SCENES if s.full]
    words = steps.guide_text(lang)
    assert words["updated"].split("{date}")[0] in text


def test_the_html_works_on_a_phone_and_opens_shots_full_size(made, page):
    lang, out, _ = made
    page.set_viewport_size(PHONE)
    page.goto((out / "vejledning.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    first = SCENES[1]  # the log-in scene
    shot = page.locator(f"#{first.id}-stor img.full")
    assert shot.bounding_box()["width"] < PHONE["width"]
    details = page.locator(f"#{first.id} img.detail")
    assert details.count() >= 1 and details.first.bounding_box()["width"] > PHONE["width"] * 0.8
    figure = page.locator(f"#{first.id}")
    figure.get_by_role("link", name=steps.guide_text(lang)["open_full"]).click()
    assert page.url.endswith(f"#{first.id}-stor")
    assert shot.bounding_box()["width"] == pytest.approx(980, abs=1), "the shot at its real size"
    close = figure.get_by_role("link", name=steps.guide_text(lang)["close"])
    assert close.is_visible()
    close.click()
    assert page.url.endswith(f"#{first.id}")
    assert shot.bounding_box()["width"] < PHONE["width"]


def test_the_pdf_is_tagged_and_accessible(made):
    """Every point of the accessible PDF on the real guide (tests/helpers/pdf_checks.py), and pdfua."""
    lang, out, _ = made
    text = steps.guide_text(lang)
    headings = [
        text["title"],
        text["before_title"],
        *(step.heading(lang) for step in steps.procedure()),
        text["after_title"],
    ]
    assert accessibility_problems(out / "vejledning.pdf", lang, text["title"], headings) == []
    assert pdfua_errors(out / "vejledning.pdf") == (0, [])


MAX_PDF_BYTES = 1_500_000
MAX_HTML_BYTES = 1_000_000


def test_the_documents_are_light(made):
    """PDF at most 1.5 MB, the self-contained HTML at most 1 MB (each edition)."""
    _, out, _ = made
    sizes = {kind: (out / f"vejledning.{kind}").stat().st_size for kind in ("pdf", "html")}
    print(f"\nsizes: {sizes}")
    assert sizes["pdf"] <= MAX_PDF_BYTES and sizes["html"] <= MAX_HTML_BYTES, sizes


def test_the_html_passes_the_nu_html_checker(made):
    """No error and no warning of the W3C's Nu HTML checker (vnu-jar, pinned)."""
    _, out, _ = made
    assert vnu_messages(out / "vejledning.html") == []
