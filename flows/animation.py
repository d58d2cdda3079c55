"""The animated walkthrough: captioned screenshots of Trin 1-5 as WebP, GIF and MP4.

Each frame is a screenshot scaled to ``WIDTH`` with a caption band below it (*Trin N* in bold,
then the scene's caption, wrapped) and a progress bar, held for its ``seconds`` so it can be
read. All frames share one size. MP4 is written only when ``imageio_ffmpeg`` (an ffmpeg from
PyPI) is importable; otherwise it is skipped and the return value says so.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from flows.overlay import MARK_COLOUR

WIDTH = 960
DEFAULT_SECONDS = 4.0  # long enough to read a caption of two lines
FORMATS = ("webp", "gif", "mp4")
MP4_FPS = 2  # frames are stills: half-second timing needs very few video frames

BAND = (0, 40, 85)  # the dark blue of the guide's headings and the demo's caption box
TITLE_COLOUR = (255, 255, 255)
TEXT_COLOUR = (225, 233, 242)
PROGRESS_DONE = (255, 255, 255)
PROGRESS_TODO = (58, 88, 125)
PADDING = 22
TITLE_SIZE = 26
TEXT_SIZE = 20
LINE_GAP = 6
PROGRESS_HEIGHT = 4
SEPARATOR = MARK_COLOUR  # a red rule, as the target frames, between screenshot and caption
SEPARATOR_HEIGHT = 3

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")
REGULAR_FONTS = ("LiberationSans-Regular.ttf", "DejaVuSans.ttf", "Arial.ttf", "arial.ttf")
BOLD_FONTS = ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf")


@dataclass(frozen=True)
class Frame:
    """One scene of the walkthrough: its screenshot, *Trin N*, its caption, its time on screen."""

    image: Path
    title: str
    caption: str
    seconds: float = DEFAULT_SECONDS


class Walkthrough(dict):
    """format -> written file, plus ``skipped``: format -> why it was not written."""

    def __init__(self, files: dict[str, Path], skipped: dict[str, str]):
        super().__init__(files)
        self.skipped = skipped


@cache
def _find_font(names: tuple[str, ...]) -> str | None:
    for folder in FONT_DIRS:
        root = Path(folder)
        if not root.is_dir():
            continue
        for name in names:
            found = next(root.rglob(name), None)
            if found:
                return str(found)
    return None


@cache
def fonts() -> tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont]:
    """(title font, text font): Liberation Sans or DejaVu Sans when installed, else Pillow's."""
    bold, regular = _find_font(BOLD_FONTS), _find_font(REGULAR_FONTS)
    title = ImageFont.truetype(bold or regular, TITLE_SIZE) if (bold or regular) else ImageFont.load_default(TITLE_SIZE)
    text = ImageFont.truetype(regular, TEXT_SIZE) if regular else ImageFont.load_default(TEXT_SIZE)
    return title, text


