"""The worker side of inquiries: claim targets (debtor × provider), ask the providers
concurrently, store the findings in bulk, finish the inquiries whose targets are all done.

Why it is safe to kill a worker at any moment:

- A claim (one short transaction: SELECT … FOR UPDATE SKIP LOCKED, then UPDATE) marks a
  batch of targets `running` with a fresh claim token and a lease (`claimed_until`). Two
  workers never claim the same target; a target whose lease ran out is claimable again.
- The providers are asked outside any transaction (never hold a transaction open across
  a network call).
- Storing is one transaction: the batch's inquiries are locked (in id order), the targets
  still held under *this* claim token are locked, their findings inserted (unique per
  target and asset), the targets marked done and the inquiries whose targets are all done
  finished. A worker killed before the commit wrote nothing; its targets are claimed again
  when the lease ends (the task message is redelivered: acks_late, reject_on_worker_lost).
  A worker whose lease ran out while it waited finds its targets taken and stores nothing.

So a target's findings are written exactly once, whatever is killed or retried.
"""

import datetime
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_transition_entry
from common import pii
from common.logscrub import scrub_text
from common.masking import mask_middle

from ..models import (
    AssetFinding,
    AssetInquiry,
    AssetKind,
    InquiryPurpose,
    InquiryStatus,
    InquiryTarget,
    TargetStatus,
)
from .copy import copy_insert
from .providers import Debtor, Finding, ProviderError, credit_code_index, provider_get

logger = logging.getLogger(__name__)

OPEN_TARGET = (TargetStatus.PENDING, TargetStatus.RUNNING)
PERSONAL_KINDS = {
    AssetKind.BANK_ACCOUNT: (4, 4),
    AssetKind.ALIPAY: (3, 3),
    AssetKind.WECHAT: (5, 3),
    AssetKind.SECURITIES: (2, 3),
    AssetKind.SOCIAL_INSURANCE: (3, 4),
}


def _in(values, cast: str = "bigint"):
    """For `field__in=`: on PostgreSQL a list as one array parameter (Django would prepare
    each of hundreds of values one by one, a third of the runner's Python time); the plain
    list elsewhere."""
    values = list(values)
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{cast}[])", [values])  # noqa: S611 - cast is ours
    return values


def conf(name: str) -> int:
    return int(getattr(settings, f"ENFORCEMENT_INQUIRY_{name}"))


def identifier_masked(kind: str, identifier: str) -> str:
    """Account numbers and other personal identifiers masked; the rest (a plate, a title
    certificate number, an employer) shown as they are."""
    keep = PERSONAL_KINDS.get(kind)
    value = identifier if keep is None else mask_middle(identifier, *keep)
    return value[:80]


def asset_reference(kind: str, institution: str, identifier: str) -> str:
    """The same asset's key in every inquiry (a keyed hash: not reversible)."""
    return pii.blind_index(f"{kind}|{institution}|{identifier}", kind="asset")


@dataclass
class Claimed:
    target_id: int
    inquiry_id: int
    case_id: int
    debtor: Debtor | None
    provider: str
    attempts: int


@dataclass
class Answer:
    claimed: Claimed
    on: datetime.date
    findings: list[Finding] | None = None
    error: str = ""
    transient: bool = False


@dataclass
class RunResult:
    done: int = 0
    failed: int = 0
    retried: int = 0
    inquiries_finished: int = 0
    # open targets left (another worker's live claim, or waiting to retry) and when the
    # earliest of them may be claimed
    waiting: int = 0
    next_claim_at: datetime.datetime | None = None


def _claimable(now) -> Q:
    return Q(status__in=OPEN_TARGET) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


