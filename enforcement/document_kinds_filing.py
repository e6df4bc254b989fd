"""The documents of pre-enforcement urging (执前督促), with the elements each must carry.

- 执前督促告知书: tells the parties that, with the applicant's consent, the court urges the
  debtor before filing; no coercive measure and no credit mark while it lasts; performed in
  the window → no case; not performed → the application is filed.
- 履行通知书 (执前): to the debtor — the basis, what to perform, by when, how to pay.
- 履行完毕证明: the debtor performed under the urging; no case was filed.

Templates: documents/docx/enforcement_*.docx, built by
documents/docx/build_enforcement_filing.py.
"""

from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentType, Element, register_type

URGING_NOTICE = "enforcement.urging_notice"
PERFORMANCE_NOTICE = "enforcement.urging_performance_notice"
PERFORMANCE_CERTIFICATE = "enforcement.performance_certificate"

PARTIES = Element(
    "parties",
    _("当事人"),
    "list",
    fields=(
        Element("role", _("诉讼地位")),
        Element("name", _("姓名或名称")),
        Element("identity", _("身份证明号码（公民身份号码或统一社会信用代码）")),
        Element("address", _("住所"), required=False),
    ),
)
BASIS = Element("basis", _("执行依据（作出机关、文书名称及编号）"))


def register_types() -> None:
    register_type(
        DocumentType(
            code=URGING_NOTICE,
            title="执前督促告知书",
            template="enforcement_urging_notice.docx",
            number_prefix="执督告字",
            elements=(
                PARTIES,
                Element("court", _("人民法院")),
                BASIS,
                Element("applied_on", _("申请执行日期"), "date"),
                Element("consent", _("申请执行人同意执前督促的方式")),
                Element("window_days", _("督促履行期限（日）")),
                Element("window_ends_on", _("督促履行期限届满日"), "date"),
                Element("contact", _("承办人及联系方式"), required=False),
            ),
        )
    )
    register_type(
        DocumentType(
            code=PERFORMANCE_NOTICE,
            title="履行通知书",
            template="enforcement_urging_performance_notice.docx",
            number_prefix="执督通字",
            elements=(
                PARTIES,
                Element("court", _("人民法院")),
                BASIS,
                Element("applicants", _("申请执行人")),
                Element("obligations", _("应履行的义务")),
                Element("amount", _("应给付金额"), "money", required=False),
                Element("window_ends_on", _("履行期限届满日"), "date"),
                Element("payment_method", _("履行方式（收款账户或交付方式）")),
                Element("contact", _("承办人及联系方式"), required=False),
            ),
        )
    )
    register_type(
        DocumentType(
            code=PERFORMANCE_CERTIFICATE,
            title="履行完毕证明",
            template="enforcement_performance_certificate.docx",
            number_prefix="执督证字",
            elements=(
                PARTIES,
                Element("court", _("人民法院")),
                BASIS,
                Element("obligations", _("履行的义务")),
                Element("amount", _("已履行金额"), "money", required=False),
                Element("performed_on", _("履行完毕日期"), "date"),
                Element("manner", _("履行方式")),
            ),
        )
    )
