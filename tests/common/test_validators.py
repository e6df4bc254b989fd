"""Validators against real valid and invalid numbers (GB 11643, GB 32100, mobile)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import ric, uscc

from common.validators import (
    CharacterClassPasswordValidator,
    normalise_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
    validate_yuan_text,
)


def _check_char(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def test_check_character_helper_agrees_with_standard_example():
    assert _check_char("11010519491231002") == "X"


@pytest.mark.parametrize(
    "value", ["11010519491231002X", "15030219850615302X", "150303199001011238"]
)
def test_valid_id_numbers_pass(value):
    validate_id_number(value)


def test_inner_mongolia_id_with_computed_check_passes():
    first17 = "15030219900101123"
    validate_id_number(first17 + _check_char(first17))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "id_checksum"),  # wrong check character
        ("1101051949123100", "id_length"),  # too short
        ("15030219850615302Y", "id_checksum"),  # not a check character
    ],
)
def test_invalid_id_numbers_are_refused_with_chinese_message(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number(value)
    assert excinfo.value.code == code
    assert "身份证" in excinfo.value.messages[0]


def test_impossible_birth_date_is_refused_even_with_a_correct_check_character():
    first17 = "11010519491331002"  # month 13
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number(first17 + _check_char(first17))
    assert excinfo.value.code == "id_birth_date"


def _id(area: str, born: date, sequence: str = "002") -> str:
    first17 = f"{area}{born:%Y%m%d}{sequence}"
    return first17 + _check_char(first17)


def test_district_created_after_the_birth_year_is_accepted():
    # 海勃湾区 (150302) was created in 1976; a woman born there in 1952 got her number in 1984
    # with that code. stdnum's cn.ric refuses it (area code unknown in 1952).
    assert not ric.is_valid("150302195206150026")
    validate_id_number("150302195206150026")


@pytest.mark.parametrize(
    "born",
    [
        date(1931, 3, 8),
        date(1938, 12, 31),
        date(1952, 6, 15),
        date(1984, 2, 29),  # leap year
        date(2000, 2, 29),  # leap year (divisible by 400)
        date(2021, 7, 1),
        date(2024, 2, 29),
    ],
)
def test_old_and_young_people_are_accepted(born):
    validate_id_number(_id("150302", born))
    validate_id_number(_id("110105", born))


def test_a_baby_born_this_year_is_accepted():
    today = timezone.localdate()
    validate_id_number(_id("150303", today))
    validate_id_number(_id("150303", date(today.year, 1, 1)))


def test_lowercase_x_is_accepted():
    value = _id("110105", date(1949, 12, 31), "002")
    assert value.endswith("X")
    validate_id_number(value.lower())


@pytest.mark.parametrize(
    ("first17", "code"),
    [
        ("15030219830229002", "id_birth_date"),  # 1983 is not a leap year
        ("15030219000229002", "id_birth_date"),  # 1900 is not a leap year
        ("15030220990615002", "id_birth_future"),
        ("15030218790615002", "id_birth_past"),
        ("00030219520615002", "id_province"),
        ("99030219520615002", "id_province"),
        ("20030219520615002", "id_province"),
        ("84000019520615002", "id_province"),
    ],
)
def test_impossible_dates_and_provinces_are_refused(first17, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number(first17 + _check_char(first17))
    assert excinfo.value.code == code


def test_tomorrow_is_in_the_future():
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number(_id("150303", timezone.localdate() + timedelta(days=1)))
    assert excinfo.value.code == "id_birth_future"


@pytest.mark.parametrize("province", ["71", "81", "82", "83", "46", "65"])
def test_taiwan_hong_kong_macao_and_other_provinces_are_known(province):
    validate_id_number(_id(f"{province}0000", date(1970, 5, 1)))


def test_bad_checksums_are_refused():
    good = _id("150302", date(1952, 6, 15), "003")
    for wrong in "0123456789X":
        if wrong != good[-1]:
            with pytest.raises(ValidationError) as excinfo:
                validate_id_number(good[:17] + wrong)
            assert excinfo.value.code == "id_checksum"


def test_letters_inside_the_number_are_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number("1503021952061500A6")
    assert excinfo.value.code == "id_format"


@pytest.mark.parametrize(
    "value",
    ["91110000802100433B", "91350100M000100Y43", "12100000400000624D"],
)
def test_valid_credit_codes_pass(value):
    validate_credit_code(value)


def _uscc(first17: str) -> str:
    """The check character by GB 32100 / GB/T 17710 written out: weights 3^i mod 31."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return first17 + alphabet[(31 - total % 31) % 31]


