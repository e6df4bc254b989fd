"""The mediation demo loads after the cases demo, is idempotent, and shows each source."""

from django.utils import timezone

from cases import demo as cases_demo
from deadlines import demo as deadlines_demo
from mediation import demo
from mediation.models import MediationCase, Mediator, Source, Status
from organisations import demo as organisations_demo


def test_demo_loads_and_is_idempotent(db):
    context: dict = {}
    organisations_demo.load(context)
    deadlines_demo.load(context)
    cases_demo.load(context)
    demo.load(context)
    demo.load(context)
    assert Mediator.objects.count() == len(demo.MEDIATORS)
    by_source = dict(MediationCase.objects.values_list("source", "status"))
    assert by_source == {
        Source.COURT_DELEGATED: Status.IN_MEDIATION,
        Source.COURT_ENTRUSTED: Status.RECEIVED,
        Source.PARTY_REQUEST: Status.AGREED,
        Source.DISPUTE_REFERRAL: Status.RECEIVED,
    }
    referred = MediationCase.objects.get(source=Source.DISPUTE_REFERRAL)
    assert referred.organisation.name == "新华街道人民调解委员会"
    assert referred.mediator.name == "巴特尔"


def test_demo_mediator_pages(db, client):
    from organisations.models import User

    context: dict = {}
    organisations_demo.load(context)
    cases_demo.load(context)
    demo.load(context)
    client.force_login(User.objects.get(username="mediator"))
    home = client.get("/").content.decode()
    assert "/mediation/week/" in home and "/mediation/mediators/" in home
    week = client.get("/mediation/week/").content.decode()
    entrusted = MediationCase.objects.get(source=Source.COURT_ENTRUSTED)
    assert entrusted.reference in week
    for case in MediationCase.objects.all():
        assert client.get(f"/mediation/{case.pk}/").status_code == 200
    agreed = MediationCase.objects.get(status=Status.AGREED)
    assert "调解协议书尚未生成" in client.get(f"/mediation/{agreed.pk}/agreement/").content.decode()
    assert "巴特尔" in client.get("/mediation/mediators/?language=mn").content.decode()


def test_demo_tells_the_sandpit_story_with_meetings_and_consultations(db, client):
    """Complaint meetings whose issues point to the disputes the centre registered (the
    sandpit, closed and praised; 飞线充电, bundled), one registered in one click, others
    still open; the chief legal expert's consultations linked to their disputes."""
    from cases.models import DisputeStatus, SourceChannel
    from mediation.models import ComplaintMeeting, LegalConsultation, MeetingIssue
    from organisations.models import User

    context: dict = {}
    organisations_demo.load(context)
    deadlines_demo.load(context)
    cases_demo.load(context)
    demo.load(context)
    demo.load(context)  # idempotent
    assert ComplaintMeeting.objects.count() == 2
    assert MeetingIssue.objects.count() == 6 and LegalConsultation.objects.count() == 2

    sandpit = MeetingIssue.objects.get(summary__contains="沙坑")
    assert sandpit.meeting.organisation.name == "新华西社区居委会"
    assert (
        sandpit.dispute.status == DisputeStatus.CLOSED
        and sandpit.dispute.ratings.filter(score=5).exists()
    )
    assert sandpit.meeting.held_on == timezone.localtime(sandpit.dispute.registered_at).date()
    charging = MeetingIssue.objects.get(summary__contains="飞线充电")
    assert charging.dispute.bundle is not None
    clicked = MeetingIssue.objects.get(summary__contains="健身器材")
    assert clicked.dispute.source_channel == SourceChannel.COMPLAINT_MEETING
    assert clicked.dispute.status == DisputeStatus.REGISTERED
    assert MeetingIssue.objects.filter(dispute__isnull=True).count() == 3

    expert = User.objects.get(username="expert")
    law = LegalConsultation.objects.get(asker_name="任芬")
    assert law.expert.user == expert and law.recorded_by == expert
    assert law.dispute == sandpit.dispute and "第二百七十四条" in law.answer
    assert law.asker_phone_masked.startswith("139") and "*" in law.asker_phone_masked
    wages = LegalConsultation.objects.get(asker_name="孟凡荣")
    assert "第八十二条" in wages.answer and wages.dispute.facts.startswith("保洁员反映")

    # the pages: the grid worker's meeting, the expert's consultations
    client.force_login(User.objects.get(username="grid"))
    meeting_page = client.get(f"/mediation/meetings/{clicked.meeting_id}/").content.decode()
    assert clicked.dispute.reference in meeting_page and "快递柜" in meeting_page
    client.force_login(expert)
    consultations = client.get("/mediation/consultations/").content.decode()
    assert "小区公共区域的管理责任" in consultations and "未签劳动合同的工资追讨" in consultations
    assert client.get(f"/mediation/consultations/{law.pk}/").status_code == 200
