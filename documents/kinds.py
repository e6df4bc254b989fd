"""The document types the portal issues, with the elements the law requires of each.

Mediation's documents (人民调解法 art. 28–33, SPC provisions on judicial confirmation):

- 人民调解协议书 (art. 29): the parties' basic facts (name, identity); the dispute's main facts
  and the issues; each side's responsibility; the agreed terms, the manner and time limit of
  performance; signed or fingerprinted by the parties, signed by the mediator, sealed by the
  committee; one copy per party and one for the committee.
- 司法确认申请书: joint application of both parties to the court within 30 days of the
  agreement taking effect, naming the agreement and the committee that mediated it.
- 司法确认裁定书: the court's ruling in a 民特 case confirming the agreement, numbered by
  the case number itself (（2026）蒙0302民特1号; a replacement 号之一 …), as courts number a
  case's documents; its series (民特裁字) only counts the issues.
- 终止调解告知书 (调解终结书): the mediation ends without agreement; the parties are told they
  may go to court (or arbitration) — art. 26.

Adding a type: write its template in documents/docx/build_templates.py, run it, and
register a `DocumentType` here (or in the issuing app's `ready()`).
"""

from django.utils.translation import gettext_lazy as _

from .registry import DocumentType, Element, register_type

MEDIATION_AGREEMENT = "mediation.agreement"
CONFIRMATION_APPLICATION = "mediation.confirmation_application"
CONFIRMATION_RULING = "mediation.confirmation_ruling"
MEDIATION_TERMINATION = "mediation.termination"

PARTIES = Element(
    "parties",
    _("当事人"),
    "list",
    fields=(
        Element("role", _("当事人地位")),
        Element("name", _("姓名或名称")),
        Element("identity", _("身份证明号码（公民身份号码或统一社会信用代码）")),
        Element("address", _("住所"), required=False),
        Element("representative", _("法定代表人或代理人"), required=False),
    ),
)


def register_builtin_types() -> None:
    register_type(
        DocumentType(
            code=MEDIATION_AGREEMENT,
            title="人民调解协议书",
            template="mediation_agreement.docx",
            number_prefix="调协字",
            elements=(
                PARTIES,
                Element("facts", _("纠纷的主要事实")),
                Element("issues", _("争议事项")),
                Element("responsibilities", _("各方当事人的责任")),
                Element(
                    "obligations",
                    _("调解协议内容（履行义务）"),
                    "list",
                    fields=(
                        Element("obligor", _("履行义务人")),
                        Element("obligee", _("权利人")),
                        Element("content", _("义务内容")),
                        Element("amount", _("金额"), "money", required=False),
                        Element("due_date", _("履行期限"), "date"),
                    ),
                ),
                Element("performance_method", _("履行方式")),
                Element("mediator", _("人民调解员")),
                Element("agreed_on", _("达成协议日期"), "date"),
                Element("place", _("调解地点"), required=False),
            ),
        )
    )
    register_type(
        DocumentType(
            code=CONFIRMATION_APPLICATION,
            title="司法确认申请书",
            template="confirmation_application.docx",
            number_prefix="确申字",
            elements=(
                PARTIES,
                Element("court", _("受理法院")),
                Element("mediation_organisation", _("调解组织")),
                Element("agreement_number", _("调解协议书编号")),
                Element("agreement_date", _("调解协议达成日期"), "date"),
                Element("agreement_terms", _("申请确认的调解协议内容")),
                Element("applied_on", _("申请日期"), "date"),
            ),
        )
    )
    register_type(
        DocumentType(
            code=CONFIRMATION_RULING,
            title="司法确认裁定书",
            template="confirmation_ruling.docx",
            number_prefix="民特裁字",
            elements=(
                Element("case_number", _("案号（民特）")),
                Element("court", _("人民法院")),
                PARTIES,
                Element("mediation_organisation", _("调解组织")),
                Element("agreement_date", _("调解协议达成日期"), "date"),
                Element("application_date", _("申请司法确认日期"), "date"),
                Element("agreement_terms", _("确认的调解协议内容")),
                Element("ruling_text", _("裁定内容")),
                Element("judge", _("审判员")),
                Element("court_clerk", _("书记员")),
                Element("ruled_on", _("裁定日期"), "date"),
            ),
        )
    )
    register_type(
        DocumentType(
            code=MEDIATION_TERMINATION,
            title="终止调解告知书",
            template="mediation_termination.docx",
            number_prefix="调终字",
            elements=(
                PARTIES,
                Element("facts", _("纠纷的主要事实")),
                Element("termination_reason", _("终止调解的理由")),
                Element("terminated_on", _("终止调解日期"), "date"),
                Element("mediator", _("人民调解员")),
            ),
        )
    )
