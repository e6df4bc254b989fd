"""API: scoped lists, workflow endpoints, 409 for illegal steps, 400 with field errors, 404 outside."""

from cases.models import Difficulty, Dispute, DisputeStatus
from cases.services import dispute_dispatch, dispute_triage

from .conftest import ID_ZHANG, PHONE_ZHANG

BASE = "/api/cases/disputes/"


def test_create_and_loop_through_api(loop, api_for):
    clerk = api_for(loop.clerk)
    response = clerk.post(
        BASE,
        {
            "source_channel": "hotline_12345",
            "source_reference": "12345-0001",
            "category": "property_management",
            "facts": "小区暖气不热",
            "region": loop.community_region.pk,
            "parties": [{"name": "张三", "id_number": ID_ZHANG, "phone": PHONE_ZHANG}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["parties"][0]["party"]["id_number_masked"] == "110***********002X"
    assert (
        ID_ZHANG not in response.content.decode() and PHONE_ZHANG not in response.content.decode()
    )
    pk = body["id"]
    assert (
        clerk.post(f"{BASE}{pk}/triage/", {"difficulty": "simple"}, format="json").status_code
        == 200
    )
    response = clerk.post(
        f"{BASE}{pk}/dispatch/", {"targets": [{"responder": loop.heating.pk}]}, format="json"
    )
    assert response.status_code == 201
    dispatch_id = response.json()[0]["id"]
    heating = api_for(loop.heating_user)
    inbox = heating.get("/api/cases/dispatches/?inbox=1").json()["results"]
    assert [d["id"] for d in inbox] == [dispatch_id]
    assert heating.post(f"/api/cases/dispatches/{dispatch_id}/accept/").status_code == 200
    assert (
        heating.post(
            f"/api/cases/dispatches/{dispatch_id}/answer/", {"answer": "已修复"}, format="json"
        ).status_code
        == 200
    )
    response = clerk.post(f"{BASE}{pk}/review/", {}, format="json")
    assert response.status_code == 200
    assert "/r/" in response.json()["rating_url"] and "【枫桥】" in response.json()["sms_text"]
    assert Dispute.objects.get(pk=pk).status == DisputeStatus.RESOLVED
    timeline = clerk.get(f"{BASE}{pk}/timeline/").json()
    assert [e["kind"] for e in timeline][:3] == ["registered", "triaged", "dispatched"]


def test_illegal_transition_is_409_with_message(loop, api_for, register):
    dispute = register()
    response = api_for(loop.clerk).post(f"{BASE}{dispute.pk}/review/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert "不能执行" in response.json()["detail"]


def test_invalid_input_is_400_with_fields(loop, api_for, register):
    clerk = api_for(loop.clerk)
    response = clerk.post(
        BASE,
        {
            "source_channel": "visit",
            "category": "neighbour",
            "facts": "x",
            "region": loop.community_region.pk,
            "parties": [{"name": "张三", "id_number": "110105194912310021"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "parties" in response.json()["fields"]
    assert "110105194912310021" not in response.content.decode()
    dispute = register()
    response = clerk.post(f"{BASE}{dispute.pk}/triage/", {"difficulty": "complex"}, format="json")
    assert response.status_code == 400 and "lead_organisation" in response.json()["fields"]


def test_outsider_cannot_read_or_change(loop, api_for, register):
    dispute = register()
    outsider = api_for(loop.outsider)
    assert outsider.get(f"{BASE}{dispute.pk}/").status_code == 404
    assert (
        outsider.post(
            f"{BASE}{dispute.pk}/triage/", {"difficulty": "simple"}, format="json"
        ).status_code
        == 404
    )
    assert outsider.get(BASE).json()["results"] == []


def test_responder_sees_only_disputes_dispatched_to_them(loop, api_for, register):
    mine, other = register(), register(facts="另一件")
    dispute_triage(dispute=mine, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    (dispatch,) = dispute_dispatch(
        dispute=mine, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    police = api_for(loop.responder)
    assert [d["id"] for d in police.get(BASE).json()["results"]] == [mine.pk]
    assert police.get(f"{BASE}{other.pk}/").status_code == 404
    heating = api_for(loop.heating_user)
    assert heating.post(f"/api/cases/dispatches/{dispatch.pk}/accept/").status_code == 404


def test_list_filters_and_search(loop, api_for, register, django_assert_max_num_queries):
    register(category="neighbour")
    register(category="labour_wages", facts="工地拖欠农民工工资", parties=[{"name": "欧阳娜娜"}])
    clerk = api_for(loop.clerk)
    assert len(clerk.get(f"{BASE}?category=labour_wages").json()["results"]) == 1
    assert len(clerk.get(f"{BASE}?q=欠工资").json()["results"]) == 0
    assert len(clerk.get(f"{BASE}?q=拖欠").json()["results"]) == 1
    with django_assert_max_num_queries(8):
        clerk.get(BASE)
