"""The courts of the commission tests (enf-commission), on top of `eworld`:

- the sending court is eworld.court (海勃湾区), its case `case` (applicant 张申请, debtor 孙委托)
  and another case of it that is not commissioned (`other_case`, debtor 周未委);
- the receiving court is eworld.other_court (海南区) with a clerk and an officer;
- a third court (乌达区), which neither sends nor receives, with a clerk and a supervisor;
- the intermediate court's supervisor (eworld.higher_supervisor) above all three.

A commission issues its letter (委托执行函) through the documents service: the PDF is the
stand-in of notices_fixtures (these tests are not about the PDF's text; the letter's own
tests read its .docx)."""

from dataclasses import dataclass

import pytest

from documents import converter
from enforcement.models import EnforcementCase
from organisations.models import Organisation, User
from organisations.roles import Role
from tests.factories import OrganisationFactory, RegionFactory, member

from .conftest import make_basis, make_case
from .notices_fixtures import fake_pdf


@dataclass
class CommissionWorld:
    sender: Organisation
    receiver: Organisation
    third: Organisation
    case: EnforcementCase
    other_case: EnforcementCase
    recv_clerk: User
    recv_officer: User
    third_clerk: User
    third_supervisor: User


@pytest.fixture
def cworld(eworld, monkeypatch) -> CommissionWorld:
    monkeypatch.setattr(converter, "docx_to_pdf", fake_pdf)
    third_district = RegionFactory(name="乌达区", parent=eworld.higher_court.region)
    third = OrganisationFactory(name="乌达区人民法院", region=third_district, court_code="蒙0304")
    # organisations are a tree ordered by name: a new court may move the others' paths
    for organisation in (
        third,
        eworld.court,
        eworld.other_court,
        eworld.higher_court,
        eworld.centre,
    ):
        organisation.refresh_from_db()
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="孙委托")
    other = make_case(
        eworld.court, eworld.clerk, officer=eworld.officer, debtor="周未委",
        basis=make_basis(eworld.court, eworld.clerk, number="（2026）蒙0302民初99号"),
    )  # fmt: skip
    return CommissionWorld(
        sender=eworld.court,
        receiver=eworld.other_court,
        third=third,
        case=case,
        other_case=other,
        recv_clerk=eworld.outsider,  # eworld's "outsider" is the receiving court's clerk here
        recv_officer=member(eworld.other_court, Role.ENFORCEMENT_OFFICER, username="recv_off",
                            full_name="钱受托"),
        third_clerk=member(third, Role.CLERK, username="third_clerk"),
        third_supervisor=member(third, Role.SUPERVISOR, username="third_sup"),
    )  # fmt: skip