def claim(*, inquiry_ids: list[int] | None, limit: int, now=None) -> tuple[uuid.UUID, list]:
    """Claim up to `limit` targets for this worker (see the module docstring)."""
    now = now or timezone.now()
    token = uuid.uuid4()
    until = now + datetime.timedelta(seconds=conf("CLAIM_SECONDS"))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            rows = _claim_postgresql(inquiry_ids, limit, now=now, until=until, token=token)
        else:  # SQLite: one writer at a time, the conditional update decides
            queryset = InquiryTarget.objects.filter(_claimable(now))
            if inquiry_ids is not None:
                queryset = queryset.filter(inquiry_id__in=inquiry_ids)
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])
            InquiryTarget.objects.filter(pk__in=ids).filter(_claimable(now)).update(
                status=TargetStatus.RUNNING,
                claim_token=token,
                claimed_until=until,
                attempts=F("attempts") + 1,
            )
            rows = list(
                InquiryTarget.objects.filter(pk__in=ids, claim_token=token)
                .order_by("pk")
                .values_list(*CLAIM_COLUMNS)
            )
        if not rows:
            return token, []
        AssetInquiry.objects.filter(
            pk__in=_in({row[1] for row in rows}), status=InquiryStatus.PENDING
        ).update(status=InquiryStatus.RUNNING, started_at=now)
    claimed = [
        Claimed(
            target_id=pk,
            inquiry_id=inquiry_id,
            case_id=case_id,
            debtor=_debtor(debtor_id, name, code, token_, index, masked),
            provider=provider,
            attempts=attempts,
        )
        for (pk, inquiry_id, case_id, debtor_id, name, code, token_, index, masked, provider,
             attempts) in rows
    ]  # fmt: skip
    return token, claimed


CLAIM_COLUMNS = (
    "pk", "inquiry_id", "inquiry__case_id", "debtor_id", "debtor__name",
    "debtor__party__credit_code", "debtor__party__id_number_encrypted",
    "debtor__party__id_number_index", "debtor__party__id_number_masked", "provider", "attempts",
)  # fmt: skip


