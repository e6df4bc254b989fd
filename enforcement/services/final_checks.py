"""After 终本: the periodic asset checks and the resumption (恢复执行, a new 执恢 case).

Every 终本 case gets a schedule: an online check every 6 months for 5 years (configurable).
The beat job runs in two steps, each safe to run twice or to kill at any moment:

- `final_checks_start` claims due schedules in batches (SELECT … FOR UPDATE SKIP LOCKED, one
  transaction per batch): each gets this cycle's FinalCheck row (unique per schedule and
  cycle: a rerun never checks a case twice in a cycle), one inquiry per case through
  `inquiries_start_many` (its tasks enqueued through the outbox on commit), and its next
  due day; each check created and each schedule moved on audited (one COPY a batch). A
  check that cannot run (no debtor with an ID number or credit code) fails at once: the
  applicant is told why and what they can do, the officer notified. Killed before the
  commit, nothing happened; after, the work is the inquiries' runner's, itself crash-safe.
- `final_checks_collect` takes the checks whose inquiry has finished (claimed in batches,
  SKIP LOCKED): the result is stored, the applicant told, and when something new appears
  the officer is told and the case resumed as 执恢 in the same transaction.

`case_resume` also serves the applicant's own application to resume, at any time.
"""

import datetime
import logging
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import _json_safe, audit_create
from common.money import format_yuan
from common.statemachine import TransitionNotAllowed
from deadlines.calendar import add_months

from .. import conf_endings
from ..models import (
    AssetFinding,
    AssetInquiry,
    AssetKind,
    CaseParty,
    CaseStatus,
    CaseType,
    CheckResultKind,
    EnforcementCase,
    FinalCheck,
    FinalCheckSchedule,
    InquiryPurpose,
    InquiryStatus,
    ScheduleStatus,
)
from .endings import clean_text, require_staff, tell

logger = logging.getLogger(__name__)

FINISHED = (InquiryStatus.DONE, InquiryStatus.PARTIAL, InquiryStatus.FAILED)
ACCOUNT_KINDS = (AssetKind.BANK_ACCOUNT, AssetKind.ALIPAY, AssetKind.WECHAT,
                 AssetKind.SECURITIES)  # fmt: skip


def schedule_start(
    case: EnforcementCase, *, concluded_on: datetime.date, actor
) -> FinalCheckSchedule:
    months = conf_endings.get("ENFORCEMENT_FINAL_CHECK_MONTHS")
    years = conf_endings.get("ENFORCEMENT_FINAL_CHECK_YEARS")
    schedule, _created = FinalCheckSchedule.objects.update_or_create(
        case=case,
        defaults={
            "status": ScheduleStatus.ACTIVE,
            "concluded_on": concluded_on,
            "next_due_on": add_months(concluded_on, months),
            "ends_on": add_months(concluded_on, 12 * years),
            "cycles_done": 0,
        },
    )
    audit_create(schedule, actor=actor, note=_("终本后每%(m)d个月网络查控一次，持续%(y)d年")
                 % {"m": months, "y": years})  # fmt: skip
    return schedule


# --- step 1: start the due checks ---------------------------------------------------------


def final_checks_start(
    *, today: datetime.date | None = None, batch: int | None = None, max_batches: int | None = None
) -> int:
    """Start this cycle's check of every due schedule. Returns how many checks started."""
    today = today or timezone.localdate()
    batch = batch or conf_endings.get("ENFORCEMENT_FINAL_CHECK_BATCH")
    started, batches = 0, 0
    while max_batches is None or batches < max_batches:
        count = _start_batch(today=today, batch=batch)
        batches += 1
        started += count
        if count == 0:
            break
    return started


@transaction.atomic
def _start_batch(*, today: datetime.date, batch: int) -> int:
    if connection.vendor == "postgresql":
        return _start_batch_postgresql(today=today, batch=batch)
    return _start_batch_portable(today=today, batch=batch)


NO_IDENTITY = gettext_lazy("被执行人无身份证号码或统一社会信用代码，无法网络查控")


