"""出卷: registering disputes, their parties and attachments."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_change, audit_create, audit_personal_view, snapshot
from cases import conf, timelimits
from cases.models import (
    Attachment,
    Category,
    Dispute,
    DisputeEvent,
    DisputeParty,
    Party,
    PartyRole,
    ReferenceSequence,
    RiskLevel,
    SourceChannel,
)
from common import pii
from common.money import to_yuan
from common.search import tokenize
from common.sequences import sequence_next
from common.validators import (
    normalise_credit_code,
    normalise_id_number,
    normalise_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

from ._common import event_record

PARTY_FIELDS = (
    "role",
    "kind",
    "name",
    "id_number",
    "phone",
    "credit_code",
    "legal_representative",
    "address",
)


def _clean_party(data: dict, position: int) -> dict:
    """Normalise and validate one party dict; errors name the party, never echo the number."""
    prefix = _("第%(n)d位当事人：") % {"n": position + 1}
    errors = []
    kind = data.get("kind") or Party.Kind.PERSON
    role = data.get("role") or PartyRole.APPLICANT
    name = (data.get("name") or "").strip()
    id_number = normalise_id_number(data.get("id_number") or "")
    phone = normalise_mobile(data.get("phone") or "")
    credit_code = normalise_credit_code(data.get("credit_code") or "")
    if kind not in Party.Kind.values:
        errors.append(prefix + _("类型无效。"))
    if role not in PartyRole.values:
        errors.append(prefix + _("诉讼地位无效。"))
    if not name:
        errors.append(prefix + _("请填写姓名或名称。"))
    if id_number:
        if kind != Party.Kind.PERSON:
            errors.append(prefix + _("法人或其他组织请填写统一社会信用代码，而非身份证号码。"))
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            errors.extend(prefix + m for m in exc.messages)
    if credit_code:
        if kind != Party.Kind.ORGANISATION:
            errors.append(prefix + _("自然人请填写身份证号码，而非统一社会信用代码。"))
        try:
            validate_credit_code(credit_code)
        except ValidationError as exc:
            errors.extend(prefix + m for m in exc.messages)
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            errors.extend(prefix + m for m in exc.messages)
    if errors:
        raise ValidationError({"parties": errors})
    return {
        "role": role,
        "kind": kind,
        "name": name,
        "id_number": id_number,
        "phone": phone,
        "credit_code": credit_code,
        "legal_representative": (data.get("legal_representative") or "").strip(),
        "address": (data.get("address") or "").strip(),
    }


def _party_lookup(clean: dict) -> Party | None:
    if clean["id_number"]:
        return Party.objects.filter(id_number_index=pii.id_number_index(clean["id_number"])).first()
    if clean["credit_code"]:
        return Party.objects.filter(credit_code=clean["credit_code"]).first()
    if clean["phone"]:
        # No identifier: the same name with the same phone is taken to be the same person.
        return (
            Party.objects.filter(
                kind=clean["kind"],
                name=clean["name"],
                phone_index=pii.phone_index(clean["phone"]),
                id_number_index="",
                credit_code="",
            )
            .order_by("pk")
            .first()
        )
    return None


def party_find_or_create(*, data: dict, actor, position: int = 0) -> tuple[Party, bool]:
    """The one Party for this person or organisation (by blind index / credit code).

    Missing details (phone, address, representative) on an existing record are filled in;
    nothing already on file is overwritten here.
    """
    clean = _clean_party(data, position)
    party = _party_lookup(clean)
    if party is not None:
        before = snapshot(party)
        changed = False
        if clean["phone"] and not party.phone_index:
            pii.seal_into(party, "phone", pii.seal_phone(clean["phone"]))
            changed = True
        for field in ("address", "legal_representative"):
            if clean[field] and not getattr(party, field):
                setattr(party, field, clean[field])
                changed = True
        if changed:
            party.save()
            audit_change(party, actor=actor, before=before)
        return party, False

    party = Party(
        kind=clean["kind"],
        name=clean["name"],
        credit_code=clean["credit_code"],
        legal_representative=clean["legal_representative"],
        address=clean["address"],
    )
    pii.seal_into(party, "id_number", pii.seal_id_number(clean["id_number"]))
    pii.seal_into(party, "phone", pii.seal_phone(clean["phone"]))
    try:
        with transaction.atomic():
            party.save()
    except IntegrityError:
        # Registered concurrently by someone else: use theirs.
        existing = _party_lookup(clean)
        if existing is None:
            raise
        return existing, False
    audit_create(party, actor=actor)
    return party, True


def dispute_party_record(*, dispute: Dispute, party: Party, data: dict, actor) -> DisputeParty:
    """Link a party to a dispute with the name, phone and address as this dispute recorded
    them (the caller holds the transaction). Pages show these, never another dispute's."""
    link = DisputeParty(
        dispute=dispute,
        party=party,
        role=data["role"],
        name=data["name"],
        address=data.get("address", ""),
    )
    pii.seal_into(link, "phone", pii.seal_phone(data.get("phone", "")))
    link.save()
    audit_create(link, actor=actor)
    return link


