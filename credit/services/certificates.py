"""Certificates from the documents service, each verifiable at /v/<code>/ by its QR code:

- `certificate_performance_issue`: 履行完毕证明 for a debtor of a case performed in full
  (the urging certificate before filing is enf-filing's own type);
- `voluntary_performance_record` + `certificate_voluntary_issue`: 自动履行生效法律文书证明
  for a party who performed without enforcement, entered in the 守信激励 register;
- `certificate_restoration_issue`: 信用修复证明 for a granted restoration.

Revoking one is the documents app's `document_revoke` (its page has the button); the
public page then says it was revoked.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create
from cases.services.intake import party_find_or_create
from common.money import to_yuan
from common.statemachine import TransitionNotAllowed
from documents.services import document_issue
from enforcement.models import CaseStatus, EnforcementRole

from ..document_kinds import (
    PERFORMANCE_CERTIFICATE,
    RESTORATION_CERTIFICATE,
    VOLUNTARY_CERTIFICATE,
)
from ..models import Certificate, Listing, Removal, Restoration, Restriction, VoluntaryPerformance
from ._common import case_lock, document_party, identity_of, require_court_staff
from .feed import feed_next_version
from .imposing import _basis_document
from .removal import live_sanctions


def _issue(
    certificate: Certificate, *, kind: str, data: dict, actor, case_number: str = ""
) -> Certificate:
    """With `case_number` (a certificate the court issues in the enforcement case, whose
    row the caller holds) numbered in the case's series, 号之N; without it (the voluntary
    performance certificate: no enforcement case) in the type's own series."""
    document = document_issue(
        kind=kind, subject=certificate, organisation=certificate.court, data=data, actor=actor,
        case_number=case_number,
    )  # fmt: skip
    Certificate.objects.filter(pk=certificate.pk).update(document=document)
    certificate.document = document
    return certificate


@transaction.atomic
def certificate_performance_issue(*, case, actor, case_party=None) -> Certificate:
    """履行完毕证明: only once the case is performed (执行完毕); numbered in the case's
    series."""
    require_court_staff(actor, case.court)
    case = case_lock(case)
    if case.status != CaseStatus.PERFORMED:
        raise TransitionNotAllowed(_("案件尚未执行完毕，不能出具履行完毕证明。"))
    if case_party is None:
        case_party = case.case_parties.filter(role=EnforcementRole.DEBTOR).first()
    if case_party is None or case_party.case_id != case.pk:
        raise ValidationError({"case_party": [_("请选择本案的被执行人。")]})
    live = live_sanctions(case, case_party=case_party)
    if live:
        note = _("该被执行人在本案中的失信、限制消费信息正在依法删除、解除。")
    elif Removal.objects.filter(case=case, state=Removal.State.DONE).exists():
        note = _("该被执行人在本案中的失信、限制消费信息已依法删除、解除。")
    else:
        note = _("该被执行人在本案中未被采取信用惩戒措施。")
    certificate = Certificate.objects.create(
        kind=Certificate.Kind.PERFORMANCE,
        party=case_party.party,
        court=case.court,
        case=case,
        issued_by=actor,
    )
    audit_create(certificate, actor=actor)
    performed_on = (
        timezone.localtime(case.concluded_at).date() if case.concluded_at else timezone.localdate()
    )
    return _issue(
        certificate,
        kind=PERFORMANCE_CERTIFICATE,
        data={
            "court": case.court.name,
            "case_number": case.case_number,
            "parties": [document_party(case_party)],
            "basis_document": _basis_document(case),
            "duty": case.basis.main_text or case.act_description or _("生效法律文书确定的义务"),
            "amount": case.amount_ordered if case.is_money_case else None,
            "performed_on": performed_on,
            "credit_note": note,
        },
        actor=actor,
        case_number=case.case_number,
    )


