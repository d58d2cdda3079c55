"""The magnified details: which targets share one, how much is kept around them, the files."""

from PIL import Image

from flows import detail
from flows.detail import Box

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
