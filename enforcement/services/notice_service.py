"""Service (送达) of the notices: how one notice reached one recipient — method, date,
address or channel, who signed, proof — and who must be served (every debtor; the
applicants their copy of the 执行通知书). A notice counts as served when every debtor has a
record (enforcement.selectors_notices.NoticeState.served)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create, audit_personal_view
from cases.services.intake import attachment_validate
from common import pii
from common.masking import mask_middle
from common.statemachine import TransitionNotAllowed
from enforcement.models import (
    CaseParty,
    ElectronicChannel,
    EnforcementNotice,
    EnforcementRole,
    NoticeKind,
    ServiceMethod,
    ServiceRecord,
)

from .notices import lock_case, notice_is_live, require_open, require_staff

# --- service (送达) ---------------------------------------------------------------------------

# What each method must carry besides the date (the law's proof of service for it).
_METHOD_NEEDS = {
    ServiceMethod.DIRECT: ("receipt_name",),
    ServiceMethod.POST: ("address",),
    ServiceMethod.ELECTRONIC: ("channel",),
    ServiceMethod.LEFT: ("address",),
    ServiceMethod.PUBLIC: ("address",),
}
_FIELD_MESSAGES = {
    "receipt_name": _("直接送达须填写签收人。"),
    "address": _("请填写送达地址（公告送达填写公告的报纸或网站）。"),
    "channel": _("电子送达须选择渠道（短信、电子邮件或电子送达平台）。"),
}


def service_recipients(notice: EnforcementNotice) -> list[CaseParty]:
    """Who is served this notice: every debtor; the applicants get their copy of the
    执行通知书 (the 报告财产令 is addressed to the debtors only)."""
    roles = [EnforcementRole.DEBTOR]
    if notice.kind == NoticeKind.EXECUTION_NOTICE:
        roles.append(EnforcementRole.APPLICANT)
    return list(
        notice.case.case_parties.filter(role__in=roles)
        .select_related("party")
        .order_by("-role", "position", "pk")  # debtors first
    )


def _party_phone(recipient: CaseParty) -> str:
    if recipient.phone_encrypted:
        return pii.decrypt(recipient.phone_encrypted)
    if recipient.party.phone_encrypted:
        return pii.decrypt(recipient.party.phone_encrypted)
    return ""


@transaction.atomic
def service_record(
    *,
    notice: EnforcementNotice,
    recipient: CaseParty,
    method: str,
    served_on: datetime.date,
    actor,
    channel: str = "",
    address: str = "",
    electronic_address: str = "",
    receipt_name: str = "",
    receipt_relation: str = "",
    tracking_number: str = "",
    witnesses: str = "",
    note: str = "",
    proof=None,
) -> ServiceRecord:
    """Record that `notice` was served on `recipient`.

    Electronic service is recorded, not sent by the portal: the notifications app reaches
    portal users only, and a debtor is not one (the court's e-service platform or its SMS
    gateway sends it). For SMS with no number given, the number recorded on the case is
    used; the number or address is stored encrypted and shown masked.
    Refused (409): the notice revoked; the case concluded; this recipient already served.
    Refused (400): a recipient not of this case (or an applicant for the 报告财产令), a date
    in the future or before the notice, a method's missing particulars, a bad proof file.
    """
    case = notice.case
    require_staff(case, actor)
    locked_case = lock_case(case)
    require_open(locked_case, _("登记送达"))
    notice = EnforcementNotice.objects.select_related("document", "case").get(pk=notice.pk)
    if not notice_is_live(notice):
        raise TransitionNotAllowed(
            _("%(t)s已撤销或被替换，不能登记送达。") % {"t": notice.get_kind_display()}
        )
    errors: dict[str, list] = {}
    allowed = {p.pk: p for p in service_recipients(notice)}
    if getattr(recipient, "pk", None) not in allowed:
        errors["recipient"] = [
            _("受送达人须为本案被执行人或申请执行人（报告财产令仅送达被执行人）。")
        ]
    else:
        recipient = allowed[recipient.pk]
    if method not in ServiceMethod.values:
        errors["method"] = [_("请选择送达方式。")]
    channel = (channel or "").strip() if method == ServiceMethod.ELECTRONIC else ""
    if channel and channel not in ElectronicChannel.values:
        errors["channel"] = [_("请选择电子送达渠道。")]
    values = {
        "address": (address or "").strip()[:200],
        "receipt_name": (receipt_name or "").strip()[:60],
        "channel": channel,
    }
    for needed in _METHOD_NEEDS.get(method, ()):
        if not values[needed] and needed not in errors:
            errors[needed] = [_FIELD_MESSAGES[needed]]
    if method == ServiceMethod.LEFT and not (witnesses or "").strip() and proof is None:
        errors["witnesses"] = [_("留置送达须有见证人，或上传拍照录像等凭证。")]
    issued_on = timezone.localtime(notice.issued_at).date()
    if not isinstance(served_on, datetime.date):
        errors["served_on"] = [_("请填写送达日期。")]
    elif served_on > timezone.localdate():
        errors["served_on"] = [_("送达日期不能晚于今天。")]
    elif served_on < issued_on:
        errors["served_on"] = [_("送达日期不能早于文书发出日期（%(d)s）。") % {"d": issued_on}]
    electronic = (electronic_address or "").strip()
    if method == ServiceMethod.ELECTRONIC and "recipient" not in errors:
        if not electronic and channel == ElectronicChannel.SMS:
            electronic = _party_phone(recipient)
        if not electronic:
            errors["electronic_address"] = [_("请填写电子送达的手机号码、邮箱或平台账号。")]
    proof_type = ""
    if proof is not None:
        try:
            proof_type = attachment_validate(proof)
        except ValidationError as exc:
            errors["proof"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if ServiceRecord.objects.filter(notice=notice, recipient=recipient).exists():
        raise TransitionNotAllowed(
            _("已登记向%(n)s送达%(t)s。") % {"n": recipient.name, "t": notice.get_kind_display()}
        )
    record = ServiceRecord(
        notice=notice,
        recipient=recipient,
        method=method,
        channel=channel,
        served_on=served_on,
        address=values["address"],
        receipt_name=values["receipt_name"],
        receipt_relation=(receipt_relation or "").strip()[:60],
        tracking_number=(tracking_number or "").strip()[:40],
        witnesses=(witnesses or "").strip()[:120],
        note=(note or "").strip()[:200],
        recorded_by=actor,
    )
    if method == ServiceMethod.ELECTRONIC:
        record.electronic_address_encrypted = pii.encrypt(electronic)
        record.electronic_address_masked = mask_middle(electronic)[:120]
    if proof is not None:
        record.proof_name = proof.name[:200]
        record.proof_content_type = proof_type
        record.proof_size = proof.size
        record.proof_file.save(proof.name, proof, save=False)
    record.save()
    audit_create(
        record,
        actor=actor,
        note=_("%(m)s%(t)s：%(n)s")
        % {"m": record.get_method_display(), "t": notice.get_kind_display(), "n": recipient.name},
    )
    return record


@transaction.atomic
def service_proof_read(*, record: ServiceRecord, actor) -> ServiceRecord:
    """Every download of a proof of service is audited (it shows a signature, an address)."""
    audit_personal_view(
        record,
        actor=actor,
        fields=["proof_file"],
        note=_("下载送达凭证：%(n)s") % {"n": record.proof_name},
    )
    return record
