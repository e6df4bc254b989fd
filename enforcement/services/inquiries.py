"""Starting online inquiries (网络查控) and keeping them moving.

An officer starts an inquiry on a case for one debtor or all of them; the inquiry's
targets (debtor × configured provider) are written with it and the task is enqueued
through the outbox on commit. The worker (enforcement.tasks → inquiry.runner.run) does
the asking. `inquiries_start_many` is the fan-out for many cases at once (a court's
sweep, part 2's 6-monthly checks after 终本): the same rows in bulk, one task per chunk.
`inquiries_recover` (beat) re-enqueues inquiries whose task message was lost.
"""

import datetime
import json
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create, audit_create_entry
from common.statemachine import TransitionNotAllowed
from jobs.bulk import bulk_insert
from jobs.models import OutboxMessage
from jobs.services import outbox_enqueue

from ..inquiry.copy import copy_insert
from ..inquiry.providers import provider_keys, provider_label
from ..inquiry.runner import OPEN_TARGET, _in, audit_insert, conf
from ..models import (
    AssetInquiry,
    CaseParty,
    CaseStatus,
    EnforcementCase,
    EnforcementRole,
    InquiryPurpose,
    InquiryStatus,
    InquiryTarget,
)
from ..selectors import acting_roles
from ..states import COURT_STAFF

TASK = "enforcement.inquiry_run"
# An inquiry is investigation: open cases, a settlement being performed, and 终本 cases
# (their periodic checks) may be inquired; not a suspended or concluded case.
INQUIRY_CASE_STATUSES = (
    CaseStatus.FILED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.SETTLEMENT,
    CaseStatus.TERMINATED_ROUND,
)
OPEN_INQUIRY = (InquiryStatus.PENDING, InquiryStatus.RUNNING)


def require_court_staff(case: EnforcementCase, actor) -> None:
    """The enforcing court's staff (or a higher court's supervisor) act on its assets."""
    if actor is None:
        return  # the system (beat jobs)
    if not (acting_roles(actor, case.court) & COURT_STAFF):
        raise PermissionDenied(_("只有执行法院的工作人员可以办理。"))


def _has_identity(case_party: CaseParty) -> bool:
    party = case_party.party
    return bool(party.credit_code or party.id_number_index)


def _check_case(case: EnforcementCase) -> None:
    if case.status not in INQUIRY_CASE_STATUSES:
        raise TransitionNotAllowed(
            _("案件状态为“%(state)s”，不能发起网络查控。") % {"state": case.get_status_display()}
        )


def _providers() -> list[str]:
    keys = provider_keys()
    if not keys:
        raise TransitionNotAllowed(_("本院尚未接入网络查控渠道（未配置查询渠道），无法发起查询。"))
    return keys


@transaction.atomic
def inquiry_start(
    *, case: EnforcementCase, actor, debtor: CaseParty | None = None, purpose=InquiryPurpose.MANUAL
) -> AssetInquiry:
    """Start an inquiry of one debtor (or every debtor) of `case` with every configured
    provider; the worker runs it after commit. Refused while an inquiry of the same debtor
    is still running (409), for a debtor of another case or without an identity (400)."""
    case = EnforcementCase.objects.select_for_update().select_related("court").get(pk=case.pk)
    require_court_staff(case, actor)
    _check_case(case)
    providers = _providers()
    debtors = list(
        CaseParty.objects.filter(case=case, role=EnforcementRole.DEBTOR).select_related("party")
    )
    if debtor is not None:
        if debtor.pk not in {d.pk for d in debtors}:
            raise ValidationError({"debtor": [_("请选择本案的被执行人。")]})
        debtors = [d for d in debtors if d.pk == debtor.pk]
    if not debtors:
        raise ValidationError({"debtor": [_("本案没有被执行人。")]})
    askable = [d for d in debtors if _has_identity(d)]
    skipped = [d for d in debtors if not _has_identity(d)]
    if not askable:
        raise ValidationError(
            {"debtor": [_("被执行人没有身份证号码或统一社会信用代码，无法网络查控。")]}
        )
    busy = InquiryTarget.objects.filter(
        inquiry__case=case, debtor__in=askable, status__in=OPEN_TARGET
    ).exists()
    if busy:
        raise TransitionNotAllowed(_("该被执行人的网络查控正在进行，请等待反馈后再查询。"))
    note = ""
    if skipped:
        note = _("未查询（无身份证号码或统一社会信用代码）：%(names)s") % {
            "names": "、".join(d.name for d in skipped)
        }
    inquiry = AssetInquiry.objects.create(
        case=case,
        purpose=purpose,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:500],
    )
    InquiryTarget.objects.bulk_create(
        [InquiryTarget(inquiry=inquiry, debtor=d, provider=p) for d in askable for p in providers]
    )
    audit_create(
        inquiry,
        actor=actor,
        note=_("网络查控：被执行人 %(names)s；渠道 %(providers)s")
        % {
            "names": "、".join(d.name for d in askable),
            "providers": "、".join(provider_label(p) for p in providers),
        },
    )
    outbox_enqueue(TASK, args=[[inquiry.pk]])
    return inquiry


