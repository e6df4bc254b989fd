"""Campaigns (专项行动): a named period over some courts tags cases (in bulk) and the
measures taken on them; story 9's totals (飓风行动: cases, concluded, settled, recovered,
houses sealed, vehicles seized, people detained) equal the tagged records, computed not
typed; a basic court reads its own share of a city campaign; outsiders see nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enforcement.models import (
    AssetKind,
    CampaignCase,
    CaseStatus,
    MeasureKind,
    ReceiptSource,
)
from enforcement.selectors_campaigns import campaign_totals, campaigns_visible_to
from enforcement.services import campaigns as services
from enforcement.services import measures as measure_services
from enforcement.services.clues import clue_check, clue_record
from enforcement.services.controls import control_seal, control_seize
from enforcement.services.funds import fund_receipt_record

from . import measures_fixtures
from .conftest import make_case
from .measures_fixtures import debtor, decided

pytestmark = pytest.mark.django_db

fast_pdf = measures_fixtures.fast_pdf


def hurricane(eworld, **extra):
    today = timezone.localdate()
    return services.campaign_create(
        organiser=eworld.higher_court, name="飓风行动",
        starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=30),
        courts=[eworld.court, eworld.other_court], actor=eworld.higher_supervisor, **extra,
    )  # fmt: skip


def checked_clue(case, actor, kind, description):
    clue = clue_record(case=case, actor=actor, kind=kind, description=description,
                       institution="不动产登记中心", debtor=debtor(case))  # fmt: skip
    return clue_check(clue=clue, actor=actor, found=True, result="属实")


def test_only_a_president_organises_over_courts_they_supervise(eworld):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.campaign_create(organiser=eworld.court, name="雷霆执行·2025·夏季风暴",
                                 starts_on=today, ends_on=today, courts=[eworld.court],
                                 actor=eworld.officer)  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(organiser=eworld.court, name="雷霆执行·2025·夏季风暴",
                                 starts_on=today, ends_on=today - datetime.timedelta(days=1),
                                 courts=[eworld.court, eworld.other_court], actor=eworld.president)  # fmt: skip
    assert set(exc.value.message_dict) == {"ends_on", "courts"}
    campaign = services.campaign_create(organiser=eworld.court, name="雷霆执行·2025·夏季风暴",
                                        starts_on=today, ends_on=today, courts=[eworld.court],
                                        actor=eworld.president)  # fmt: skip
    assert list(campaigns_visible_to(eworld.officer)) == [campaign]
    assert not campaigns_visible_to(eworld.outsider).exists()


def test_story9_totals_equal_the_tagged_records(eworld, case, fast_pdf):
    campaign = hurricane(eworld)
    basis = case.basis
    settled = make_case(eworld.court, eworld.clerk, officer=eworld.officer, basis=basis,
                        status=CaseStatus.SETTLEMENT)  # fmt: skip
    performed = make_case(eworld.court, eworld.clerk, officer=eworld.officer, basis=basis)
    untagged = make_case(eworld.court, eworld.clerk, officer=eworld.officer, basis=basis)
    other = make_case(eworld.other_court, eworld.outsider, basis=basis)

    # bulk tagging: the court's officer tags its three cases; the other court's case is
    # skipped with the reason (not theirs to act on); a second run changes nothing
    tagged, skipped = services.campaign_tag_cases(
        campaign=campaign, cases=[case, settled, performed, other], actor=eworld.officer
    )
    assert tagged == [case, settled, performed]
    assert [(c, str(r)) for c, r in skipped] == [(other, "您无权办理该案")]
    again, skipped = services.campaign_tag_cases(campaign=campaign, cases=[case],
                                                 actor=eworld.officer)  # fmt: skip
    assert again == [] and str(skipped[0][1]) == "已在该专项行动中"
    services.campaign_tag_cases(campaign=campaign, cases=[other], actor=eworld.outsider)
    assert CampaignCase.objects.filter(campaign=campaign).count() == 4

    # records on the tagged cases …
    today = timezone.localdate()
    fund_receipt_record(case=case, amount=Decimal("5000000.00"), source=ReceiptSource.VOLUNTARY,
                        received_on=today, actor=eworld.clerk)  # fmt: skip
    fund_receipt_record(case=performed, amount=Decimal("504200.00"),
                        source=ReceiptSource.VOLUNTARY, received_on=today, actor=eworld.clerk)  # fmt: skip
    house = checked_clue(case, eworld.officer, AssetKind.REAL_ESTATE, "某小区3号楼")
    control_seal(case=case, actor=eworld.officer, clue=house)
    car = checked_clue(case, eworld.officer, AssetKind.VEHICLE, "蒙C12345")
    control_seize(case=case, actor=eworld.officer, clue=car)
    detention = decided(eworld, case, MeasureKind.DETENTION, days=10, place="乌海市拘留所")
    measure_services.measure_execute(measure=detention, actor=eworld.officer)
    compelled = decided(eworld, settled, MeasureKind.APPEARANCE, hours=8)
    assert compelled.campaign == campaign  # taken on a tagged case within the period
    measure_services.measure_execute(measure=compelled, actor=eworld.officer)
    refused = measure_services.measure_request(
        case=case, kind=MeasureKind.DETENTION, subject=debtor(case), actor=eworld.officer,
        approver=eworld.president, reason="x", days=5)  # fmt: skip
    measure_services.measure_refuse(measure=refused, actor=eworld.president, note="不必要")
    type(performed).objects.filter(pk=performed.pk).update(
        status=CaseStatus.PERFORMED, concluded_at=timezone.now()
    )
    # … and records outside it are not counted
    fund_receipt_record(case=untagged, amount=Decimal("999.00"), source=ReceiptSource.VOLUNTARY,
                        received_on=today, actor=eworld.clerk)  # fmt: skip
    outside = decided(eworld, untagged, MeasureKind.DETENTION, days=3)
    measure_services.measure_execute(measure=outside, actor=eworld.officer)

    totals = campaign_totals(campaign, eworld.higher_supervisor).as_dict()
    assert totals["cases"] == 4
    assert totals["concluded"] == 1 and totals["performed"] == 1
    assert totals["settled"] == 1
    assert totals["amount_recovered"] == Decimal("5504200.00")  # 550.42万
    assert totals["houses_sealed"] == 1 and totals["vehicles_seized"] == 1
    assert totals["people_detained"] == 1  # the refused request is not a detention
    assert totals["people_compelled"] == 1
    assert totals["restricted"] == 0 and totals["listed"] == 0  # credit's counters

    # the basic court reads its own share; the other court its one case
    assert campaign_totals(campaign, eworld.officer).as_dict()["cases"] == 3
    assert campaign_totals(campaign, eworld.outsider).as_dict()["cases"] == 1
    assert campaign_totals(campaign, eworld.outsider).as_dict()["people_detained"] == 0


def test_tagging_a_case_tags_its_measures_of_the_period(eworld, case, fast_pdf):
    fine = decided(eworld, case, MeasureKind.FINE, amount=Decimal("3000"))
    assert fine.campaign is None
    campaign = hurricane(eworld)
    services.campaign_tag_cases(campaign=campaign, cases=[case], actor=eworld.officer)
    fine.refresh_from_db()
    assert fine.campaign == campaign
    assert campaign_totals(campaign, eworld.president).as_dict()["fines_amount"] == Decimal(
        "3000.00"
    )
    with pytest.raises(ValidationError):
        services.campaign_untag_case(campaign=campaign, case=case, actor=eworld.officer, reason="")
    services.campaign_untag_case(campaign=campaign, case=case, actor=eworld.officer,
                                 reason="误选")  # fmt: skip
    fine.refresh_from_db()
    assert fine.campaign is None
    assert campaign_totals(campaign, eworld.president).as_dict()["cases"] == 0
