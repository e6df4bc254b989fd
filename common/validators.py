"""Validators for Chinese identifiers (python-stdnum's check characters), with Chinese messages."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")

# GB/T 2260 province-level codes (the first two digits of an ID number): the 31 provinces,
# autonomous regions and municipalities, 71 台湾, 81 香港, 82 澳门; and 83, which the
# residence permits of Taiwan residents carry (港澳台居民居住证: 810000/820000/830000).
ID_PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
# Nobody alive was born before this; a birth year earlier is a typing error.
ID_EARLIEST_BIRTH_YEAR = 1880
ID_NUMBER_RE = re.compile(r"^\d{17}[0-9A-Z]$")  # a wrong last character is a checksum error


def normalise_id_number(value: str) -> str:
    return ric.compact(value or "").upper()


def id_number_birth_date(value: str) -> date | None:
    """The birth date in digits 7–14 (YYYYMMDD), or None if it is not a real date."""
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    """居民身份证号码 (GB 11643): 18 characters, a known province, a real birth date that is
    not in the future, and a correct check character.

    The six-digit area code is deliberately not checked against the history of GB/T 2260:
    a number keeps the code of where the person was registered when it was first issued
    (from 1984), so a district created in the 1970s appears on numbers of people born in the
    1950s — python-stdnum's `cn.ric.validate` refuses those, hence this validator.
    """
    number = normalise_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("身份证号码应为18位。"), code="id_length")
    if not ID_NUMBER_RE.match(number):
        raise ValidationError(_("身份证号码格式不正确。"), code="id_format")
    if ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(_("身份证号码校验位不正确，请核对。"), code="id_checksum")
    if number[:2] not in ID_PROVINCE_CODES:
        raise ValidationError(_("身份证号码的省级地区码无效。"), code="id_province")
    birth = id_number_birth_date(number)
    if birth is None:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth_date")
    if birth > timezone.localdate():
        raise ValidationError(_("身份证号码中的出生日期晚于今天。"), code="id_birth_future")
    if birth.year < ID_EARLIEST_BIRTH_YEAR:
        raise ValidationError(_("身份证号码中的出生年份过早，请核对。"), code="id_birth_past")


# GB 32100-2015 (with its amendments): registration authority (1st character) → the
# organisation categories (2nd character) it assigns.
USCC_CATEGORIES = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直管群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国/港澳台旅游部门常驻代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他: 不再细分
}
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z


def normalise_credit_code(value: str) -> str:
    return uscc.compact(value or "").upper()


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 (GB 32100): 18 characters of the code's alphabet, a registration
    authority and organisation category from the standard's table, a six-digit region code
    and a correct check character (GB/T 17710 mod 31, as python-stdnum computes it).

    stdnum's `cn.uscc.validate` wants digits in the first two places, so it refuses the
    codes of 农业 (N…: 村集体经济组织), 中央军委 (A…) and 其他 (Y…) registrations.
    """
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="uscc_length")
    if any(c not in USCC_ALPHABET for c in code) or not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码格式不正确。"), code="uscc_format")
    if code[1] not in USCC_CATEGORIES.get(code[0], ""):
        raise ValidationError(
            _("统一社会信用代码的登记管理部门或机构类别代码无效。"), code="uscc_category"
        )
    if uscc.calc_check_digit(code[:17]) != code[-1]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对。"), code="uscc_checksum")


# Money typed as text: optional sign, digits, optionally a point and digits — nothing else.
PLAIN_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def validate_yuan_text(
    value: str, *, max_digits: int | None = 14, decimal_places: int | None = 2
) -> None:
    """Yuan as typed (a page's field, an API's string): a plain decimal — "1e9", "NaN",
    "Infinity" and full-width digits are refused, though Decimal reads them, because a ledger
    must not — with no more digits before the point than the money columns hold
    (DecimalField(max_digits=14, decimal_places=2)). Whether the places, the sign and the
    size suit the record is the service's to say."""
    text = (value or "").strip()
    if not PLAIN_DECIMAL.fullmatch(text):
        raise ValidationError(
            _('金额须写成普通的十进制数，例如 "1234.56"（不接受科学计数法等写法）。'),
            code="not_plain",
        )
    if max_digits is None:
        return
    whole_digits = max_digits - (decimal_places or 0)
    if len(text.lstrip("+-").split(".")[0].lstrip("0")) > whole_digits:
        raise ValidationError(
            _("金额整数部分不能超过 %(n)d 位。") % {"n": whole_digits},
            code="max_whole_digits",
        )


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
