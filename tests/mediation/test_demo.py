"""The mediation demo loads after the cases demo, is idempotent, and shows each source."""

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
