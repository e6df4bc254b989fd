"""Counting over years the State Council has not published yet, pauses and extensions in
working days, and what a recomputation writes down (issue 7, item 13)."""

import datetime

import chinese_calendar
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from deadlines.calendar import WorkingCalendar, official_years, statutory_holidays
from deadlines.models import CalendarYear, Deadline
from deadlines.services import (
    calendar_day_set,
    calendar_year_set,
    deadline_extension_approve,
    deadline_extension_request,
    deadline_pause,
    deadline_recompute,
    deadline_resume,
)

from .factories import local, make_deadline

D = datetime.date
TODAY = local(2026, 11, 30)  # the 2027 notice is not out, nor in chinese_calendar


def due_date(deadline) -> datetime.date:
    return timezone.localtime(deadline.due_at).date()


def deadline_extend(deadline, *, actor, approved_by, reason, **period):
    """Ask for an extension and have the named approver grant it, as themselves."""
    request = deadline_extension_request(
        deadline, actor=actor, approver=approved_by, reason=reason, **period
    )
    deadline_extension_approve(request, actor=approved_by)
    deadline.refresh_from_db()
    return deadline.extensions.get()


def deadline_changes(deadline):
    return AuditEntry.objects.filter(
        object_id=str(deadline.pk), action="change", content_type__model="deadline"
    )


def test_the_years_counted_provisionally_are_not_in_the_package():
    assert 2027 not in official_years() and 2028 not in official_years()


# --- a. an unchanged due moment is not a change ---------------------------------------


@pytest.mark.django_db
def test_recompute_that_moves_nothing_writes_no_audit_entry(world):
    deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 1, 27))
    before = deadline.due_at
    assert deadline_recompute(deadline, actor=world.supervisor, note="重算") is False
    assert deadline.due_at == before
    assert not deadline_changes(deadline).exists()
    # A correction inside its period that changes nothing (1-30 is already 春节) neither.
    _day, moved = calendar_day_set(
        date=D(2025, 1, 30), is_working_day=False, name="春节", actor=world.supervisor
    )
    assert moved == 0 and not deadline_changes(deadline).exists()


@pytest.mark.django_db
def test_recompute_that_moves_the_due_date_is_audited_once_in_one_time_zone(world):
    deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    assert due_date(deadline) == D(2025, 3, 6)
    _day, moved = calendar_day_set(
        date=D(2025, 3, 5), is_working_day=False, name="停电", actor=world.supervisor
    )
    assert moved == 1
    (entry,) = deadline_changes(deadline)
    change = entry.changes["due_at"]
    assert datetime.datetime.fromisoformat(change["before"]) == local(2025, 3, 6, 23, 59) + (
        datetime.timedelta(seconds=59)
    )
    assert datetime.datetime.fromisoformat(change["after"]) == local(2025, 3, 7, 23, 59) + (
        datetime.timedelta(seconds=59)
    )
    assert change["before"][-6:] == change["after"][-6:]  # both written in the same zone


# --- b. each computation notes only its own years -------------------------------------


@pytest.mark.django_db
def test_one_shared_calendar_does_not_leak_provisional_years(world):
    with time_machine.travel(TODAY, tick=False):
        into_2027 = make_deadline(
            world, kind="x.long", amount=40, unit="calendar_days", start=local(2026, 12, 1)
        )
        in_2026 = make_deadline(world, kind="credit.correction_fix", start=local(2026, 12, 1))
        assert due_date(into_2027) == D(2027, 1, 11)  # 1-10 is a Sunday
        assert "2027 年" in into_2027.explanation["calendar_note"]
        assert "calendar_note" not in in_2026.explanation
        # The recompute-on-correction path: one calendar for every deadline it touches.
        calendar = WorkingCalendar.load()
        deadline_recompute(into_2027, actor=world.supervisor, calendar=calendar)
        deadline_recompute(in_2026, actor=world.supervisor, calendar=calendar)
        assert "calendar_note" not in in_2026.explanation
        assert "2027 年" in into_2027.explanation["calendar_note"]
        assert into_2027.explanation["provisional_years"] == [2027]


