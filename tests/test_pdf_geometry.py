"""Pure functions over PDF geometry."""
from __future__ import annotations

from keikaku.extract.ir import Line
from keikaku.extract.pdf import join_vertical, join_vertical_lines, overprinted


def char(text, x0, top, font="F1", size=10.0):
    return {"text": text, "x0": x0, "top": top, "fontname": font, "size": size, "object_type": "char"}


def test_overprinted_bold_is_found_once_per_extra_copy():
    chars = [char("計", 10, 10), char("画", 20, 10), char("計", 10.4, 10.3), char("画", 20.2, 9.8),
             char("計", 10.1, 10.1)]
    assert overprinted(chars) == {id(chars[2]), id(chars[3]), id(chars[4])}


def test_overprinted_keeps_neighbours_and_other_fonts():
    chars = [char("1", 10, 10), char("1", 15, 10), char("1", 10, 10, font="F2"), char("1", 10, 10, size=12)]
    assert overprinted(chars) == set()


def test_vertical_cell_text_is_joined():
    assert join_vertical("基\n本\n方\n針") == "基本方針"
    assert join_vertical("市税\n収納率") == "市税\n収納率"


def test_vertical_lines_are_joined():
    lines = [Line("基", 1, (10, 10, 20, 20)), Line("本", 1, (10, 21, 20, 31)), Line("方針", 1, (40, 10, 60, 20))]
    assert [line.text for line in join_vertical_lines(lines)] == ["基本", "方針"]