def _claim_postgresql(inquiry_ids, limit, *, now, until, token) -> list[tuple]:
    """Pick (SKIP LOCKED), mark and read what the providers need, in one statement."""
    from cases.models import Party

    from ..models import CaseParty

    table = InquiryTarget._meta.db_table
    only = "AND inquiry_id = ANY(%(ids)s)" if inquiry_ids is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH picked AS (
                SELECT id FROM {table}
                WHERE status IN ('pending', 'running')
                  AND (claimed_until IS NULL OR claimed_until < %(now)s) {only}
                ORDER BY id LIMIT %(limit)s
                FOR UPDATE SKIP LOCKED
            ), marked AS (
                UPDATE {table} AS t
                SET status = 'running', claim_token = %(token)s, claimed_until = %(until)s,
                    attempts = t.attempts + 1
                FROM picked WHERE t.id = picked.id
                RETURNING t.id, t.inquiry_id, t.debtor_id, t.provider, t.attempts
            )
            SELECT m.id, m.inquiry_id, i.case_id, m.debtor_id, d.name, p.credit_code,
                   p.id_number_encrypted, p.id_number_index, p.id_number_masked, m.provider,
                   m.attempts
            FROM marked m
            JOIN {AssetInquiry._meta.db_table} i ON i.id = m.inquiry_id
            JOIN {CaseParty._meta.db_table} d ON d.id = m.debtor_id
            JOIN {Party._meta.db_table} p ON p.id = d.party_id
            ORDER BY m.id
            """,  # noqa: S608 - the table name is the model's, every value a parameter
            {"ids": list(inquiry_ids or []), "now": now, "limit": limit, "token": str(token),
             "until": until},
        )  # fmt: skip
        return cursor.fetchall()


def _debtor(ref, name, credit_code, token, index, masked) -> Debtor | None:
    if credit_code:
        return Debtor(
            ref=ref, name=name, kind="organisation", identity_masked=credit_code,
            identity_index=credit_code_index(credit_code), _credit_code=credit_code,
        )  # fmt: skip
    if token and index:
        return Debtor(
            ref=ref, name=name, kind="person", identity_masked=masked, identity_index=index,
            _identity_token=token,
        )  # fmt: skip
    return None


def ask(claimed: Claimed) -> Answer:
    """One provider call (in a pool thread). Errors become answers; nothing personal
    reaches the stored message or a log line."""
    on = timezone.localdate()
    if claimed.debtor is None:
        return Answer(claimed, on, error=_("被执行人没有身份证号码或统一社会信用代码，无法查询"))
    try:
        findings = provider_get(claimed.provider).inquire(claimed.debtor, on=on)
    except ProviderError as exc:
        return Answer(claimed, on, error=scrub_text(str(exc))[:300], transient=exc.transient)
    except Exception as exc:  # a provider bug or an unexpected answer: retried, then given up
        logger.warning(
            "inquiry provider %s failed for target %s: %s",
            claimed.provider,
            claimed.target_id,
            type(exc).__name__,
        )
        return Answer(claimed, on, error=type(exc).__name__, transient=True)
    return Answer(claimed, on, findings=findings)


def _retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(300, 5 * 2 ** max(0, attempts - 1)))


def store(*, token: uuid.UUID, answers: list[Answer], now=None) -> RunResult:
    """Write one batch's answers (see the module docstring). Returns what it did."""
    now = now or timezone.now()
    result = RunResult()
    if not answers:
        return result
    max_attempts = conf("MAX_ATTEMPTS")
    with transaction.atomic():
        inquiry_ids = sorted({a.claimed.inquiry_id for a in answers})
        # serialises finishing an inquiry whose targets two workers hold
        list(
            AssetInquiry.objects.select_for_update()
            .filter(pk__in=_in(inquiry_ids))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        mine = set(
            InquiryTarget.objects.select_for_update()
            .filter(
                pk__in=_in(a.claimed.target_id for a in answers),
                claim_token=token,
                status=TargetStatus.RUNNING,
            )
            .values_list("pk", flat=True)
        )
        answers = [a for a in answers if a.claimed.target_id in mine]
        ok = [a for a in answers if a.findings is not None]
        rows, counts = _finding_rows(ok)
        if rows:
            copy_insert(AssetFinding, FINDING_FIELDS, rows)
        updates = []
        for answer in answers:
            c = answer.claimed
            if answer.findings is not None:
                updates.append((c.target_id, TargetStatus.DONE, answer.on, now,
                                counts.get(c.target_id, 0), "", None))  # fmt: skip
                result.done += 1
            elif answer.transient and c.attempts < max_attempts:
                updates.append((c.target_id, TargetStatus.PENDING, None, None, 0, answer.error,
                                now + _retry_delay(c.attempts)))  # fmt: skip
                result.retried += 1
            else:
                updates.append((c.target_id, TargetStatus.FAILED, None, now, 0, answer.error,
                                None))  # fmt: skip
                result.failed += 1
        _update_targets(updates)
        result.inquiries_finished = finish_inquiries(inquiry_ids, now=now)
    return result


FINDING_FIELDS = (
    "inquiry", "target", "case", "debtor", "provider", "kind", "institution",
    "identifier_encrypted", "identifier_masked", "reference", "description", "balance",
    "estimated_value", "asset_status", "is_new", "found_on",
)  # fmt: skip


def _finding_rows(answers: list[Answer]) -> tuple[list[tuple], dict[int, int]]:
    built = []
    for answer in answers:
        c = answer.claimed
        seen = set()
        for f in answer.findings:
            reference = asset_reference(f.kind, f.institution, f.identifier)
            if reference in seen:  # a provider listing one asset twice
                continue
            seen.add(reference)
            built.append((answer, f, reference))
    # what earlier inquiries already found for these debtors
    pairs = {(a.claimed.debtor.ref, r) for a, _f, r in built}
    inquiries = {a.claimed.inquiry_id for a, _f, _r in built}
    known = _known(pairs, inquiries) if built else set()
    rows, counts = [], {}
    for answer, f, reference in built:
        c = answer.claimed
        counts[c.target_id] = counts.get(c.target_id, 0) + 1
        rows.append((
            c.inquiry_id, c.target_id, c.case_id, c.debtor.ref, c.provider, f.kind,
            f.institution[:120], pii.encrypt(f.identifier), identifier_masked(f.kind, f.identifier),
            reference, f.description[:200], f.balance, f.estimated_value,
            f.asset_status if f.asset_status in ("normal", "encumbered", "mortgaged") else "normal",
            (c.debtor.ref, reference) not in known, answer.on,
        ))  # fmt: skip
    return rows, counts


def _known(pairs: set[tuple[int, str]], inquiries: set[int]) -> set[tuple[int, str]]:
    """The (debtor, asset) pairs among `pairs` that an inquiry other than `inquiries`
    already found. On PostgreSQL one index probe (enf_finding_ref_idx) per pair: the
    `debtor IN … AND reference IN …` form was planned as a scan of every finding stored
    so far, per batch — the fan-out's database time grew with the table."""
    if connection.vendor != "postgresql":
        debtors = {d for d, _r in pairs}
        references = {r for _d, r in pairs}
        found = (
            AssetFinding.objects.filter(debtor_id__in=debtors, reference__in=references)
            .exclude(inquiry_id__in=inquiries)
            .values_list("debtor_id", "reference")
        )
        return set(found) & pairs
    debtors, references = zip(*pairs, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT DISTINCT f.debtor_id, f.reference
            FROM unnest(%s::bigint[], %s::varchar[]) AS k(debtor_id, reference)
            JOIN {AssetFinding._meta.db_table} f
              ON f.debtor_id = k.debtor_id AND f.reference = k.reference
            WHERE f.inquiry_id <> ALL(%s::bigint[])
            """,  # noqa: S608 - the table name is the model's, every value a parameter
            [list(debtors), list(references), list(inquiries)],
        )
        return set(cursor.fetchall())


def _update_targets(updates: list[tuple]) -> None:
    """(id, status, answered_on, finished_at, findings_count, error, claimed_until) per
    target, in one statement on PostgreSQL."""
    if not updates:
        return
    if connection.vendor == "postgresql":
        columns = list(zip(*updates, strict=True))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {InquiryTarget._meta.db_table} AS t SET
                    status = u.status, answered_on = u.answered_on, finished_at = u.finished_at,
                    findings_count = u.findings_count, error = u.error,
                    claimed_until = u.claimed_until, claim_token = NULL
                FROM unnest(%s::bigint[], %s::varchar[], %s::date[], %s::timestamptz[],
                            %s::integer[], %s::varchar[], %s::timestamptz[])
                    AS u(id, status, answered_on, finished_at, findings_count, error, claimed_until)
                WHERE t.id = u.id
                """,  # noqa: S608 - the table name is the model's, every value a parameter
                [list(column) for column in columns],
            )
        return
    for pk, status, answered_on, finished_at, count, error, until in updates:
        InquiryTarget.objects.filter(pk=pk).update(
            status=status, answered_on=answered_on, finished_at=finished_at,
            findings_count=count, error=error, claimed_until=until, claim_token=None,
        )  # fmt: skip


def finish_inquiries(inquiry_ids, *, now=None) -> int:
    """Close the inquiries among `inquiry_ids` (locked by the caller) that have no open
    target left: done, partial (some target failed) or failed (all did), with their counts
    and an audit entry each; the officer who asked is told. Returns how many closed.
    A constant number of statements however many inquiries (the bulk fan-out closes
    hundreds per batch)."""
    now = now or timezone.now()
    tally = {
        row["inquiry_id"]: row
        for row in InquiryTarget.objects.filter(inquiry_id__in=_in(inquiry_ids))
        .values("inquiry_id")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_TARGET)),
            failed=Count("id", filter=Q(status=TargetStatus.FAILED)),
            found=Sum("findings_count"),
        )
    }
    closing = [pk for pk, row in tally.items() if row["open"] == 0]
    if not closing:
        return 0
    inquiries = list(
        AssetInquiry.objects.filter(
            pk__in=_in(closing), status__in=(InquiryStatus.PENDING, InquiryStatus.RUNNING)
        )
        .select_related("case")
        .only(
            "status", "purpose", "started_at", "requested_by", "case__court", "case__case_number"
        )
        .order_by("pk")
    )  # fmt: skip
    if not inquiries:
        return 0
    new = dict(
        AssetFinding.objects.filter(inquiry__in=_in(i.pk for i in inquiries), is_new=True)
        .values("inquiry_id")
        .annotate(n=Count("id"))
        .values_list("inquiry_id", "n")
    )
    entries, specs, updates = [], [], []
    for inquiry in inquiries:
        row = tally[inquiry.pk]
        before = {"status": inquiry.status}
        if row["failed"] == 0:
            inquiry.status = InquiryStatus.DONE
        elif row["failed"] < row["total"]:
            inquiry.status = InquiryStatus.PARTIAL
        else:
            inquiry.status = InquiryStatus.FAILED
        inquiry.finished_at = now
        inquiry.started_at = inquiry.started_at or now
        inquiry.findings_count = row["found"] or 0
        inquiry.new_findings_count = new.get(inquiry.pk, 0)
        updates.append((inquiry.pk, inquiry.status, inquiry.finished_at, inquiry.started_at,
                        inquiry.findings_count, inquiry.new_findings_count))  # fmt: skip
        note = f"查控反馈：发现财产 {inquiry.findings_count} 项（新发现 {inquiry.new_findings_count} 项）"
        if row["failed"]:
            note += f"，{row['failed']} 项查询失败"
        entries.append(
            audit_transition_entry(
                inquiry, actor=None, transition="finish", transition_label="查控反馈",
                before=before, after={"status": inquiry.status}, note=note,
            )
        )  # fmt: skip
        if inquiry.purpose == InquiryPurpose.MANUAL and inquiry.requested_by_id:
            specs.append(_done_notification(inquiry, note))
    _update_inquiries(updates)
    audit_insert(entries)
    if specs:
        from notifications.services import notify_many

        notify_many(specs)
    return len(inquiries)


