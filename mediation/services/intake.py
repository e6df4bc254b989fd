"""Where mediation cases come from: a court's delegation before filing (诉前委派), a court's
entrustment after filing (委托调解), a party's own request or a complaint meeting, and a
dispute referred from the cases loop (registered in cases.hooks by MediationConfig)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create
from cases.models import Category, PartyRole
from cases.selectors import dispute_parties
from cases.services import party_find_or_create
from common import pii
from common.money import to_yuan
from mediation.models import Language, MediationCase, MediationParty, Source
from organisations.models import Organisation
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from ._common import COMMITTEE_ROLES, members_of, next_reference, tell

# Units that mediate: committees (and their named studios), legal service stations,
# justice offices, governance centres and village/community committees.
MEDIATING_KINDS = (
    Organisation.Kind.MEDIATION_COMMITTEE,
    Organisation.Kind.LEGAL_SERVICE_STATION,
    Organisation.Kind.JUSTICE_OFFICE,
    Organisation.Kind.GOVERNANCE_CENTRE,
    Organisation.Kind.COMMUNITY,
)
COURT_KINDS = (Organisation.Kind.COURT, Organisation.Kind.TRIBUNAL)


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = to_yuan(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"amount_in_dispute": [_("请填写正确的金额（元）。")]}) from exc
    if amount < 0:
        raise ValidationError({"amount_in_dispute": [_("金额不能为负数。")]})
    return amount


def _check_common(*, organisation, category, facts, language) -> dict:
    errors = {}
    if (
        organisation is None
        or organisation.kind not in MEDIATING_KINDS
        or not organisation.is_active
    ):
        errors["organisation"] = [_("请选择受理调解的调委会、工作室或站点。")]
    if category not in Category.values:
        errors["category"] = [_("请选择纠纷类别。")]
    if not (facts or "").strip():
        errors["facts"] = [_("请简要写明纠纷情况。")]
    if language not in Language.values:
        errors["language"] = [_("调解语言无效。")]
    return errors


def _record_parties(case, parties: list[dict], *, actor, require_both_sides: bool) -> None:
    if require_both_sides:
        roles = {p.get("role") for p in parties}
        if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
            raise ValidationError({"parties": [_("请至少填写一名申请人和一名被申请人。")]})
    for position, data in enumerate(parties):
        party, _created = party_find_or_create(data=data, actor=actor, position=position)
        link = MediationParty(
            case=case,
            party=party,
            role=data.get("role") or PartyRole.APPLICANT,
            name=(data.get("name") or "").strip() or party.name,
        )
        pii.seal_into(link, "phone", pii.seal_phone(data.get("phone") or ""))
        link.save()
        audit_create(link, actor=actor)


def _create(
    *,
    organisation,
    source,
    actor,
    category,
    facts,
    parties,
    language=Language.MANDARIN,
    amount_in_dispute=None,
    court=None,
    court_reference="",
    simplified_procedure=False,
    dispute=None,
    require_both_sides=True,
) -> MediationCase:
    errors = _check_common(
        organisation=organisation, category=category, facts=facts, language=language
    )
    try:
        amount = _amount(amount_in_dispute)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    case = MediationCase.objects.create(
        organisation=organisation,
        reference=next_reference(organisation, timezone.localtime(now).year),
        source=source,
        court=court,
        court_reference=(court_reference or "").strip()[:60],
        simplified_procedure=simplified_procedure,
        dispute=dispute,
        category=category,
        facts=facts.strip(),
        amount_in_dispute=amount,
        language=language,
        received_at=now,
        created_by=actor,
    )
    audit_create(case, actor=actor)
    _record_parties(case, parties, actor=actor, require_both_sides=require_both_sides)
    tell(
        members_of(organisation, *COMMITTEE_ROLES),
        actor=actor,
        kind="mediation.received",
        title=_("新的调解案件待分派签收：%(ref)s") % {"ref": case.reference},
        body=f"{case.get_source_display()} · {case.get_category_display()}",
        link=reverse("mediation:detail", args=[case.pk]),
        subject=case,
    )
    return case


def _court_of(actor, court) -> Organisation:
    if court is None or court.kind not in COURT_KINDS:
        raise ValidationError({"court": [_("请选择委派/委托的人民法院。")]})
    if not ({Role.CLERK, Role.SUPERVISOR, Role.ADMIN} & roles_in_scope_of(actor, court)):
        raise PermissionDenied(_("只有该法院的工作人员可以委派或委托调解。"))
    return court


@transaction.atomic
def mediation_case_delegate(
    *,
    court,
    organisation,
    actor,
    court_reference: str,
    category: str,
    facts: str,
    parties: list[dict],
    amount_in_dispute=None,
    language: str = Language.MANDARIN,
) -> MediationCase:
    """诉前委派调解: a court, before filing, delegates a dispute to a committee or studio,
    with its own reference (民诉前调). The 30-day clock starts at the mediator's receipt."""
    court = _court_of(actor, court)
    if not (court_reference or "").strip():
        raise ValidationError({"court_reference": [_("请填写法院的诉前调解案号。")]})
    return _create(
        organisation=organisation,
        source=Source.COURT_DELEGATED,
        actor=actor,
        category=category,
        facts=facts,
        parties=parties,
        language=language,
        amount_in_dispute=amount_in_dispute,
        court=court,
        court_reference=court_reference,
    )