@pytest.mark.django_db
def test_calendar_correction_leaves_no_2027_note_on_a_2026_deadline(world):
    with time_machine.travel(TODAY, tick=False):
        into_2027 = make_deadline(
            world, kind="x.long", amount=40, unit="calendar_days", start=local(2026, 12, 1)
        )
        in_2026 = make_deadline(world, kind="credit.correction_fix", start=local(2026, 12, 1))
        _day, moved = calendar_day_set(
            date=D(2026, 12, 2), is_working_day=False, name="管理员调整", actor=world.supervisor
        )
    assert moved == 1  # the working-day one; the calendar-day one still ends 2027-01-11
    in_2026.refresh_from_db()
    into_2027.refresh_from_db()
    assert due_date(in_2026) == D(2026, 12, 7)
    assert "calendar_note" not in in_2026.explanation
    assert "2027 年" in into_2027.explanation["calendar_note"]


# --- c. statutory holidays of a year not yet published ---------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_holidays_agree_with_the_published_notices(year):
    """The lunar and solar-term dates land on days the State Council gave off."""
    days = statutory_holidays(year)
    assert len(days) == 13  # 2025 text: 1 + 4 + 1 + 2 + 1 + 1 + 3
    for date, name in days.items():
        assert chinese_calendar.is_holiday(date), (date, name)


def test_statutory_holidays_2027_and_2028():
    days = statutory_holidays(2027)
    assert days[D(2027, 1, 1)] == "元旦"
    assert [d for d, n in days.items() if n == "春节"] == [
        D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8),
    ]  # fmt: skip
    assert days[D(2027, 4, 5)] == "清明"
    assert days[D(2027, 5, 1)] == days[D(2027, 5, 2)] == "劳动节"
    assert days[D(2027, 6, 9)] == "端午"
    assert days[D(2027, 9, 15)] == "中秋"
    assert [d for d, n in days.items() if n == "国庆节"] == [
        D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3),
    ]  # fmt: skip
    # 2028: 中秋 falls on 10-03, inside 国庆节; the day carries both names.
    assert statutory_holidays(2028)[D(2028, 10, 3)] == "中秋、国庆节"
    assert statutory_holidays(2028)[D(2028, 1, 1)] == "元旦"
    # Past the lunar tables: the fixed-date holidays, no error.
    assert set(statutory_holidays(2100).values()) == {"元旦", "劳动节", "国庆节"}
    assert statutory_holidays(2024) == {}  # published years come from chinese_calendar


def test_unpublished_year_day_by_day():
    cal = WorkingCalendar()
    national_day = cal.day(D(2027, 10, 1))  # a Friday
    assert (national_day.is_working, national_day.reason, national_day.source) == (
        False,
        "国庆节",
        "statutory",
    )
    assert cal.day(D(2027, 10, 4)).is_working  # 调休 unknown until the notice
    assert cal.day(D(2027, 10, 9)).reason == "周末"
    assert cal.unknown_years == {2027}
    confirmed = WorkingCalendar(confirmed_years=[2027])
    assert not confirmed.day(D(2027, 10, 1)).is_working
    assert confirmed.unknown_years == set()


@pytest.mark.django_db
def test_deadline_across_national_day_2027_before_the_notice(world):
    with time_machine.travel(TODAY, tick=False):
        deadline = make_deadline(world, kind="credit.correction_fix", start=local(2027, 9, 29))
    # Thu 9-30, [国庆节 10-01..10-03], Mon 10-04, Tue 10-05
    assert due_date(deadline) == D(2027, 10, 5)
    skipped = {s["date"]: s["reason"] for s in deadline.explanation["skipped"]}
    assert skipped["2027-10-01"] == "国庆节"
    assert deadline.explanation["provisional_years"] == [2027]
    note = deadline.explanation["calendar_note"]
    assert "2027 年" in note and "暂定" in note and "调休" in note


