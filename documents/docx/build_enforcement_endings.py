"""Build the .docx template of the 终本 ruling (run after changing this file):

    .venv/bin/python -m documents.docx.build_enforcement_endings

Elements: enforcement/document_kinds_endings.py (enf-endings).
"""

from pathlib import Path

from documents.docx.build_enforcement_notices import closing_block, debtors_block, heading_block
from documents.docx.build_templates import HERE, body, new_document, save_all


def final_ruling():
    document = new_document()
    heading_block(document, "执行裁定书")
    body(document, "申请执行人：{{ applicants }}。", indent=False)
    debtors_block(document)
    body(
        document,
        "申请执行人{{ applicants }}申请执行{{ basis }}一案，本院于{{ filed_on }}依法立案执行"
        "{% if amount %}，执行标的为{{ amount.figures }}（人民币{{ amount.capitals }}）{% endif %}。",
    )
    body(document, "执行过程中，本院采取了以下执行措施：{{ work_done }}")
    body(document, "经告知，申请执行人的意见：{{ applicant_opinion }}")
    body(
        document,
        "本院认为，本案已穷尽财产调查措施，未发现被执行人有可供执行的财产，符合终结本次执行程序"
        "的条件。依照《中华人民共和国民事诉讼法》和《最高人民法院关于适用〈中华人民共和国"
        "民事诉讼法〉的解释》关于终结本次执行程序的规定，裁定如下：",
    )
    body(document, "终结本次执行程序。")
    body(
        document,
        "终结本次执行程序后，被执行人应当继续履行生效法律文书确定的义务；对被执行人采取的限制"
        "消费措施继续有效。本院将每六个月通过网络执行查控系统查询一次被执行人的财产，并将查询"
        "结果告知申请执行人。申请执行人发现被执行人有可供执行财产的，可以向本院申请恢复执行，"
        "申请恢复执行不受申请执行时效期间的限制。",
    )
    body(document, "本裁定送达后即发生法律效力。")
    closing_block(document)
    return document


TEMPLATES = {"enforcement_final_ruling.docx": final_ruling}


def build(directory: Path = HERE) -> list[Path]:
    return save_all(TEMPLATES, directory)


if __name__ == "__main__":
    for path in build():
        print(path)
