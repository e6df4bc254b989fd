import datetime

from django.utils import timezone
from stdnum.cn import ric, uscc

from audit.models import AuditEntry
from cases import demo
from cases.ledger import Period, figure_condition
from cases.models import Bundle, Dispatch, Dispute, DisputeEvent, DisputeStatus, Party, Rating
from common import pii
from organisations import demo as organisations_demo
from organisations.models import User


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Dispute, Dispatch, DisputeEvent, Party, Rating, Bundle, AuditEntry, User)
    }


def test_demo_loads_and_is_idempotent(db):
    context: dict = {}
    organisations_demo.load(context)
    demo.load(context)
    counts = _counts()
    organisations_demo.load(context)
    demo.load(context)
    assert _counts() == counts
    assert counts["Dispute"] == len(demo.STORIES) >= 40
    assert set(Dispute.objects.values_list("status", flat=True)) == set(DisputeStatus.values)


def test_demo_covers_the_loop(db):
    context: dict = {}
    organisations_demo.load(context)
    demo.load(context)
    # the property company has a login and its dispatches move
    assert context["users"]["property"].check_password(organisations_demo.DEMO_PASSWORD)
    assert any(login[0] == "property" for login in context["logins"])
    assert Dispatch.objects.filter(
        responder__name="金裕物业服务有限公司", status="answered"
    ).exists()
    # 督办, one 打包 of 飞线充电 escalated upward, satisfied and unsatisfied ratings
    assert Dispute.objects.filter(is_flagged=True).count() >= 4
    bundle = Bundle.objects.get(title=demo.BUNDLE_TITLE)
    assert bundle.status == Bundle.Status.ESCALATED and bundle.disputes.count() == 4
    assert Rating.objects.filter(satisfied=True).count() >= 8
    assert Rating.objects.filter(satisfied=False).count() == 1
    assert Dispute.objects.filter(status=DisputeStatus.REOPENED).count() == 1
    # some disputes waited past the triage deadline
    now = timezone.now()
    assert Dispute.objects.filter(status="registered", triage_due_at__lt=now).count() >= 2
    # registrations spread over the last six weeks
    registered = list(Dispute.objects.values_list("registered_at", flat=True))
    assert min(registered) < now - datetime.timedelta(days=35)
    assert max(registered) <= now
    weeks = {timezone.localtime(at).isocalendar()[:2] for at in registered}
    assert len(weeks) >= 6
    last_week = Period.week_of(timezone.localdate() - datetime.timedelta(days=7))
    assert Dispute.objects.filter(figure_condition("new", last_week)).exists()
    assert Dispute.objects.filter(figure_condition("stock", last_week)).exists()


def test_demo_parties_have_valid_identifiers(db):
    context: dict = {}
    organisations_demo.load(context)
    demo.load(context)
    people = Party.objects.filter(kind=Party.Kind.PERSON)
    assert people.count() >= 30
    for party in people:
        assert ric.is_valid(pii.decrypt(party.id_number_encrypted)), party.name
        assert len(pii.decrypt(party.phone_encrypted)) == 11
    for party in Party.objects.filter(kind=Party.Kind.ORGANISATION):
        assert uscc.is_valid(party.credit_code), party.name