def dispute_reference(*, organisation_id: int, year: int, number: int) -> str:
    """The reference format, FQ2026-0012-000034: one place for register and the importer."""
    return f"FQ{year}-{organisation_id:04d}-{number:06d}"


def _next_reference(organisation, year: int) -> str:
    number = sequence_next(ReferenceSequence, organisation=organisation, year=year)
    return dispute_reference(organisation_id=organisation.pk, year=year, number=number)


def dispute_search_tokens(dispute: Dispute, party_names: Iterable[str]) -> list[str]:
    """Tokens for free-text search: names with single characters, the rest as bigrams."""
    tokens: dict[str, None] = {}
    for name in party_names:
        tokens.update(dict.fromkeys(tokenize(name, unigrams=True)))
    for text in (dispute.reference, dispute.source_reference, dispute.place, dispute.facts):
        tokens.update(dict.fromkeys(tokenize(text)))
    return list(tokens)


# Leading bytes of each allowed type ("magic numbers"): a file is what its first bytes say,
# whatever its name and declared type claim. Each entry is (offset, bytes); any one matches.
# A type configured in CASES_ATTACHMENT_TYPES without an entry here is not checked by content.
ATTACHMENT_SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    "image/jpeg": ((0, b"\xff\xd8\xff"),),
    "image/png": ((0, b"\x89PNG\r\n\x1a\n"),),
    "image/webp": ((8, b"WEBP"),),  # RIFF....WEBP; RIFF checked below
    "application/pdf": ((0, b"%PDF-"),),
    "application/msword": ((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),),  # OLE2 compound file
    # Office Open XML (.docx, .xlsx, .pptx) is a ZIP archive
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        (0, b"PK\x03\x04"),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ((0, b"PK\x03\x04"),),
}
# What each type is called in the refusal message.
ATTACHMENT_TYPE_NAMES = {
    "image/jpeg": gettext_lazy("JPEG图片"),
    "image/png": gettext_lazy("PNG图片"),
    "image/webp": gettext_lazy("WebP图片"),
    "application/pdf": gettext_lazy("PDF文件"),
    "application/msword": gettext_lazy("Word文档（.doc）"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": gettext_lazy(
        "Word文档（.docx）"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": gettext_lazy(
        "Excel表格（.xlsx）"
    ),
}


def _leading_bytes(upload, count: int = 16) -> bytes:
    """The first bytes of an upload, leaving it rewound for storage."""
    upload.seek(0)
    head = upload.read(count)
    upload.seek(0)
    return head or b""


def attachment_content_matches(head: bytes, content_type: str) -> bool:
    """Whether a file starting with `head` really is of `content_type` (True when unknown)."""
    signatures = ATTACHMENT_SIGNATURES.get(content_type)
    if signatures is None:
        return True
    if content_type == "image/webp" and not head.startswith(b"RIFF"):
        return False
    return any(head[offset : offset + len(magic)] == magic for offset, magic in signatures)


