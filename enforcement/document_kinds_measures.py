"""The decision documents of the coercive measures (DOMAIN.md, "Legal rules": fines and
detention need the president's approval and a written decision, 决定书).

Every measure's document names the court, the case number, the person it binds (name,
identity; for an organisation's head, the organisation too), the facts and reasons, what
is decided (hours, amount, days, place as the kind needs — the service composes it from
the record and refuses a measure whose numbers break the law before anything is issued),
the remedy (复议 for a fine or detention: within 3 days, once, enforcement not suspended),
the approving president and the officer. The templates are built by
documents/docx/build_enforcement_measures.py.
"""

from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentType, Element, register_type

APPEARANCE = "enforcement.measure_appearance"
FINE = "enforcement.measure_fine"
DETENTION = "enforcement.measure_detention"
EXIT_RESTRICTION = "enforcement.measure_exit_restriction"
SEARCH = "enforcement.measure_search"
PUBLICATION = "enforcement.measure_publication"
CRIMINAL_REFERRAL = "enforcement.measure_criminal_referral"

SUBJECTS = Element(
    "subjects",
    _("被采取措施人"),
    "list",
    fields=(
        Element("name", _("姓名或名称")),
        Element("identity", _("身份证明号码")),
        Element("address", _("住所"), required=False),
        Element("representative", _("所属单位/负责人"), required=False),
    ),
)

ELEMENTS = (
    Element("court", _("执行法院")),
    Element("case_number", _("案号")),
    SUBJECTS,
    Element("reason", _("事实和理由")),
    Element("decision", _("决定事项")),
    Element("remedy", _("救济途径"), required=False),
    Element("approver", _("批准人"), required=False),
    Element("officer", _("承办人")),
)

# code → (title, template, number prefix)
TYPES = {
    APPEARANCE: ("拘传票", "enforcement_measure_appearance.docx", "执拘传字"),
    FINE: ("罚款决定书", "enforcement_measure_fine.docx", "执罚字"),
    DETENTION: ("拘留决定书", "enforcement_measure_detention.docx", "执拘字"),
    EXIT_RESTRICTION: ("限制出境决定书", "enforcement_measure_exit_restriction.docx", "执限出字"),
    SEARCH: ("搜查令", "enforcement_measure_search.docx", "执搜字"),
    PUBLICATION: ("执行悬赏（曝光）公告", "enforcement_measure_publication.docx", "执公字"),
    CRIMINAL_REFERRAL: (
        "涉嫌拒不执行判决、裁定罪移送函", "enforcement_measure_criminal_referral.docx", "执移字",
    ),
}  # fmt: skip


def register_types() -> None:
    for code, (title, template, prefix) in TYPES.items():
        register_type(
            DocumentType(
                code=code,
                title=title,
                template=template,
                number_prefix=prefix,
                parties_element="subjects",
                elements=ELEMENTS,
            )
        )
