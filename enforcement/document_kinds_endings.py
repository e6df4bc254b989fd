"""The 终本 ruling (执行裁定书, 终结本次执行程序): the enforcing court, the case number, the
debtors, the applicant, the basis, the filing date, the amount, the enforcement work done,
the applicant's opinion, and the consequences (restrictions stay in force; the applicant may
apply to resume when assets are found; the court checks every 6 months). Template built by
documents/docx/build_enforcement_endings.py (enf-endings)."""

from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentType, Element, register_type

from .document_kinds_notices import HEADING

FINAL_RULING = "enforcement.final_ruling"


def register_types() -> None:
    register_type(
        DocumentType(
            code=FINAL_RULING,
            title="执行裁定书（终结本次执行程序）",
            template="enforcement_final_ruling.docx",
            number_prefix="执终本字",
            parties_element="debtors",
            elements=(
                *HEADING,
                Element("amount", _("执行标的金额"), "money", required=False),
                Element("work_done", _("已采取的执行措施")),
                Element("applicant_opinion", _("申请执行人意见")),
                Element("officer", _("承办人")),
            ),
        )
    )


TERMINATION_RULING = "enforcement.termination_ruling"


def register_termination_type() -> None:
    """The 终结执行 ruling (执行裁定书): the statutory ground and the facts; numbered in the
    case number's form (documents.services.case_document_number)."""
    register_type(
        DocumentType(
            code=TERMINATION_RULING,
            title="执行裁定书（终结执行）",
            template="enforcement_termination_ruling.docx",
            number_prefix="执终字",
            parties_element="debtors",
            elements=(
                *HEADING,
                Element("amount", _("执行标的金额"), "money", required=False),
                Element("ground", _("终结执行的法定情形")),
                Element("reason", _("事实和理由")),
                Element("officer", _("承办人")),
            ),
        )
    )
