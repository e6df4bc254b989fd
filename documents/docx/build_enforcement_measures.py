"""Build the .docx templates of the coercive measures' decisions (run after changing it):

    .venv/bin/python -m documents.docx.build_enforcement_measures

Elements are declared in enforcement/document_kinds_measures.py; every decision has the
same shape (heading, the person bound, facts and reasons, what is decided, the remedy,
approval and signature), so one builder makes them all.
"""

from pathlib import Path

from documents.docx.build_enforcement_notices import closing_block, heading_block
from documents.docx.build_templates import HERE, body, right, save_all, tag

TITLES = {
    "enforcement_measure_appearance.docx": "拘传票",
    "enforcement_measure_fine.docx": "罚款决定书",
    "enforcement_measure_detention.docx": "拘留决定书",
    "enforcement_measure_exit_restriction.docx": "限制出境决定书",
    "enforcement_measure_search.docx": "搜查令",
    "enforcement_measure_publication.docx": "执行悬赏（曝光）公告",
    "enforcement_measure_criminal_referral.docx": "涉嫌拒不执行判决、裁定罪移送函",
}


def decision(title: str):
    def make():
        from documents.docx.build_templates import new_document

        document = new_document()
        heading_block(document, title)
        tag(document, "{%p for p in subjects %}")
        body(
            document,
            "被采取措施人：{{ p.name }}，身份证明号码：{{ p.identity }}"
            "{% if p.address %}，住所：{{ p.address }}{% endif %}"
            "{% if p.representative %}，{{ p.representative }}{% endif %}。",
            indent=False,
        )
        tag(document, "{%p endfor %}")
        body(document, "{{ reason }}")
        body(document, "{{ decision }}")
        tag(document, "{%p if remedy %}")
        body(document, "{{ remedy }}")
        tag(document, "{%p endif %}")
        tag(document, "{%p if approver %}")
        right(document, "批准人：{{ approver }}")
        tag(document, "{%p endif %}")
        closing_block(document)
        return document

    return make


TEMPLATES = {name: decision(title) for name, title in TITLES.items()}


def build(directory: Path = HERE) -> list[Path]:
    return save_all(TEMPLATES, directory)


if __name__ == "__main__":
    for path in build():
        print(path)
