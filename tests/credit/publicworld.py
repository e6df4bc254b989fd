"""Published entries for the public lookup and partner feed tests.

Entries are written here directly, as the credit services would leave them (facts frozen
on the sanction, a CreditChange with the next feed version for each change partners must
see): these tests are about what the public and partners read, not how a listing is
decided (tests/credit/test_*services* cover that)."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import Party
from common import pii
from credit.models import (
    Ability,
    AbilityFinding,
    BoundPerson,
    CreditChange,
    Listing,
    Publication,
    Restriction,
    VoluntaryPerformance,
)
from credit.services.feed import feed_next_version, feed_record
from enforcement.models import CaseParty, EnforcementRole
from tests.enforcement.conftest import add_party, id_number, make_basis, make_case

ID_HU = id_number("19840307", "031")  # 胡某某, the repair shop's debtor (seed story 4)
ID_OTHER = id_number("19900101", "052")


def credit_code(body17: str = "91150302MA0N5XXX0") -> str:
    from stdnum.cn import uscc

    return body17 + uscc.calc_check_digit(body17)


def next_version() -> int:
    return feed_next_version()


@transaction.atomic
def record_change(sanction, action, note=""):
    return feed_record(sanction=sanction, action=action, note=note).version


def debtor_of(case) -> CaseParty:
    return case.case_parties.get(role=EnforcementRole.DEBTOR)


def _frozen(party: Party, name: str) -> dict:
    if party.kind == Party.Kind.ORGANISATION:
        return {
            "debtor_kind": "organisation",
            "debtor_name": name,
            "debtor_credit_code": party.credit_code,
            "debtor_legal_representative": party.legal_representative,
        }
    plain = pii.decrypt(party.id_number_encrypted)
    return {
        "debtor_kind": "person",
        "debtor_name": name,
        "debtor_id_index": party.id_number_index,
        "debtor_id_masked": party.id_number_masked,
        "debtor_sex": "男" if int(plain[16]) % 2 else "女",
        "debtor_birth_date": datetime.date(int(plain[6:10]), int(plain[10:12]), int(plain[12:14])),
    }


def make_debtor_case(eworld, *, name="胡某某", id_value=ID_HU, number="（2026）蒙0302民初88号"):
    case = make_case(
        eworld.court,
        eworld.clerk,
        officer=eworld.officer,
        debtor="占位人",
        basis=make_basis(eworld.court, eworld.clerk, number=number),
    )
    # make_case adds a fixed debtor; replace it with the one this test is about
    case.case_parties.filter(role=EnforcementRole.DEBTOR).delete()
    add_party(case, role=EnforcementRole.DEBTOR, name=name, id_number_value=id_value)
    return case


def make_org_case(eworld, *, name="乙商贸有限公司", code=None, legal_rep="钱某"):
    code = code or credit_code()
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="占位人")
    case.case_parties.filter(role=EnforcementRole.DEBTOR).delete()
    party = Party.objects.create(
        kind=Party.Kind.ORGANISATION, name=name, credit_code=code, legal_representative=legal_rep
    )
    CaseParty.objects.create(case=case, party=party, role=EnforcementRole.DEBTOR, name=name)
    return case


def make_listing(
    eworld,
    case,
    *,
    publication=Publication.PUBLISHED,
    grade="general",
    ground="1",
    change=True,
) -> Listing:
    link = debtor_of(case)
    finding = AbilityFinding.objects.create(
        case=case,
        case_party=link,
        debtor=link.party,
        court=case.court,
        finding=Ability.UNWILLING,
        reasons="有固定收入而拒不履行",
        found_on=timezone.localdate(),
        found_by=eworld.officer,
    )
    now = timezone.now()
    listing = Listing.objects.create(
        case=case,
        case_party=link,
        debtor=link.party,
        court=case.court,
        **_frozen(link.party, link.name),
        ground=ground,
        grade=grade,
        ability_finding=finding,
        duty="支付修理费12000元",
        conduct="有履行能力而拒不履行生效法律文书确定义务",
        decided_on=timezone.localdate(),
        base_years=None if ground == "1" else 2,
        starts_on=timezone.localdate(),
        publication=publication,
        published_at=now if publication == Publication.PUBLISHED else None,
        created_by=eworld.officer,
    )
    if change and publication == Publication.PUBLISHED:
        record_change(listing, CreditChange.Action.PUBLISHED)
    return listing


def make_restriction(eworld, case, *, publication=Publication.PUBLISHED, bound=()) -> Restriction:
    link = debtor_of(case)
    restriction = Restriction.objects.create(
        case=case,
        case_party=link,
        debtor=link.party,
        court=case.court,
        **_frozen(link.party, link.name),
        state=Restriction.State.IN_FORCE,
        basis=Restriction.Basis.MISSED_NOTICE,
        reasons="未按执行通知履行",
        requested_by=eworld.officer,
        approver=eworld.president,
        decided_at=timezone.now(),
        starts_on=timezone.localdate(),
        publication=publication,
        published_at=timezone.now() if publication == Publication.PUBLISHED else None,
        created_by=eworld.officer,
    )
    for role, person in bound:
        BoundPerson.objects.create(
            restriction=restriction,
            party=person,
            role=role,
            name=person.name,
            id_number_masked=person.id_number_masked,
        )
    if publication == Publication.PUBLISHED:
        record_change(restriction, CreditChange.Action.PUBLISHED)
    return restriction


def set_publication(sanction, publication, action):
    """What a removal or restoration leaves: the state changed and a change recorded."""
    type(sanction).objects.filter(pk=sanction.pk).update(
        publication=publication, lifted_at=timezone.now()
    )
    sanction.refresh_from_db()
    return record_change(sanction, action)


def change_grade(listing, grade):
    Listing.objects.filter(pk=listing.pk).update(grade=grade)
    listing.refresh_from_db()
    return record_change(listing, CreditChange.Action.GRADE_CHANGED)


def make_voluntary(eworld, *, name="张某某", public=True, party=None) -> VoluntaryPerformance:
    party = party or Party.objects.create(kind=Party.Kind.PERSON, name=name)
    return VoluntaryPerformance.objects.create(
        party=party,
        court=eworld.court,
        party_name=name,
        basis_document="（2025）蒙0302民初321号民事调解书",
        duty="支付继承份额",
        amount="95874.11",
        performed_on=timezone.localdate(),
        public=public,
        recorded_by=eworld.officer,
        feed_version=next_version(),
    )
