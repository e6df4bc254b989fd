"""The credit tests act in the enforcement world (tests/enforcement/conftest.py): court
蒙0302 with its clerk, officers and president (吴院长), the intermediate court above it, the
outsider court and a governance centre. Documents are made by a stand-in for LibreOffice
(distinct bytes per document) except where a test converts for real."""

import datetime

import pytest
from django.utils import timezone

from credit import services
from credit.models import Ability, Grade, Ground
from documents import converter
from enforcement.models import CaseParty, EnforcementRole
from tests.documents.conftest import fake_pdf
from tests.enforcement import conftest as enforcement_fixtures
from tests.enforcement.conftest import ID_DEBTOR, add_party, id_number, make_case

__all__ = ["ID_DEBTOR", "add_party", "id_number", "make_case"]

# the enforcement world's fixtures, shared rather than copied
eworld = enforcement_fixtures.eworld
case = enforcement_fixtures.case

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch):
    monkeypatch.setattr(converter, "docx_to_pdf", fake_pdf)


def debtor_of(enforcement_case) -> CaseParty:
    return enforcement_case.case_parties.get(role=EnforcementRole.DEBTOR)


def unwilling(case_party, actor, **kwargs):
    return services.ability_finding_record(
        case_party=case_party,
        finding=Ability.UNWILLING,
        reasons="名下有存款而拒不履行",
        actor=actor,
        **kwargs,
    )


def impose(world, enforcement_case, *, ground=Ground.BREAKS_REPORTING, grade=Grade.GENERAL,
           **kwargs):  # fmt: skip
    """A listing by the officer, with the president named for the restriction."""
    debtor = kwargs.pop("case_party", None) or debtor_of(enforcement_case)
    finding = kwargs.pop("ability_finding", None) or unwilling(debtor, world.officer)
    values = {
        "case_party": debtor,
        "ground": ground,
        "grade": grade,
        "ability_finding": finding,
        "duty": "给付借款本金51770元及利息",
        "conduct": "拒不报告财产情况",
        "approver": world.president,
        "actor": world.officer,
    }
    values.update(kwargs)
    return services.listing_impose(**values)


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def local_date(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def paid_in_full(enforcement_case, actor):
    """The debtor paid the applicant everything directly (直接履行, on the applicant's
    confirmation), so the case may end as performed."""
    from enforcement.models import DirectPaymentEvidence
    from enforcement.selectors_funds import case_fund_summary
    from enforcement.services.funds import direct_payment_record

    applicant = CaseParty.objects.get(case=enforcement_case, role=EnforcementRole.APPLICANT)
    return direct_payment_record(
        case=enforcement_case, payee=applicant, actor=actor,
        amount=case_fund_summary(enforcement_case).owed_to_applicants,
        paid_on=timezone.localdate(), evidence=DirectPaymentEvidence.APPLICANT_STATEMENT,
    )  # fmt: skip
