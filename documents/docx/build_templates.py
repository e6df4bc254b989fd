"""Build the .docx templates of the issued documents (run after changing this file):

    .venv/bin/python documents/docx/build_templates.py

The templates are generated rather than drawn in Word so that a change is a readable diff
here; the .docx files beside this script are committed (the portal reads those). The tags
are docxtpl's Jinja: `{{ name }}` a value, `{%p for … %}` … `{%p endfor %}` a paragraph loop.
Every template gets, besides its own elements (documents/kinds.py):

    organisation  issuing organisation's name      number          the document's number
    issued_on     2026年11月30日                   copies          copies to print
    verification_code  ABCD-EFGH-JKMN              verify_url      the public check page
    qr            the QR code of verify_url        title           the type's title

Money elements carry `.figures` (¥12,345.60) and `.capitals` (壹万贰仟叁佰肆拾伍元陆角整);
dates are already written 2026年11月30日.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
# Embedded in the PDF by the converter; fonts-noto-cjk provides it (Makefile, Dockerfile).
FONT = "Noto Serif CJK SC"


def new_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(30)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    # Simplified Chinese glyph forms (the CJK font shares one file with JP/KR/TC)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    normal.paragraph_format.line_spacing = 1.4
    normal.paragraph_format.space_after = Pt(2)
    return document


def centred(document, text: str, *, size: int = 14, bold: bool = False):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    return paragraph


def right(document, text: str):
    paragraph = document.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def body(document, text: str, *, indent: bool = True):
    paragraph = document.add_paragraph(text)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(28)
    return paragraph


def heading(document, text: str):
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True
    return paragraph


def tag(document, text: str):
    """A docxtpl block tag ({%p … %}): alone in its paragraph, which it replaces."""
    return document.add_paragraph(text)


def masthead(document, title_expression: str = "{{ title }}"):
    centred(document, "{{ organisation }}", size=16)
    centred(document, title_expression, size=22, bold=True)
    right(document, "{{ number }}")


def parties_block(document):
    tag(document, "{%p for p in parties %}")
    body(
        document,
        "{{ p.role }}：{{ p.name }}，身份证明号码：{{ p.identity }}"
        "{% if p.address %}，住所：{{ p.address }}{% endif %}"
        "{% if p.representative %}，{{ p.representative }}{% endif %}。",
    )
    tag(document, "{%p endfor %}")


def verification_footer(document):
    document.add_paragraph()
    paragraph = document.add_paragraph()
    paragraph.add_run("{{ qr }}")
    paragraph.add_run(
        "  文书核验码：{{ verification_code }}　扫描二维码或访问 {{ verify_url }} 核验本文书"
    ).font.size = Pt(9)


def signature_block(document):
    tag(document, "{%p for p in parties %}")
    body(document, "{{ p.role }}（签名或按指印）：{{ p.name }}＿＿＿＿＿＿　日期：＿＿＿＿＿＿")
    tag(document, "{%p endfor %}")


def mediation_agreement():
    document = new_document()
    masthead(document)
    heading(document, "一、当事人基本情况")
    parties_block(document)
    heading(document, "二、纠纷的主要事实、争议事项")
    body(document, "{{ facts }}")
    body(document, "争议事项：{{ issues }}")
    heading(document, "三、各方当事人的责任")
    body(document, "{{ responsibilities }}")
    heading(document, "四、调解协议内容")
    body(
        document,
        "经{{ organisation }}{% if place %}在{{ place }}{% endif %}主持调解，"
        "各方当事人自愿达成如下协议：",
    )
    tag(document, "{%p for o in obligations %}")
    body(
        document,
        "{{ loop.index }}. {{ o.obligor }}{{ o.content }}"
        "{% if o.amount %}，金额{{ o.amount.figures }}（人民币{{ o.amount.capitals }}）{% endif %}"
        "，于{{ o.due_date }}前向{{ o.obligee }}履行完毕。",
    )
    tag(document, "{%p endfor %}")
    heading(document, "五、履行方式、期限")
    body(document, "{{ performance_method }}")
    heading(document, "六、其他")
    body(
        document,
        "本协议自各方当事人签名（盖章）或按指印、人民调解员签名并加盖人民调解委员会印章之日起"
        "生效，具有法律约束力，当事人应当按照约定履行。当事人认为有必要的，可以自本协议生效之日起"
        "三十日内共同向人民法院申请司法确认。",
    )
    body(
        document,
        "本协议书一式{{ copies }}份，当事人各执一份，{{ organisation }}留存一份。",
    )
    document.add_paragraph()
    signature_block(document)
    body(document, "人民调解员（签名）：{{ mediator }}＿＿＿＿＿＿")
    right(document, "{{ organisation }}（盖章）")
    right(document, "{{ agreed_on }}")
    verification_footer(document)
    return document


def confirmation_application():
    document = new_document()
    masthead(document)
    heading(document, "申请人")
    parties_block(document)
    heading(document, "请求事项")
    body(
        document,
        "请求{{ court }}确认申请人于{{ agreement_date }}经{{ mediation_organisation }}"
        "调解达成的调解协议（{{ agreement_number }}）有效。",
    )
    heading(document, "事实和理由")
    body(
        document,
        "申请人于{{ agreement_date }}经{{ mediation_organisation }}主持调解，"
        "自愿达成调解协议，协议内容如下：",
    )
    body(document, "{{ agreement_terms }}")
    body(
        document,
        "申请人承诺：出于解决纠纷的目的自愿达成该协议，没有恶意串通、规避法律的行为；"
        "如因虚假陈述等原因损害他人合法权益的，愿意承担相应的民事责任和其他法律责任。"
        "本申请自调解协议生效之日起三十日内提出。",
    )
    body(document, "此致", indent=True)
    body(document, "{{ court }}", indent=False)
    document.add_paragraph()
    signature_block(document)
    right(document, "{{ applied_on }}")
    verification_footer(document)
    return document


def confirmation_ruling():
    document = new_document()
    centred(document, "{{ court }}", size=16)
    centred(document, "民事裁定书", size=22, bold=True)
    right(document, "{{ case_number }}")
    right(document, "文书编号：{{ number }}")
    tag(document, "{%p for p in parties %}")
    body(
        document,
        "申请人：{{ p.name }}，身份证明号码：{{ p.identity }}"
        "{% if p.address %}，住所：{{ p.address }}{% endif %}。",
    )
    tag(document, "{%p endfor %}")
    body(
        document,
        "申请人于{{ application_date }}向本院申请司法确认，请求确认其于{{ agreement_date }}"
        "经{{ mediation_organisation }}主持调解达成的调解协议有效。本院受理后依法进行了审查。",
    )
    body(document, "经审查，申请人达成的调解协议内容如下：")
    body(document, "{{ agreement_terms }}")
    body(
        document,
        "本院认为，申请人达成的调解协议符合司法确认的条件。依照《中华人民共和国人民调解法》"
        "第三十三条、《中华人民共和国民事诉讼法》关于确认调解协议案件的规定，裁定如下：",
    )
    body(document, "{{ ruling_text }}")
    body(document, "本裁定书自即日起发生法律效力。")
    document.add_paragraph()
    right(document, "审判员　{{ judge }}")
    right(document, "{{ ruled_on }}")
    right(document, "书记员　{{ court_clerk }}")
    verification_footer(document)
    return document


def mediation_termination():
    document = new_document()
    masthead(document)
    tag(document, "{%p for p in parties %}")
    body(document, "{{ p.role }}：{{ p.name }}（身份证明号码：{{ p.identity }}）")
    tag(document, "{%p endfor %}")
    body(document, "你们之间的纠纷：{{ facts }}")
    body(
        document,
        "经{{ organisation }}调解，因{{ termination_reason }}，"
        "本委员会决定于{{ terminated_on }}终止调解。",
    )
    body(
        document,
        "依照《中华人民共和国人民调解法》第二十六条的规定，特此告知：当事人可以依法通过仲裁、"
        "行政、司法等途径维护自己的权利。",
    )
    document.add_paragraph()
    body(document, "人民调解员（签名）：{{ mediator }}＿＿＿＿＿＿")
    right(document, "{{ organisation }}（盖章）")
    right(document, "{{ terminated_on }}")
    verification_footer(document)
    return document


TEMPLATES = {
    "mediation_agreement.docx": mediation_agreement,
    "confirmation_application.docx": confirmation_application,
    "confirmation_ruling.docx": confirmation_ruling,
    "mediation_termination.docx": mediation_termination,
}


def save_all(templates: dict, directory: Path) -> list[Path]:
    """Write each template (file name → function making its Document) into `directory`."""
    written = []
    for name, make in templates.items():
        path = directory / name
        make().save(path)
        written.append(path)
    return written


def build(directory: Path = HERE) -> list[Path]:
    return save_all(TEMPLATES, directory)


if __name__ == "__main__":
    for path in build():
        print(path)