@transaction.atomic
def mediation_case_entrust(
    *,
    court,
    organisation,
    actor,
    court_reference: str,
    category: str,
    facts: str,
    parties: list[dict],
    simplified_procedure: bool = False,
    amount_in_dispute=None,
    language: str = Language.MANDARIN,
) -> MediationCase:
    """委托调解: a filed case entrusted to a committee; 15 days (7 in simplified procedure)."""
    court = _court_of(actor, court)
    if not (court_reference or "").strip():
        raise ValidationError({"court_reference": [_("请填写法院案号。")]})
    return _create(
        organisation=organisation,
        source=Source.COURT_ENTRUSTED,
        actor=actor,
        category=category,
        facts=facts,
        parties=parties,
        language=language,
        amount_in_dispute=amount_in_dispute,
        court=court,
        court_reference=court_reference,
        simplified_procedure=simplified_procedure,
    )


@transaction.atomic
def mediation_case_request(
    *,
    organisation,
    actor,
    category: str,
    facts: str,
    parties: list[dict],
    source: str = Source.PARTY_REQUEST,
    amount_in_dispute=None,
    language: str = Language.MANDARIN,
) -> MediationCase:
    """A party asks the committee to mediate (or an issue raised at a complaint meeting is
    taken up). Registered by the committee's own mediators or clerks."""
    if source not in (Source.PARTY_REQUEST, Source.COMPLAINT_MEETING):
        raise ValidationError({"source": [_("来源无效。")]})
    if organisation is not None and not (
        {Role.MEDIATOR, Role.CLERK, Role.ADMIN} & roles_in_scope_of(actor, organisation)
    ):
        raise PermissionDenied(_("只有本调解组织的调解员或工作人员可以登记。"))
    return _create(
        organisation=organisation,
        source=source,
        actor=actor,
        category=category,
        facts=facts,
        parties=parties,
        language=language,
        amount_in_dispute=amount_in_dispute,
    )


def committee_for_dispute(dispute) -> Organisation | None:
    """The people's mediation committee nearest the dispute: in the region of the dispute or
    of the centre that registered it, or the nearest region above (a street committee
    before the district's)."""
    paths = set()
    for region in (dispute.region, dispute.organisation.region):
        paths.update(region.path[:length] for length in range(len(region.path), 0, -region.steplen))
    candidates = Organisation.objects.filter(
        kind=Organisation.Kind.MEDIATION_COMMITTEE, is_active=True, region__path__in=paths
    ).select_related("region")
    return max(candidates, key=lambda org: (len(org.region.path), -org.pk), default=None)


def mediation_case_create_from_dispute(*, dispute, actor, note: str = "", organisation=None):
    """移交: the cases loop referred `dispute` to mediation (cases.hooks, inside dispute_refer's
    transaction). The case goes to the nearest committee unless one is named — where there
    is none, to the registering centre itself (综治中心 run their own mediation rooms); the
    parties are the dispute's, as it recorded them."""
    organisation = organisation or committee_for_dispute(dispute)
    if organisation is None and dispute.organisation.kind in MEDIATING_KINDS:
        organisation = dispute.organisation
    if organisation is None:
        raise ValidationError({"target": [_("该纠纷所在地没有人民调解委员会，无法移交调解。")]})
    facts = dispute.facts if not note else f"{dispute.facts}\n\n{_('移交说明')}：{note}"
    case = _create(
        organisation=organisation,
        source=Source.DISPUTE_REFERRAL,
        actor=actor,
        category=dispute.category,
        facts=facts,
        parties=[],
        amount_in_dispute=dispute.amount_in_dispute,
        dispute=dispute,
        require_both_sides=False,
    )
    for link in dispute_parties(dispute):
        copied = MediationParty(
            case=case,
            party=link.party,
            role=link.role,
            name=link.name or link.party.name,
            # same portal key: the dispute's recorded phone, kept sealed
            phone_encrypted=link.phone_encrypted,
            phone_index=link.phone_index,
            phone_masked=link.phone_masked,
        )
        copied.save()
        audit_create(copied, actor=actor)
    return case
