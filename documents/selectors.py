"""Reading issued documents: a record's list, the scoped fetch, the public check."""

import hashlib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404

from organisations.selectors import get_for_user_or_404

from .codes import normalise
from .models import IssuedDocument
from .registry import get_type, subject_getter_for
from .rendering import missing_elements


def documents_for(record) -> QuerySet[IssuedDocument]:
    """The documents issued about `record`, newest first (one indexed query). Also fit for
    `register_history(related=…)`, so their issue, revocation and replacement show in the
    record's history."""
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
    return (
        IssuedDocument.objects.filter(content_type=content_type, object_id=record.pk)
        .select_related("organisation", "issued_by", "superseded_by")
        .order_by("-issued_at", "-pk")
    )


def document_get_for_user(user, pk) -> IssuedDocument:
    """The document if `user` may read its record (the record's own getter decides: 404
    otherwise). For a record model nobody registered, the issuing organisation's scope."""
    try:
        document = IssuedDocument.objects.select_related("organisation", "content_type").get(pk=pk)
    except (IssuedDocument.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    getter = subject_getter_for(f"{document.content_type.app_label}.{document.content_type.model}")
    if getter is not None:
        getter(user, document.object_id)  # raises Http404 when out of scope
        return document
    return get_for_user_or_404(IssuedDocument.objects.select_related("organisation"), user, pk=pk)


class StoredFileAltered(Exception):
    """A stored file no longer matches the hash taken when it was issued."""


def document_file_bytes(document: IssuedDocument, file_format: str) -> bytes:
    """The stored file, checked against its issue-time SHA-256 (StoredFileAltered if altered)."""
    field, expected = (
        (document.pdf_file, document.sha256)
        if file_format == "pdf"
        else (document.docx_file, document.docx_sha256)
    )
    try:
        with field.storage.open(field.name, "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    if hashlib.sha256(content).hexdigest() != expected:
        raise StoredFileAltered(f"{document.pk} {file_format}")
    return content


@dataclass(frozen=True)
class PublicFacts:
    """All the public page and API say about a document: nothing else leaves."""

    title: str
    number: str
    issued_at: object
    organisation: str
    parties: list[str]
    status: str
    status_label: str
    revoked_at: object
    superseded_by_number: str


def document_verify(code: str) -> PublicFacts | None:
    """The public facts of the document with this verification code, or None."""
    normalised = normalise(code)
    if normalised is None:
        return None
    document = (
        IssuedDocument.objects.select_related("organisation", "superseded_by")
        .filter(verification_code=normalised)
        .first()
    )
    if document is None:
        return None
    return PublicFacts(
        title=document.title,
        number=document.number,
        issued_at=document.issued_at,
        organisation=document.organisation.name,
        parties=list(document.public_parties),
        status=document.status,
        status_label=document.get_status_display(),
        revoked_at=document.revoked_at,
        superseded_by_number=document.superseded_by.number if document.superseded_by else "",
    )


def document_missing_elements(*, kind: str, data: dict) -> list[str]:
    """What `document_issue` would refuse for: the labels of the required elements `data`
    lacks, so an issuing page can say so (or disable its button) before the clerk asks."""
    return missing_elements(get_type(kind), data)
