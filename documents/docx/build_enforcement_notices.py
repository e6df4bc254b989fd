"""Build the .docx templates of the enforcement notices (run after changing this file):

    .venv/bin/python -m documents.docx.build_enforcement_notices

Same helpers and conventions as build_templates.py (the mediation documents); the elements
are declared in enforcement/document_kinds_notices.py. Kept apart so that each part of the
enforcement app owns its templates' source.
"""

from pathlib import Path

from documents.docx.build_templates import (
    HERE,
    body,
    centred,
    new_document,
    right,
    save_all,
    tag,
    verification_footer,
)


def heading_block(document, title: str):
    centred(document, "{{ court }}", size=16)
    centred(document, title, size=22, bold=True)
    right(document, "{{ case_number }}")
    right(document, "文书编号：{{ number }}")


def debtors_block(document):
    tag(document, "{%p for p in debtors %}")
    body(
        document,
        "被执行人：{{ p.name }}，身份证明号码：{{ p.identity }}"
        "{% if p.address %}，住所：{{ p.address }}{% endif %}"
        "{% if p.representative %}，{{ p.representative }}{% endif %}。",
        indent=False,
    )
    tag(document, "{%p endfor %}")


def closing_block(document):
    document.add_paragraph()
    right(document, "承办人：{{ officer }}")
    right(document, "{{ court }}（院印）")
    right(document, "{{ issued_on }}")
    verification_footer(document)


def execution_notice():
    document = new_document()
    heading_block(document, "执行通知书")
    debtors_block(document)
    body(
        document,
        "申请执行人{{ applicants }}申请执行{{ basis }}一案，该法律文书已于{{ basis_effective_on }}"
        "发生法律效力。本院于{{ filed_on }}依法立案执行。依照《中华人民共和国民事诉讼法》"
        "关于执行的规定，责令你（单位）自收到本通知之日起立即履行下列义务：",
    )
    tag(document, "{%p if amount %}")
    body(
        document,
        "向申请执行人支付{{ amount.figures }}（人民币{{ amount.capitals }}）"
        "{% if amount_breakdown %}，其中{{ amount_breakdown }}{% endif %}；",
    )
    tag(document, "{%p endif %}")
    tag(document, "{%p if act %}")
    body(document, "履行下列义务：{{ act }}；")
    tag(document, "{%p endif %}")
    body(document, "{{ late_interest }}。")
    body(
        document,
        "逾期不履行的，本院将依法强制执行，并可以采取下列措施：查询、冻结、划拨你（单位）的"
        "存款及网络资金账户；扣留、提取你（单位）的收入；查封、扣押、冻结、拍卖、变卖你（单位）"
        "的财产；对你（单位）采取限制高消费措施，将你（单位）纳入失信被执行人名单并向社会公布；"
        "对拒不履行、妨害执行的，依法予以罚款、拘留；构成拒不执行判决、裁定罪的，"
        "依法追究刑事责任。",
    )
    body(
        document,
        "你（单位）未按本通知履行法律文书确定的义务的，应当依照本院报告财产令的要求，"
        "如实报告当前以及收到本通知之日前一年的财产情况。",
    )
    body(document, "特此通知。")
    closing_block(document)
    return document


def asset_report_order():
    document = new_document()
    heading_block(document, "报告财产令")
    debtors_block(document)
    body(
        document,
        "申请执行人{{ applicants }}申请执行{{ basis }}一案，本院于{{ filed_on }}依法立案执行，"
        "执行标的为{{ amount.figures }}（人民币{{ amount.capitals }}）。依照《中华人民共和国"
        "民事诉讼法》关于被执行人报告财产的规定和《最高人民法院关于民事执行中财产调查若干问题"
        "的规定》，责令你（单位）自本令发出之日起{{ report_days }}日内，即于{{ report_due_on }}"
        "前，向本院如实书面报告当前以及收到执行通知之日前一年的下列财产情况：",
    )
    for line in (
        "（一）收入、银行存款、现金、网络资金账户、理财产品、有价证券；",
        "（二）土地使用权、房屋等不动产；",
        "（三）交通运输工具、机器设备、产品、原材料等动产；",
        "（四）债权、股权、投资权益、基金份额、信托受益权、知识产权等财产性权利；",
        "（五）其他应当报告的财产。",
    ):
        body(document, line)
    body(
        document,
        "财产已出租、已设立担保物权等权利负担，或者存在共有、权属争议等情形的，应当一并报告；"
        "动产由第三人占有，不动产、特定动产、其他财产权等登记在第三人名下的，也应当一并报告。"
        "自收到执行通知之日前一年至提交财产报告之日，财产有转让、出租，设立担保物权等权利负担，"
        "放弃债权或者延长债权清偿期，支出大额资金，或者其他影响生效法律文书确定债权实现的变动的，"
        "应当一并报告。",
    )
    body(
        document,
        "提交财产报告后，财产情况发生变动，影响申请执行人债权实现的，应当自变动之日起十日内"
        "向本院补充报告。报告确有困难的，可以在上述期限内书面申请延长报告期限。",
    )
    body(
        document,
        "拒绝报告、虚假报告或者无正当理由逾期报告财产情况的，本院将根据情节轻重对你（单位）"
        "或者你单位的主要负责人、直接责任人员予以罚款、拘留，并可以将你（单位）纳入失信被执行人"
        "名单、采取限制消费措施；构成犯罪的，依法追究刑事责任。",
    )
    body(document, "此令。")
    closing_block(document)
    return document


TEMPLATES = {
    "enforcement_execution_notice.docx": execution_notice,
    "enforcement_asset_report_order.docx": asset_report_order,
}


def build(directory: Path = HERE) -> list[Path]:
    return save_all(TEMPLATES, directory)


if __name__ == "__main__":
    for path in build():
        print(path)
