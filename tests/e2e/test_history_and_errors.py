"""In a browser (issue 8): a dispute's history reads as a person would say it — field and
choice labels, organisation names, Beijing time — and a wrong address gets the Chinese 404
page, never Django's debug page with the URL list."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Dispute, DisputeEvent
from organisations.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db):
    call_command("load_demo", verbosity=0)


def test_history_shows_labels_names_and_beijing_time(demo_data, page, base_url, login):
    dispute = (
        Dispute.objects.filter(
            events__kind=DisputeEvent.Kind.TRIAGED, lead_organisation__isnull=False
        )
        .order_by("pk")
        .first()
    )
    triage = AuditEntry.objects.filter(
        object_id=str(dispute.pk), content_type__model="dispute", transition="triage"
    ).first()
    assert triage is not None, "the demo triages disputes with a lead organisation"
    login(page, "centre", DEMO_PASSWORD)
    page.goto(base_url + reverse("audit:history", args=["cases", "dispute", dispute.pk]))
    text = page.locator("main").inner_text()
    beijing = timezone.localtime(triage.at).strftime("%Y-%m-%d %H:%M:%S")
    utc = triage.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert beijing in text and utc not in text
    assert dispute.lead_organisation.name in text  # a name, not an id
    assert "主责单位" in text  # the field's label
    assert not re.search(r"\blead_organisation\b|\bstatus\b|: \d+\b", text)


def test_a_wrong_address_gets_the_chinese_404(demo_data, page, base_url, login):
    login(page, "clerk", DEMO_PASSWORD)
    response = page.goto(base_url + "/no-such-page/")
    assert response.status == 404
    text = page.locator("body").inner_text()
    assert "页面不存在" in text
    assert "URLconf" not in text and "urlpatterns" not in text.lower()
