"""The credit app's documents (registered from CreditConfig.ready; templates built by
credit/docx_build.py into documents/docx/credit_*.docx).

- 纳入失信被执行人名单决定书: the court, the case, the debtor's identity, the basis, the
  duty, the ground and the conduct, the term (or "until performance"), the grade, the
  remedy (correction within the court, review by the court above).
- 限制消费令: signed by the president; the debtor (and for an organisation its legal
  representative, actual controller, person directly responsible); the barred consumption.
- 履行完毕证明 (credit.performance_certificate — enf-filing's urging certificate is its own
  type): the case, the debtor, the performance.
- 自动履行生效法律文书证明: the party performed an effective document without enforcement.
- 信用修复证明: the debtor's sanctions in the case were lifted / shielded on restoration.
"""

from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentType, Element, register_type

LISTING_DECISION = "credit.listing_decision"
RESTRICTION_ORDER = "credit.restriction_order"
PERFORMANCE_CERTIFICATE = "credit.performance_certificate"
VOLUNTARY_CERTIFICATE = "credit.voluntary_certificate"
RESTORATION_CERTIFICATE = "credit.restoration_certificate"

PARTIES = Element(
    "parties",
    _("当事人"),
    "list",
    fields=(
        Element("role", _("当事人地位")),
        Element("name", _("姓名或名称")),
        Element("identity", _("身份证明号码（公民身份号码或统一社会信用代码）")),
        Element("address", _("住所"), required=False),
        Element("representative", _("法定代表人或负责人"), required=False),
    ),
)
BOUND = Element(
    "bound_persons",
    _("受约束人员"),
    "list",
    required=False,
    fields=(Element("role", _("身份")), Element("name", _("姓名"))),
)


def register_credit_types() -> None:
    register_type(
        DocumentType(
            code=LISTING_DECISION,
            title="纳入失信被执行人名单决定书",
            template="credit_listing_decision.docx",
            number_prefix="执失字",
            elements=(
                Element("court", _("人民法院")),
                Element("case_number", _("执行案号")),
                PARTIES,
                Element("basis_document", _("执行依据")),
                Element("duty", _("生效法律文书确定的义务")),
                Element("ground", _("失信情形")),
                Element("conduct", _("失信行为具体情形")),
                Element("grade", _("失信等级")),
                Element("term", _("纳入期限")),
                Element("decided_on", _("决定日期"), "date"),
                Element("publish_note", _("公布安排")),
            ),
        )
    )
    register_type(
        DocumentType(
            code=RESTRICTION_ORDER,
            title="限制消费令",
            template="credit_restriction_order.docx",
            number_prefix="执限字",
            elements=(
                Element("court", _("人民法院")),
                Element("case_number", _("执行案号")),
                PARTIES,
                BOUND,
                Element("basis_document", _("执行依据")),
                Element("reasons", _("限制消费理由")),
                Element("president", _("院长")),
                Element("ordered_on", _("签发日期"), "date"),
            ),
        )
    )
    register_type(
        DocumentType(
            code=PERFORMANCE_CERTIFICATE,
            title="履行完毕证明",
            template="credit_performance_certificate.docx",
            number_prefix="执履证字",
            elements=(
                Element("court", _("人民法院")),
                Element("case_number", _("执行案号")),
                PARTIES,
                Element("basis_document", _("执行依据")),
                Element("duty", _("履行义务")),
                Element("amount", _("履行金额"), "money", required=False),
                Element("performed_on", _("履行完毕日期"), "date"),
                Element("credit_note", _("信用状况说明")),
            ),
        )
    )
    register_type(
        DocumentType(
            code=VOLUNTARY_CERTIFICATE,
            title="自动履行生效法律文书证明",
            template="credit_voluntary_certificate.docx",
            number_prefix="自履证字",
            elements=(
                Element("court", _("人民法院")),
                PARTIES,
                Element("basis_document", _("生效法律文书")),
                Element("duty", _("履行义务")),
                Element("amount", _("履行金额"), "money", required=False),
                Element("performed_on", _("履行日期"), "date"),
            ),
        )
    )
    register_type(
        DocumentType(
            code=RESTORATION_CERTIFICATE,
            title="信用修复证明",
            template="credit_restoration_certificate.docx",
            number_prefix="信修证字",
            elements=(
                Element("court", _("人民法院")),
                Element("case_number", _("执行案号")),
                PARTIES,
                Element("basis", _("修复依据")),
                Element("measures", _("已删除、屏蔽或解除的措施")),
                Element("decided_on", _("修复决定日期"), "date"),
            ),
        )
    )