def _start_batch_postgresql(*, today: datetime.date, batch: int) -> int:
    """One batch in a few statements, whatever its size, the rows decided by the database
    (INSERT … SELECT, UPDATE … FROM): claim the due schedules (SKIP LOCKED), write this
    cycle's checks (unique per schedule and cycle: ON CONFLICT DO NOTHING), start the
    inquiries, point each check at its inquiry — or at the officer's own inquiry still
    running, or mark it failed when no debtor can be inquired — and move the schedules on."""
    from ..inquiry.runner import _in
    from .inquiries import OPEN_INQUIRY, inquiries_start_many

    schedules = FinalCheckSchedule._meta.db_table
    checks = FinalCheck._meta.db_table
    months = conf_endings.get("ENFORCEMENT_FINAL_CHECK_MONTHS")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT id FROM {schedules}
            WHERE status = %s AND next_due_on <= %s
            ORDER BY next_due_on, id LIMIT %s
            FOR UPDATE SKIP LOCKED
            """,  # noqa: S608 - the table names are the models', every value a parameter
            [ScheduleStatus.ACTIVE, today, batch],
        )
        schedule_ids = [row[0] for row in cursor.fetchall()]
        if not schedule_ids:
            return 0
        cursor.execute(
            f"""
            INSERT INTO {checks} (schedule_id, cycle, due_on, inquiry_id, result,
                                  findings_summary, applicant_told_at, applicant_message,
                                  created_at, finished_at)
            SELECT s.id, s.cycles_done + 1, s.next_due_on, NULL, %s, '', NULL, '', %s, NULL
            FROM {schedules} s WHERE s.id = ANY(%s) ORDER BY s.id
            ON CONFLICT (schedule_id, cycle) DO NOTHING
            RETURNING id, (SELECT case_id FROM {schedules} WHERE id = schedule_id), schedule_id,
                      cycle, due_on
            """,  # noqa: S608 - the table names are the models', every value a parameter
            [CheckResultKind.PENDING, now, schedule_ids],
        )
        started = cursor.fetchall()
    try:
        inquiry_ids = inquiries_start_many(
            case_ids=sorted(row[1] for row in started), actor=None, purpose=InquiryPurpose.PERIODIC
        )
    except TransitionNotAllowed as exc:  # no provider configured: the checks cannot run
        logger.error("final checks: %s", exc.message)
        raise
    # each check's inquiry: the one just started for its case or, when the officer's own
    # was running (none was started then), that one; none: no debtor can be inquired
    inquiry_of = dict(
        AssetInquiry.objects.filter(pk__in=_in(inquiry_ids)).values_list("case_id", "pk")
    )
    left = {row[1] for row in started} - set(inquiry_of)
    if left:
        for case_id, pk in (
            AssetInquiry.objects.filter(case_id__in=left, status__in=OPEN_INQUIRY,
                                        final_check__isnull=True)
            .order_by("pk").values_list("case_id", "pk")
        ):  # fmt: skip
            inquiry_of.setdefault(case_id, pk)
    with connection.cursor() as cursor:
        # add_months: PostgreSQL's date + months also falls back to the month's last day.
        # `old` is the same rows as the statement found them (the FROM list reads the
        # statement's snapshot): the before of each schedule's audit entry, with no query
        # more than the UPDATE itself.
        cursor.execute(
            f"""
            UPDATE {schedules} AS s SET
                cycles_done = s.cycles_done + 1,
                next_due_on = (s.next_due_on + make_interval(months => %(m)s))::date,
                status = CASE WHEN (s.next_due_on + make_interval(months => %(m)s))::date
                                   > s.ends_on
                              THEN %(ended)s ELSE s.status END
            FROM {schedules} AS old, {EnforcementCase._meta.db_table} AS c
            WHERE s.id = ANY(%(ids)s) AND old.id = s.id AND c.id = s.case_id
            RETURNING s.id, s.case_id, c.case_number, c.court_id,
                      COALESCE(c.officer_id, c.created_by_id),
                      old.cycles_done, old.next_due_on, old.status,
                      s.cycles_done, s.next_due_on, s.status
            """,  # noqa: S608 - the table names are the models', every value a parameter
            {"m": months, "ended": ScheduleStatus.ENDED, "ids": schedule_ids},
        )
        moved = {row[0]: _Moved(*row[1:]) for row in cursor.fetchall()}
    checks = []
    for pk, case_id, schedule_id, cycle, due_on in started:
        inquiry_id = inquiry_of.get(case_id)
        checks.append(_started_check(pk, schedule_id, cycle, due_on, inquiry_id,
                                     moved[schedule_id], now))  # fmt: skip
    _update_rows(FinalCheck, list(STARTED_CHANGED), STARTED_TYPES,
                 [(c.pk, *(getattr(c, name) for name in STARTED_CHANGED)) for c in checks])  # fmt: skip
    _started_audit_and_tell(checks, moved, now)
    return len(started)


class _Moved(NamedTuple):
    """One schedule moved on by the start step: its case, and before → after."""

    case_id: int
    case_number: str
    court_id: int
    recipient_id: int | None  # the officer, else who filed the case: told of a failed start
    cycles_before: int
    next_due_before: datetime.date
    status_before: str
    cycles_after: int
    next_due_after: datetime.date
    status_after: str

    @property
    def case(self) -> str:
        return self.case_number or str(EnforcementCase(pk=self.case_id))


class _Started(NamedTuple):
    """One check the start step wrote, as it stands at the batch's commit."""

    pk: int
    schedule_id: int
    cycle: int
    due_on: datetime.date
    created_at: datetime.datetime
    inquiry_id: int | None
    result: str
    finished_at: datetime.datetime | None
    findings_summary: str
    applicant_message: str
    applicant_told_at: datetime.datetime | None


