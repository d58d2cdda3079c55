"""Finish Chromium's tagged PDF as an accessible document (PDF/UA-1, WCAG 2.1 AA, EN 301 549 clause 10).

Chromium's ``page.pdf(tagged=True, outline=True)`` writes the structure tree (headings,
lists, links, figures with the ``<img alt>``) and bookmarks from the headings. ``finish``
adds what a browser cannot know or does not write, with pikepdf:

- the document's language, title display, metadata (Info and XMP, with the PDF/UA
  identification) naming the publisher and this tool instead of Chromium's user-agent;
- artifacts: content Chromium left out of the structure tree (the running footer with the page
  numbers, decorative marks hidden from assistive technology) is marked as such;
- a description on every link annotation, bookmarks spelled as the headings are, and no
  ``Figure`` without alt text (a ``<figure>`` around images and a caption is a group, ``Div``).

The result depends only on its inputs: the same PDF and ``Document`` give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import pikepdf
from pikepdf import Name

from flows import tool

# The comment that marks a placeholder image (see ``flows.guide.render.Copies``), followed by its key.
PLACEHOLDER = "sesag-picture:"

# Operators that put marks on the page; state operators (q, cm, colours) may stay unmarked.
_PAINTING = {"Tj", "TJ", "'", '"', "Do", "sh", "BI", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s"}


@dataclass
class Document:
    """What the PDF says about itself."""

    title: str
    lang: str  # BCP 47: da, en
    author: str
    subject: str
    created: datetime
    headings: list[str] = field(default_factory=list)  # as written (the bookmarks' spelling)
    link_names: dict[str, str] = field(default_factory=dict)  # named destination -> what a link to it says


def finish(path: Path, document: Document, pictures: dict[str, bytes] | None = None) -> None:
    """Rewrite the tagged PDF at ``path`` in place as an accessible document (see the module).

    ``pictures``: placeholder key -> the RGB pixels (8 bits a channel) as a Flate stream, which
    replace each placeholder JPEG marked with that key.
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        _replace_placeholders(pdf, pictures or {})
        root = pdf.Root
        root.Lang = pikepdf.String(document.lang)
        root.MarkInfo = pikepdf.Dictionary(Type=Name.MarkInfo, Marked=True)
        root.ViewerPreferences = pikepdf.Dictionary(Type=Name.ViewerPreferences, DisplayDocTitle=True)
        root.PageMode = Name.UseOutlines  # the bookmarks open beside the first page
        if "/StructTreeRoot" in root:
            _group_figures(root.StructTreeRoot)
        for page in pdf.pages:
            _mark_artifacts(pdf, page)
            _describe_links(page, document.link_names)
        _spell_bookmarks(pdf, document.headings)
        _write_metadata(pdf, document)
        pdf.save(
            path,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            min_version="1.7",  # PDF/UA-1 is based on PDF 1.7
        )


def _jpeg_comment(data: bytes) -> bytes | None:
    """The first comment (COM) segment of a JPEG before its image data, or None."""
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker, length = data[position + 1], int.from_bytes(data[position + 2 : position + 4], "big")
        if marker == 0xFE:
            return data[position + 4 : position + 2 + length]
        if marker == 0xDA:  # start of scan: no more headers
            return None
        position += 2 + length
    return None