@transaction.atomic
def voluntary_performance_record(
    *,
    court,
    party_data: dict,
    basis_document: str,
    duty: str,
    performed_on: datetime.date,
    actor,
    amount=None,
    public: bool = True,
    basis=None,
    case=None,
) -> VoluntaryPerformance:
    """Enter a voluntary performer in the 守信激励 register (partners may read it)."""
    require_court_staff(actor, court)
    errors = {}
    if not str(party_data.get("name") or "").strip():
        errors["name"] = [_("请填写履行人姓名或名称。")]
    if not (basis_document or "").strip():
        errors["basis_document"] = [_("请填写生效法律文书。")]
    if not (duty or "").strip():
        errors["duty"] = [_("请写明履行的义务。")]
    if not isinstance(performed_on, datetime.date) or performed_on > timezone.localdate():
        errors["performed_on"] = [_("请填写履行日期（不晚于今天）。")]
    if amount not in (None, ""):
        try:
            amount = to_yuan(amount)
        except (TypeError, ValueError):
            errors["amount"] = [_("金额格式不正确。")]
        else:
            if amount <= Decimal("0"):
                errors["amount"] = [_("金额须大于零。")]
    else:
        amount = None
    if errors:
        raise ValidationError(errors)
    party, _created = party_find_or_create(data=party_data, actor=actor)
    record = VoluntaryPerformance.objects.create(
        party=party,
        court=court,
        party_name=str(party_data["name"]).strip()[:120],
        basis_document=basis_document.strip()[:120],
        basis=basis,
        case=case,
        duty=duty.strip(),
        amount=amount,
        performed_on=performed_on,
        public=bool(public),
        recorded_by=actor,
        feed_version=feed_next_version() if public else None,
    )
    audit_create(record, actor=actor)
    return record


@transaction.atomic
def certificate_voluntary_issue(*, voluntary_performance: VoluntaryPerformance, actor):
    record = voluntary_performance
    require_court_staff(actor, record.court)
    certificate = Certificate.objects.create(
        kind=Certificate.Kind.VOLUNTARY,
        party=record.party,
        court=record.court,
        case=record.case,
        voluntary_performance=record,
        issued_by=actor,
    )
    audit_create(certificate, actor=actor)
    party = record.party
    row = {"role": _("履行人"), "name": record.party_name, "identity": identity_of(party) or "—"}
    return _issue(
        certificate,
        kind=VOLUNTARY_CERTIFICATE,
        data={
            "court": record.court.name,
            "parties": [row],
            "basis_document": record.basis_document,
            "duty": record.duty,
            "amount": record.amount,
            "performed_on": record.performed_on,
        },
        actor=actor,
    )


@transaction.atomic
def certificate_restoration_issue(*, restoration: Restoration, actor) -> Certificate:
    """信用修复证明: the court's certificate in the enforcement case, numbered in the
    case's series."""
    require_court_staff(actor, restoration.court)
    if restoration.state != Restoration.State.GRANTED:
        raise TransitionNotAllowed(_("信用修复尚未准予，不能出具信用修复证明。"))
    case = case_lock(restoration.case)
    case_party = case.case_parties.filter(
        party=restoration.debtor, role=EnforcementRole.DEBTOR
    ).first()
    measures = []
    for removal in Removal.objects.filter(
        case=case, trigger="restoration", state=Removal.State.DONE
    ).select_related("listing", "restriction"):
        sanction = removal.sanction
        if sanction.debtor_id != restoration.debtor_id:
            continue
        if isinstance(sanction, Listing):
            measures.append(_("失信被执行人名单信息（已屏蔽）"))
        elif isinstance(sanction, Restriction):
            measures.append(_("限制消费令（已解除）"))
    certificate = Certificate.objects.create(
        kind=Certificate.Kind.RESTORATION,
        party=restoration.debtor,
        court=restoration.court,
        case=case,
        restoration=restoration,
        issued_by=actor,
    )
    audit_create(certificate, actor=actor)
    return _issue(
        certificate,
        kind=RESTORATION_CERTIFICATE,
        data={
            "court": restoration.court.name,
            "case_number": case.case_number,
            "parties": [document_party(case_party)],
            "basis": restoration.get_basis_display(),
            "measures": "、".join(measures) or _("无"),
            "decided_on": timezone.localtime(restoration.decided_at).date(),
        },
        actor=actor,
        case_number=case.case_number,
    )
