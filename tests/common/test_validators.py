"""Validators against real valid and invalid numbers (GB 11643, GB 32100, mobile)."""

import pytest
from django.core.exceptions import ValidationError

from common.validators import (
    CharacterClassPasswordValidator,
    normalise_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
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
    assert excinfo.value.code == "id_component"


@pytest.mark.parametrize(
    "value",
    ["91110000802100433B", "91350100M000100Y43", "12100000400000624D"],
)
def test_valid_credit_codes_pass(value):
    validate_credit_code(value)


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