# what the start step sets on a check after inserting it, and the columns' types
STARTED_CHANGED = ("inquiry_id", "result", "finished_at", "findings_summary",
                   "applicant_message", "applicant_told_at")  # fmt: skip
STARTED_TYPES = ["bigint", "varchar", "timestamptz", "varchar", "text", "timestamptz"]


def no_identity_message(case: str, cycle: int, day: datetime.date) -> str:
    """What the applicant is told when a check cannot run: why, and what they can do."""
    return _(
        "%(case)s 终本后第%(n)d次财产查询（%(d)s），%(result)s：%(why)s。请向执行法院提供被执行人的"
        "身份证号码或统一社会信用代码，或提供被执行人的财产线索；发现可供执行的财产的，"
        "您可以随时申请恢复执行。"
    ) % {"case": case, "n": cycle, "d": day.isoformat(), "result": CheckResultKind.FAILED.label,
         "why": NO_IDENTITY}  # fmt: skip


def _started_check(pk, schedule_id, cycle, due_on, inquiry_id, moved: _Moved, now) -> _Started:
    """The check as the start leaves it: pointed at its inquiry, or — no debtor can be
    inquired — failed at once, the applicant told why and what they can do."""
    if inquiry_id is not None:
        return _Started(pk, schedule_id, cycle, due_on, now, inquiry_id, CheckResultKind.PENDING,
                        None, "", "", None)  # fmt: skip
    message = no_identity_message(moved.case, cycle, timezone.localdate(now))
    return _Started(pk, schedule_id, cycle, due_on, now, None, CheckResultKind.FAILED, now,
                    str(NO_IDENTITY), message, now)  # fmt: skip


