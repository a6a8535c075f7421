"""Municipality -> prefecture from Japan Post's data; ambiguous names are never guessed."""
from __future__ import annotations

import pytest

from extract.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer()


@pytest.mark.parametrize("municipality,prefecture", [
    ("安曇野市", "長野県"), ("千曲市", "長野県"), ("南アルプス市", "山梨県"), ("富士市", "静岡県"),
    ("神戸市", "兵庫県"), ("神戸市中央区", "兵庫県"), ("小平市", "東京都"), ("大阪市", "大阪府"),
])
def test_known_municipalities(gazetteer, municipality, prefecture):
    assert gazetteer.prefecture_of(municipality) == prefecture


def test_ambiguous_name_needs_the_printed_prefecture(gazetteer):
    assert gazetteer.prefectures("府中市") == {"東京都", "広島県"}
    assert gazetteer.prefecture_of("府中市") is None
    assert gazetteer.prefecture_of("府中市", ["広島県"]) == "広島県"


def test_unknown_name(gazetteer):
    assert gazetteer.prefecture_of("架空町") is None and not gazetteer.knows("架空町")
