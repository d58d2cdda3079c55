"""The magnified details: which targets share one, how much is kept around them, the files."""

from PIL import Image

from flows.guide import detail
from flows.guide.detail import Box

AREA = Box(0, 0, 980, 800)


def test_targets_close_together_share_one_detail_with_their_surroundings():
    search, pencil = Box(540, 320, 60, 30), Box(860, 440, 40, 36)
    crops = detail.plan([search, pencil], AREA)
    assert len(crops) == 1
    crop = crops[0]
    assert crop.contains(search) and crop.contains(pencil)
    assert crop.x <= search.x - detail.MARGIN_X and crop.right >= pencil.right + detail.MARGIN_X
    assert crop.width <= detail.MAX_WIDTH


def test_targets_far_apart_get_a_detail_each_in_order():
    tick, save = Box(300, 420, 22, 22), Box(480, 700, 160, 40)
    crops = detail.plan([tick, save], AREA)
    assert len(crops) == 2
    assert crops[0].contains(tick) and not crops[0].contains(save)
    assert crops[1].contains(save)


def test_a_small_target_keeps_some_width_and_crops_stay_inside_the_shot():
    corner = Box(960, 780, 16, 16)
    (crop,) = detail.plan([corner], AREA)
    assert crop.width == detail.MIN_WIDTH
    assert crop.right <= AREA.right and crop.bottom <= AREA.bottom and crop.contains(corner)


def test_a_target_wider_than_the_shot_is_cut_to_the_shot():
    (crop,) = detail.plan([Box(-10, 100, 1000, 40)], AREA)
    assert crop.x == 0 and crop.width == AREA.width


def test_details_are_cut_at_the_shots_pixel_scale_and_found_beside_it(tmp_path):
    shot = tmp_path / "trin-9-x.png"
    image = Image.new("RGB", (200, 100), "white")
    image.paste((255, 0, 0), (40, 20, 80, 40))  # CSS (20, 10)-(40, 20) at device scale 2
    image.save(shot)
    paths = detail.cut(shot, [Box(20, 10, 20, 10), Box(0, 0, 10, 10)], css_width=100)
    assert paths == [tmp_path / "trin-9-x.detail-1.png", tmp_path / "trin-9-x.detail-2.png"]
    assert detail.details_of(shot) == paths
    with Image.open(paths[0]) as first:
        assert first.size == (40, 20)
        assert first.getcolors() == [(800, (255, 0, 0))]
    assert detail.details_of(tmp_path / "other.png") == []


def crosses(crop: Box, text: Box) -> bool:
    """Whether ``text`` is cut by an edge of ``crop``: partly inside, partly outside."""
    overlaps = text.x < crop.right and crop.x < text.right and text.y < crop.bottom and crop.y < text.bottom
    return overlaps and not crop.contains(text)


def test_no_edge_of_a_detail_cuts_a_line_of_text():
    """The issue's "Tilfø", "TRYD", "dere": an edge that would cut a line moves to take it in
    whole (or, when that makes the detail too big, to leave it out)."""
    target = Box(300, 300, 100, 30)
    lines = [
        Box(150, 240, 200, 18),  # a heading above, starting left of where the crop would start
        Box(330, 340, 150, 18),  # a line below, mostly inside the margin and longer than it
        Box(40, 200, 700, 18),  # a line far wider than any detail: left out, not cut
        Box(250, 306, 40, 18),  # the target's own label, left of it
    ]
    (crop,) = detail.plan([target], AREA, texts=lines)
    assert crop.contains(target)
    assert [line for line in lines if crosses(crop, line)] == []
    assert crop.contains(lines[3]) and crop.contains(lines[1])


def test_a_detail_keeps_padding_around_the_text_it_takes_in():
    target = Box(300, 300, 100, 30)
    line = Box(330, 340, 150, 18)
    (crop,) = detail.plan([target], AREA, texts=[line])
    assert crop.contains(line)
    assert crop.right - line.right >= detail.PADDING and crop.bottom - line.bottom >= detail.PADDING


def test_a_detail_takes_in_the_context_its_target_needs():
    """The pencil's detail holds the employee's name on its row; the key field's, 'Nøgle nr.'."""
    pencil, name = Box(880, 560, 30, 30), Box(285, 565, 120, 20)
    search = Box(495, 405, 60, 30)
    crops = detail.plan([search, pencil], AREA, context=[[], [name]])
    holding = [crop for crop in crops if crop.contains(pencil)]
    assert holding and holding[0].contains(name)
    assert any(crop.contains(search) for crop in crops)


def test_a_badge_never_covers_text_of_its_target_or_a_neighbour():
    """The issue's "Bruger-id" with its first letter under badge 1: the badge goes where no text is."""
    from flows.core import overlay

    field = Box(520, 490, 470, 50)
    label = Box(520, 462, 60, 20)  # 'Nøgle' right above the field's top-left corner
    inside = Box(530, 500, 100, 30)  # the field's own text
    badge = overlay.place_badge(field, [label, inside], Box(0, 0, 1280, 900))
    assert badge.width == badge.height == overlay.MARKER_SIZE
    assert not any(overlay.overlaps(badge, text) for text in (label, inside))
    assert Box(0, 0, 1280, 900).contains(badge)
