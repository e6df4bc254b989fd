import datetime

from django.db.models import F
from django.utils import timezone
from stdnum.cn import ric, uscc

from audit.models import AuditEntry
from cases import demo, selectors
from cases.ledger import Period, figure_condition
from cases.models import Bundle, Dispatch, Dispute, DisputeEvent, DisputeStatus, Party, Rating
from cases.reports import parse_week, weekly_report
from common import pii
from deadlines import demo as deadlines_demo
from deadlines.models import Deadline, Reminder
from deadlines.sweep import deadlines_sweep
from notifications.models import Notification
from organisations import demo as organisations_demo
from organisations.models import Organisation, User


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


def _week(moment) -> tuple[int, int]:
    return timezone.localtime(moment).isocalendar()[:2]


def test_demo_stories_run_at_past_moments(db):
    context: dict = {}
    organisations_demo.load(context)
    demo.load(context)
    now = timezone.now()
    # every step happened between the dispute's registration and now
    events = DisputeEvent.objects.select_related("dispute")
    assert events.count() > 200
    for event in events:
        assert event.dispute.registered_at <= event.at <= now, (event.dispute.source_reference,
                                                               event.kind)  # fmt: skip
    assert not AuditEntry.objects.filter(at__gt=now).exists()
    # resolutions and closings spread over the weeks, not all in the week of loading
    resolved = list(Dispute.objects.exclude(resolved_at=None).values_list("resolved_at", flat=True))
    closed = list(Dispute.objects.exclude(closed_at=None).values_list("closed_at", flat=True))
    assert len({_week(at) for at in resolved}) >= 4
    assert len({_week(at) for at in closed}) >= 4
    assert min(closed) < now - datetime.timedelta(days=28)
    # a few answers came in after the deadline; one dispatch is overdue now and shows on 督办
    late = Dispatch.objects.filter(answered_at__gt=F("deadline"))
    assert late.count() >= 2
    overdue = Dispatch.objects.filter(status="accepted", deadline__lt=now)
    assert overdue.exists()
    supervisor = context["users"]["supervisor"]
    assert set(overdue) <= set(selectors.overdue_dispatches(supervisor))
    # deadlines shown on open disputes come from their own triage, not from today
    for dispute in Dispute.objects.exclude(triaged_at=None):
        assert dispute.triaged_at - dispute.registered_at < datetime.timedelta(days=2)
    # last week's report has resolutions, a rate and overdue disputes
    # (the demo's organisation objects may hold stale tree paths: read it afresh)
    centre = Organisation.objects.get(pk=context["organisations"]["hbw_centre"].pk)
    report = weekly_report(supervisor, centre, parse_week(None))
    assert report.period == Period.week_of(timezone.localdate() - datetime.timedelta(days=7))
    assert report.totals.resolved > 0
    assert report.totals.rate > 0
    assert report.totals.overdue > 0


def test_sweep_after_demo_sends_only_a_handful(db):
    context: dict = {}
    organisations_demo.load(context)
    demo.load(context)
    deadlines_demo.load(context)
    # finished steps met or cancelled their clocks: only open disputes' clocks are pending
    open_ids = set(
        Dispute.objects.filter(closed_at=None, resolved_at=None).values_list("pk", flat=True)
    )
    for deadline in Deadline.objects.filter(kind__startswith="cases.", state="pending"):
        subject = deadline.subject
        dispute_id = subject.pk if isinstance(subject, Dispute) else subject.dispute_id
        assert dispute_id in open_ids, deadline
    before = Notification.objects.count()
    result = deadlines_sweep()
    assert result.notifications <= 10
    assert Notification.objects.count() - before == result.notifications
    # the escalations are for what is really overdue now (steps done late closed their
    # clocks as missed themselves, with closed_at; the sweep marks the undone ones)
    missed = Deadline.objects.filter(
        kind__startswith="cases.", state="missed", closed_at__isnull=True
    )
    assert 1 <= missed.count() <= 4
    assert not Reminder.objects.filter(deadline__state="met").exists()
    # a second sweep finds nothing more to say
    assert deadlines_sweep().notifications == 0
