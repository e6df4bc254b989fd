"""The notices print what the record says: names as the case recorded them, the case
number, the amount in figures and capitals, the late interest, the act, the reporting
deadline; the .docx and the PDF (LibreOffice, real conversion) alike."""

import datetime
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from documents.docx.build_enforcement_notices import TEMPLATES, build
from documents.models import IssuedDocument
from documents.registry import TEMPLATE_DIR
from enforcement.models import EnforcementNotice, EnforcementRole, NoticeKind
from enforcement.services.notices import notice_issue, notice_missing_elements, notices_issue

from . import notices_fixtures
from .conftest import ID_DEBTOR
from .notices_fixtures import docx_text, pdf_text, stored

pytestmark = pytest.mark.django_db

fast_pdf = notices_fixtures.fast_pdf
money_case = notices_fixtures.money_case
act_case = notices_fixtures.act_case


def test_execution_notice_and_order_print_the_record(eworld, money_case):
    # the debtor's name as this case recorded it (the person may be known elsewhere by another)
    debtor = money_case.case_parties.get(role=EnforcementRole.DEBTOR)
    debtor.name = "王被执（又名王二）"
    debtor.save(update_fields=["name"])
    notice, order = notices_issue(
        case=money_case,
        kinds=[NoticeKind.EXECUTION_NOTICE, NoticeKind.ASSET_REPORT_ORDER],
        actor=eworld.officer,
        report_days=7,
    )
    due = timezone.localtime(order.report_deadline.due_at).date()
    assert order.report_due_on == due
    assert due >= timezone.localdate() + datetime.timedelta(days=7)
    due_text = f"{due.year}年{due.month}月{due.day}日"

    word = docx_text(stored(notice.document.docx_file))
    for expected in (
        "海勃湾区人民法院",
        "执行通知书",
        money_case.case_number,
        notice.document.number,
        "被执行人：王被执（又名王二）",
        ID_DEBTOR,
        "海勃湾区新华街道团结社区3号楼",
        "申请执行人张申请",
        "海勃湾区人民法院（2026）蒙0302民初88号民事判决书",
        "2026年3月2日发生法律效力",
        "¥51,770.00",
        "伍万壹仟柒佰柒拾元整",
        "其中本金¥50,000.00、利息¥1,500.00、诉讼费等费用¥270.00",
        "加倍支付迟延履行期间的债务利息（自2026年3月13日起至实际履行之日止",
        "日万分之一点七五",
        "纳入失信被执行人名单",
        "拒不执行判决、裁定罪",
        "承办人：李执行",
        notice.document.verification_code_display,
    ):
        assert expected in word, expected

    word = docx_text(stored(order.document.docx_file))
    for expected in (
        "报告财产令",
        money_case.case_number,
        "被执行人：王被执（又名王二）",
        "¥51,770.00",
        "伍万壹仟柒佰柒拾元整",
        f"自本令发出之日起7日内，即于{due_text}前",
        "收到执行通知之日前一年",
        "自变动之日起十日内",
        "拒绝报告、虚假报告或者无正当理由逾期报告财产情况的",
        "罚款、拘留",
    ):
        assert expected in word, expected

    for document in (notice.document, order.document):
        pdf = stored(document.pdf_file)
        assert pdf.startswith(b"%PDF")
        text = pdf_text(pdf)
        for expected in ("王被执（又名王二）", money_case.case_number, "¥51,770.00",
                         "伍万壹仟柒佰柒拾元整", document.number):  # fmt: skip
            assert expected in text, (document.title, expected)
    assert due_text in pdf_text(stored(order.document.pdf_file))
    # the public check page shows the debtor masked
    assert notice.document.public_parties == ["王被*******"]


def test_act_case_notice_names_the_act_and_the_delay_payment(eworld, act_case, fast_pdf):
    notice = notice_issue(case=act_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    word = docx_text(stored(notice.document.docx_file))
    assert "履行下列义务：返还申请人数控机床十台" in word
    assert "迟延履行金" in word
    assert "¥" not in word and "加倍支付" not in word
    assert "被执行人：乙加工厂" in word and "申请执行人内蒙古甲机械有限公司" in word


def test_many_applicants_are_named_by_the_first_few(eworld, fast_pdf):
    from .conftest import add_party, make_case

    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, applicant="工人1")
    for number in range(2, 9):
        add_party(case, role=EnforcementRole.APPLICANT, name=f"工人{number}", position=number)
    notice = notice_issue(case=case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    assert "申请执行人工人1、工人2、工人3、工人4、工人5等8人" in docx_text(
        stored(notice.document.docx_file)
    )


def test_missing_elements_are_refused_with_the_list_and_nothing_is_numbered(
    eworld, money_case, fast_pdf
):
    debtor = money_case.case_parties.get(role=EnforcementRole.DEBTOR)
    debtor.party.id_number_encrypted = ""
    debtor.party.id_number_index = ""
    debtor.party.save(update_fields=["id_number_encrypted", "id_number_index"])
    money_case.principal = Decimal("0.00")
    money_case.interest = money_case.costs = Decimal("0.00")
    money_case.save(update_fields=["principal", "interest", "costs"])

    expected = ["被执行人第1项：身份证明号码（公民身份号码或统一社会信用代码）", "执行标的金额"]
    assert notice_missing_elements(money_case, NoticeKind.EXECUTION_NOTICE) == expected
    with pytest.raises(ValidationError) as refused:
        notices_issue(
            case=money_case,
            kinds=[NoticeKind.EXECUTION_NOTICE, NoticeKind.ASSET_REPORT_ORDER],
            actor=eworld.officer,
        )
    messages = refused.value.messages
    assert "执行通知书缺少法定要素：执行标的金额" in messages
    assert any("身份证明号码" in m for m in messages)
    assert not IssuedDocument.objects.exists()
    assert not EnforcementNotice.objects.exists()


def test_act_case_without_the_act_is_refused(eworld, act_case, fast_pdf):
    act_case.act_description = ""
    act_case.save(update_fields=["act_description"])
    with pytest.raises(ValidationError) as refused:
        notice_issue(case=act_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    assert refused.value.messages == ["执行通知书缺少法定要素：应履行的行为"]


def test_committed_templates_are_what_the_build_script_makes(tmp_path):
    build(tmp_path)
    for name in TEMPLATES:
        fresh = docx.Document(tmp_path / name)
        committed = docx.Document(TEMPLATE_DIR / name)
        assert [p.text for p in fresh.paragraphs] == [p.text for p in committed.paragraphs], name
