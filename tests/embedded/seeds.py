"""Records the crawl adds to the demo data before it signs in (tests/embedded/crawl.py): the
demo has no enforcement cases and no credit records, so without these the court's lists,
the case pages and the credit pages would be empty and their detail pages out of reach.

Made the way the enforcement and credit tests make them (their fixtures and the services),
in the demo court (蒙0302) by its clerk, officer and president. Issued documents get a
stand-in PDF (tests/documents/conftest.fake_pdf): LibreOffice would take seconds a document
and the crawl is about the pages, not the conversion.
"""

import datetime
from types import SimpleNamespace

from tests.enforcement.conftest import ID_DEBTOR, id_number

# The debtors the public lookup is searched for (tests/embedded/crawl.py): a person with
# published listings, an organisation's legal representative bound by its listing.
PUBLIC_PERSON = ("王被执", ID_DEBTOR)
ORGANISATION_NAME = "乙商贸有限公司"
ORGANISATION_CODE_BODY = "91150302MA0N5XXX0"
REPRESENTATIVE = ("钱某", id_number("19800606", "041"))


def _people():
    from organisations.models import Organisation, User

    return SimpleNamespace(
        court=Organisation.objects.get(court_code="蒙0302"),
        clerk=User.objects.get(username="clerk"),
        officer=User.objects.get(username="officer"),
        president=User.objects.get(username="president"),
    )


def seed_enforcement() -> list:
    """File two cases in the demo court as its clerk, one assigned to the demo officer, the
    way tests/enforcement makes them, with money in and out on the first, so the court's
    lists and funds pages have rows and the case pages are one link deep."""
    from tests.enforcement.conftest import make_basis, make_case
    from tests.enforcement.funds_fixtures import pay_out, receive

    people = _people()
    court, clerk = people.court, people.clerk
    cases = [
        make_case(court, clerk, officer=people.officer),
        make_case(court, clerk, basis=make_basis(court, clerk, number="（2026）蒙0302民初89号")),
    ]
    # money received and paid out on the first (the funds pages, the reconciliation)
    receipt = receive(cases[0], "1000.00", people.officer)
    pay_out(receipt, requester=people.officer, approver=people.president)
    receive(cases[0], "500.00", people.officer)
    return cases


def _debtor_case(people, *, name, id_value, number):
    from enforcement.models import EnforcementRole
    from tests.enforcement.conftest import add_party, make_basis, make_case

    case = make_case(
        people.court,
        people.clerk,
        officer=people.officer,
        debtor="占位人",
        basis=make_basis(people.court, people.clerk, number=number),
    )
    case.case_parties.filter(role=EnforcementRole.DEBTOR).delete()
    add_party(case, role=EnforcementRole.DEBTOR, name=name, id_number_value=id_value)
    return case


def _organisation_case(people):
    from stdnum.cn import uscc

    from cases.models import Party
    from enforcement.models import CaseParty, EnforcementRole
    from tests.enforcement.conftest import make_basis, make_case

    case = make_case(
        people.court,
        people.clerk,
        officer=people.officer,
        debtor="占位人",
        basis=make_basis(people.court, people.clerk, number="（2026）蒙0302民初93号"),
    )
    case.case_parties.filter(role=EnforcementRole.DEBTOR).delete()
    party = Party.objects.create(
        kind=Party.Kind.ORGANISATION,
        name=ORGANISATION_NAME,
        credit_code=ORGANISATION_CODE_BODY + uscc.calc_check_digit(ORGANISATION_CODE_BODY),
        legal_representative=REPRESENTATIVE[0],
    )
    CaseParty.objects.create(
        case=case, party=party, role=EnforcementRole.DEBTOR, name=ORGANISATION_NAME
    )
    return case


