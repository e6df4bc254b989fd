from django import template

from ..selectors import documents_for

register = template.Library()


@register.simple_tag
def record_documents(record) -> list:
    """The record's issued documents, newest first (one query)."""
    if record is None or getattr(record, "pk", None) is None:
        return []
    return list(documents_for(record))


@register.filter
def document_badge(status: str) -> str:
    return {"issued": "success", "revoked": "danger", "superseded": "secondary"}.get(
        status, "secondary"
    )
