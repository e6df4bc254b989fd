"""Column mapping: the columns an import knows, and how an export's header names them."""

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the canonical Chinese header, used in messages and the template
    aliases: tuple[str, ...] = ()
    required: bool = False
    personal: str = ""  # "id" / "phone" / "name": how to mask the value in reports


COLUMNS: tuple[Column, ...] = (
    Column("source_reference", "工单编号", ("工单号", "受理编号", "编号", "来电编号"), True),
    Column("registered_at", "来电时间", ("受理时间", "登记时间", "来电日期", "诉求时间"), True),
    Column(
        "applicant_name", "诉求人", ("来电人", "来电人姓名", "姓名", "诉求人姓名"), True, "name"
    ),
    Column(
        "applicant_id_number", "身份证号", ("身份证号码", "证件号码", "公民身份号码"), False, "id"
    ),
    Column(
        "applicant_phone", "联系电话", ("来电号码", "手机号码", "联系方式", "电话"), True, "phone"
    ),
    Column("category", "诉求类别", ("纠纷类别", "诉求类型", "类别", "问题类别"), True),
    Column("facts", "诉求内容", ("来电内容", "诉求描述", "事项描述", "内容"), True),
    Column("place", "发生地点", ("事发地点", "事发地址", "地址", "地点")),
    Column("street", "所属街道", ("街道", "所属乡镇", "乡镇/街道", "所属乡镇（街道）")),
    Column("community", "所属社区", ("社区", "村/社区", "所属村（社区）", "所属村社区")),
    Column("street_community", "所属街道/社区", ("街道/社区", "所属区域")),
    Column(
        "respondent_name",
        "被反映人",
        ("被诉方", "被反映对象", "对方当事人", "被申请人"),
        False,
        "name",
    ),
    Column("amount_in_dispute", "涉及金额", ("涉案金额", "争议金额", "涉及金额（元）", "金额")),
    Column("risk_level", "风险等级", ("风险级别",)),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_COLUMNS = tuple(column for column in COLUMNS if column.required)

_HEADER_JUNK = re.compile(r"[\s*＊:：]")


def normalise_header(value: Any) -> str:
    text = str(value or "")
    text = text.replace("（", "(").replace("）", ")")
    return _HEADER_JUNK.sub("", text)


HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.label, *_column.aliases):
        HEADER_LOOKUP[normalise_header(_name)] = _column.key


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong type, no header row, missing columns)."""

    def __init__(
        self, message: str, *, column: str = "", row: int | None = None, unreadable: bool = False
    ):
        super().__init__(message)
        self.message = message
        self.column = column
        self.row = row
        # Not a spreadsheet we can read at all (corrupt, truncated, binary, entity bomb):
        # the upload answers with a field error and keeps nothing.
        self.unreadable = unreadable
