"""Build the credit documents' .docx templates into documents/docx/ (run after a change):

    .venv/bin/python credit/docx_build.py

Same helpers and tags as documents/docx/build_templates.py (see its docstring)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from documents.docx.build_templates import (  # noqa: E402
    HERE,
    body,
    masthead,
    new_document,
    right,
    save_all,
    tag,
    verification_footer,
)


def parties(document):
    tag(document, "{%p for p in parties %}")
    body(
        document,
        "{{ p.role }}：{{ p.name }}，身份证明号码：{{ p.identity }}"
        "{% if p.address %}，住所：{{ p.address }}{% endif %}"
        "{% if p.representative %}，法定代表人或负责人：{{ p.representative }}{% endif %}。",
    )
    tag(document, "{%p endfor %}")


def listing_decision():
    document = new_document()
    masthead(document)
    right(document, "{{ case_number }}")
    parties(document)
    body(
        document,
        "本院在执行依据为{{ basis_document }}的{{ case_number }}案件中，被执行人未履行"
        "生效法律文书确定的义务：{{ duty }}",
    )
    body(document, "经查，被执行人具有下列情形：{{ ground }}。具体情形：{{ conduct }}")
    body(
        document,
        "本院认为，被执行人有履行能力而拒不履行或者具有上述失信情形，且不具有不得纳入失信"
        "被执行人名单的情形。依照《最高人民法院关于公布失信被执行人名单信息的若干规定》，"
        "决定如下：",
    )
    body(document, "将被执行人纳入失信被执行人名单，失信等级：{{ grade }}，纳入期限：{{ term }}。")
    body(document, "{{ publish_note }}")
    body(
        document,
        "被执行人认为纳入失信名单错误的，可以向本院申请纠正；对纠正决定不服的，可以自决定送达"
        "之日起十日内向上一级人民法院申请复议。复议期间，不停止原决定的执行。",
    )
    document.add_paragraph()
    right(document, "{{ court }}")
    right(document, "{{ decided_on }}")
    verification_footer(document)
    return document


def restriction_order():
    document = new_document()
    masthead(document)
    right(document, "{{ case_number }}")
    parties(document)
    tag(document, "{%p for b in bound_persons %}")
    body(document, "{{ b.role }}：{{ b.name }}")
    tag(document, "{%p endfor %}")
    body(
        document,
        "本院在执行依据为{{ basis_document }}的{{ case_number }}案件中，{{ reasons }}"
        "依照《最高人民法院关于限制被执行人高消费及有关消费的若干规定》，对被执行人"
        "（单位的，及其法定代表人、主要负责人、影响债务履行的直接责任人员、实际控制人）"
        "采取限制消费措施，不得有以下高消费及非生活和工作必需的消费行为：",
    )
    for line in (
        "（一）乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位；",
        "（二）在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费；",
        "（三）购买不动产或者新建、扩建、高档装修房屋；",
        "（四）租赁高档写字楼、宾馆、公寓等场所办公；",
        "（五）购买非经营必需车辆；",
        "（六）旅游、度假；",
        "（七）子女就读高收费私立学校；",
        "（八）支付高额保费购买保险理财产品；",
        "（九）乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和"
        "工作必需的消费行为。",
    ):
        body(document, line)
    body(document, "如违反本限制消费令，本院将依法追究法律责任。")
    document.add_paragraph()
    right(document, "院长　{{ president }}")
    right(document, "{{ court }}")
    right(document, "{{ ordered_on }}")
    verification_footer(document)
    return document


def performance_certificate():
    document = new_document()
    masthead(document)
    right(document, "{{ case_number }}")
    parties(document)
    body(
        document,
        "本院执行的{{ case_number }}案件（执行依据：{{ basis_document }}），被执行人应履行的"
        "义务：{{ duty }}{% if amount %}，金额{{ amount.figures }}（人民币{{ amount.capitals }}）"
        "{% endif %}。",
    )
    body(document, "经核实，被执行人已于{{ performed_on }}全部履行完毕。")
    body(document, "{{ credit_note }}")
    body(document, "特此证明。")
    document.add_paragraph()
    right(document, "{{ court }}")
    right(document, "{{ issued_on }}")
    verification_footer(document)
    return document


def voluntary_certificate():
    document = new_document()
    masthead(document)
    parties(document)
    body(
        document,
        "上述当事人在{{ basis_document }}发生法律效力后，未经人民法院强制执行，已于"
        "{{ performed_on }}自动履行该文书确定的义务：{{ duty }}"
        "{% if amount %}，金额{{ amount.figures }}（人民币{{ amount.capitals }}）{% endif %}。",
    )
    body(document, "该当事人已列入本院守信激励名单。特此证明。")
    document.add_paragraph()
    right(document, "{{ court }}")
    right(document, "{{ issued_on }}")
    verification_footer(document)
    return document


def restoration_certificate():
    document = new_document()
    masthead(document)
    right(document, "{{ case_number }}")
    parties(document)
    body(
        document,
        "上述被执行人在本院{{ case_number }}案件中，因{{ basis }}，经本院审查，于"
        "{{ decided_on }}决定准予信用修复。",
    )
    body(document, "已删除、屏蔽或解除的措施：{{ measures }}")
    body(document, "特此证明。")
    document.add_paragraph()
    right(document, "{{ court }}")
    right(document, "{{ issued_on }}")
    verification_footer(document)
    return document


TEMPLATES = {
    "credit_listing_decision.docx": listing_decision,
    "credit_restriction_order.docx": restriction_order,
    "credit_performance_certificate.docx": performance_certificate,
    "credit_voluntary_certificate.docx": voluntary_certificate,
    "credit_restoration_certificate.docx": restoration_certificate,
}


def build(directory: Path = HERE) -> list[Path]:
    return save_all(TEMPLATES, directory)


if __name__ == "__main__":
    for path in build():
        print(path)
