"""The resident's rating link: no login, valid once, expires, stored only hashed."""

import hashlib

import time_machine
from django.urls import reverse

from cases.models import Difficulty, DisputeStatus, Rating
from cases.services import (
    dispatch_accept,
    dispatch_answer,
    dispute_dispatch,
    dispute_review_close,
    dispute_triage,
)


def _resolved(loop, register):
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    (dispatch,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    dispatch_accept(dispatch=dispatch, actor=loop.responder)
    dispatch_answer(dispatch=dispatch, actor=loop.responder, answer="已处理")
    dispute.refresh_from_db()
    return dispute_review_close(dispute=dispute, actor=loop.clerk)


def test_valid_link_rates_without_login(loop, register, client):
    dispute, token = _resolved(loop, register)
    url = reverse("rate", args=[token])
    assert len(token) >= 32
    page = client.get(url)
    assert page.status_code == 200 and dispute.reference in page.content.decode()
    response = client.post(url, {"score": "5", "comment": "满意"})
    assert 'data-testid="rate-done"' in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CLOSED
    rating = Rating.objects.get()
    assert (
        rating.token_hash == hashlib.sha256(token.encode()).hexdigest()
        and token not in rating.token_hash
    )


def test_reused_link_refused(loop, register, client):
    _dispute, token = _resolved(loop, register)
    url = reverse("rate", args=[token])
    client.post(url, {"score": "5"})
    again = client.post(url, {"score": "1"})
    assert again.status_code == 410 and "已评价" in again.content.decode()
    assert client.get(url).status_code == 410


def test_expired_link_refused(loop, register, client):
    dispute, token = _resolved(loop, register)
    with time_machine.travel(Rating.objects.get().expires_at.timestamp() + 60):
        response = client.get(reverse("rate", args=[token]))
    assert response.status_code == 410 and "过期" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.RESOLVED


def test_unknown_link_refused(db, client):
    response = client.get(reverse("rate", args=["not-a-real-token"]))
    assert response.status_code == 410 and "无效" in response.content.decode()


def test_unsatisfied_reopens(loop, register, client):
    dispute, token = _resolved(loop, register)
    client.post(reverse("rate", args=[token]), {"score": "1", "comment": "没解决"})
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REOPENED


def test_reissued_link_invalidates_old(loop, register, client):
    from cases.services import rating_link_issue

    dispute, old = _resolved(loop, register)
    _rating, new = rating_link_issue(dispute=dispute, actor=loop.clerk)
    assert client.get(reverse("rate", args=[old])).status_code == 410
    assert client.get(reverse("rate", args=[new])).status_code == 200


def test_dispute_page_shows_link_and_sms_after_review(loop, register, client_for):
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    (dispatch,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    dispatch_accept(dispatch=dispatch, actor=loop.responder)
    dispatch_answer(dispatch=dispatch, actor=loop.responder, answer="已处理")
    client = client_for(loop.clerk)
    response = client.post(reverse("cases:review", args=[dispute.pk]), follow=True)
    html = response.content.decode()
    assert 'data-testid="rating-url"' in html and "【枫桥】" in html
