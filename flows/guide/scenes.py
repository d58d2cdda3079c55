"""One scene as the templates show it: its caption and badge key, the full shot, its details
and the alt texts of each, and where each goes in print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.core import steps
from flows.guide import detail

# In print a scene's full shot takes this share of the column (it shows where), and its details
# this share of their screen size (they show what: framed labels stay >= 9 pt on A4). A detail
# that fits beside the full shot goes there.
PRINT_SHOT_PCT = 36
PRINT_DETAIL_SCALE = 0.82
PRINT_DETAIL_MAX_PCT = 85  # and at most this share of the column (all of it when it is the scene's only picture)
PRINT_GAP_PCT = 2


def scene_context(
    scene: steps.ActedScene,
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
    sizes = sizes or {}
    caption = scene.caption[lang]
    shows = (scene.shows or {}).get(lang, "").format(**example) or caption
    marks = [mark.format(**example) for mark in (scene.marks or {}).get(lang, [])]
    numbered = [f"{number} {mark}" for number, mark in enumerate(marks, start=1)]
    width, height = sizes.get(scene.id, (0, 0))
    details = _details(scene, lang, image_src, sizes, device_scale, marks, shows, width)
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


def _detail_keys(scene: steps.ActedScene, image_src: dict[str, str]) -> list[str]:
    """The scene's details, in order: ``<scene>.detail-1``, ``-2``, ... as far as they exist."""
    keys = []
    for number in range(1, len(image_src) + 1):
        key = detail.detail_path(Path(f"{scene.id}.png"), number).stem
        if key not in image_src:
            break
        keys.append(key)
    return keys


def _details(scene, lang, image_src, sizes, device_scale, marks, shows, width) -> list[dict[str, Any]]:
    """Each detail of ``scene``: its picture, alt text, size, and whether it goes beside the full
    shot in print (in order only: the details read 1, 2, ... as their badges do)."""
    keys = _detail_keys(scene, image_src)
    numbered = [f"{number} {mark}" for number, mark in enumerate(marks, start=1)]
    # Which marks a detail shows: all in one detail, or one each (flows.guide.detail.plan groups them in order).
    named = numbered if len(marks) > 1 else marks  # a lone mark has no badge
    shown_in = [named] * len(keys) if len(keys) != len(named) else [[mark] for mark in named]
    room = 100 - PRINT_SHOT_PCT - PRINT_GAP_PCT if scene.full else 0  # beside the full shot, in print
    word = steps.guide_text(lang)["detail"]
    details = []
    for number, (key, its_marks) in enumerate(zip(keys, shown_in, strict=True), start=1):
        detail_width, detail_height = sizes.get(key, (0, 0))
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
        room = room - printed - PRINT_GAP_PCT if beside else 0
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
    return details
