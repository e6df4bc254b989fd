"""`manage.py load_demo` gives 海勃湾区人民法院 real enforcement and credit work (enforcement/demo.py,
credit/demo.py): each case in the state its story leaves it, made by the services (numbers,
clocks, documents, the ledger), and a second load adds nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from credit.models import Listing, Publication, Restriction
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for
from documents import converter
from documents.models import IssuedDocument
from enforcement import demo
from enforcement.models import (
    AssetControl,
    AssetFinding,
    CaseStatus,
    ControlStatus,
    EnforcementCase,
    EnforcementRole,
    FundAccount,
    FundDisbursement,
    FundEntry,
    ServiceRecord,
    TargetKind,
)
from enforcement.selectors_lists import overdue_filter, workbench_figures
from enforcement.services.funds import case_fund_summary
from organisations.models import Organisation, User

from .notices_fixtures import fast_pdf  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

D = Decimal
DEMO_APPS = ("enforcement", "credit", "documents", "deadlines", "audit", "notifications")


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in DEMO_APPS
    }


@pytest.fixture
def loaded(fast_pdf, monkeypatch):  # noqa: F811 - the fixture above
    monkeypatch.setattr(converter, "soffice_path", lambda: "/usr/bin/soffice")
    call_command("load_demo", verbosity=0)
    court = Organisation.objects.get(name="海勃湾区人民法院")
    return court, {number: demo.case_of(court, number) for number, _story in demo.STORIES}


def test_a_second_load_adds_nothing(loaded):
    before = _counts()
    call_command("load_demo", verbosity=0)
    after = _counts()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}


def test_each_story_leaves_its_case_in_its_state(loaded):
    court, cases = loaded
    officer = User.objects.get(username="officer")
    today = timezone.localdate()

    urging = cases[demo.URGING_BASIS]
    assert urging.status == CaseStatus.URGING and urging.case_number == ""
    assert urging.urging_window_ends_on > today  # still in the debtor's window
    assert (
        IssuedDocument.objects.filter(
            object_id=urging.pk, kind__startswith="enforcement.urging"
        ).count()
        == 2
    )

    money = cases[demo.MONEY_BASIS]
    assert money.status == CaseStatus.IN_PROGRESS and money.officer == officer
    assert money.case_number.startswith(f"（{money.number_year}）蒙0302执")
    assert ServiceRecord.objects.filter(notice__case=money).count() == 3
    assert AssetFinding.objects.filter(inquiry__case=money).count() == len(demo.MONEY_FINDINGS)
    (control,) = AssetControl.objects.filter(case=money)
    assert (control.status, control.deducted_amount) == (ControlStatus.DEDUCTED, D("20000.00"))
    (payout,) = FundDisbursement.objects.filter(case=money)
    assert payout.status == "paid" and payout.decided_by.username == "president"
    summary = case_fund_summary(money)
    assert (summary.received, summary.paid_to_applicants, summary.balance) == (
        D("20000.00"), D("15000.00"), D("5000.00"))  # fmt: skip
    # the running balance is the ledger's: every entry summed, the account, the last entry
    entries = FundEntry.objects.filter(case=money)
    assert entries.aggregate(total=Sum("amount"))["total"] == summary.balance
    assert FundAccount.objects.get(case=money).balance == summary.balance
    assert entries.order_by("-number").first().balance_after == summary.balance

    for number in (demo.WAGES_BASIS, demo.RENT_BASIS):
        waiting = cases[number]
        assert waiting.status == CaseStatus.FILED and waiting.officer is None
    wages = cases[demo.WAGES_BASIS]
    assert wages.is_livelihood and wages.amount_ordered == D("83400.00")
    applicants = wages.case_parties.filter(role=EnforcementRole.APPLICANT)
    assert applicants.count() == 6 and sum(a.share for a in applicants) == D("83400.00")
    assert applicants.filter(is_representative=True).count() == 2

    overdue = cases[demo.OVERDUE_BASIS]
    assert list(overdue_filter(EnforcementCase.objects.filter(court=court), officer)) == [overdue]
    late = deadlines_for(overdue).get(kind="enforcement.notice_issue")
    assert late.state == Deadline.State.PENDING and late.due_at < timezone.now()
    assert workbench_figures(officer).overdue == 1

    act = cases[demo.ACT_BASIS]
    assert act.status == CaseStatus.IN_PROGRESS and act.target_kind == TargetKind.ACT
    assert ServiceRecord.objects.filter(notice__case=act).count() == 2

    # every step happened in the past, none later than now
    assert money.filed_at.date() < today - datetime.timedelta(days=30)


def test_the_credit_demo_signed_a_restriction_and_listed_a_debtor(loaded):
    _court, cases = loaded
    president = User.objects.get(username="president")
    signed = Restriction.objects.get(case_id=cases[demo.MONEY_BASIS].pk)
    assert signed.state == Restriction.State.IN_FORCE and signed.approver == president
    assert signed.publication == Publication.PUBLISHED and signed.decision_document is not None

    act = cases[demo.ACT_BASIS]
    listing = Listing.objects.get(case_id=act.pk)
    assert listing.publication == Publication.PUBLISHED and listing.decision_document is not None
    assert listing.debtor_name == "乌海市金岩矿业工程有限公司"
    assert listing.bound_persons.get().name == "郝振山"
    # the restriction a listing brings waits for the president's signature
    waiting = Restriction.objects.get(case_id=act.pk)
    assert waiting.state == Restriction.State.PENDING_APPROVAL and waiting.approver == president


def test_without_libreoffice_the_demo_says_so_and_loads_no_enforcement(monkeypatch):
    monkeypatch.setattr(converter, "soffice_path", lambda: None)
    err = io.StringIO()
    call_command("load_demo", verbosity=0, stdout=io.StringIO(), stderr=err)
    assert "LibreOffice" in err.getvalue()
    assert not EnforcementCase.objects.exists() and not Restriction.objects.exists()
