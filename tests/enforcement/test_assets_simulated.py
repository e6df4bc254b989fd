"""The simulated inquiry provider: deterministic from the identity and the day, changing
over time, scriptable per debtor; the identity never shows in a repr."""

import datetime
from decimal import Decimal

import pytest

from enforcement.inquiry.providers import (
    Debtor,
    FindingKind,
    ProviderRefused,
    provider_get,
    provider_keys,
)
from enforcement.inquiry.simulated import generated_findings, simulated_script

from .conftest import ID_DEBTOR, id_number

DAY = datetime.date(2026, 3, 2)


def _debtor(identity=ID_DEBTOR):
    from common import pii

    sealed = pii.seal_id_number(identity)
    return Debtor(
        ref=1, name="陈某", kind="person", identity_masked=sealed.masked,
        identity_index=sealed.index, _identity_token=sealed.encrypted,
    )  # fmt: skip


def test_same_identity_same_day_same_answer():
    a = generated_findings(ID_DEBTOR, "person", DAY)
    b = generated_findings(ID_DEBTOR, "person", DAY)
    assert a == b
    for finding in a:
        for money in (finding.balance, finding.estimated_value):
            assert money is None or (isinstance(money, Decimal) and money.as_tuple().exponent == -2)


def test_debtors_differ_and_cover_every_kind():
    kinds = set()
    answers = set()
    for n in range(200):
        identity = id_number("19800101", f"{n:03d}")
        findings = generated_findings(identity, "person", DAY)
        answers.add(tuple((f.kind, f.identifier) for f in findings))
        kinds.update(f.kind for f in findings)
    assert len(answers) > 150
    assert kinds == set(FindingKind.ALL)


def test_answers_change_over_time():
    """Balances move week by week; an Alipay account opens on some day and stays."""
    changed_balance = opened_later = False
    for n in range(100):
        identity = id_number("19850101", f"{n:03d}")
        before = generated_findings(identity, "person", datetime.date(2025, 1, 2))
        after = generated_findings(identity, "person", datetime.date(2026, 9, 1))
        b_banks = {f.identifier: f.balance for f in before if f.kind == "bank_account"}
        a_banks = {f.identifier: f.balance for f in after if f.kind == "bank_account"}
        assert b_banks.keys() == a_banks.keys()  # the same accounts
        changed_balance |= b_banks != a_banks
        has = lambda fs: any(f.kind == "alipay" for f in fs)  # noqa: E731
        assert not (has(before) and not has(after))  # an account does not vanish
        opened_later |= has(after) and not has(before)
    assert changed_balance and opened_later


def test_organisations_have_accounts_not_wechat_or_employer():
    findings = generated_findings("91150302MA0N1234X5", "organisation", DAY)
    kinds = {f.kind for f in findings}
    assert "bank_account" in kinds
    assert not kinds & {"wechat", "alipay", "employer", "social_insurance"}


@pytest.mark.django_db
def test_provider_from_settings_and_identity_kept_out_of_repr():
    assert provider_keys() == ["simulated"]
    provider = provider_get("simulated")
    debtor = _debtor()
    assert ID_DEBTOR not in repr(debtor)
    provider.open()
    findings = provider.inquire(debtor, on=DAY)
    assert findings == generated_findings(ID_DEBTOR, "person", DAY)
    assert all(ID_DEBTOR not in repr(f) for f in findings)


@pytest.mark.django_db
def test_scripted_debtor_answers_the_script_by_date():
    simulated_script(
        identity=ID_DEBTOR,
        available_from=DAY,
        findings=[{"kind": "bank_account", "institution": "乌海银行", "identifier": "6230",
                   "balance": "232.00"}],
    )  # fmt: skip
    simulated_script(
        identity=ID_DEBTOR,
        available_from=DAY + datetime.timedelta(days=10),
        findings=[
            {"kind": "bank_account", "institution": "乌海银行", "identifier": "6230",
             "balance": "100.00"},
            {"kind": "alipay", "institution": "支付宝", "identifier": "139", "balance": "543.00"},
        ],
    )  # fmt: skip
    provider = provider_get("simulated")
    provider.open()
    debtor = _debtor()
    assert provider.inquire(debtor, on=DAY - datetime.timedelta(days=1)) == []
    first = provider.inquire(debtor, on=DAY)
    assert [(f.kind, f.balance) for f in first] == [("bank_account", Decimal("232.00"))]
    later = provider.inquire(debtor, on=DAY + datetime.timedelta(days=10))
    assert sorted((f.kind, f.balance) for f in later) == [
        ("alipay", Decimal("543.00")),
        ("bank_account", Decimal("100.00")),
    ]


@pytest.mark.django_db
def test_script_money_must_be_strings():
    with pytest.raises(TypeError):
        simulated_script(
            identity=ID_DEBTOR, available_from=DAY,
            findings=[{"kind": "alipay", "institution": "x", "identifier": "1", "balance": 1.5}],
        )  # fmt: skip


def test_latency_option_waits(settings):
    import time

    from enforcement.inquiry.simulated import SimulatedProvider

    provider = SimulatedProvider(key="slow", latency_ms=50)
    started = time.monotonic()
    provider.inquire(_debtor_plain(), on=DAY)
    assert time.monotonic() - started >= 0.05


def _debtor_plain():
    return Debtor(
        ref=1, name="某公司", kind="organisation", identity_masked="91150302MA0N1234X5",
        identity_index="x", _credit_code="91150302MA0N1234X5",
    )  # fmt: skip


def test_no_identity_refused():
    from enforcement.inquiry.simulated import SimulatedProvider

    debtor = Debtor(ref=1, name="无名", kind="person", identity_masked="", identity_index="")
    with pytest.raises(ProviderRefused):
        SimulatedProvider(key="s").inquire(debtor, on=DAY)