@pytest.mark.django_db
def test_deadline_across_new_year_2027_and_2028(world):
    with time_machine.travel(TODAY, tick=False):
        # Wed 2026-12-30: Thu 12-31 (2026, published), [元旦 Fri 1-01, weekend], Mon, Tue
        across = make_deadline(world, kind="credit.correction_fix", start=local(2026, 12, 30))
        # 2028-01-01, 元旦, is a Saturday: ends Monday, and says why
        on_new_year = make_deadline(
            world, kind="x.days", amount=2, unit="calendar_days", start=local(2027, 12, 30)
        )
    assert due_date(across) == D(2027, 1, 5)
    assert {"2027-01-01"} <= {s["date"] for s in across.explanation["skipped"]}
    assert across.explanation["provisional_years"] == [2027]
    assert due_date(on_new_year) == D(2028, 1, 3)
    roll = next(s for s in on_new_year.explanation["steps"] if s["step"] == "roll")
    assert "元旦" in roll["text"]
    assert on_new_year.explanation["provisional_years"] == [2028]


@pytest.mark.django_db
def test_confirming_a_year_clears_the_provisional_note_and_is_audited(world):
    with time_machine.travel(TODAY, tick=False):
        deadline = make_deadline(world, kind="credit.correction_fix", start=local(2027, 9, 29))
        # The notice, entered: 10-04..10-07 off too, Saturday 10-09 worked.
        for day in (4, 5, 6, 7):
            calendar_day_set(
                date=D(2027, 10, day), is_working_day=False, name="国庆节", actor=world.supervisor
            )
        calendar_day_set(
            date=D(2027, 10, 9), is_working_day=True, name="国庆节调休上班", actor=world.supervisor
        )
        deadline.refresh_from_db()
        assert due_date(deadline) == D(2027, 10, 9)  # Thu 9-30, Fri 10-08, Sat 10-09
        assert "calendar_note" in deadline.explanation  # entered, not yet confirmed
        calendar_year, _moved = calendar_year_set(
            year=2027, confirmed=True, note="国办发明电〔2026〕X号", actor=world.supervisor
        )
    deadline.refresh_from_db()
    assert due_date(deadline) == D(2027, 10, 9)
    assert "calendar_note" not in deadline.explanation
    assert "provisional_years" not in deadline.explanation
    entry = AuditEntry.objects.get(
        object_id=str(calendar_year.pk), content_type__model="calendaryear", action="create"
    )
    assert entry.changes["confirmed"]["after"] is True
    with time_machine.travel(TODAY, tick=False):
        calendar_year_set(year=2027, confirmed=False, actor=world.supervisor)
    deadline.refresh_from_db()
    assert deadline.explanation["provisional_years"] == [2027]


