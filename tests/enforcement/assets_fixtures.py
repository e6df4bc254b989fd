"""Helpers for the assets tests: story 5's debtor scripted in the simulated provider, an
inquiry run to the end in this process, a freeze from a finding.

Import the fixtures into a test module with `from .assets_fixtures import *`-free names:
`story5`, `published`."""

import datetime
from decimal import Decimal

import pytest

from enforcement.inquiry.runner import run
from enforcement.inquiry.simulated import simulated_script
from enforcement.models import AssetFinding, CaseParty, EnforcementRole
from enforcement.services.inquiries import inquiry_start

from .conftest import ID_DEBTOR, make_case

# 邮储 31,232.00 = 20,000.00 + 11,000.00 + 232.00 (story 5: three accounts, 31,232 frozen)
STORY5_BANKS = [
    {"kind": "bank_account", "institution": "中国邮政储蓄银行乌海市分行",
     "identifier": "6221881900012345678", "balance": "20000.00", "description": "活期"},
    {"kind": "bank_account", "institution": "中国农业银行乌海分行",
     "identifier": "6228480012345678901", "balance": "11000.00", "description": "活期"},
    {"kind": "bank_account", "institution": "乌海银行海勃湾支行",
     "identifier": "6230580000123456789", "balance": "232.00", "description": "活期"},
]  # fmt: skip
STORY5_ALIPAY = {
    "kind": "alipay", "institution": "支付宝（中国）网络技术有限公司",
    "identifier": "13904731234", "balance": "543.00", "description": "支付宝余额",
}  # fmt: skip
STORY5_PRINCIPAL = Decimal("51770.00")


@pytest.fixture
def published(monkeypatch):
    """What the outbox relay publishes (task name, args), instead of a broker."""
    calls: list[tuple[str, list, dict]] = []

    def fake_publish(app, message):
        calls.append((message.task_name, message.args, message.kwargs))

    monkeypatch.setattr("jobs.services._publish", fake_publish)
    return calls


def script_story5(today: datetime.date, alipay_after_days: int = 10) -> None:
    simulated_script(identity=ID_DEBTOR, findings=STORY5_BANKS, available_from=today)
    simulated_script(
        identity=ID_DEBTOR,
        findings=[STORY5_ALIPAY],
        available_from=today + datetime.timedelta(days=alipay_after_days),
    )


def story5_case(eworld):
    return make_case(
        eworld.court, eworld.clerk, officer=eworld.officer, principal=STORY5_PRINCIPAL,
        applicant="刘某", debtor="陈某",
    )  # fmt: skip


def debtor_of(case) -> CaseParty:
    return CaseParty.objects.get(case=case, role=EnforcementRole.DEBTOR)


def inquire_now(case, actor, **kwargs):
    """Start an inquiry and run it in this process (the task's work, without a broker)."""
    inquiry = inquiry_start(case=case, actor=actor, **kwargs)
    run(inquiry_ids=[inquiry.pk])
    inquiry.refresh_from_db()
    return inquiry


def findings_of(inquiry, kind=None):
    rows = AssetFinding.objects.filter(inquiry=inquiry).order_by("pk")
    return list(rows.filter(kind=kind) if kind else rows)
