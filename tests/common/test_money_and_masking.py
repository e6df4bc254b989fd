from decimal import Decimal

import pytest

from common.masking import mask_id_number, mask_name, mask_phone
from common.money import amount_in_capitals, format_yuan, to_yuan


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("12000", "壹万贰仟元整"),
        ("95874.11", "玖万伍仟捌佰柒拾肆元壹角壹分"),
        ("51770", "伍万壹仟柒佰柒拾元整"),
        ("278300.00", "贰拾柒万捌仟叁佰元整"),
        ("0.50", "伍角"),
        ("1005.07", "壹仟零伍元零柒分"),
        ("100000", "壹拾万元整"),
    ],
)
def test_amount_in_capitals_matches_hand_written_examples(amount, capitals):
    assert amount_in_capitals(Decimal(amount)) == capitals


def test_money_is_decimal_with_two_places_and_refuses_floats():
    assert to_yuan("31232") == Decimal("31232.00")
    assert to_yuan("0.005") == Decimal("0.01")
    with pytest.raises(TypeError):
        to_yuan(0.1)
    with pytest.raises(ValueError, match="amount"):
        to_yuan("abc")


def test_format_yuan():
    assert format_yuan(Decimal("5504200")) == "¥5,504,200.00"
    assert format_yuan("-12.5") == "-¥12.50"


def test_masking_shows_first_three_and_last_four():
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_phone("15012341234") == "150****1234"
    assert mask_name("胡某某") == "胡**"
    assert mask_name("欧阳小明") == "欧阳**"
    assert mask_id_number("") == ""


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("12345.60", "壹万贰仟叁佰肆拾伍元陆角整"),
        ("0.50", "伍角整"),
        ("12000", "壹万贰仟元整"),
        ("95874.11", "玖万伍仟捌佰柒拾肆元壹角壹分"),
    ],
)
def test_amount_in_capitals_for_documents_closes_jiao_with_zheng(amount, capitals):
    assert amount_in_capitals(Decimal(amount), zheng_after_jiao=True) == capitals