def _started_audit_and_tell(checks: list[_Started], moved: dict[int, _Moved], now) -> None:
    """The start step's audit entries — each check created (its state at commit, as
    `audit_create_entry` writes it), each schedule moved on (as `audit_change_entry`
    writes it), by the system — in one COPY; and, for each check that failed at the start
    for want of an identity, the case's officer told in the same transaction. A constant
    number of queries per batch, whatever its size. Only checks this batch inserted come
    here (a rerun's are ON CONFLICT DO NOTHING), and each notification's dedupe key is
    its check's: nobody is told twice of one check."""
    from django.contrib.contenttypes.models import ContentType

    from audit.context import current
    from audit.models import AuditEntry
    from notifications.models import Notification
    from notifications.services import NotificationSpec, notify_many
    from organisations.models import User

    from ..inquiry.copy import copy_insert
    from ..inquiry.runner import AUDIT_FIELDS

    context = current()
    check_type = ContentType.objects.get_for_model(FinalCheck, for_concrete_model=False).pk
    schedule_type = ContentType.objects.get_for_model(
        FinalCheckSchedule, for_concrete_model=False
    ).pk
    fields = [(f.name, f.attname) for f in FinalCheck._meta.concrete_fields]
    entries = []

    def entry(action, content_type, pk, text, court_id, changes, note):
        entries.append((now, None, "系统", action, content_type, str(pk), text[:200], court_id,
                        changes, "", "", note, context.channel, context.ip, context.path))  # fmt: skip

    for check in checks:
        schedule = moved[check.schedule_id]
        values = check._asdict() | {"id": check.pk}
        changes = {name: {"before": None, "after": _json_safe(values[attname])}
                   for name, attname in fields}  # fmt: skip
        if check.applicant_message:
            note = _("告知申请执行人：%(m)s") % {"m": check.applicant_message[:200]}
        else:
            note = _("终本后第%(n)d次定期查询") % {"n": check.cycle}
        entry(AuditEntry.Action.CREATE, check_type, check.pk,
              f"{schedule.case} 定期查询 第{check.cycle}次", schedule.court_id, changes, note)  # fmt: skip
    for pk, schedule in sorted(moved.items()):
        changes = {
            name: {"before": _json_safe(old), "after": _json_safe(new)}
            for name, old, new in (
                ("cycles_done", schedule.cycles_before, schedule.cycles_after),
                ("next_due_on", schedule.next_due_before, schedule.next_due_after),
                ("status", schedule.status_before, schedule.status_after),
            )
            if old != new
        }
        if schedule.status_after == ScheduleStatus.ENDED:
            note = _("第%(n)d次定期查询已开始；定期查询期满，不再查询") % {
                "n": schedule.cycles_after}  # fmt: skip
        else:
            note = _("第%(n)d次定期查询已开始；下次查询日期 %(d)s") % {
                "n": schedule.cycles_after, "d": schedule.next_due_after.isoformat()}  # fmt: skip
        entry(AuditEntry.Action.CHANGE, schedule_type, pk, f"{schedule.case} 定期查询",
              schedule.court_id, changes, note)  # fmt: skip
    copy_insert(AuditEntry, AUDIT_FIELDS, entries)

    failed = [c for c in checks if c.inquiry_id is None and moved[c.schedule_id].recipient_id]
    if not failed:
        return
    keys = {c.pk: f"enf-final-noid-{c.pk}" for c in failed}
    told = set(Notification.objects.filter(dedupe_key__in=keys.values())
               .values_list("recipient_id", "dedupe_key"))  # fmt: skip
    users = User.objects.in_bulk({moved[c.schedule_id].recipient_id for c in failed})
    specs = []
    for check in failed:
        schedule = moved[check.schedule_id]
        if (schedule.recipient_id, keys[check.pk]) in told:
            continue
        case = EnforcementCase(pk=schedule.case_id, case_number=schedule.case_number)
        specs.append(NotificationSpec(
            recipient=users[schedule.recipient_id], kind="enforcement.endings",
            title=_("终本案件定期查询无法进行：%(c)s") % {"c": schedule.case},
            body=_("%(why)s。已告知申请执行人提供被执行人的身份证号码或统一社会信用代码、"
                   "财产线索；请补录被执行人的身份信息，或核查申请执行人提供的线索。")
            % {"why": NO_IDENTITY},
            link=case.get_absolute_url(), subject=case, dedupe_key=keys[check.pk],
        ))  # fmt: skip
    notify_many(specs)


