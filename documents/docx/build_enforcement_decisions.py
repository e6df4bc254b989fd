"""Build the .docx templates of the termination ruling, the suspension decision, the ruling
enforcing a guarantee and the commission letter (run after changing this file):

    .venv/bin/python -m documents.docx.build_enforcement_decisions

Elements: enforcement/document_kinds_endings.py (终结执行), document_kinds_guarantee.py
(暂缓执行决定书; 执行裁定书 enforcing the guaranteed property or the guarantor's
property), document_kinds_commission.py (委托执行函). Their numbers are the case
number's form, so the heading prints the number once (it is the case number).
"""

from pathlib import Path

from documents.docx.build_enforcement_notices import closing_block, debtors_block
from documents.docx.build_templates import (
    HERE,
    body,
    centred,
    new_document,
    right,
    save_all,
    tag,
)


def heading(document, title: str):
    centred(document, "{{ court }}", size=16)
    centred(document, title, size=22, bold=True)
    right(document, "{{ number }}")


def termination_ruling():
    document = new_document()
    heading(document, "执行裁定书")
    body(document, "申请执行人：{{ applicants }}。", indent=False)
    debtors_block(document)
    body(
        document,
        "申请执行人{{ applicants }}申请执行{{ basis }}一案，本院于{{ filed_on }}依法立案执行"
        "{% if amount %}，执行标的为{{ amount.figures }}（人民币{{ amount.capitals }}）{% endif %}。",
    )
    body(document, "本院查明：{{ reason }}")
    body(
        document,
        "本院认为，本案具有{{ ground }}的情形，应当终结执行。依照《中华人民共和国民事诉讼法》"
        "关于终结执行的规定，裁定如下：",
    )
    body(document, "终结{{ case_number }}案件的执行。")
    body(document, "本裁定送达当事人后立即生效。")
    closing_block(document)
    return document


def suspension_decision():
    document = new_document()
    heading(document, "暂缓执行决定书")
    body(document, "申请执行人：{{ applicants }}。", indent=False)
    debtors_block(document)
    body(document, "担保人：{{ guarantor }}。", indent=False)
    body(
        document,
        "本院在执行申请执行人{{ applicants }}申请执行{{ basis }}一案中，担保人{{ guarantor }}"
        "向本院提供执行担保：{{ guarantee }}，担保金额{{ amount.figures }}"
        "（人民币{{ amount.capitals }}），并经申请执行人同意。",
    )
    body(
        document,
        "依照《中华人民共和国民事诉讼法》关于执行担保的规定及《最高人民法院关于执行担保若干"
        "问题的规定》，经本院院长{{ approver }}批准，决定如下：",
    )
    body(document, "本案暂缓执行至{{ suspension_until }}。")
    body(
        document,
        "暂缓执行期限届满后被执行人仍不履行义务，或者暂缓执行期间担保人有转移、隐藏、变卖、"
        "毁损担保财产等行为的，本院可以依申请执行人的申请恢复执行，并直接裁定执行担保财产或者"
        "保证人的财产，不得将担保人变更、追加为被执行人。",
    )
    closing_block(document)
    return document


def guarantee_ruling():
    document = new_document()
    heading(document, "执行裁定书")
    body(document, "申请执行人：{{ applicants }}。", indent=False)
    debtors_block(document)
    body(document, "担保人：{{ guarantor }}。", indent=False)
    body(
        document,
        "本院在执行申请执行人{{ applicants }}申请执行{{ basis }}一案中，担保人{{ guarantor }}"
        "提供担保：{{ guarantee }}，担保金额{{ amount.figures }}（人民币{{ amount.capitals }}）。",
    )
    body(document, "本院查明：{{ reason }}申请执行人于{{ applied_on }}申请执行担保。")
    body(
        document,
        "本院认为，{{ legal_basis }}，人民法院可以依申请执行人的申请直接裁定执行担保财产或者保证人"
        "的财产，担保人以担保金额为限承担责任，不因此变更、追加为被执行人。裁定如下：",
    )
    body(document, "{{ ruling }}，以{{ amount.figures }}（人民币{{ amount.capitals }}）为限。")
    body(document, "本裁定送达后立即生效。")
    closing_block(document)
    return document


def commission_letter():
    document = new_document()
    heading(document, "委托执行函")
    body(document, "{{ receiving_court }}：", indent=False)
    body(
        document,
        "申请执行人{{ applicants }}申请执行{{ basis }}一案，本院依法立案执行"
        "{% if amount %}，执行标的为{{ amount.figures }}（人民币{{ amount.capitals }}）{% endif %}。",
    )
    debtors_block(document)
    body(
        document,
        "依照《中华人民共和国民事诉讼法》及《最高人民法院关于委托执行若干问题的规定》，"
        "特委托你院办理下列事项：{{ matters }}",
    )
    tag(document, "{%p if assets_note %}")
    body(document, "被执行人在你院辖区的财产或线索：{{ assets_note }}")
    tag(document, "{%p endif %}")
    body(
        document,
        "请你院自收到本函之日起七日内立案，十五日内开始执行；三十日内未执行完毕的，请将执行"
        "情况函告本院。受托事项办结或者不能办理的，请及时函告本院。",
    )
    body(document, "此致", indent=False)
    body(document, "{{ receiving_court }}", indent=False)
    closing_block(document)
    return document


TEMPLATES = {
    "enforcement_termination_ruling.docx": termination_ruling,
    "enforcement_suspension_decision.docx": suspension_decision,
    "enforcement_guarantee_ruling.docx": guarantee_ruling,
    "enforcement_commission_letter.docx": commission_letter,
}


def build(directory: Path = HERE) -> list[Path]:
    return save_all(TEMPLATES, directory)


if __name__ == "__main__":
    for path in build():
        print(path)
