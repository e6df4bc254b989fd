"""The import template (.xlsx): the headers the importer accepts and a notes sheet.

The first sheet holds the header row only — exactly the canonical column labels of
`COLUMNS`, so a file filled in from it always maps — and no data row, so nothing sample can
be imported by mistake. The second sheet (填写说明) explains each column in Chinese, with an
obviously made-up example value.
"""

import io

from cases.models import Category, RiskLevel
from common.spreadsheet import sheet_append

from .columns import COLUMNS

# The combined column is an alternative to 所属街道 + 所属社区, explained on the notes sheet.
TEMPLATE_COLUMNS = tuple(column for column in COLUMNS if column.key != "street_community")


def _notes() -> dict[str, tuple[str, str]]:
    """column key → (说明, 示例). Examples are made up (the ID number is the standard's
    test number), valid in shape."""
    categories = "、".join(str(label) for _value, label in Category.choices)
    risks = "、".join(str(label) for _value, label in RiskLevel.choices)
    return {
        "source_reference": (
            "12345 热线工单编号。同一文件内不得重复；本单位已导入过的工单编号会自动跳过。",
            "示例-GD0001",
        ),
        "registered_at": (
            "群众来电（提出诉求）的时间，记为纠纷的登记时间。各项办理时限自导入时起算，"
            "不从来电时间起算。格式如 2025-11-16 09:30，也可用 Excel 日期。",
            "2025-11-16 09:30",
        ),
        "applicant_name": ("来电群众（诉求人）姓名。", "张三（示例）"),
        "applicant_id_number": (
            "选填。18 位居民身份证号码，用于识别同一当事人；页面和报告中只显示脱敏后的号码。",
            "11010519491231002X",
        ),
        "applicant_phone": (
            "诉求人的 11 位手机号码，可带 +86、空格或短横线。",
            "13800000000",
        ),
        "category": (
            f"纠纷类别，可填：{categories}（“邻里纠纷”“欠薪”等常见写法也可识别）。",
            "邻里",
        ),
        "facts": ("诉求内容，照录工单中的来电内容。", "楼上漏水，协商未果（示例）"),
        "place": ("选填。纠纷发生的地点。", "某小区 3 号楼（示例）"),
        "street": (
            "选填。纠纷所属的街道（乡镇），须为导入单位或其下级单位的名称或所在区划；"
            "与“所属社区”都不填时，纠纷归导入单位。",
            "新华街道",
        ),
        "community": (
            "选填。纠纷所属的社区（村），填写后优先按社区确定所属单位。"
            "也可改用一列“所属街道/社区”，写作“新华街道/团结社区”。",
            "团结社区",
        ),
        "respondent_name": ("选填。被反映人（对方当事人）姓名或单位名称。", "李四（示例）"),
        "amount_in_dispute": ("选填。涉及金额，单位元，如 12000 或 95874.11。", "12000"),
        "risk_level": (f"选填。风险等级：{risks}；不填为“一般”。", "一般"),
    }


def import_template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    notes = _notes()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入模板"
    sheet_append(sheet, [column.label for column in TEMPLATE_COLUMNS])
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    for cell, column in zip(sheet[1], TEMPLATE_COLUMNS, strict=True):
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        if column.required:
            cell.fill = required_fill
        sheet.column_dimensions[cell.column_letter].width = 28 if column.key == "facts" else 16
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("填写说明")
    sheet_append(guide, ["列名", "是否必填", "说明", "示例", "也可写作"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in TEMPLATE_COLUMNS:
        note, example = notes[column.key]
        sheet_append(
            guide,
            [column.label, "必填" if column.required else "选填", note, example,
             "、".join(column.aliases)],
        )  # fmt: skip
    sheet_append(guide, [])
    sheet_append(
        guide,
        ["提示", "", "在“导入模板”表第 2 行起每行填写一张工单，列名（第 1 行）请勿修改；"
         "红色列为必填。整个文件校验通过后才会导入，有任何一行出错，整个文件都不导入。"],
    )  # fmt: skip
    for letter, width in zip("ABCDE", (14, 10, 70, 24, 40), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