def _start_batch_portable(*, today: datetime.date, batch: int) -> int:
    """The same through the ORM (SQLite in development)."""
    from .inquiries import OPEN_INQUIRY, inquiries_start_many

    schedules = list(
        FinalCheckSchedule.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=ScheduleStatus.ACTIVE, next_due_on__lte=today)
        .select_related("case")
        .order_by("next_due_on", "id")[:batch]
    )
    if not schedules:
        return 0
    months = conf_endings.get("ENFORCEMENT_FINAL_CHECK_MONTHS")
    checks = FinalCheck.objects.bulk_create(
        [FinalCheck(schedule=s, cycle=s.cycles_done + 1, due_on=s.next_due_on) for s in schedules],
        ignore_conflicts=True,
    )
    del checks  # ignore_conflicts gives no ids: read them back
    by_schedule = {
        c.schedule_id: c
        for c in FinalCheck.objects.filter(
            schedule__in=schedules, result=CheckResultKind.PENDING, inquiry__isnull=True
        )
    }
    case_ids = [s.case_id for s in schedules if s.pk in by_schedule]
    try:
        inquiry_ids = inquiries_start_many(
            case_ids=case_ids, actor=None, purpose=InquiryPurpose.PERIODIC
        )
    except TransitionNotAllowed as exc:  # no provider configured: the checks cannot run
        logger.error("final checks: %s", exc.message)
        raise
    inquiry_of = dict(AssetInquiry.objects.filter(pk__in=inquiry_ids).values_list("case_id", "pk"))
    # a case with an inquiry already running (the officer's): that one answers this cycle
    for case_id, pk in (
        AssetInquiry.objects.filter(case_id__in=set(case_ids) - set(inquiry_of),
                                    status__in=OPEN_INQUIRY, final_check__isnull=True)
        .order_by("pk").values_list("case_id", "pk")
    ):  # fmt: skip
        inquiry_of.setdefault(case_id, pk)
    now = timezone.now()
    moved = {}
    for schedule in schedules:
        case = schedule.case
        before = (schedule.cycles_done, schedule.next_due_on, schedule.status)
        schedule.cycles_done += 1
        schedule.next_due_on = add_months(schedule.next_due_on, months)
        if schedule.next_due_on > schedule.ends_on:
            schedule.status = ScheduleStatus.ENDED
        moved[schedule.pk] = _Moved(
            schedule.case_id, case.case_number, case.court_id,
            case.officer_id or case.created_by_id, *before,
            schedule.cycles_done, schedule.next_due_on, schedule.status,
        )  # fmt: skip
    checks = [
        _started_check(check.pk, schedule.pk, check.cycle, check.due_on,
                       inquiry_of.get(schedule.case_id), moved[schedule.pk], now)
        ._replace(created_at=check.created_at)
        for schedule in schedules
        if (check := by_schedule.get(schedule.pk)) is not None
    ]  # fmt: skip
    # two statements per batch, however large (Django's bulk_update builds a CASE per row
    # and field: most of the batch's time at 500 rows)
    _update_rows(FinalCheck, list(STARTED_CHANGED), STARTED_TYPES,
                 [(c.pk, *(getattr(c, name) for name in STARTED_CHANGED)) for c in checks])  # fmt: skip
    _update_rows(
        FinalCheckSchedule, ["cycles_done", "next_due_on", "status"],
        ["integer", "date", "varchar"],
        [(s.pk, s.cycles_done, s.next_due_on, s.status) for s in schedules],
    )  # fmt: skip
    _started_audit_and_tell(checks, moved, now)
    return len(by_schedule)


