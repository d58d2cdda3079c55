"""The animated walkthrough: captioned screenshots of Trin 1-5 as WebP, GIF and MP4.

Each scene is a screenshot scaled to ``WIDTH`` with a caption band below it (*Trin N* in bold,
then the scene's caption, wrapped) and a progress bar. It is held still for its ``seconds``
(``reading_seconds``: as long as the caption takes to read), then the view zooms into the
scene's targets (for projectors and small screens), then a pointer moves to each target and
clicks it. All images share one size. MP4 is written only when ``imageio_ffmpeg`` (an ffmpeg
from PyPI) is importable; otherwise it is skipped and the return value says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from flows.core.overlay import MARK_COLOUR

WIDTH = 960
DEFAULT_SECONDS = 4.0  # long enough to read a caption of two lines
FORMATS = ("webp", "gif", "mp4")
MP4_FPS = 10  # the pointer moves in steps of a tenth of a second

READING_SPEED = 15.0  # characters a second: an adult reading a caption on a shared screen
MIN_SECONDS = 2.5  # even a short caption needs a moment to find and read
ZOOM = 2.0  # the zoomed view magnifies about this much (more when the targets are tiny)
ZOOM_SECONDS = 2.0
ZOOM_MARGIN = 40  # screenshot pixels kept around the targets in the zoomed view
MOVE_STEPS = 5  # images of the pointer moving to a target
MOVE_SECONDS = 0.5
CLICK_SECONDS = (0.2, 0.3)  # the click's ring, small then large
REST_SECONDS = 0.6  # the pointer resting on a target that is only shown, not clicked
POINTER_SCALE = 1.4  # larger than a real cursor: it must be seen from the back of a room
POINTER = ((0, 0), (0, 17), (4, 13), (7, 20), (10, 19), (7, 12), (12, 12))  # an arrow, tip at 0,0
CLICK_RADII = (9, 17)

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


Box = tuple[float, float, float, float]  # x, y, width, height in the screenshot's pixels


def reading_seconds(text: str, speed: float = READING_SPEED, minimum: float = MIN_SECONDS) -> float:
    """How long ``text`` takes to read at ``speed`` characters a second (at least ``minimum``)."""
    return max(minimum, len(" ".join(text.split())) / speed)


@dataclass(frozen=True)
class Frame:
    """One scene of the walkthrough: its screenshot, *Trin N*, its caption, its still time, and
    the targets (boxes in the screenshot) the pointer clicks, or only points at (``clicks``)."""

    image: Path
    title: str
    caption: str
    seconds: float = DEFAULT_SECONDS
    targets: tuple[Box, ...] = ()
    clicks: bool = True


class Walkthrough(dict):
    """format -> written file, plus ``skipped``: format -> why it was not written, and
    ``scene_seconds``: how long each scene is on screen (still, zoom and pointer)."""

    def __init__(self, files: dict[str, Path], skipped: dict[str, str], scene_seconds: list[float]):
        super().__init__(files)
        self.skipped = skipped
        self.scene_seconds = scene_seconds


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
    return (
        PADDING
        + _line_height(title_font)
        + LINE_GAP
        + most * (_line_height(text_font) + LINE_GAP)
        + PADDING
        + PROGRESS_HEIGHT
    )


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
        shot = shot.resize((width, round(shot.height * width / shot.width)), Image.Resampling.LANCZOS, reducing_gap=3.0)
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


def _layout(frames: list[Frame], width: int) -> tuple[int, int]:
    """(screenshot height, band height) shared by all images; the sum a multiple of 16 for video."""
    if not frames:
        raise ValueError("a walkthrough needs at least one frame")
    shot_height = scaled_height(frames, width)
    band = band_height(frames, width)
    return shot_height, band + -(shot_height + band) % 16


def render_frames(frames: list[Frame], width: int = WIDTH) -> list[Image.Image]:
    """Every scene's still, composed at one size."""
    shot_height, band = _layout(frames, width)
    return [compose(frame, i, len(frames), width, shot_height, band) for i, frame in enumerate(frames)]


def draw_pointer(image: Image.Image, tip: tuple[float, float], click_radius: int | None = None) -> Image.Image:
    """A copy of ``image`` with the pointer's tip at ``tip`` (and a click's ring around it)."""
    drawn = image.copy()
    draw = ImageDraw.Draw(drawn)
    x, y = tip
    if click_radius:
        draw.ellipse(
            (x - click_radius, y - click_radius, x + click_radius, y + click_radius), outline=SEPARATOR, width=3
        )
    arrow = [(x + dx * POINTER_SCALE, y + dy * POINTER_SCALE) for dx, dy in POINTER]
    draw.polygon(arrow, fill="white", outline="black", width=2)
    return drawn


def zoom_box(targets: tuple[Box, ...], size: tuple[int, int], zoom: float = ZOOM) -> tuple[int, int, int, int]:
    """The part of a screenshot of ``size`` that the zoomed view shows: the targets (with a
    margin) in the middle, 1/``zoom`` of the screenshot when they fit, the screenshot's shape."""
    width, height = size
    left = min(x for x, _, _, _ in targets) - ZOOM_MARGIN
    top = min(y for _, y, _, _ in targets) - ZOOM_MARGIN
    right = max(x + w for x, _, w, _ in targets) + ZOOM_MARGIN
    bottom = max(y + h for _, y, _, h in targets) + ZOOM_MARGIN
    scale = min(1.0, max(1 / zoom, (right - left) / width, (bottom - top) / height))
    crop_w, crop_h = width * scale, height * scale
    x = min(max((left + right - crop_w) / 2, 0), width - crop_w)
    y = min(max((top + bottom - crop_h) / 2, 0), height - crop_h)
    return round(x), round(y), round(x + crop_w), round(y + crop_h)