def seed_credit(cases) -> dict:
    """A record of each kind the credit pages show, in the states that change what they
    show, on the demo court's cases (`cases` from seed_enforcement) and four more:

    - the first case: its debtor listed, the restriction waiting for the president, a
      correction request under review;
    - the second: listed, the restriction in force with a one-time lifting waiting for the
      president, and a settlement removal three weeks old (late);
    - 胡某某's case: performed, the listing removed, the restriction's removal open, the
      certificate of performance issued;
    - 乙商贸有限公司 (its legal representative bound): listed, the restriction in force, a
      removal on the applicant's request waiting for the president;
    - 李某's case: listed, credit restored (shielded) and the restoration certificate;
    - a voluntary performer (守信激励) with a certificate;
    - a campaign running now with all these cases in it.

    Returns what the crawl looks up: the public lookup's searches and a certificate's
    verification code."""
    from django.utils import timezone

    from credit import services
    from credit.models import BoundRole, Certificate, Removal, Restoration, Restriction, Trigger
    from documents import converter
    from enforcement.services.campaigns import campaign_create, campaign_tag_cases
    from enforcement.states import case_machine
    from tests.credit.conftest import debtor_of, impose, paid_in_full
    from tests.documents.conftest import fake_pdf

    converter.docx_to_pdf = fake_pdf
    people = _people()
    officer, president = people.officer, people.president
    now = timezone.now()

    def in_force(listing):
        restriction = Restriction.objects.get(listing=listing)
        services.restriction_approve(restriction=restriction, actor=president)
        return restriction

    first, second = cases
    listing = impose(people, first)
    services.correction_receive(
        sanction=listing, applicant_name="王被执", grounds="已于立案前履行部分义务，情形认定有误",
        actor=people.clerk,
    )  # fmt: skip

    restriction = in_force(impose(people, second))
    today = timezone.localdate()
    services.one_time_lifting_request(
        restriction=restriction, need="就医乘机", reasons="父亲在北京住院手术，需乘飞机前往",
        starts_on=today + datetime.timedelta(days=2), ends_on=today + datetime.timedelta(days=5),
        approver=president, actor=officer,
    )  # fmt: skip
    services.removals_start(
        case=second, trigger=Trigger.SETTLEMENT_PERFORMED, reason="执行和解协议已履行完毕",
        actor=officer, case_party=debtor_of(second), fact_at=now - datetime.timedelta(days=21),
    )  # fmt: skip

    performed = _debtor_case(
        people,
        name="胡某某",
        id_value=id_number("19840307", "031"),
        number="（2026）蒙0302民初91号",
    )
    in_force(impose(people, performed))
    paid_in_full(performed, officer)
    case_machine.apply(performed, "performed", actor=officer, note="全部履行")
    removal = Removal.objects.filter(case=performed, listing__isnull=False).first()
    services.removal_execute(removal=removal, actor=officer)
    services.certificate_performance_issue(case=performed, actor=officer)

    company = _organisation_case(people)
    in_force(
        impose(
            people, company,
            bound_persons=[{"name": REPRESENTATIVE[0], "id_number": REPRESENTATIVE[1],
                            "role": BoundRole.LEGAL_REPRESENTATIVE}],
        )
    )  # fmt: skip
    services.removals_start(
        case=company, trigger=Trigger.APPLICANT_REQUEST, reason="申请执行人申请删除",
        actor=officer, approver=president,
    )  # fmt: skip

    restored = _debtor_case(
        people, name="李某", id_value=id_number("19900101", "052"), number="（2026）蒙0302民初92号"
    )
    in_force(impose(people, restored))
    restoration = services.restoration_apply(
        case_party=debtor_of(restored), basis=Restoration.Basis.PERFORMED,
        evidence="银行转账凭证（51770元）", on_behalf=True, actor=officer,
    )  # fmt: skip
    services.restoration_decide(
        restoration=restoration, grant=True, reasons="已全部履行，准予修复", actor=officer
    )
    services.certificate_restoration_issue(restoration=restoration, actor=officer)

    voluntary = services.voluntary_performance_record(
        court=people.court, party_data={"name": "张某某", "kind": "person"},
        basis_document="（2025）蒙0302民初321号民事调解书", duty="支付继承份额",
        amount="95874.11", performed_on=today, actor=officer,
    )  # fmt: skip
    services.certificate_voluntary_issue(voluntary_performance=voluntary, actor=officer)

    # a campaign running now with every seeded case in it: its page counts credit's
    # restrictions and listings (credit/campaign_counters.py)
    campaign = campaign_create(
        organiser=people.court, name="雷霆执行·冬季攻坚", starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=60), courts=[people.court], actor=president,
    )  # fmt: skip
    campaign_tag_cases(
        campaign=campaign, cases=[first, second, performed, company, restored], actor=president
    )

    certificate = Certificate.objects.filter(document__isnull=False).order_by("pk").first()
    return {
        "cases": [case.case_number for case in (performed, company, restored)],
        "lookups": [
            {"name": PUBLIC_PERSON[0], "identity": PUBLIC_PERSON[1]},
            {"name": REPRESENTATIVE[0], "identity": REPRESENTATIVE[1]},
            {
                "name": ORGANISATION_NAME,
                "identity": company.case_parties.get(role="debtor").party.credit_code,
            },
            {"name": "李某", "identity": id_number("19900101", "052")},  # shielded: none
        ],
        "verification_code": certificate.document.verification_code,
    }


def seed_admin() -> str:
    """A row in each admin table the demo leaves empty, so the admin's change pages are
    reached: a partner agency and its token (whose plain key is returned: the crawl reads
    the partner feed with it, which logs the reads), a working-calendar day and year, a
    local deadline rule, a notification preference, a job run, an outbox message, the
    province's average wage and a group. Through the services where there are some; the
    rest as the admin's own save would write them."""
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.db import transaction

    from audit.services import audit_create
    from credit.feed.services import partner_agency_create, partner_token_issue
    from deadlines.models import DeadlineRule
    from deadlines.services import calendar_day_set, calendar_year_set
    from enforcement.models import AverageWage
    from jobs.services import job_run, outbox_enqueue
    from notifications.services import preference_update
    from organisations.models import Region, User

    admin = User.objects.get(username="admin")
    people = _people()
    scopes = ["listings", "restrictions", "voluntary"]
    agency = partner_agency_create(
        actor=admin, name="乌海银行", code="wuhai-bank", kind="bank", scopes=scopes
    )
    issued = partner_token_issue(actor=admin, agency=agency, label="核查系统", scopes=scopes)
    # a year and a day past every seeded deadline: nothing is recomputed
    calendar_year_set(year=2030, confirmed=False, actor=admin, note="待国务院通知")
    calendar_day_set(date=datetime.date(2030, 1, 1), is_working_day=False, name="元旦", actor=admin)
    rule = DeadlineRule.objects.create(
        kind="demo.reminder", organisation=people.court, unit="calendar_days", amount=2,
        lead_times=[1], note="本院从快",
    )  # fmt: skip
    audit_create(rule, actor=admin)
    preference_update(user=people.officer, actor=people.officer, digest=True)
    with job_run("crawl.seed") as counter:
        counter.items = 1
    with transaction.atomic():
        outbox_enqueue("jobs.tasks.noop_for_the_crawl")
    AverageWage.objects.create(
        province=Region.objects.get(code="150000"), year=2025, monthly_wage=Decimal("8123.00"),
        source="内蒙古自治区统计局",
    )  # fmt: skip
    Group.objects.create(name="执行局")
    return issued.plain