def _update_rows(model, columns: list[str], types: list[str], rows: list[tuple]) -> None:
    """UPDATE … FROM unnest(arrays): `rows` are (pk, *values) in `columns` order."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        for pk, *values in rows:
            model.objects.filter(pk=pk).update(**dict(zip(columns, values, strict=True)))
        return
    table = model._meta.db_table
    sets = ", ".join(f"{c} = u.{c}" for c in columns)
    arrays = ", ".join(f"%s::{t}[]" for t in ["bigint", *types])
    names = ", ".join(["id", *columns])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {sets} FROM unnest({arrays}) AS u({names}) "  # noqa: S608
            "WHERE t.id = u.id",  # the names are the models', every value a parameter
            [list(column) for column in zip(*rows, strict=True)],
        )


# --- step 2: collect the results ------------------------------------------------------------


def _valuable(finding: AssetFinding) -> bool:
    if finding.kind in ACCOUNT_KINDS:
        return (finding.balance or 0) > 0
    return finding.kind not in (AssetKind.SOCIAL_INSURANCE,)


def _summary(findings: list[AssetFinding]) -> str:
    parts = []
    for f in findings[:10]:
        text = f"{f.get_kind_display()} {f.institution} {f.identifier_masked}".strip()
        if f.balance is not None:
            text += f" 余额{f.balance}元"
        elif f.estimated_value is not None:
            text += f" 估值{f.estimated_value}元"
        parts.append(text)
    if len(findings) > 10:
        parts.append(_("等%(n)d项") % {"n": len(findings)})
    return "；".join(parts)[:500]


def final_checks_collect(*, limit: int | None = None, batch: int = 500) -> int:
    """Store the result of each check whose inquiry finished; returns how many. Batched:
    each batch claims its checks with SKIP LOCKED and is one transaction (results, the
    applicant's messages and the audit entries in bulk), so two collectors never take the
    same check and a killed one leaves its batch to the next run."""
    done = 0
    while limit is None or done < limit:
        count = _collect_batch(batch if limit is None else min(batch, limit - done))
        if count == 0:
            break
        done += count
    return done


CLAIM_FIELDS = (
    "pk", "cycle", "inquiry_id", "inquiry__status", "schedule__case_id",
    "schedule__case__case_number", "schedule__case__court_id", "schedule__case__status",
    "schedule__resumed_case_id", "result", "findings_summary", "finished_at",
    "applicant_message", "applicant_told_at",
)  # fmt: skip
CHANGED = ("result", "findings_summary", "finished_at", "applicant_message", "applicant_told_at")


@transaction.atomic
def _collect_batch(batch: int) -> int:
    """One batch: tuples, not model instances (the case, schedule, court, officer and
    inquiry of every check were ≈ 0.3 ms of Python a check); the results in one UPDATE …
    FROM unnest, the audit entries — each the one `audit_change_entry` writes — in one
    COPY. Only the few checks that found something load their case, to resume it."""
    from django.contrib.contenttypes.models import ContentType

    from audit.context import current
    from audit.models import AuditEntry

    from ..inquiry.copy import copy_insert
    from ..inquiry.runner import AUDIT_FIELDS, _in

    # no ORDER BY: sorting made the database join every pending check of the cycle (the
    # whole city's, 200,000) before taking the first `batch` — per batch; unordered, it
    # stops at `batch` finished ones. SKIP LOCKED waits for nothing, so the order of the
    # locks does not matter; the batch is worked through in id order.
    rows = sorted(
        FinalCheck.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(result=CheckResultKind.PENDING, inquiry__status__in=FINISHED)
        .order_by()
        .values_list(*CLAIM_FIELDS)[:batch]
    )
    if not rows:
        return 0
    found_ids = [row[2] for row in rows if row[3] != InquiryStatus.FAILED]
    findings: dict[int, list[AssetFinding]] = {}
    for finding in AssetFinding.objects.filter(inquiry_id__in=_in(found_ids), is_new=True).order_by(
        "pk"
    ):
        findings.setdefault(finding.inquiry_id, []).append(finding)
    now, today = timezone.now(), timezone.localdate().isoformat()
    # what `audit_change_entry(check, actor=None, …)` puts in every entry
    context = current()
    content_type = ContentType.objects.get_for_model(FinalCheck, for_concrete_model=False).pk
    labels = dict(CheckResultKind.choices)
    failed_summary, nothing_summary = _("查询失败，下一周期将再次查询"), _("未发现新的可供执行财产")
    updates, entries, resume = [], [], []
    for (pk, cycle, inquiry_id, inquiry_status, case_id, case_number, court_id, case_status,
         resumed_case_id, *before) in rows:  # fmt: skip
        found = [f for f in findings.get(inquiry_id, []) if _valuable(f)]
        if inquiry_status == InquiryStatus.FAILED:
            result, summary = CheckResultKind.FAILED, failed_summary
        elif found:
            result, summary = CheckResultKind.FOUND, _summary(found)
        else:
            result, summary = CheckResultKind.NOTHING, nothing_summary
        case = case_number or str(EnforcementCase(pk=case_id))
        message = _("%(case)s 终本后第%(n)d次财产查询（%(d)s），%(result)s：%(r)s。") % {
            "case": case, "n": cycle, "d": today, "result": labels[result], "r": summary}  # fmt: skip
        after = (str(result), summary, now, message, now)
        updates.append((pk, *after))
        changes = {
            name: {"before": _json_safe(old), "after": _json_safe(new)}
            for name, old, new in zip(CHANGED, before, after, strict=True)
            if old != new
        }
        entries.append((
            now, None, "系统", AuditEntry.Action.CHANGE, content_type, str(pk),
            f"{case} 定期查询 第{cycle}次"[:200], court_id, changes, "", "",
            _("告知申请执行人：%(m)s") % {"m": message[:200]}, context.channel, context.ip,
            context.path,
        ))  # fmt: skip
        if (result == CheckResultKind.FOUND and case_status == CaseStatus.TERMINATED_ROUND
                and resumed_case_id is None):  # fmt: skip
            resume.append((pk, case_id, summary))
    _update_rows(FinalCheck, list(CHANGED),
                 ["varchar", "varchar", "timestamptz", "text", "timestamptz"], updates)  # fmt: skip
    copy_insert(AuditEntry, AUDIT_FIELDS, entries)
    for pk, case_id, summary in resume:
        case = EnforcementCase.objects.select_related("officer").get(pk=case_id)
        try:
            with transaction.atomic():
                resumed = case_resume(
                    case=case, actor=None,
                    reason=_("终本后定期查询发现财产：%(s)s") % {"s": summary},
                )  # fmt: skip
        except TransitionNotAllowed as exc:  # resumed meanwhile by the officer
            logger.info("final check %s: not resumed (%s)", pk, exc.message)
            continue
        tell(case.officer, actor=None,
             title=_("终本案件发现财产，已恢复执行：%(c)s") % {"c": resumed},
             body=summary, link=resumed.get_absolute_url(), subject=resumed,
             dedupe_key=f"enf-final-found-{pk}")  # fmt: skip
    return len(rows)


# --- resumption -----------------------------------------------------------------------------


def still_owed(case: EnforcementCase) -> tuple[Decimal, dict[int, Decimal]] | None:
    """What a 终本 case still owes its applicants, for the 执恢 case's 执行标的 (恢复执行案件
    的标的为原案未执行到位的部分): the total (ordered − paid out − paid directly) and each
    applicant's share less what they were paid or paid directly. None when nothing was
    recovered (or an act case): the 执恢 case then copies the figures as they are."""
    from ..models import DirectPayment
    from ..selectors_funds import applicant_allocations, case_fund_summary

    if not case.is_money_case:
        return None
    summary = case_fund_summary(case)
    if summary.paid_to_applicants + summary.paid_directly <= 0:
        return None
    paid = {pk: a.paid for pk, a in applicant_allocations(case).items()}
    for payee_id, amount in DirectPayment.objects.filter(
        case=case, withdrawn_at__isnull=True
    ).values_list("payee_id", "amount"):
        paid[payee_id] = paid.get(payee_id, Decimal("0.00")) + amount
    shares = {
        pk: max(share - paid.get(pk, Decimal("0.00")), Decimal("0.00"))
        for pk, share in CaseParty.objects.filter(case=case, share__isnull=False).values_list(
            "pk", "share"
        )
    }
    return summary.owed_to_applicants, shares


def _copy_parties(
    source: EnforcementCase, target: EnforcementCase, shares: dict[int, Decimal] | None = None
) -> dict:
    """The parties copied into `target` (each applicant's share as `shares` gives it, when
    given); answers source CaseParty pk → its copy."""
    mapping = {}
    parties = list(CaseParty.objects.filter(case=source).order_by("pk"))
    for party in parties:
        share = party.share
        if shares is not None and party.pk in shares:
            share = shares[party.pk]
        copy = CaseParty.objects.create(
            case=target, party_id=party.party_id, role=party.role, position=party.position,
            name=party.name, phone_encrypted=party.phone_encrypted, phone_index=party.phone_index,
            phone_masked=party.phone_masked, address=party.address, share=share,
            is_representative=party.is_representative,
        )  # fmt: skip
        mapping[party.pk] = copy
    for party in parties:
        if party.represented_by_id:
            copy = mapping[party.pk]
            copy.represented_by = mapping.get(party.represented_by_id)
            copy.save(update_fields=["represented_by"])
    return mapping


@transaction.atomic
def case_resume(
    *, case: EnforcementCase, actor, reason: str, applicant_asked: bool = False
) -> EnforcementCase:
    """恢复执行 of a 终本 case: a new case 执恢 with the next number of the court's sequence
    for the year (gapless: the counter row is locked until commit), the same basis, target,
    priorities, officer and parties — its 执行标的 and the applicants' shares what the
    original did not recover (still_owed), when it recovered anything; the controls still in force (freezes, seals, seizures,
    with their clocks and renewal reminders) carried into it (controls_carry); the
    6-month limit started; an online inquiry of the debtors started when a provider is
    configured. The original keeps its 终本 record; its credit measures stay on it and
    credit reads them for the new case too (credit follows `resumed_from`); its periodic
    checks stop. `actor` None: ex officio by the job."""
    from .controls import controls_carry
    from .filing import _number_fields, case_clock_start
    from .inquiries import inquiry_start

    case = EnforcementCase.objects.select_for_update().select_related("court").get(pk=case.pk)
    if actor is not None:
        require_staff(case, actor)
    reason = clean_text(reason, "reason", _("请写明恢复执行的事由。"))
    if case.status != CaseStatus.TERMINATED_ROUND:
        raise TransitionNotAllowed(
            _("只有终结本次执行程序的案件可以恢复执行（本案为“%(s)s”）。")
            % {"s": case.get_status_display()}
        )
    if case.resumptions.exists():
        raise TransitionNotAllowed(_("本案已恢复执行：%(c)s") % {"c": case.resumptions.first()})
    now = timezone.now()
    system_actor = actor or case.officer or case.created_by
    owed = still_owed(case)
    amounts = {"principal": case.principal, "interest": case.interest, "costs": case.costs}
    if owed is not None:  # the 执恢 case's 标的 is what the original did not recover
        amounts = {"principal": owed[0], "interest": Decimal("0.00"), "costs": Decimal("0.00")}
    fields = _number_fields(case.court, CaseType.RESUMED, actor=system_actor, at=now)
    resumed = EnforcementCase.objects.create(
        court=case.court, case_type=CaseType.RESUMED, basis=case.basis, resumed_from=case,
        status=CaseStatus.IN_PROGRESS if case.officer_id else CaseStatus.FILED,
        applied_on=timezone.localdate(), application_period_ends_on=case.application_period_ends_on,
        target_kind=case.target_kind, **amounts, late_interest_from=case.late_interest_from,
        act_description=case.act_description, is_enterprise=case.is_enterprise,
        is_livelihood=case.is_livelihood, is_small_claim=case.is_small_claim,
        officer=case.officer, assigned_at=now if case.officer_id else None,
        created_by=system_actor, **fields,
    )  # fmt: skip
    parties = _copy_parties(case, resumed, owed[1] if owed is not None else None)
    carried = controls_carry(source=case, target=resumed, debtors=parties, actor=actor)
    how = _("依申请执行人申请") if applicant_asked else _("依职权")
    note = _("%(how)s恢复执行，原案 %(o)s：%(r)s") % {"how": how, "o": case, "r": reason[:200]}
    if owed is not None:
        note += _("；原案执行标的 %(a)s，已执行到位 %(p)s，本案执行标的 %(b)s") % {
            "a": format_yuan(case.amount_ordered), "p": format_yuan(case.amount_ordered - owed[0]),
            "b": format_yuan(owed[0])}  # fmt: skip
    if carried:
        note += _("；原案仍在控制中的财产 %(n)d 项转入本案（期限、续行提醒不变）") % {
            "n": len(carried)}  # fmt: skip
    audit_create(resumed, actor=actor, note=note)
    audit_create(case, actor=actor, note=_("已恢复执行，新案号 %(n)s") % {"n": resumed})
    case_clock_start(resumed, "enforcement.time_limit", actor=actor, start=now)
    FinalCheckSchedule.objects.filter(case=case).update(
        status=ScheduleStatus.RESUMED, resumed_case=resumed
    )
    try:
        with transaction.atomic():
            inquiry_start(case=resumed, actor=actor)
    except (TransitionNotAllowed, ValidationError) as exc:
        logger.info("resumed case %s: no inquiry started (%s)", resumed.pk, exc)
    return resumed
