"""The decision suspending enforcement on a guarantee (暂缓执行决定书, enf-guarantee): the
court, the case, the debtors, the guarantor and what is guaranteed (amount, property), the
day enforcement is suspended until (at most a year), the consequence (the guarantor's
property or the guarantor enforced if the debtor does not perform) and the approving
president. Numbered in the case number's form. Template built by
documents/docx/build_enforcement_decisions.py."""

from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentType, Element, register_type

from .document_kinds_notices import CASE_HEAD

SUSPENSION_DECISION = "enforcement.guarantee_suspension_decision"


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
