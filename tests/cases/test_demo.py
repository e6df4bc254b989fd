from cases import demo
from cases.models import Dispute
from organisations import demo as organisations_demo


def test_demo_loads_and_is_idempotent(db):
    context: dict = {}
    organisations_demo.load(context)
    demo.load(context)
    count = Dispute.objects.count()
    demo.load(context)
    assert Dispute.objects.count() == count == len(demo.STORIES)
    assert {"registered", "triaged", "dispatched", "reopened", "closed"} <= set(
        Dispute.objects.values_list("status", flat=True)
    )