def test_check_character_helper_agrees_with_stdnum():
    for first17 in ("91110000802100433", "12100000400000624", "91350100M000100Y4"):
        assert _uscc(first17)[-1] == uscc.calc_check_digit(first17)


@pytest.mark.parametrize(
    "first17",
    [
        "N2150302MF0123456",  # 村级集体经济组织 (农业), 海勃湾区
        "N1150302MF0123457",  # 组级集体经济组织
        "N3150303MF0000011",  # 乡镇级集体经济组织
        "Y1150300MB1234567",  # 其他
        "A1100000MB0012345",  # 军队事业单位
        "91150302MA0N1R2B3",  # 企业
        "92150302MA0N1R2B4",  # 个体工商户
        "12150300011234567",  # 事业单位
        "51150300MJ0012345",  # 社会团体
        "31150000MD0012345",  # 律师事务所
    ],
)
def test_every_registration_authority_of_the_standard_is_accepted(first17):
    validate_credit_code(_uscc(first17))
    validate_credit_code(_uscc(first17).lower())


def test_stdnum_refuses_letter_authorities_that_the_standard_allows():
    assert not uscc.is_valid(_uscc("N2150302MF0123456"))


@pytest.mark.parametrize(
    ("first17", "code"),
    [
        ("B1150302MF0123456", "uscc_category"),  # no authority B
        ("Y2150302MF0123456", "uscc_category"),  # 其他 has only category 1
        ("94150302MA0N1R2B3", "uscc_category"),  # 工商 has no category 4
        ("N215030AMF0123456", "uscc_format"),  # region code must be digits
        ("N2150302MF012345I", "uscc_format"),  # I is not in the alphabet
    ],
)
def test_codes_outside_the_standard_are_refused(first17, code):
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    value = first17 + (alphabet[0] if code == "uscc_format" else _uscc(first17)[-1])
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(value)
    assert excinfo.value.code == code


def test_wrong_check_character_of_a_letter_code_is_refused():
    good = _uscc("N2150302MF0123456")
    wrong = "1" if good[-1] != "1" else "2"
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(good[:17] + wrong)
    assert excinfo.value.code == "uscc_checksum"


@pytest.mark.parametrize(
    ("value", "code"),
    [("91110000802100433C", "uscc_checksum"), ("9111000080210043", "uscc_length")],
)
def test_invalid_credit_codes_are_refused(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(value)
    assert excinfo.value.code == code
    assert "统一社会信用代码" in excinfo.value.messages[0]


@pytest.mark.parametrize("value", ["15012345678", "+86 150 1234 5678", "19912345678"])
def test_valid_mobiles_pass(value):
    validate_mobile(value)


@pytest.mark.parametrize("value", ["12012345678", "1501234567", "0471-1234567", ""])
def test_invalid_mobiles_are_refused(value):
    with pytest.raises(ValidationError, match="手机号码"):
        validate_mobile(value)


def test_mobile_normalisation_strips_country_code():
    assert normalise_mobile("+86 150-1234-5678") == "15012345678"


def test_password_needs_three_character_classes():
    validator = CharacterClassPasswordValidator()
    with pytest.raises(ValidationError):
        validator.validate("alllowercase123")
    validator.validate("Mixed#Case2026")


@pytest.mark.parametrize("value", ["1234.56", "0.01", " 30000 ", "999999999999.99", "-1.00"])
def test_plain_yuan_text_passes(value):
    validate_yuan_text(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1e3", "not_plain"),
        ("NaN", "not_plain"),
        ("Infinity", "not_plain"),
        ("１０００", "not_plain"),
        ("1,000.00", "not_plain"),
        ("", "not_plain"),
        ("1000000000000", "max_whole_digits"),
    ],
)
def test_other_money_texts_are_refused(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_yuan_text(value)
    assert exc.value.code == code


def test_the_api_money_field_uses_the_same_check():
    from rest_framework.exceptions import ValidationError as DRFValidationError

    from common.api import MoneyField

    with pytest.raises(DRFValidationError, match="科学计数法"):
        MoneyField().run_validation("1e3")
    with pytest.raises(DRFValidationError, match="12 位"):
        MoneyField().run_validation("1000000000000")