def _replace_placeholders(pdf: pikepdf.Pdf, pictures: dict[str, bytes]) -> None:
    """Put each picture where its placeholder JPEG is; every placeholder must find its picture."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != Name.Image:
            continue
        if obj.get("/Filter") != Name.DCTDecode:
            continue
        comment = _jpeg_comment(obj.read_raw_bytes())
        if not comment or not comment.startswith(PLACEHOLDER.encode("ascii")):
            continue
        key = comment.decode("ascii")
        if key not in pictures:
            raise RuntimeError(f"the PDF holds a placeholder for a picture it was not given ({key})")
        obj.write(pictures[key], filter=Name.FlateDecode)
        obj.ColorSpace = Name.DeviceRGB
        obj.BitsPerComponent = 8
        for key_name in ("/DecodeParms", "/Decode"):
            if key_name in obj:
                del obj[key_name]


def _group_figures(tree: pikepdf.Dictionary) -> None:
    """A Figure that holds other structure elements (images and a caption) becomes a Div.

    PDF/UA asks alt text of every Figure, and an alt text replaces everything below it:
    on the group it would hide the caption and the images' own alt texts.
    """
    stack = [tree]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        elements = [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
        if node.get("/S") == Name.Figure and elements:
            node.S = Name.Div
        stack.extend(elements)


def _mark_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Wrap what the page paints outside any marked-content sequence as /Artifact.

    Chromium tags all content that is in the accessibility tree; what is left is its header
    and footer templates (painted last: the page's running footer and number, a
    /Pagination artifact) and elements hidden from assistive technology.
    """
    operations = pikepdf.parse_content_stream(page)
    runs = []  # (first, last) operation index of each unmarked stretch that paints
    depth, text_from, first, last = 0, None, None, None
    for index, (_, operator) in enumerate(operations):
        name = str(operator)
        if name in ("BDC", "BMC"):
            if depth == 0 and first is not None:
                runs.append((first, last))
            depth += 1
            first = last = None
            continue
        if name == "EMC":
            depth -= 1
            continue
        if depth:
            continue
        if name == "BT":
            text_from = index
        elif name == "ET":
            if first is not None and text_from is not None and last >= text_from:
                last = index
            text_from = None
        elif name in _PAINTING:
            begin = text_from if text_from is not None else index
            first = begin if first is None else first
            last = index
    if first is not None:
        runs.append((first, last))
    if not runs:
        return
    footer = pikepdf.Dictionary(Type=Name.Pagination, Subtype=Name.Footer)
    opening = {begin: index for index, (begin, _) in enumerate(runs)}
    closing = {end for _, end in runs}
    rewritten = []
    for index, operation in enumerate(operations):
        if index in opening:
            if opening[index] == len(runs) - 1:
                rewritten.append(pikepdf.ContentStreamInstruction([Name.Artifact, footer], pikepdf.Operator("BDC")))
            else:
                rewritten.append(pikepdf.ContentStreamInstruction([Name.Artifact], pikepdf.Operator("BMC")))
        rewritten.append(operation)
        if index in closing:
            rewritten.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))


def _describe_links(page: pikepdf.Page, names: dict[str, str]) -> None:
    """Give each link annotation a description (/Contents): where it leads."""
    for annotation in page.obj.get("/Annots", []):
        if annotation.get("/Subtype") != Name.Link or "/Contents" in annotation:
            continue
        action = annotation.get("/A")
        if action is not None and action.get("/S") == Name.URI:
            description = str(action.URI)
        else:
            dest = annotation.get("/Dest")
            key = str(dest)[1:] if isinstance(dest, Name) else str(dest) if dest is not None else ""
            description = names.get(key, key)
        if description:
            annotation.Contents = pikepdf.String(description)


def _squashed(text: str) -> str:
    return "".join(text.split()).casefold()


def _spell_bookmarks(pdf: pikepdf.Pdf, headings: list[str]) -> None:
    """Bookmarks titled as their headings are written (Chromium drops line breaks' spaces and
    takes CSS upper case for the text)."""
    spelled = {_squashed(heading): heading for heading in headings}
    with pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop()
            item.title = spelled.get(_squashed(item.title), item.title)
            stack.extend(item.children)


def _pdf_date(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("D:%Y%m%d%H%M%S+00'00'")


def _write_metadata(pdf: pikepdf.Pdf, document: Document) -> None:
    """Info dictionary and XMP packet, with the same facts (PDF/UA 7.1 asks dc:title)."""
    producer = f"{tool()} (Chromium's Skia/PDF, finished with pikepdf)"
    info = pdf.docinfo
    for key in list(info.keys()):
        del info[key]
    info.Title = pikepdf.String(document.title)
    info.Author = pikepdf.String(document.author)
    info.Subject = pikepdf.String(document.subject)
    info.Creator = pikepdf.String(tool())
    info.Producer = pikepdf.String(producer)
    info.CreationDate = info.ModDate = pikepdf.String(_pdf_date(document.created))
    stamp = document.created.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
    lang = escape(document.lang)
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(document.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(document.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(document.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <xmp:CreatorTool>{escape(tool())}</xmp:CreatorTool>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    pdf.Root.Metadata = pdf.make_stream(xml.encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)
