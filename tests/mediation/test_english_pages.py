"""The mediator's pages in English: the mediation app's labels are in the catalogue (only
the records' own data — names, facts, court references — stays Chinese)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_mediator_week_and_case_in_english(client_for, mworld, delegated):
    mediator = client_for(mworld.zhang)
    assert mediator.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302

    week = mediator.get(reverse("mediation:week")).content.decode()
    assert delegated.reference in week
    for english in ("My week", "To do", "Awaiting acknowledgement", "Mediations this week"):
        assert english in week, english
    for chinese in ("我的一周", "待办事项", "待签收", "本周调解", "本周暂无调解"):
        assert chinese not in week, chinese

    detail = mediator.get(reverse("mediation:detail", args=[delegated.pk])).content.decode()
    for english in ("Mediation record", "No mediation records yet.", "Mediation language"):
        assert english in detail, english
    for chinese in ("调解记录", "尚无调解记录", "调解语言", "纠纷简要情况"):
        assert chinese not in detail, chinese