@pytest.mark.django_db
def test_admin_confirms_a_year_through_the_action(world, client):
    world.supervisor.is_staff = world.supervisor.is_superuser = True
    world.supervisor.save()
    client.force_login(world.supervisor)
    with time_machine.travel(TODAY, tick=False):
        deadline = make_deadline(world, kind="credit.correction_fix", start=local(2027, 9, 29))
        response = client.post(
            "/admin/deadlines/calendaryear/add/", {"year": "2027", "note": "通知已录入"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        year = CalendarYear.objects.get(year=2027)
        assert not year.confirmed
        response = client.post(
            "/admin/deadlines/calendaryear/",
            {"action": "confirm_years", "_selected_action": [year.pk]},
        )
        assert response.status_code == 302
    year.refresh_from_db()
    assert year.confirmed and year.changed_by == world.supervisor
    deadline.refresh_from_db()
    assert "calendar_note" not in deadline.explanation
    change = AuditEntry.objects.get(
        object_id=str(year.pk), content_type__model="calendaryear", action="change"
    )
    assert change.changes["confirmed"] == {"before": False, "after": True}
    assert change.actor == world.supervisor
    # A year outside the calendars is refused beside the field, not a server error.
    with time_machine.travel(TODAY, tick=False):
        response = client.post("/admin/deadlines/calendaryear/add/", {"year": "0", "note": ""})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["year"]


# --- d. pauses and extensions in the rule's own unit ----------------------------------


@pytest.mark.django_db
def test_pause_across_spring_festival_2026_counts_working_days(world):
    with time_machine.travel(local(2026, 2, 9), tick=False):
        deadline = make_deadline(world, kind="x.dispatch", amount=10, unit="working_days")
    # 2-10..2-13, Sat 2-14 (调休上班), [春节 2-15..2-23], 2-24..2-27, Sat 2-28 (调休上班)
    assert due_date(deadline) == D(2026, 2, 28)
    with time_machine.travel(local(2026, 2, 11), tick=False):
        deadline_pause(deadline, actor=world.owner, reason="中止：等待鉴定")
    with time_machine.travel(local(2026, 2, 25), tick=False):
        deadline_resume(deadline, actor=world.owner)
    # The clock stood on 2-12, 2-13, 2-14, 2-24, 2-25: five working days more, not 14 days.
    assert due_date(deadline) == D(2026, 3, 6)
    step = next(s for s in deadline.explanation["steps"] if s["step"] == "pause")
    assert (step["days"], step["working_days"]) == (14, 5)
    assert "5 个工作日不计入期限" in step["text"]
    # A later correction re-derives it from start, rule and pause, in working days.
    with time_machine.travel(local(2026, 2, 26), tick=False):
        _day, moved = calendar_day_set(
            date=D(2026, 3, 4), is_working_day=False, name="管理员调整", actor=world.supervisor
        )
    deadline.refresh_from_db()
    assert moved == 1 and due_date(deadline) == D(2026, 3, 9)


@pytest.mark.django_db
def test_working_day_extension_is_recounted_after_a_calendar_change(world, court_head):
    with time_machine.travel(local(2027, 3, 1), tick=False):
        deadline = make_deadline(world, kind="credit.correction_fix")
        assert due_date(deadline) == D(2027, 3, 4)
        extension = deadline_extend(
            deadline,
            actor=world.owner,
            approved_by=court_head,
            amount=5,
            unit="working_days",
            reason="补充材料",
        )
    assert due_date(deadline) == D(2027, 3, 11)
    step = next(s for s in deadline.explanation["steps"] if s["step"] == "extension")
    assert "批准延长 5 个工作日（补充材料）" in step["text"]
    with time_machine.travel(local(2027, 3, 2), tick=False):
        calendar_day_set(
            date=D(2027, 3, 9), is_working_day=False, name="管理员调整", actor=world.supervisor
        )
    deadline.refresh_from_db()
    assert due_date(deadline) == D(2027, 3, 12)  # still five working days after 3-04
    assert deadline.state == Deadline.State.PENDING
    extension.refresh_from_db()
    assert (extension.unit, extension.amount, extension.days_added) == ("working_days", 5, 7)


@pytest.mark.django_db
def test_extension_to_a_date_still_adds_its_days(world, court_head):
    with time_machine.travel(local(2025, 3, 3), tick=False):
        deadline = make_deadline(world, kind="credit.correction_fix")
        extension = deadline_extend(
            deadline,
            actor=world.owner,
            approved_by=court_head,
            new_due_at=D(2025, 3, 14),
            reason="延至 3 月 14 日",
        )
    assert (extension.unit, extension.amount, extension.days_added) == ("", None, 8)
    assert due_date(deadline) == D(2025, 3, 14)
    step = next(s for s in deadline.explanation["steps"] if s["step"] == "extension")
    assert "批准延长 8 日" in step["text"]


@pytest.mark.django_db
def test_detail_page_and_api_say_the_date_is_provisional(world, client_for, api_for):
    with time_machine.travel(TODAY, tick=False):
        deadline = make_deadline(world, kind="credit.correction_fix", start=local(2027, 9, 29))
        settled = make_deadline(world, kind="credit.correction_fix", start=local(2026, 9, 29))
        url = reverse("deadlines:detail", args=[deadline.pk])
        html = client_for(world.colleague).get(url).content.decode()
        assert 'data-testid="deadline-provisional"' in html
        assert "2027-10-01 国庆节（法定节假日，放假通知尚未收录）" in html
        assert "尚未收录（未确认）" in html
        settled_html = client_for(world.colleague).get(
            reverse("deadlines:detail", args=[settled.pk])
        )
        assert 'data-testid="deadline-provisional"' not in settled_html.content.decode()
        explain = api_for(world.colleague).get(f"/api/deadlines/{deadline.pk}/").json()["explain"]
    assert explain["provisional_years"] == [2027] and "暂定" in explain["calendar_note"]