@transaction.atomic
def inquiries_start_many(
    *, case_ids: Iterable[int], actor, purpose=InquiryPurpose.BULK, chunk: int | None = None
) -> list[int]:
    """One inquiry (all debtors with an identity × every provider) for each case among
    `case_ids` that may be inquired and has none running; in bulk, with an audit entry
    each, and one task per `chunk` inquiries. Returns the new inquiries' ids.
    `actor` None is the system (a periodic job); a person must be staff of each court."""
    providers = _providers()
    chunk = chunk or conf("TASK_CHUNK")
    now = timezone.now()
    case_ids = list(case_ids)
    if connection.vendor == "postgresql":
        ids = _start_many_postgresql(case_ids, actor=actor, purpose=purpose,
                                     providers=providers, now=now)  # fmt: skip
    else:
        ids = _start_many_portable(case_ids, actor=actor, purpose=purpose,
                                   providers=providers, now=now)  # fmt: skip
    for start in range(0, len(ids), chunk):
        outbox_enqueue(TASK, args=[ids[start : start + chunk]])
    return ids


def _require_staff_of_courts(court_ids, actor) -> None:
    from organisations.models import Organisation

    for court in Organisation.objects.filter(pk__in=set(court_ids)):
        if not (acting_roles(actor, court) & COURT_STAFF):
            raise PermissionDenied(_("只有执行法院的工作人员可以办理。"))


