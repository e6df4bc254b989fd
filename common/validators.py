"""Validators for Chinese identifiers, wrapped around python-stdnum, with Chinese messages."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric, uscc

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_id_number(value: str) -> str:
    return ric.compact(value or "").upper()


def validate_id_number(value: str) -> None:
    """居民身份证号码 (GB 11643): 18 characters, a real birth date and a correct check character."""
    try:
        ric.validate(value)
    except stdnum_exceptions.InvalidLength as exc:
        raise ValidationError(_("身份证号码应为18位。"), code="id_length") from exc
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(_("身份证号码校验位不正确，请核对。"), code="id_checksum") from exc
    except stdnum_exceptions.InvalidComponent as exc:
        raise ValidationError(
            _("身份证号码中的出生日期或地区码无效。"), code="id_component"
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(_("身份证号码格式不正确。"), code="id_format") from exc


def normalise_credit_code(value: str) -> str:
    return uscc.compact(value or "").upper()


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 (GB 32100): 18 characters and a correct check character."""
    try:
        uscc.validate(value)
    except stdnum_exceptions.InvalidLength as exc:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="uscc_length") from exc
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对。"), code="uscc_checksum"
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(_("统一社会信用代码格式不正确。"), code="uscc_format") from exc


def normalise_mobile(value: str) -> str:
    digits = re.sub(r"[\s\-]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mobile(value: str) -> None:
    """Mainland mobile number: 11 digits starting 13–19 (a +86 prefix is accepted)."""
    if not MOBILE_RE.match(normalise_mobile(value)):
        raise ValidationError(_("请输入11位中国大陆手机号码。"), code="mobile")


class CharacterClassPasswordValidator:
    """Strong passwords: at least three of lower case, upper case, digits and symbols."""

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少三类。"),
                code="password_character_classes",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类。")
