"""The documents' copies of the shots: each channel rounded to 6 bits, as lossless WebP for the
HTML and as placeholders the PDF gets its PNGs swapped in for (``flows.guide.pdfdoc``).

The shots themselves, which --check compares, stay as they were taken; the copies are encoded
in a pool of threads while the next scene is shot (docs/decisions/0009-document-image-copies.md).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image

from flows.guide import pdfdoc

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


def data_uri(path: Path) -> str:
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