def _update_inquiries(updates: list[tuple]) -> None:
    """(id, status, finished_at, started_at, findings_count, new_findings_count) per row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {AssetInquiry._meta.db_table} AS i SET
                    status = u.status, finished_at = u.finished_at, started_at = u.started_at,
                    findings_count = u.findings_count, new_findings_count = u.new_findings_count
                FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[], %s::timestamptz[],
                            %s::integer[], %s::integer[])
                    AS u(id, status, finished_at, started_at, findings_count, new_findings_count)
                WHERE i.id = u.id
                """,  # noqa: S608 - the table name is the model's, every value a parameter
                [list(column) for column in zip(*updates, strict=True)],
            )
        return
    for pk, status, finished_at, started_at, found, new in updates:
        AssetInquiry.objects.filter(pk=pk).update(
            status=status, finished_at=finished_at, started_at=started_at,
            findings_count=found, new_findings_count=new,
        )  # fmt: skip


AUDIT_FIELDS = (
    "at", "actor", "actor_name", "action", "content_type", "object_id", "object_repr",
    "organisation", "changes", "transition", "transition_label", "note", "channel", "ip", "path",
)  # fmt: skip


def audit_insert(entries) -> None:
    """Save audit entries built by audit.services' `*_entry` helpers in one INSERT of
    arrays (jobs.bulk): the same rows `audit_bulk_write` writes, at a fraction of the
    Python cost per row, for the fan-out's hundreds of thousands."""
    from audit.models import AuditEntry

    entries = [e for e in entries if e is not None]
    if not entries:
        return
    if any(e.object_id == "None" for e in entries):
        raise ValueError("audit entries built before their records were saved")
    meta = AuditEntry._meta
    attnames = [meta.get_field(name).attname for name in AUDIT_FIELDS]
    copy_insert(AuditEntry, AUDIT_FIELDS, [tuple(getattr(e, a) for a in attnames) for e in entries])


