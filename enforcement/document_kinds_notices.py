"""The notices' document types and the elements the law requires of each.

- 执行通知书 (Civil Procedure Law, on the start of enforcement; SPC provisions on
  enforcement work): the enforcing court, the case number, the debtor addressed (name,
  identity), the applicant, the legal basis and when it took effect, the filing date, the
  obligation to perform (the amount in figures and capitals, or the act), the double
  interest on the delay (or, for an act, the delay payment 迟延履行金), the consequences of
  not performing, the officer. A money case needs the amount; an act case needs the act:
  the issuing service checks those two (`enforcement.services.notices`), since an element
  here is required for every case or for none.
- 报告财产令 (CPL, on the debtor's duty to report assets; SPC provisions on property
  investigation in civil enforcement): the same heading, the amount to be satisfied, the
  reporting period and its last day, what must be reported, the duty to report later
  changes within 10 days, and the sanctions for refusing, lying or reporting late.

The templates are built by documents/docx/build_enforcement_notices.py.
"""

from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentType, Element, register_type

EXECUTION_NOTICE = "enforcement.execution_notice"
ASSET_REPORT_ORDER = "enforcement.asset_report_order"

DEBTORS = Element(
    "debtors",
    _("被执行人"),
    "list",
    fields=(
        Element("name", _("姓名或名称")),
        Element("identity", _("身份证明号码（公民身份号码或统一社会信用代码）")),
        Element("address", _("住所"), required=False),
        Element("representative", _("法定代表人或负责人"), required=False),
    ),
)

# The head every enforcement document of a case opens with; HEADING adds the filing date.
CASE_HEAD = (
    Element("court", _("执行法院")),
    Element("case_number", _("案号")),
    DEBTORS,
    Element("applicants", _("申请执行人")),
    Element("basis", _("执行依据")),
)
HEADING = (*CASE_HEAD, Element("filed_on", _("立案日期"), "date"))


def register_types() -> None:
    register_type(
        DocumentType(
            code=EXECUTION_NOTICE,
            title="执行通知书",
            template="enforcement_execution_notice.docx",
            number_prefix="执通字",
            parties_element="debtors",
            elements=(
                *HEADING,
                Element("basis_effective_on", _("执行依据生效日期"), "date"),
                Element("amount", _("执行标的金额"), "money", required=False),
                Element("amount_breakdown", _("金额构成"), required=False),
                Element("act", _("应履行的行为"), required=False),
                Element("late_interest", _("迟延履行期间的债务利息或迟延履行金")),
                Element("officer", _("承办人")),
            ),
        )
    )
    register_type(
        DocumentType(
            code=ASSET_REPORT_ORDER,
            title="报告财产令",
            template="enforcement_asset_report_order.docx",
            number_prefix="报财令字",
            parties_element="debtors",
            elements=(
                *HEADING,
                Element("amount", _("执行标的金额"), "money"),
                Element("report_days", _("报告期限（日）")),
                Element("report_due_on", _("报告截止日"), "date"),
                Element("officer", _("承办人")),
            ),
        )
    )