def _start_many_postgresql(case_ids, *, actor, purpose, providers, now) -> list[int]:
    """The inquiries, their targets and their audit entries in one statement (INSERT …
    SELECT with data-modifying CTEs): which cases may be inquired, which debtors have an
    identity, the rows and the entries are all decided by the database, so the Python
    cost does not grow with the number of cases. The audit entries are the ones
    `audit_create_entry` writes: one is built here for a prototype inquiry and the
    database puts in each row's id, case and court."""
    from audit.models import AuditEntry
    from cases.models import Party

    requested_by = actor if getattr(actor, "is_authenticated", False) else None
    if actor is not None:
        _require_staff_of_courts(
            EnforcementCase.objects.filter(pk__in=_in(case_ids)).values_list("court_id", flat=True),
            actor,
        )
    label = str(InquiryPurpose(purpose).label)
    prototype = AssetInquiry(purpose=purpose, status=InquiryStatus.PENDING,
                             requested_by=requested_by, requested_at=now, note="")  # fmt: skip
    entry = audit_create_entry(prototype, actor=actor, note=label)
    marker = "\uffff"
    repr_before, _sep, repr_after = (str(_("网络查控 #%(pk)s") % {"pk": marker})).partition(marker)
    changes = {k: v for k, v in entry.changes.items() if k not in ("id", "case")}
    open_statuses = list(OPEN_INQUIRY)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH asked AS (
                SELECT c.id, c.court_id FROM {EnforcementCase._meta.db_table} c
                WHERE c.id = ANY(%(cases)s) AND c.status = ANY(%(case_statuses)s)
                  -- the case's own inquiries by enf_inquiry_case_idx (OFFSET 0 keeps the
                  -- status test out of the scan: ANDed with enf_inquiry_open_idx it read
                  -- every open inquiry of every court per case — the fan-out's own)
                  AND NOT EXISTS (SELECT 1 FROM (SELECT o.status
                                                 FROM {AssetInquiry._meta.db_table} o
                                                 WHERE o.case_id = c.id OFFSET 0) o
                                  WHERE o.status = ANY(%(open)s))
                  AND EXISTS (SELECT 1 FROM {CaseParty._meta.db_table} d
                              JOIN {Party._meta.db_table} p ON p.id = d.party_id
                              WHERE d.case_id = c.id AND d.role = %(debtor)s
                                AND (p.id_number_index <> '' OR p.credit_code <> ''))
                ORDER BY c.id
            ), inquiries AS (
                INSERT INTO {AssetInquiry._meta.db_table}
                    (case_id, purpose, status, requested_by_id, requested_at, started_at,
                     finished_at, findings_count, new_findings_count, note)
                SELECT id, %(purpose)s, %(pending)s, %(requested_by)s, %(now)s, NULL, NULL, 0,
                       0, ''
                FROM asked ORDER BY id
                RETURNING id, case_id
            ), targets AS (
                INSERT INTO {InquiryTarget._meta.db_table}
                    (inquiry_id, debtor_id, provider, status, attempts, claim_token,
                     claimed_until, answered_on, finished_at, findings_count, error)
                SELECT i.id, d.id, provider, 'pending', 0, NULL, NULL, NULL, NULL, 0, ''
                FROM inquiries i
                JOIN {CaseParty._meta.db_table} d ON d.case_id = i.case_id AND d.role = %(debtor)s
                JOIN {Party._meta.db_table} p ON p.id = d.party_id
                CROSS JOIN unnest(%(providers)s::varchar[]) AS provider
                WHERE p.id_number_index <> '' OR p.credit_code <> ''
                ORDER BY i.id, d.id, provider
            ), audit AS (
                INSERT INTO {AuditEntry._meta.db_table}
                    (at, actor_id, actor_name, action, content_type_id, object_id, object_repr,
                     organisation_id, changes, transition, transition_label, note, channel, ip,
                     path)
                SELECT %(now)s, %(actor)s, %(actor_name)s, %(action)s, %(content_type)s,
                       i.id::text, %(repr_before)s || i.id || %(repr_after)s, a.court_id,
                       %(changes)s::jsonb || jsonb_build_object(
                           'id', jsonb_build_object('before', NULL, 'after', i.id),
                           'case', jsonb_build_object('before', NULL, 'after', i.case_id)),
                       '', '', %(note)s, %(channel)s, %(ip)s, %(path)s
                FROM inquiries i JOIN asked a ON a.id = i.case_id
            )
            SELECT id FROM inquiries ORDER BY id
            """,  # noqa: S608 - the table names are the models', every value a parameter
            {
                "cases": case_ids, "case_statuses": list(INQUIRY_CASE_STATUSES),
                "open": open_statuses, "debtor": EnforcementRole.DEBTOR, "purpose": purpose,
                "pending": InquiryStatus.PENDING,
                "requested_by": requested_by.pk if requested_by else None, "now": now,
                "providers": list(providers), "actor": entry.actor_id,
                "actor_name": entry.actor_name, "action": entry.action,
                "content_type": entry.content_type_id, "repr_before": repr_before,
                "repr_after": repr_after, "changes": json.dumps(changes, ensure_ascii=False),
                "note": entry.note, "channel": entry.channel, "ip": entry.ip, "path": entry.path,
            },
        )  # fmt: skip
        ids = [row[0] for row in cursor.fetchall()]
    return ids


def _start_many_portable(case_ids, *, actor, purpose, providers, now) -> list[int]:
    """The same rows through the ORM (SQLite in development)."""
    cases = list(
        EnforcementCase.objects.filter(pk__in=case_ids, status__in=INQUIRY_CASE_STATUSES)
        .exclude(asset_inquiries__status__in=OPEN_INQUIRY)
        .select_related("court")
        .order_by("pk")
    )
    if actor is not None:
        for court in {c.court_id: c.court for c in cases}.values():
            if not (acting_roles(actor, court) & COURT_STAFF):
                raise PermissionDenied(_("只有执行法院的工作人员可以办理。"))
    debtors: dict[int, list[int]] = {}
    for case_id, party_id in (
        CaseParty.objects.filter(case__in=[c.pk for c in cases], role=EnforcementRole.DEBTOR)
        .filter(~Q(party__id_number_index="") | ~Q(party__credit_code=""))
        .order_by("pk")
        .values_list("case_id", "pk")
    ):
        debtors.setdefault(case_id, []).append(party_id)
    cases = [c for c in cases if c.pk in debtors]
    requested_by = actor if getattr(actor, "is_authenticated", False) else None
    ids = bulk_insert(
        AssetInquiry,
        ("case", "purpose", "status", "requested_by", "requested_at", "note"),
        [
            (
                c.pk,
                purpose,
                InquiryStatus.PENDING,
                requested_by.pk if requested_by else None,
                now,
                "",
            )
            for c in cases
        ],  # fmt: skip
        returning_ids=True,
    )
    inquiries = [
        AssetInquiry(pk=pk, case=c, purpose=purpose, requested_by=requested_by, requested_at=now)
        for pk, c in zip(ids, cases, strict=True)
    ]
    copy_insert(
        InquiryTarget,
        ("inquiry", "debtor", "provider", "status", "attempts", "findings_count", "error"),
        [
            (inquiry.pk, debtor_id, provider, "pending", 0, 0, "")
            for inquiry in inquiries
            for debtor_id in debtors[inquiry.case_id]
            for provider in providers
        ],
    )
    label = InquiryPurpose(purpose).label
    audit_insert(audit_create_entry(i, actor=actor, note=str(label)) for i in inquiries)
    return ids


def inquiries_recover(*, now=None, older_than: datetime.timedelta | None = None) -> int:
    """Beat: inquiries still open a while after they were asked for, with no task waiting
    in the outbox, get their task again (a message lost after publishing; the runner's
    claims make a duplicate harmless). Inquiries whose targets are all done but which were
    never closed are closed. Returns how many inquiries were re-enqueued."""
    from ..inquiry.runner import finish_inquiries

    now = now or timezone.now()
    older_than = older_than or datetime.timedelta(seconds=2 * conf("CLAIM_SECONDS"))
    stale = list(
        AssetInquiry.objects.filter(status__in=OPEN_INQUIRY, requested_at__lt=now - older_than)
        .order_by("pk")
        .values_list("pk", flat=True)[:10000]
    )
    if not stale:
        return 0
    waiting = set()
    for args in OutboxMessage.objects.filter(task_name=TASK, published_at__isnull=True).values_list(
        "args", flat=True
    ):
        for ids in args[:1]:
            waiting.update(ids)
    with transaction.atomic():
        candidates = AssetInquiry.objects.filter(pk__in=stale, status__in=OPEN_INQUIRY)
        if connection.features.has_select_for_update_skip_locked:
            # an inquiry a worker is storing into is left to that worker
            candidates = candidates.select_for_update(skip_locked=True)
        locked = list(candidates.order_by("pk").values_list("pk", flat=True))
        finish_inquiries(locked, now=now)
    open_ids = list(
        InquiryTarget.objects.filter(inquiry_id__in=stale, status__in=OPEN_TARGET)
        .exclude(inquiry_id__in=waiting)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .values_list("inquiry_id", flat=True)
        .distinct()
    )
    open_ids.sort()
    chunk = conf("TASK_CHUNK")
    with transaction.atomic():
        for start in range(0, len(open_ids), chunk):
            outbox_enqueue(TASK, args=[open_ids[start : start + chunk]])
    return len(open_ids)