def _done_notification(inquiry, note):
    from notifications.services import NotificationSpec

    return NotificationSpec(
        recipient=inquiry.requested_by,
        kind="enforcement.inquiry_done",
        title=f"网络查控已反馈：{inquiry.case}",
        body=note,
        link=inquiry.get_absolute_url(),
        subject=inquiry,
    )


def run(
    *,
    inquiry_ids: list[int] | None = None,
    batch_size: int | None = None,
    concurrency: int | None = None,
    time_budget: float | None = None,
) -> RunResult:
    """Work through the open targets of `inquiry_ids` (all inquiries when None) until none
    is claimable or `time_budget` seconds have passed; then say what is left.

    Pipelined: while the providers answer one batch (in the pool's threads), this thread
    stores the batch before, so the answer time is hidden behind the database work."""
    batch_size = batch_size or conf("BATCH")
    concurrency = concurrency or conf("CONCURRENCY")
    started = time.monotonic()
    total = RunResult()
    opened: set[str] = set()

    def add(step: RunResult) -> None:
        total.done += step.done
        total.failed += step.failed
        total.retried += step.retried
        total.inquiries_finished += step.inquiries_finished

    in_flight = None  # (token, futures) of the batch the providers are answering
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="inquiry") as pool:
        while True:
            out_of_time = time_budget is not None and time.monotonic() - started > time_budget
            token, batch = (
                (None, []) if out_of_time else claim(inquiry_ids=inquiry_ids, limit=batch_size)
            )
            for key in {c.provider for c in batch} - opened:
                try:
                    provider_get(key).open()
                except ProviderError:
                    pass  # each call will answer with the same error
                opened.add(key)
            futures = [pool.submit(ask, c) for c in batch]
            if in_flight is not None:
                previous_token, previous = in_flight
                add(store(token=previous_token, answers=[f.result() for f in previous]))
            in_flight = (token, futures) if batch else None
            if not batch:
                break
    left = InquiryTarget.objects.filter(status__in=OPEN_TARGET)
    if inquiry_ids is not None:
        left = left.filter(inquiry_id__in=_in(inquiry_ids))
    info = left.aggregate(n=Count("id"), at=Min("claimed_until"))
    total.waiting = info["n"]
    total.next_claim_at = info["at"]
    return total
