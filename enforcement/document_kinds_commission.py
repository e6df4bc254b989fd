"""The commission letter (委托执行函, enf-commission): from the enforcing court to the
receiving court, naming the case, the parties, the basis, the amount, what is to be done
there and what is known of the debtor's property there, and reminding the receiving court
of its clocks (filed in 7 days, started in 15, reported at 30). Numbered in the case
number's form. Template built by documents/docx/build_enforcement_decisions.py."""

from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentType, Element, register_type

from .document_kinds_notices import DEBTORS

COMMISSION_LETTER = "enforcement.commission_letter"


def register_types() -> None:
    register_type(
        DocumentType(
            code=COMMISSION_LETTER,
            title="委托执行函",
            template="enforcement_commission_letter.docx",
            number_prefix="执委字",
            parties_element="debtors",
            elements=(
                Element("court", _("委托法院")),
                Element("receiving_court", _("受托法院")),
                Element("case_number", _("案号")),
                DEBTORS,
                Element("applicants", _("申请执行人")),
                Element("basis", _("执行依据")),
                Element("amount", _("执行标的金额"), "money", required=False),
                Element("matters", _("委托事项")),
                Element("assets_note", _("被执行人在受托地的财产或线索"), required=False),
                Element("officer", _("承办人")),
            ),
        )
    )
