"""Imposing: the six grounds, each exclusion, 失能 never listed, the period rule, the
grace period, the decision document, and the restriction signed by the president."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common.statemachine import TransitionNotAllowed
from credit import services
from credit.models import (
    Ability,
    BoundPerson,
    BoundRole,
    CreditChange,
    Grade,
    Ground,
    Listing,
    Publication,
    Restriction,
)
from credit.services import Exclusions
from deadlines.calendar import add_months
from documents.models import IssuedDocument
from enforcement.models import CaseStatus, EnforcementRole
from tests.documents.conftest import CREDIT_CODE

from .conftest import add_party, debtor_of, id_number, impose, make_case, unwilling

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("ground", Ground.values)
def test_each_ground_lists_the_debtor_and_publishes_at_once(eworld, case, ground):
    listing = impose(eworld, case, ground=ground)
    listing.refresh_from_db()
    assert listing.ground == ground
    assert listing.publication == Publication.PUBLISHED
    assert listing.debtor_name == "王被执" and listing.debtor_id_masked
    assert listing.debtor_sex == "女" and listing.debtor_birth_date == datetime.date(1975, 4, 12)
    if ground == Ground.ABLE_REFUSES:
        assert (listing.base_years, listing.ends_on) == (None, None)  # until performance
    else:
        assert listing.base_years == 2
        assert listing.ends_on == listing.decided_on.replace(year=listing.decided_on.year + 2)
    change = CreditChange.objects.get(listing=listing)
    assert change.action == CreditChange.Action.PUBLISHED and listing.feed_version == change.version


def test_not_a_ground(eworld, case):
    with pytest.raises(ValidationError) as error:
        impose(eworld, case, ground="7")
    assert "ground" in error.value.message_dict
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    "exclusion", ["security_sufficient", "seized_assets_cover", "later_in_order"]
)
def test_each_exclusion_refuses_the_listing(eworld, case, exclusion):
    with pytest.raises(ValidationError) as error:
        impose(eworld, case, exclusions=Exclusions(**{exclusion: True}))
    assert Exclusions.LABELS[exclusion] in " ".join(error.value.message_dict["exclusions"])
    assert not Listing.objects.exists() and not Restriction.objects.exists()
    assert not IssuedDocument.objects.exists()


def _case_with_debtor_born(eworld, birth: str):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="小王")
    case.case_parties.filter(role=EnforcementRole.DEBTOR).delete()
    return case, add_party(
        case, role=EnforcementRole.DEBTOR, name="小王", id_number_value=id_number(birth, "031")
    )


def test_a_minor_is_not_listed_age_from_the_id_number_at_the_decision_date(eworld):
    case, minor = _case_with_debtor_born(eworld, "20080615")
    finding = unwilling(minor, eworld.officer)
    with pytest.raises(ValidationError) as error:
        impose(eworld, case, case_party=minor, ability_finding=finding,
               decided_on=datetime.date(2026, 6, 14))  # fmt: skip
    assert "未成年人" in " ".join(error.value.message_dict["exclusions"])
    # on the 18th birthday the exclusion no longer holds
    listing = impose(eworld, case, case_party=minor, ability_finding=finding,
                     decided_on=datetime.date(2026, 6, 15))  # fmt: skip
    assert listing.debtor_sex == "男"


def test_an_exclusion_provider_can_refuse(eworld, case):
    from credit.services import imposing

    def seized_cover(case_party):
        return ["查封的房产评估价值足以清偿债务"]

    imposing.exclusion_provider_register(seized_cover)
    try:
        with pytest.raises(ValidationError) as error:
            impose(eworld, case)
        assert "查封的房产" in " ".join(error.value.message_dict["exclusions"])
    finally:
        imposing._exclusion_providers.remove(seized_cover)


def test_the_unable_are_recorded_as_such_and_not_listed(eworld, case):
    debtor = debtor_of(case)
    finding = services.ability_finding_record(
        case_party=debtor,
        finding=Ability.UNABLE,
        reasons="重病，无收入无财产",
        actor=eworld.officer,
    )
    assert finding.get_finding_display().startswith("失能")
    with pytest.raises(ValidationError) as error:
        impose(eworld, case, ability_finding=finding)
    assert "失能" in error.value.message_dict["ability_finding"][0]
    assert not Listing.objects.exists()


def test_a_listing_needs_a_finding(eworld, case):
    debtor = debtor_of(case)
    with pytest.raises(ValidationError) as error:
        services.listing_impose(
            case_party=debtor, ground=Ground.EVADES, grade=Grade.GENERAL, ability_finding=None,
            duty="给付", conduct="转移财产", approver=eworld.president, actor=eworld.officer,
        )  # fmt: skip
    assert "ability_finding" in error.value.message_dict


@pytest.mark.parametrize(
    ("ground", "grade", "repeated", "extra", "decided", "ends"),
    [
        ("2", "general", False, 0, datetime.date(2026, 3, 10), datetime.date(2028, 3, 10)),
        ("3", "serious", False, 1, datetime.date(2026, 3, 10), datetime.date(2029, 3, 10)),
        ("4", "minor", True, 3, datetime.date(2026, 3, 10), datetime.date(2031, 3, 10)),
        # a leap day: the corresponding date does not exist, the month's last day is used
        ("5", "general", False, 0, datetime.date(2028, 2, 29), datetime.date(2030, 2, 28)),
        ("1", "serious", False, 0, datetime.date(2026, 3, 10), None),
    ],
)
def test_period_arithmetic(ground, grade, repeated, extra, decided, ends):
    period = services.listing_period(
        ground=ground, grade=grade, repeated=repeated, extra_years=extra, starts_on=decided
    )
    assert period.ends_on == ends
    assert period.extra_years == extra


@pytest.mark.parametrize(
    ("ground", "grade", "repeated", "extra"),
    [
        ("2", "general", False, 1),  # extension only for serious or repeated conduct
        ("2", "serious", False, 4),  # 1–3 years
        ("1", "serious", False, 1),  # ground 1 has no fixed term to extend
    ],
)
def test_period_refusals(ground, grade, repeated, extra):
    with pytest.raises(ValidationError) as error:
        services.listing_period(
            ground=ground, grade=grade, repeated=repeated, extra_years=extra,
            starts_on=datetime.date(2026, 3, 10),
        )  # fmt: skip
    assert "extra_years" in error.value.message_dict


def test_serious_conduct_extends_the_listing(eworld, case):
    listing = impose(eworld, case, ground=Ground.OBSTRUCTS, grade=Grade.SERIOUS, extra_years=2,
                     decided_on=datetime.date(2026, 4, 1))  # fmt: skip
    assert (listing.base_years, listing.extra_years) == (2, 2)
    assert listing.ends_on == datetime.date(2030, 4, 1)


def test_decision_document_from_the_documents_service(eworld, case):
    listing = impose(eworld, case, ground=Ground.EVADES)
    document = listing.decision_document
    assert document.kind == "credit.listing_decision"
    assert document.title == "纳入失信被执行人名单决定书"
    assert document.subject == listing
    assert document.public_parties == ["王**"]


def test_a_listing_always_brings_a_restriction_signed_by_the_president(eworld, case):
    listing = impose(eworld, case)
    restriction = Restriction.objects.get(listing=listing)
    assert restriction.basis == Restriction.Basis.LISTING
    assert restriction.state == Restriction.State.PENDING_APPROVAL
    assert restriction.publication == Publication.PENDING
    assert restriction.approver == eworld.president
    # nobody else decides: not the officer, not the higher court's supervisor
    for other in (eworld.officer, eworld.higher_supervisor):
        with pytest.raises(PermissionDenied):
            services.restriction_approve(restriction=restriction, actor=other)
    services.restriction_approve(restriction=restriction, actor=eworld.president, note="同意")
    restriction.refresh_from_db()
    assert restriction.state == Restriction.State.IN_FORCE
    assert restriction.publication == Publication.PUBLISHED
    assert restriction.decision_document.title == "限制消费令"
    assert restriction.starts_on is not None
    assert CreditChange.objects.filter(restriction=restriction, action="published").count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.restriction_approve(restriction=restriction, actor=eworld.president)


def test_a_listing_without_a_president_named_is_refused(eworld, case):
    with pytest.raises(ValidationError) as error:
        impose(eworld, case, approver=eworld.officer)
    assert "approver" in error.value.message_dict


def test_restriction_on_its_own_and_refused(eworld, case):
    debtor = debtor_of(case)
    restriction = services.restriction_request(
        case_party=debtor, reasons="未按执行通知书指定的期间履行", approver=eworld.president,
        actor=eworld.officer,
    )  # fmt: skip
    with pytest.raises(TransitionNotAllowed):  # one live order per debtor and case
        services.restriction_request(case_party=debtor, reasons="再次", approver=eworld.president,
                                     actor=eworld.officer)  # fmt: skip
    with pytest.raises(ValidationError):
        services.restriction_refuse(restriction=restriction, actor=eworld.president, note="")
    services.restriction_refuse(restriction=restriction, actor=eworld.president, note="暂不必要")
    restriction.refresh_from_db()
    assert restriction.state == Restriction.State.REFUSED
    assert restriction.publication == Publication.REMOVED
    assert not CreditChange.objects.exists()  # never public, nothing for partners
    # a listing later asks for a new one
    impose(eworld, case)
    assert Restriction.objects.filter(state=Restriction.State.PENDING_APPROVAL).count() == 1


def test_an_existing_restriction_is_kept_when_listing(eworld, case):
    debtor = debtor_of(case)
    first = services.restriction_request(
        case_party=debtor, reasons="未按执行通知履行", approver=eworld.president,
        actor=eworld.officer,
    )  # fmt: skip
    impose(eworld, case, approver=None)
    assert list(Restriction.objects.all()) == [first]


def test_grace_period_publishes_later(eworld, case):
    today = timezone.localdate()
    listing = impose(eworld, case, grace_months=2)
    assert listing.publication == Publication.PENDING
    assert listing.grace_until == add_months(today, 2)
    assert not CreditChange.objects.filter(listing=listing).exists()
    day_before = listing.grace_until - datetime.timedelta(days=1)
    assert services.listings_publish_due(today=day_before) == 0
    assert services.listings_publish_due(today=listing.grace_until) == 1
    assert services.listings_publish_due(today=listing.grace_until) == 0  # idempotent
    listing.refresh_from_db()
    assert listing.publication == Publication.PUBLISHED
    assert CreditChange.objects.get(listing=listing).action == "published"


def test_grace_beyond_three_months_refused(eworld, case):
    with pytest.raises(ValidationError) as error:
        impose(eworld, case, grace_months=4)
    assert "grace_months" in error.value.message_dict


def test_an_organisation_binds_its_legal_representative_and_controller(eworld):
    from cases.services.intake import party_find_or_create
    from enforcement.models import CaseParty

    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    case.case_parties.filter(role=EnforcementRole.DEBTOR).delete()
    company, _created = party_find_or_create(
        data={"name": "乙建筑有限公司", "kind": "organisation",
              "credit_code": CREDIT_CODE, "legal_representative": "钱某"},
        actor=eworld.clerk,
    )  # fmt: skip
    debtor = CaseParty.objects.create(case=case, party=company, role=EnforcementRole.DEBTOR,
                                      name="乙建筑有限公司")  # fmt: skip
    bound = [
        {"role": BoundRole.LEGAL_REPRESENTATIVE, "name": "钱某",
         "id_number": id_number("19700101", "015")},
        {"role": BoundRole.ACTUAL_CONTROLLER, "name": "孙某"},
    ]  # fmt: skip
    listing = impose(eworld, case, case_party=debtor, bound_persons=bound)
    assert listing.debtor_credit_code == CREDIT_CODE
    assert listing.debtor_legal_representative == "钱某"
    assert listing.debtor_id_index == "" and listing.debtor_birth_date is None
    restriction = Restriction.objects.get(listing=listing)
    names = sorted(b.name for b in BoundPerson.objects.filter(restriction=restriction))
    assert names == ["孙某", "钱某"]
    assert BoundPerson.objects.filter(listing=listing).count() == 2
    assert BoundPerson.objects.get(listing=listing, name="钱某").party.kind == "person"


def test_bound_persons_only_for_an_organisation(eworld, case):
    with pytest.raises(ValidationError) as error:
        impose(eworld, case, bound_persons=[{"role": "actual_controller", "name": "孙某"}])
    assert "bound_persons" in error.value.message_dict


def test_outsiders_may_not_impose(eworld, case):
    debtor = debtor_of(case)
    for stranger in (eworld.outsider, eworld.centre_supervisor):
        with pytest.raises(PermissionDenied):
            services.ability_finding_record(case_party=debtor, finding="unwilling",
                                            reasons="x", actor=stranger)  # fmt: skip


def test_no_credit_mark_before_filing(eworld):
    case = make_case(eworld.court, eworld.clerk, status=CaseStatus.URGING)
    with pytest.raises(TransitionNotAllowed):
        unwilling(debtor_of(case), eworld.officer)


def test_only_the_debtor(eworld, case):
    applicant = case.case_parties.get(role=EnforcementRole.APPLICANT)
    with pytest.raises(ValidationError):
        unwilling(applicant, eworld.officer)


def test_one_live_listing_per_debtor_and_case(eworld, case):
    impose(eworld, case)
    with pytest.raises(TransitionNotAllowed):
        impose(eworld, case)


def test_grade_change_is_in_the_feed(eworld, case):
    listing = impose(eworld, case)
    services.listing_grade_change(listing=listing, grade=Grade.SERIOUS, reasons="多次转移财产",
                                  actor=eworld.officer)  # fmt: skip
    listing.refresh_from_db()
    assert listing.grade == Grade.SERIOUS
    actions = list(CreditChange.objects.filter(listing=listing).values_list("action", flat=True))
    assert actions == ["published", "grade_changed"]
    assert listing.feed_version == CreditChange.objects.latest("version").version
