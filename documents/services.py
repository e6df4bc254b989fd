"""Issuing documents — the public API other apps call (mediation, enforcement, credit).

    from documents.services import document_issue, document_revoke, document_supersede

    document = document_issue(
        kind="mediation.agreement",        # a code from documents/kinds.py
        subject=agreement,                 # the record the document belongs to (any model)
        organisation=committee,            # who issues it: numbers run per organisation
        data={...},                        # the type's elements (see documents/kinds.py)
        actor=request.user,
    )
    document.number, document.verification_code_display, document.sha256

- **Completeness first.** Data lacking a legally required element is refused with a
  `ValidationError` listing each missing element's label, before anything is written or
  numbered (`selectors.document_missing_elements(kind=…, data=…)` asks beforehand). Money is Decimal or str (a float is refused), dates `datetime.date`.
- **Numbers** run per organisation, type and year without gaps: the sequence row is locked
  (`select_for_update`) for the whole issue, so the number printed is the number kept, and a
  failure (PDF conversion, storage) rolls it back. Issues of one type in one organisation
  therefore queue behind each other for the conversion's second or two. A court's document
  in a case (`case_number=`) prints the case number's form instead (号, 号之一 …, under the
  case's row lock), and so does its replacement (`document_supersede`).
- **What is kept**: the filled .docx and its PDF (LibreOffice, fonts embedded), exactly as
  issued, under random storage names; the PDF's SHA-256 (checked again on every download);
  a verification code printed with a QR code leading to the public page `/v/<code>/`.
- **Who may read**: whoever may read the subject record. Register the record page's getter
  with `documents.registry.register_subject(Model, getter)` in your app's `ready()` — a
  model that registered a history getter (`audit.registry.register_history`) needs nothing
  more. Show the record's documents with
  `{% include "documents/partials/record_documents.html" with record=obj %}` and add
  `documents.selectors.documents_for(obj)` to the record's `register_history(related=…)` so
  issue, revoke and supersede appear in its history.
- **Who may issue, revoke, supersede**: staff of the issuing organisation or above it
  (clerk, mediator, enforcement officer, supervisor, administrator in its scope); the
  calling app checks its own workflow rules first.

Call it from your own service's transaction: a rollback there undoes the number and the
row (the two stored files then stay behind under random names, unreferenced).
A PDF that cannot be made raises `DocumentGenerationError` (a ValidationError, so forms
and the API answer it like bad input rather than with a 500); nothing is kept.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_create, audit_personal_view
from common.masking import mask_name
from common.sequences import sequence_next
from common.statemachine import StateMachine, Transition, TransitionNotAllowed
from organisations.models import Organisation
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from . import codes, converter, rendering
from .models import DocumentSequence, IssuedDocument, document_storage_name
from .registry import DocumentType, get_type, lock_case_number

logger = logging.getLogger(__name__)

# plain values: a str-enum member hashes by its name, so it would not meet "clerk" in a set
ISSUING_ROLES = frozenset(
    role.value
    for role in (Role.CLERK, Role.MEDIATOR, Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR, Role.ADMIN)
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentGenerationError(ValidationError):
    """The document could not be produced (converter missing, failed, too slow)."""


def _roles_of(document, actor) -> set[str]:
    organisation = Organisation.objects.select_related("region").get(pk=document.organisation_id)
    return roles_in_scope_of(actor, organisation)


lifecycle = StateMachine(
    state_field="status",
    states=IssuedDocument.Status,
    roles_of=_roles_of,
    transitions=[
        Transition(
            "revoke",
            gettext_lazy("撤销"),
            (IssuedDocument.Status.ISSUED,),
            IssuedDocument.Status.REVOKED,
            roles=ISSUING_ROLES,
            button_style="danger",
        ),
        Transition(
            "supersede",
            gettext_lazy("替换"),
            (IssuedDocument.Status.ISSUED,),
            IssuedDocument.Status.SUPERSEDED,
            roles=ISSUING_ROLES,
        ),
    ],
)


def document_number(*, document_type: DocumentType, organisation, year: int, sequence: int) -> str:
    """（2026）新华调委调协字第3号: year, the organisation's short name, the type, the number."""
    issuer = organisation.short_name or organisation.name
    return f"（{year}）{issuer}{document_type.number_prefix}第{sequence}号"


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (the 之N of a case's documents);
    past 99 (never seen in one case) the figure itself."""
    if n <= 0:
        raise ValueError("an ordinal starts at 1")
    if n < 10:
        return CHINESE_DIGITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        head = "" if tens == 1 else CHINESE_DIGITS[tens]
        return head + "十" + (CHINESE_DIGITS[units] if units else "")
    return str(n)


def case_document_number(*, case_number: str) -> str:
    """A court's document in a case carries the case number: the first one the case number
    itself (（2026）蒙0302执123号), each later one 之一, 之二 … (（2026）蒙0302执123号之一).
    Counted over every organisation: a case moved to another court keeps its number, and
    its documents there go on from the original court's. The caller holds the case's row
    lock, so two documents of one case are numbered one after the other."""
    base = case_number.strip()
    taken = IssuedDocument.objects.filter(Q(number=base) | Q(number__startswith=f"{base}之"))
    count = taken.count()
    return base if count == 0 else f"{base}之{chinese_ordinal(count)}"


def _next_sequence(organisation, kind: str, year: int) -> int:
    return sequence_next(DocumentSequence, organisation=organisation, kind=kind, year=year)


def _public_parties(document_type: DocumentType, data: dict) -> list[str]:
    parties = data.get(document_type.parties_element) or []
    return [mask_name(str(party.get("name", "")).strip()) for party in parties]


def verify_url(code: str) -> str:
    return settings.FENGQIAO_PUBLIC_URL.rstrip("/") + reverse("documents:verify", args=[code])


def _check_may_issue(actor, organisation) -> None:
    if not (roles_in_scope_of(actor, organisation) & ISSUING_ROLES):
        raise PermissionDenied(_("无权以%(org)s的名义出具文书。") % {"org": organisation.name})


def _store(content: bytes, extension: str) -> str:
    return default_storage.save(document_storage_name(extension), ContentFile(content))


@transaction.atomic
def document_issue(
    *, kind: str, subject, organisation, data: dict, actor, case_number: str = ""
) -> IssuedDocument:
    """Issue a document of type `kind` about `subject` in `organisation`'s name.

    With `case_number` (a court's document in a case), the number printed is the case
    number's form (`case_document_number`) instead of the type's own series; the series
    still counts the issue (year and sequence stay gap-free per type). The document keeps
    the case number (`IssuedDocument.case_number`), so its replacement is numbered in the
    same form. The caller holds the case's row lock (the one its app registered with
    `registry.register_case_number_lock`).

    Refuses (ValidationError, one message per missing element's label) before numbering
    when `data` lacks a required element; PermissionDenied when `actor` is not staff in the
    organisation's scope. Writes an audit entry on the new document.
    """
    try:
        document_type = get_type(kind)
    except LookupError as exc:
        raise ValidationError(_("未知的文书类型：%(kind)s") % {"kind": kind}) from exc
    rendering.check_complete(document_type, data)
    # fresh from the database: tree paths move when siblings are inserted in name order
    organisation = Organisation.objects.select_related("region").get(pk=organisation.pk)
    _check_may_issue(actor, organisation)
    if getattr(subject, "pk", None) is None:
        raise ValueError("the subject must be saved before a document is issued about it")

    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    sequence = _next_sequence(organisation, kind, year)
    case_number = case_number.strip()
    if case_number:
        number = case_document_number(case_number=case_number)
    else:
        number = document_number(
            document_type=document_type, organisation=organisation, year=year, sequence=sequence
        )
    code = codes.new_code()
    parties = (data.get(document_type.parties_element) or []) if data else []
    context = {
        **rendering.template_context(document_type, data),
        "title": document_type.title,
        "organisation": organisation.name,
        "number": number,
        "issued_on": rendering.chinese_date(timezone.localtime(issued_at).date()),
        # one copy for each party and one kept by the issuing organisation
        "copies": len(parties) + 1,
        "verification_code": codes.group(code),
    }
    docx = rendering.render_docx(document_type, context, verify_url=verify_url(code))
    try:
        pdf = converter.docx_to_pdf(docx)
    except converter.ConversionError as exc:
        logger.error("document %s for %s: PDF conversion failed: %s", kind, number, exc)
        raise DocumentGenerationError(
            _("文书 PDF 生成失败，未出具，请稍后重试或联系管理员。"), code="conversion_failed"
        ) from exc

    stored: list[str] = []
    try:
        stored.append(_store(docx, ".docx"))
        stored.append(_store(pdf, ".pdf"))
        document = IssuedDocument.objects.create(
            kind=kind,
            title=document_type.title,
            number=number,
            case_number=case_number,
            year=year,
            sequence=sequence,
            organisation=organisation,
            content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
            object_id=subject.pk,
            docx_file=stored[0],
            pdf_file=stored[1],
            docx_sha256=hashlib.sha256(docx).hexdigest(),
            sha256=hashlib.sha256(pdf).hexdigest(),
            verification_code=code,
            public_parties=_public_parties(document_type, data),
            issued_at=issued_at,
            issued_by=actor,
        )
        audit_create(document, actor=actor, note=_("出具%(title)s") % {"title": document.title})
    except BaseException:
        # The transaction forgets the row; the files must go too.
        for name in stored:
            default_storage.delete(name)
        raise
    return document


@transaction.atomic
def document_revoke(*, document: IssuedDocument, actor, reason: str) -> IssuedDocument:
    """Revoke an issued document: the public page then says so, with the date. The files
    stay (a revoked document can still be read by those who may read its record)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写撤销原因。")]})
    return lifecycle.apply(
        document,
        "revoke",
        actor=actor,
        note=reason,
        changes={"revoked_at": timezone.now(), "revoked_by": actor, "revoke_reason": reason[:200]},
    )


@transaction.atomic
def document_supersede(
    *, document: IssuedDocument, data: dict, actor, reason: str = ""
) -> IssuedDocument:
    """Issue a corrected replacement of `document` (same type, record and organisation, a
    new number) and mark the old one superseded by it. Returns the new document. The old
    one's public page names the new number.

    A document numbered by its case number is replaced by the case's next number (号之N),
    numbered under the case's row lock, taken as its issuers take it: the case first, then
    the document (a case's own services lock the case before its documents). One numbered
    in its type's series is replaced by the series' next number."""
    case_number = IssuedDocument.objects.values_list("case_number", flat=True).get(pk=document.pk)
    if case_number and not lock_case_number(case_number):
        raise ValidationError(
            _("找不到文书所属的案件（%(number)s），无法按案号编号替换文书。")
            % {"number": case_number},
            code="case_not_found",
        )
    locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    refusal = lifecycle.refusal(locked, "supersede", actor)
    if refusal:
        raise TransitionNotAllowed(refusal)
    replacement = document_issue(
        kind=locked.kind,
        subject=locked.subject,
        organisation=locked.organisation,
        data=data,
        actor=actor,
        case_number=locked.case_number,
    )
    note = _("由%(number)s替换") % {"number": replacement.number}
    if reason:
        note = f"{note}：{reason.strip()}"
    lifecycle.apply(
        document,
        "supersede",
        actor=actor,
        note=note,
        changes={"superseded_by": replacement, "superseded_at": replacement.issued_at},
    )
    return replacement


def document_read(*, document: IssuedDocument, actor, file_format: str) -> IssuedDocument:
    """Record that `actor` downloaded the document (it names parties and their ID numbers).
    The caller fetched it through `selectors.document_get_for_user`."""
    audit_personal_view(
        document,
        actor=actor,
        fields=["pdf_file" if file_format == "pdf" else "docx_file"],
        note=_("下载文书：%(number)s（%(format)s）")
        % {"number": document.number, "format": file_format.upper()},
    )
    return document
