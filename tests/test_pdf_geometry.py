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


def overprinted_by_pairs(chars, tolerance=1.0):
    """The definition, pair by pair: a char with an earlier kept twin (same glyph, font and size
    within `tolerance` points both ways) is a duplicate; duplicates are no one's twin."""
    kept, duplicates = [], set()
    for c in chars:
        if any((o["text"], o["fontname"], round(o["size"], 1)) == (c["text"], c["fontname"], round(c["size"], 1))
               and abs(o["x0"] - c["x0"]) <= tolerance and abs(o["top"] - c["top"]) <= tolerance for o in kept):
            duplicates.add(id(c))
        else:
            kept.append(c)
    return duplicates


def test_overprinted_twins_across_grid_lines_and_chains():
    chars = [char("年", 9.9, 19.95), char("年", 10.6, 20.9),     # other band and column, within 1 pt: a twin
             char("度", 30, 30), char("度", 30.9, 30), char("度", 31.8, 30)]   # the third is 1.8 from the kept one
    assert overprinted(chars) == {id(chars[1]), id(chars[3])}


def test_overprinted_matches_the_pairwise_definition():
    import random

    chance = random.Random(7)
    chars = [char(chance.choice("計画年度"), chance.uniform(0, 40), chance.uniform(0, 12), chance.choice(("F1", "F2")),
                  chance.choice((10.0, 10.04, 12.0))) for _ in range(600)]
    expected = overprinted_by_pairs(chars)
    assert 50 < len(expected) < 550          # the sample holds both duplicates and kept chars
    assert overprinted(chars) == expected