def wrap(text: str, font, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` pixels (a too-long word stands alone)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _line_height(font) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent


def band_height(frames: list[Frame], width: int = WIDTH) -> int:
    """The caption band's height: room for the longest caption, so every frame has one size."""
    title_font, text_font = fonts()
    most = max(len(wrap(frame.caption, text_font, width - 2 * PADDING)) for frame in frames)
    return (PADDING + _line_height(title_font) + LINE_GAP + most * (_line_height(text_font) + LINE_GAP)
            + PADDING + PROGRESS_HEIGHT)


def scaled_height(frames: list[Frame], width: int = WIDTH) -> int:
    """The height of the screenshots once scaled to ``width`` (the tallest, if they differ)."""
    tallest = 0
    for frame in frames:
        with Image.open(frame.image) as image:
            tallest = max(tallest, round(image.height * width / image.width))
    return tallest


def compose(frame: Frame, index: int, count: int, width: int, shot_height: int, band: int) -> Image.Image:
    """One captioned frame: the scaled screenshot on top, the caption band below."""
    title_font, text_font = fonts()
    canvas = Image.new("RGB", (width, shot_height + band), BAND)
    with Image.open(frame.image) as image:
        shot = image.convert("RGB")
        shot = shot.resize((width, round(shot.height * width / shot.width)), Image.Resampling.LANCZOS,
                            reducing_gap=3.0)
    canvas.paste(Image.new("RGB", (width, shot_height), "white"), (0, 0))
    canvas.paste(shot, (0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, shot_height, width, shot_height + SEPARATOR_HEIGHT - 1), fill=SEPARATOR)
    y = shot_height + PADDING
    draw.text((PADDING, y), frame.title, font=title_font, fill=TITLE_COLOUR)
    y += _line_height(title_font) + LINE_GAP
    for line in wrap(frame.caption, text_font, width - 2 * PADDING):
        draw.text((PADDING, y), line, font=text_font, fill=TEXT_COLOUR)
        y += _line_height(text_font) + LINE_GAP
    # Progress: which of the scenes this is, without any words.
    top = canvas.height - PROGRESS_HEIGHT
    draw.rectangle((0, top, width, canvas.height), fill=PROGRESS_TODO)
    draw.rectangle((0, top, round(width * (index + 1) / count) - 1, canvas.height), fill=PROGRESS_DONE)
    return canvas


def render_frames(frames: list[Frame], width: int = WIDTH) -> list[Image.Image]:
    """Every frame composed at one size (height rounded up to a multiple of 16 for video)."""
    if not frames:
        raise ValueError("a walkthrough needs at least one frame")
    shot_height = scaled_height(frames, width)
    band = band_height(frames, width)
    band += -(shot_height + band) % 16
    return [compose(frame, i, len(frames), width, shot_height, band) for i, frame in enumerate(frames)]


def _milliseconds(frames: list[Frame]) -> list[int]:
    return [max(int(round(frame.seconds * 1000)), 20) for frame in frames]


def write_webp(images: list[Image.Image], durations: list[int], target: Path) -> None:
    # Lossless keeps screenshot text crisp and, on flat UI colours, is smaller than lossy.
    images[0].save(target, save_all=True, append_images=images[1:], duration=durations, loop=0,
                   lossless=True, quality=60, method=4)


def write_gif(images: list[Image.Image], durations: list[int], target: Path) -> None:
    # One adaptive palette per frame, no dithering: UI colours are flat and dither only adds bytes.
    paletted = [image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
                for image in images]
    paletted[0].save(target, save_all=True, append_images=paletted[1:], duration=durations, loop=0,
                     optimize=True, disposal=1)


def _ffmpeg() -> str | None:
    """The ffmpeg bundled with ``imageio-ffmpeg``, or None when it is not installed."""
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        return None


def write_mp4(images: list[Image.Image], seconds: list[float], target: Path) -> None:
    import imageio_ffmpeg

    width, height = images[0].size
    writer = imageio_ffmpeg.write_frames(
        str(target), (width, height), fps=MP4_FPS, codec="libx264", quality=8, macro_block_size=16,
        output_params=["-preset", "veryfast", "-tune", "stillimage", "-movflags", "+faststart"], ffmpeg_log_level="error",
    )
    writer.send(None)  # start ffmpeg
    try:
        for image, hold in zip(images, seconds):
            data = image.tobytes()
            for _ in range(max(1, math.ceil(hold * MP4_FPS - 1e-9))):
                writer.send(data)
    finally:
        writer.close()


def build_walkthrough(frames: list[Frame], out_dir: Path, basename: str = "walkthrough",
                      formats=("webp", "gif", "mp4")) -> Walkthrough:
    """Write ``<basename>.webp``/``.gif``/``.mp4`` into ``out_dir``; return format -> file.

    MP4 needs ``imageio-ffmpeg``; without it MP4 is left out and ``result.skipped['mp4']`` says
    why. The return value is a dict of the files written.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    images = render_frames(list(frames))
    durations = _milliseconds(frames)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    skipped: dict[str, str] = {}
    if "webp" in formats:
        files["webp"] = out_dir / f"{basename}.webp"
        write_webp(images, durations, files["webp"])
    if "gif" in formats:
        files["gif"] = out_dir / f"{basename}.gif"
        write_gif(images, durations, files["gif"])
    if "mp4" in formats:
        if _ffmpeg() is None:
            skipped["mp4"] = "imageio-ffmpeg is not installed (pip install imageio-ffmpeg)"
        else:
            files["mp4"] = out_dir / f"{basename}.mp4"
            write_mp4(images, [frame.seconds for frame in frames], files["mp4"])
    return Walkthrough(files, skipped)
