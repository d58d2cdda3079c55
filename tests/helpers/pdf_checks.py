"""Checks of a guide PDF as a screen reader, a PDF viewer and an accessibility auditor see it.

``accessibility_problems`` opens the PDF with pikepdf and lists what is missing of the issue's
list (tagging, language, bookmarks, title display, XMP, Info, artifacts, links, alt texts).
The outside validators (pdfua, the Nu HTML checker) are in ``validators.py``.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pikepdf

PUBLISHER = "Arbejdsmarkedets Erhvervssikring"
_TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


def _struct_elements(root) -> list:
    """Every structure element below the structure tree root, in document order."""
    found = []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            walk(node.get("/K", pikepdf.Array()))

    walk(root.get("/K", pikepdf.Array()))
    return found


def _unmarked_text(page) -> int:
    """How many text-showing operators of ``page`` lie in no marked-content sequence."""
    depth = unmarked = 0
    for _, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
        elif name in _TEXT_SHOWING and depth == 0:
            unmarked += 1
    return unmarked


def without_artifacts(path: Path, target: Path) -> Path:
    """A copy of the PDF at ``path`` with every /Artifact marked-content sequence removed."""
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            kept, skipping = [], 0
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if skipping:
                    skipping += {"BDC": 1, "BMC": 1, "EMC": -1}.get(name, 0)
                    continue
                if name in ("BDC", "BMC") and operands and operands[0] == pikepdf.Name.Artifact:
                    skipping = 1
                    continue
                kept.append((operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        pdf.save(target)
    return target


def _destination(pdf, link) -> tuple[int, float] | None:
    """(page index, y) a GoTo link leads to, or None for other links."""
    dest = link.get("/Dest")
    if dest is None and "/A" in link and link.A.get("/S") == pikepdf.Name.GoTo:
        dest = link.A.D
    if dest is None:
        return None
    if isinstance(dest, pikepdf.Name | pikepdf.String):
        names = pdf.Root.get("/Dests")
        dest = names[str(dest)] if names is not None and str(dest) in names else None
        if dest is None:
            return None
    if isinstance(dest, pikepdf.Dictionary):
        dest = dest.D
    page_number = next(i for i, page in enumerate(pdf.pages) if page.obj.objgen == dest[0].objgen)
    return page_number, float(dest[3]) if len(dest) > 3 and dest[3] is not None else 0.0


def _xmp_text(xml: str, tag: str) -> list[str]:
    """The texts of an XMP property (a plain value, or the rdf:li items of its array)."""
    found = re.search(rf"<{tag}>(.*?)</{tag}>", xml, re.S)
    if not found:
        return []
    items = re.findall(r"<rdf:li[^>]*>(.*?)</rdf:li>", found.group(1), re.S)
    return items or [found.group(1).strip()]


def accessibility_problems(path: Path, lang: str, title: str, headings: list[str]) -> list[str]:
    """What the PDF at ``path`` lacks of a tagged, accessible guide in ``lang`` (empty: nothing)."""
    problems = []
    tool = f"sesag {version('sesag')}"
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        marked = root.get("/MarkInfo", {}).get("/Marked")
        if "/StructTreeRoot" not in root or not marked:
            return ["not tagged: no structure tree or /MarkInfo /Marked"]
        if str(root.get("/Lang", "")) != lang:
            problems.append(f"/Lang is {root.get('/Lang')!r}, not {lang!r}")
        if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
            problems.append("no /ViewerPreferences /DisplayDocTitle true")
        with pdf.open_outline() as outline:
            titles = []
            stack = list(outline.root)
            while stack:
                item = stack.pop(0)
                titles.append(item.title)
                stack = list(item.children) + stack
        missing = [heading for heading in headings if heading not in titles]
        if missing:
            problems.append(f"no bookmark for the headings {missing} (bookmarks: {titles})")
        info = pdf.docinfo
        if str(info.get("/Title", "")) != title:
            problems.append(f"Info Title is {info.get('/Title')!r}")
        if str(info.get("/Author", "")) != PUBLISHER:
            problems.append(f"Info Author is {info.get('/Author')!r}")
        if not str(info.get("/Subject", "")).strip():
            problems.append("no Info Subject")
        for key in ("/Creator", "/Producer"):
            value = str(info.get(key, ""))
            if tool not in value or re.search(r"Mozilla|Chrome|Skia/PDF m\d", value):
                problems.append(f"Info {key} is {value!r}: it should name {tool}")
        if "/Metadata" not in root:
            problems.append("no XMP metadata")
        else:
            xml = root.Metadata.read_bytes().decode("utf-8")
            if _xmp_text(xml, "dc:title") != [title]:
                problems.append(f"XMP dc:title is {_xmp_text(xml, 'dc:title')}")
            if _xmp_text(xml, "dc:creator") != [PUBLISHER]:
                problems.append(f"XMP dc:creator is {_xmp_text(xml, 'dc:creator')}")
            if _xmp_text(xml, "dc:language") != [lang]:
                problems.append(f"XMP dc:language is {_xmp_text(xml, 'dc:language')}")
            if _xmp_text(xml, "pdfuaid:part") != ["1"]:
                problems.append("XMP has no PDF/UA identification (pdfuaid:part 1)")
        elements = _struct_elements(root.StructTreeRoot)
        figures = [e for e in elements if str(e.S) == "/Figure"]
        bare = [e for e in figures if not str(e.get("/Alt", "")).strip()]
        if not figures or bare:
            problems.append(f"{len(bare)} of {len(figures)} figures without alt text")
        if lang != "da" and not any(str(e.get("/Lang", "")) == "da" for e in elements):
            problems.append("no element marked /Lang da (the portal's Danish labels)")
        for number, page in enumerate(pdf.pages, start=1):
            unmarked = _unmarked_text(page)
            if unmarked:
                problems.append(f"page {number}: {unmarked} text operators neither tagged nor artifacts")
            for link in page.obj.get("/Annots", []):
                if link.get("/Subtype") != pikepdf.Name.Link:
                    continue
                if not str(link.get("/Contents", "")).strip():
                    problems.append(f"page {number}: a link without /Contents")
                target = _destination(pdf, link)
                low, high = sorted(float(v) for v in (link.Rect[1], link.Rect[3]))
                if target and target[0] == number - 1 and low - 2 <= target[1] <= high + 40:
                    problems.append(f"page {number}: a link points at itself ({link.get('/Dest')})")
    return problems
