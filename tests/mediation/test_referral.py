"""A dispute referred from the cases loop becomes a mediation case, and cases does not
import mediation (the dependency runs mediation → cases only)."""

import ast
from pathlib import Path

import pytest

from cases import hooks
from cases.models import DisputeEvent, DisputeStatus, SourceChannel
from cases.services import dispute_refer, dispute_register
from mediation.models import MediationCase, Source
from organisations.roles import Role
from tests.factories import member

from .conftest import ID_APPLICANT

LOADERS = {"import_module", "is_installed", "get_model", "get_app_config", "__import__"}
CASES = Path(__file__).resolve().parents[2] / "cases"


@pytest.fixture
def dispute(mworld):
    clerk = member(mworld.committee, Role.CLERK, username="centre_clerk")
    return clerk, dispute_register(
        organisation=mworld.committee,
        actor=clerk,
        source_channel=SourceChannel.VISIT,
        category="neighbour",
        facts="两户因院墙界线争执。",
        parties=[
            {
                "role": "applicant",
                "name": "李申请",
                "id_number": ID_APPLICANT,
                "phone": "13800138000",
            },
            {"role": "respondent", "name": "赵被申"},
        ],
        region=mworld.street,
    )


def test_referral_creates_the_mediation_case_with_the_disputes_parties(mworld, dispute):
    clerk, dispute = dispute
    dispute_refer(dispute=dispute, actor=clerk, target="mediation", note="转人民调解")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REFERRED
    case = MediationCase.objects.get(dispute=dispute)
    assert case.source == Source.DISPUTE_REFERRAL
    assert case.organisation == mworld.committee  # the committee of the dispute's street
    assert sorted(case.case_parties.values_list("name", flat=True)) == ["李申请", "赵被申"]
    applicant = case.case_parties.get(role="applicant")
    assert applicant.phone_masked == "138****8000"
    event = dispute.events.get(kind=DisputeEvent.Kind.REFERRED)
    assert event.data["received_as"] == case.reference and event.data["received_id"] == case.pk


def test_referral_without_a_registered_handler_still_refers(mworld, dispute, monkeypatch):
    clerk, dispute = dispute
    monkeypatch.setattr(hooks, "_referral_handlers", {})
    dispute_refer(dispute=dispute, actor=clerk, target="mediation")
    assert not MediationCase.objects.exists()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REFERRED


def test_cases_never_imports_mediation():
    offenders = []
    for path in CASES.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Call) and node.args:
                # by name at run time: importlib.import_module("mediation.services"),
                # apps.is_installed("mediation"), apps.get_model("mediation", …)
                function = getattr(node.func, "attr", getattr(node.func, "id", ""))
                first = node.args[0]
                if function in LOADERS and isinstance(first, ast.Constant):
                    names = [str(first.value)]
            offenders += [
                f"{path.name}: {name}" for name in names if name.split(".")[0] == "mediation"
            ]
    assert offenders == []


def test_failed_mediation_returns_the_dispute_to_the_loop(mworld, dispute):
    from cases.services import dispute_triage
    from mediation.services import mediation_fail, mediation_receipt_sign, mediator_assign
    from notifications.models import Notification

    clerk, dispute = dispute
    dispute_refer(dispute=dispute, actor=clerk, target="mediation")
    case = MediationCase.objects.get(dispute=dispute)
    mediator_assign(case=case, mediator=mworld.zhang_profile, actor=mworld.committee_clerk)
    mediation_receipt_sign(case=case, actor=mworld.zhang)
    mediation_fail(case=case, actor=mworld.zhang, reason="一方拒绝调解，建议诉讼")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REOPENED and dispute.referral_target == ""
    returned = dispute.events.get(kind=DisputeEvent.Kind.REFERRAL_RETURNED)
    assert "一方拒绝调解" in returned.note and returned.actor == mworld.zhang
    assert Notification.objects.filter(recipient=clerk, kind="cases.referral_returned").exists()
    # the centre takes it up again
    dispute_triage(
        dispute=dispute, actor=clerk, difficulty="complex", lead_organisation=mworld.committee
    )
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.TRIAGED


def test_the_return_counts_as_a_change_in_the_ledger(mworld, dispute):
    """变量 in the period of the return, even when the referral itself was earlier."""
    import datetime

    import time_machine
    from django.utils import timezone

    from cases.ledger import Period, ledger_disputes
    from mediation.services import mediation_fail

    clerk, dispute = dispute
    dispute_refer(dispute=dispute, actor=clerk, target="mediation")
    case = MediationCase.objects.get(dispute=dispute)
    later = timezone.now() + datetime.timedelta(days=10)
    with time_machine.travel(later, tick=False):
        mediation_fail(case=case, actor=mworld.committee_clerk, reason="当事人撤回调解申请")
    period = Period(later - datetime.timedelta(days=1), later + datetime.timedelta(days=1))
    changed = ledger_disputes(mworld.committee_clerk, mworld.committee, period, "changed")
    assert list(changed) == [dispute]