# What Pillow calls each image type it must decode as.
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def image_decodes(upload, content_type: str) -> bool:
    """Whether Pillow reads the whole upload as an image of `content_type` (rewound after).

    The leading bytes are easy to fake; a photo must also decode: `verify()` checks the
    structure, `load()` decodes the pixels (truncated data fails), and Pillow's
    decompression-bomb guard refuses absurd dimensions.
    """
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format != PILLOW_FORMATS[content_type]:
                return False
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    # Pillow reports corrupt data with many exception types (OSError, SyntaxError,
    # ValueError, DecompressionBombError, struct.error…): any of them means "not a photo".
    except Exception:
        return False
    finally:
        upload.seek(0)
    return True


def _content_mismatch(upload, content_type: str) -> ValidationError:
    return ValidationError(
        {
            "attachments": _(
                "文件“%(name)s”的内容不是%(kind)s，与文件类型不符，请上传真实的照片、PDF或Word文件。"
            )
            % {"name": upload.name, "kind": ATTACHMENT_TYPE_NAMES.get(content_type, content_type)}
        },
        code="content_mismatch",
    )


def attachment_validate(upload) -> str:
    """Check size, type and content of an uploaded file; returns its content type.

    The extension must be one of the allowed list and the declared content type allowed;
    the file's leading bytes must match both, and a photo must decode with Pillow: a text
    file renamed to .jpg, or a JPEG header followed by junk, is refused.
    """
    max_bytes = conf.get("CASES_ATTACHMENT_MAX_BYTES")
    allowed = conf.get("CASES_ATTACHMENT_TYPES")
    if upload.size > max_bytes:
        raise ValidationError(
            {
                "attachments": _("文件“%(name)s”超过大小限制（%(mb)d MB）。")
                % {"name": upload.name, "mb": max_bytes // (1024 * 1024)}
            }
        )
    extension = PurePath(upload.name or "").suffix.lower()
    by_extension = next(
        (kind for kind, extensions in allowed.items() if extension in extensions), ""
    )
    content_type = getattr(upload, "content_type", "") or by_extension
    if not by_extension or content_type not in allowed:
        raise ValidationError(
            {
                "attachments": _("文件“%(name)s”的类型不允许，请上传照片、PDF或Word文件。")
                % {"name": upload.name}
            }
        )
    head = _leading_bytes(upload)
    for claimed in dict.fromkeys((content_type, by_extension)):
        if not attachment_content_matches(head, claimed):
            raise _content_mismatch(upload, claimed)
        if claimed in PILLOW_FORMATS and not image_decodes(upload, claimed):
            raise _content_mismatch(upload, claimed)
    return content_type


def attachment_add(
    *, dispute, actor, upload, kind=Attachment.Kind.DOCUMENT, dispatch=None
) -> Attachment:
    """Store an uploaded file through Django's storage API (caller holds the transaction)."""
    content_type = attachment_validate(upload)
    attachment = Attachment(
        dispute=dispute,
        dispatch=dispatch,
        kind=kind,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    audit_create(attachment, actor=actor)
    return attachment


@transaction.atomic
def attachment_read(*, attachment: Attachment, actor) -> Attachment:
    """Record that `actor` downloaded an attachment (photos and documents carry personal
    data, so every read is audited like revealing an ID number). The caller has fetched it
    through the scoped getter."""
    audit_personal_view(
        attachment,
        actor=actor,
        fields=["file"],
        note=_("下载附件：%(name)s") % {"name": attachment.original_name},
    )
    return attachment


@transaction.atomic
def dispute_register(
    *,
    organisation,
    actor,
    source_channel: str,
    category: str,
    facts: str,
    parties: list[dict],
    region,
    place: str = "",
    amount_in_dispute: Decimal | None = None,
    risk_level: str = RiskLevel.ORDINARY,
    source_reference: str = "",
    registered_at: datetime | None = None,
    attachments: Iterable = (),
    linked_to: Dispute | None = None,
) -> Dispute:
    """出卷: register a dispute with its parties (found or created) and attachments.

    `parties` are dicts with keys role, kind, name, id_number, phone, credit_code,
    legal_representative, address. Raises ValidationError (field → messages; messages
    never contain ID numbers or phones). A second registration with the same
    (organisation, source_channel, source_reference) raises ValidationError with code
    "duplicate_source" — the importer relies on that for idempotent re-import.
    """
    errors: dict[str, list[str]] = {}
    facts = (facts or "").strip()
    source_reference = (source_reference or "").strip()
    if source_channel not in SourceChannel.values:
        errors["source_channel"] = [_("来源渠道无效。")]
    if category not in Category.values:
        errors["category"] = [_("纠纷类别无效。")]
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = [_("风险等级无效。")]
    if not facts:
        errors["facts"] = [_("请填写基本事实。")]
    amount = None
    if amount_in_dispute is not None:
        try:
            amount = to_yuan(amount_in_dispute)
        except (TypeError, ValueError):
            errors["amount_in_dispute"] = [_("争议金额应为数字（元）。")]
        else:
            if amount < 0:
                errors["amount_in_dispute"] = [_("争议金额不能为负数。")]
    if not parties:
        errors["parties"] = [_("请至少填写一位当事人。")]
    cleaned = []
    for position, data in enumerate(parties or []):
        try:
            cleaned.append(_clean_party(data, position))
        except ValidationError as exc:
            errors.setdefault("parties", []).extend(exc.message_dict["parties"])
    if (
        source_reference
        and Dispute.objects.filter(
            organisation=organisation,
            source_channel=source_channel,
            source_reference=source_reference,
        ).exists()
    ):
        errors.setdefault("source_reference", []).append(_("该来源编号已登记，不再重复登记。"))
    if errors:
        code = "duplicate_source" if list(errors) == ["source_reference"] else "invalid"
        raise ValidationError(errors, code=code)

    registered_at = registered_at or timezone.now()
    dispute = Dispute(
        organisation=organisation,
        reference=_next_reference(organisation, timezone.localtime(registered_at).year),
        source_channel=source_channel,
        source_reference=source_reference,
        category=category,
        facts=facts,
        amount_in_dispute=amount,
        region=region,
        place=(place or "").strip(),
        risk_level=risk_level,
        registered_by=actor,
        registered_at=registered_at,
        triage_due_at=registered_at + timedelta(hours=conf.get("CASES_TRIAGE_HOURS")),
        linked_to=linked_to,
    )
    links = []
    for position, data in enumerate(cleaned):
        party, _created = party_find_or_create(data=data, actor=actor, position=position)
        links.append((party, data))
    # the names as entered: a matched party may be on file elsewhere under another name
    dispute.search_tokens = dispute_search_tokens(dispute, [data["name"] for data in cleaned])
    try:
        with transaction.atomic():
            dispute.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"source_reference": [_("该来源编号已登记，不再重复登记。")]}, code="duplicate_source"
        ) from exc
    seen = set()
    for party, data in links:
        if (party.pk, data["role"]) not in seen:
            seen.add((party.pk, data["role"]))
            dispute_party_record(dispute=dispute, party=party, data=data, actor=actor)
    uploads = [
        item if isinstance(item, tuple) else (item, Attachment.Kind.DOCUMENT)
        for item in attachments
    ]
    # Check every file before storing any, so a refused file leaves no stored orphans.
    for upload, _kind in uploads:
        attachment_validate(upload)
    for upload, kind in uploads:
        attachment_add(dispute=dispute, actor=actor, upload=upload, kind=kind)
    audit_create(dispute, actor=actor)
    event_record(
        dispute,
        kind=DisputeEvent.Kind.REGISTERED,
        actor=actor,
        at=registered_at,
        data={"source_channel": source_channel, "linked_to": linked_to.pk if linked_to else None},
    )
    timelimits.start(
        subject=dispute,
        kind=timelimits.TRIAGE,
        organisation=organisation,
        actor=actor,
        due_at=dispute.triage_due_at,
        start=registered_at,
    )
    return dispute
