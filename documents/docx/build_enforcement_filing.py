"""Build the .docx templates of pre-enforcement urging (执前督促; types in
enforcement/document_kinds_filing.py). Run after changing this file:

    .venv/bin/python documents/docx/build_enforcement_filing.py

Same helpers and conventions as build_templates.py (money `.figures` / `.capitals`, dates
already written 2026年11月30日, the verification footer).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

try:  # imported as part of the project (tests)
    from documents.docx.build_templates import (
        body,
        heading,
        masthead,
        right,
        save_all,
        tag,
        verification_footer,
    )
    from documents.docx.build_templates import new_document as _new
except ImportError:  # run as a script from anywhere
    sys.path.insert(0, str(HERE))
    from build_templates import (  # type: ignore[no-redef]
        body,
        heading,
        masthead,
        right,
        save_all,
        tag,
        verification_footer,
    )
    from build_templates import new_document as _new  # type: ignore[no-redef]


def parties_lines(document):
    tag(document, "{%p for p in parties %}")
    body(
        document,
        "{{ p.role }}：{{ p.name }}，身份证明号码：{{ p.identity }}"
        "{% if p.address %}，住所：{{ p.address }}{% endif %}。",
    )
    tag(document, "{%p endfor %}")


def urging_notice():
    document = _new()
    masthead(document)
    parties_lines(document)
    body(
        document,
        "申请执行人于{{ applied_on }}依据{{ basis }}向本院申请执行。经申请执行人同意"
        "（{{ consent }}），本院在立案执行前先行督促被执行人自动履行（执前督促）。现告知如下：",
    )
    body(
        document,
        "一、被执行人应当自收到履行通知书之日起{{ window_days }}日内（{{ window_ends_on }}前）"
        "履行执行依据确定的义务。",
    )
    body(
        document,
        "二、执前督促期间，本院不采取强制执行措施，不将被执行人纳入失信被执行人名单。"
        "被执行人在督促期间内履行完毕的，本院出具履行完毕证明，不再立案执行。",
    )
    body(
        document,
        "三、被执行人逾期未履行或者明确表示拒绝履行的，本院依法立案执行，"
        "并可以依法采取查询、冻结、扣划、查封、限制消费、纳入失信名单等措施。",
    )
    body(document, "四、当事人对执前督促有意见的，可以向本院提出。")
    body(document, "{% if contact %}承办人及联系方式：{{ contact }}{% endif %}")
    document.add_paragraph()
    right(document, "{{ court }}")
    right(document, "{{ issued_on }}")
    verification_footer(document)
    return document


def urging_performance_notice():
    document = _new()
    masthead(document)
    parties_lines(document)
    body(
        document,
        "申请执行人{{ applicants }}依据{{ basis }}向本院申请执行。经申请执行人同意，"
        "本院在立案执行前督促你方自动履行。你方应当履行的义务如下：",
    )
    body(document, "{{ obligations }}")
    body(
        document,
        "{% if amount %}应给付金额：{{ amount.figures }}（人民币{{ amount.capitals }}）。{% endif %}",
    )
    heading(document, "履行期限及方式")
    body(
        document,
        "请于{{ window_ends_on }}前按以下方式履行：{{ payment_method }}。",
    )
    body(
        document,
        "逾期未履行的，本院将依法立案强制执行，你方还应当加倍支付迟延履行期间的债务利息"
        "（日万分之一点七五），并承担执行费用；本院可以依法采取查控财产、限制消费、"
        "纳入失信被执行人名单等措施。",
    )
    body(document, "{% if contact %}承办人及联系方式：{{ contact }}{% endif %}")
    document.add_paragraph()
    right(document, "{{ court }}")
    right(document, "{{ issued_on }}")
    verification_footer(document)
    return document


def performance_certificate():
    document = _new()
    masthead(document)
    parties_lines(document)
    body(
        document,
        "申请执行人依据{{ basis }}向本院申请执行，经申请执行人同意，本院在立案执行前进行督促。",
    )
    body(
        document,
        "被执行人已于{{ performed_on }}以{{ manner }}方式履行完毕下列义务：{{ obligations }}"
        "{% if amount %}，履行金额{{ amount.figures }}（人民币{{ amount.capitals }}）{% endif %}。",
    )
    body(
        document,
        "特此证明。本案未立案执行，被执行人未被采取强制执行措施，未被纳入失信被执行人名单。",
    )
    document.add_paragraph()
    right(document, "{{ court }}（印章）")
    right(document, "{{ issued_on }}")
    verification_footer(document)
    return document


TEMPLATES = {
    "enforcement_urging_notice.docx": urging_notice,
    "enforcement_urging_performance_notice.docx": urging_performance_notice,
    "enforcement_performance_certificate.docx": performance_certificate,
}


def build(directory: Path = HERE) -> list[Path]:
    return save_all(TEMPLATES, directory)


if __name__ == "__main__":
    for path in build():
        print(path)
