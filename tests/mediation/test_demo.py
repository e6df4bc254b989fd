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
