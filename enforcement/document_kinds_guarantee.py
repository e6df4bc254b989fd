"""The decision suspending enforcement on a guarantee (暂缓执行决定书, enf-guarantee): the
court, the case, the debtors, the guarantor and what is guaranteed (amount, property), the
day enforcement is suspended until (at most a year), the consequence (the guarantor's
property or the guarantor enforced if the debtor does not perform) and the approving
president. Numbered in the case number's form.

The ruling enforcing the guaranteed property or the guarantor's property (执行裁定书, issued
when enforcement resumes against the guarantee: a suspension's guarantee after the period
ended unperformed or the guarantor disposed of the property, a settlement's guarantee after
the settlement was broken): the court, the case, the debtors and applicants, the basis, the
guarantor, what is guaranteed, the limit (the guaranteed amount), the reason, the ruling
(执行担保人…的财产 / 担保财产（…），以…元为限) and the officer. Also numbered in the case
number's form (之一, 之二 … after the case's earlier documents). Template built by
documents/docx/build_enforcement_decisions.py."""

from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentType, Element, register_type

from .document_kinds_notices import CASE_HEAD

SUSPENSION_DECISION = "enforcement.guarantee_suspension_decision"
ENFORCEMENT_RULING = "enforcement.guarantee_enforcement_ruling"


def register_types() -> None:
    register_type(
        DocumentType(
            code=SUSPENSION_DECISION,
            title="暂缓执行决定书",
            template="enforcement_suspension_decision.docx",
            number_prefix="执暂字",
            parties_element="debtors",
            elements=(
                *CASE_HEAD,
                Element("guarantor", _("担保人")),
                Element("guarantee", _("担保方式及内容")),
                Element("amount", _("担保金额"), "money"),
                Element("suspension_until", _("暂缓执行至"), "date"),
                Element("approver", _("批准人")),
                Element("officer", _("承办人")),
            ),
        )
    )
    register_type(
        DocumentType(
            code=ENFORCEMENT_RULING,
            title="执行裁定书（执行担保）",
            template="enforcement_guarantee_ruling.docx",
            number_prefix="执保字",
            parties_element="debtors",
            elements=(
                *CASE_HEAD,
                Element("guarantor", _("担保人")),
                Element("guarantee", _("担保方式及内容")),
                Element("amount", _("担保金额（执行限额）"), "money"),
                Element("applied_on", _("申请执行人申请执行担保的日期"), "date"),
                Element("reason", _("执行担保的事由")),
                Element("legal_basis", _("法律依据")),
                Element("ruling", _("裁定执行的财产")),
                Element("officer", _("承办人")),
            ),
        )
    )