def _zoomed(still: Image.Image, frame: Frame, width: int, shot_height: int) -> Image.Image:
    """The still with its screenshot replaced by the magnified part around the targets."""
    with Image.open(frame.image) as image:
        shot = image.convert("RGB")
    # The part of the screenshot that the still shows (the still may cut a tall shot's bottom).
    visible = (shot.width, min(shot.height, round(shot_height * shot.width / width)))
    detail = shot.crop(zoom_box(frame.targets, visible)).resize((width, shot_height), Image.Resampling.LANCZOS)
    zoomed = still.copy()
    zoomed.paste(detail, (0, 0))
    return zoomed


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


def timeline(frames: list[Frame], width: int = WIDTH) -> tuple[list[Image.Image], list[int], list[float]]:
    """Every image of the walkthrough, its milliseconds, and each scene's seconds on screen.

    Per scene: the still for its ``seconds``; the zoom into its targets; the pointer moving to
    each target in turn and clicking it (or resting on it when the scene only shows it). The
    pointer starts each scene where the last one left it.
    """
    shot_height, band = _layout(frames, width)
    images: list[Image.Image] = []
    milliseconds: list[int] = []
    scene_seconds: list[float] = []
    pointer = (width / 2, shot_height / 2)

    def show(image: Image.Image, seconds: float) -> None:
        images.append(image)
        milliseconds.append(max(int(round(seconds * 1000)), 20))

    for index, frame in enumerate(frames):
        start = len(milliseconds)
        still = compose(frame, index, len(frames), width, shot_height, band)
        show(draw_pointer(still, pointer), frame.seconds)
        if frame.targets:
            show(_zoomed(still, frame, width, shot_height), ZOOM_SECONDS)
        with Image.open(frame.image) as image:
            scale = width / image.width
        for x, y, w, h in frame.targets:
            goal = (min((x + w / 2) * scale, width - 1), min((y + h / 2) * scale, shot_height - 1))
            for step in range(1, MOVE_STEPS + 1):
                t = _ease(step / MOVE_STEPS)
                tip = (pointer[0] + (goal[0] - pointer[0]) * t, pointer[1] + (goal[1] - pointer[1]) * t)
                show(draw_pointer(still, tip), MOVE_SECONDS / MOVE_STEPS)
            pointer = goal
            if frame.clicks:
                for radius, seconds in zip(CLICK_RADII, CLICK_SECONDS, strict=False):
                    show(draw_pointer(still, pointer, radius), seconds)
            else:
                show(draw_pointer(still, pointer), REST_SECONDS)
        scene_seconds.append(sum(milliseconds[start:]) / 1000)
    return images, milliseconds, scene_seconds


def write_webp(images: list[Image.Image], durations: list[int], target: Path) -> None:
    # Lossless keeps screenshot text crisp and, on flat UI colours, is smaller than lossy.
    images[0].save(
        target, save_all=True, append_images=images[1:], duration=durations, loop=0, lossless=True, quality=60, method=4
    )


def write_gif(images: list[Image.Image], durations: list[int], target: Path) -> None:
    # One adaptive palette per frame, no dithering: UI colours are flat and dither only adds bytes.
    paletted = [
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE) for image in images
    ]
    paletted[0].save(
        target, save_all=True, append_images=paletted[1:], duration=durations, loop=0, optimize=True, disposal=1
    )


def _ffmpeg() -> str | None:
    """The ffmpeg bundled with ``imageio-ffmpeg``, or None when it is not installed."""
    try:
        import imageio_ffmpeg  # optional (the mp4 extra): its absence only skips the MP4
    except ImportError:
        return None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        return None


def write_mp4(images: list[Image.Image], durations: list[int], target: Path) -> None:
    import imageio_ffmpeg  # optional: only called when _ffmpeg() found it

    width, height = images[0].size
    writer = imageio_ffmpeg.write_frames(
        str(target),
        (width, height),
        fps=MP4_FPS,
        codec="libx264",
        quality=8,
        macro_block_size=16,
        output_params=["-preset", "veryfast", "-tune", "stillimage", "-movflags", "+faststart"],
        ffmpeg_log_level="error",
    )
    writer.send(None)  # start ffmpeg
    try:
        for image, hold in zip(images, durations, strict=False):
            data = image.tobytes()
            for _ in range(max(1, round(hold * MP4_FPS / 1000))):
                writer.send(data)
    finally:
        writer.close()


def build_walkthrough(
    frames: list[Frame], out_dir: Path, basename: str = "walkthrough", formats=("webp", "gif", "mp4")
) -> Walkthrough:
    """Write ``<basename>.webp``/``.gif``/``.mp4`` into ``out_dir``; return format -> file.

    MP4 needs ``imageio-ffmpeg``; without it MP4 is left out and ``result.skipped['mp4']`` says
    why. The return value is a dict of the files written.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    images, durations, scene_seconds = timeline(list(frames))
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
            write_mp4(images, durations, files["mp4"])
    return Walkthrough(files, skipped, scene_seconds)
