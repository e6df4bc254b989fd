"""The bulk writer: validated rows written as `dispute_register` would, a chunk at a time."""

import datetime

from django.core.cache import cache
from django.utils import timezone

from audit.services import audit_bulk_write, audit_change_entry, audit_create_entry, snapshot
from cases import conf, timelimits
from cases.models import (
    Dispute,
    DisputeEvent,
    DisputeParty,
    ImportBatch,
    Party,
    PartyRole,
    ReferenceSequence,
)
from cases.services import dispute_reference, dispute_search_tokens
from common import pii
from organisations.models import Organisation
from organisations.selectors import organisations_under

from .validation import CleanRow, build_vocabulary, iter_clean_rows

# Rows validated / written per round trip: big enough for bulk_create to pay off, small
# enough that one chunk's objects stay a few megabytes.
CHUNK_SIZE = 1000


def progress_key(batch_id: int) -> str:
    return f"cases:import:{batch_id}:progress"


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def apply_rows(batch: ImportBatch) -> tuple[int, int]:
    """(created, skipped) for every row of `batch`, re-validated and written chunk by chunk.

    The caller holds the transaction: a row that no longer validates raises
    `ImportRowInvalid` and everything written so far rolls back with it.
    """
    vocabulary = build_vocabulary(batch.organisation)
    writer = BulkDisputeWriter(
        organisation=batch.organisation,
        actor=batch.confirmed_by or batch.created_by,
        source_channel=batch.source_channel,
        batch=batch,
    )
    created = skipped = processed = 0
    with batch.file.open("rb") as handle:
        rows = iter_clean_rows(handle, batch.file_kind, vocabulary)
        for chunk in _chunks(rows, CHUNK_SIZE):
            clean_rows = []
            for number, _raw, clean, errors in chunk:
                if errors or clean is None:
                    # The file changed under us or the vocabulary did: refuse the lot.
                    raise ImportRowInvalid(number)
                clean_rows.append(clean)
            chunk_created, chunk_skipped = writer.write(clean_rows)
            created += chunk_created
            skipped += chunk_skipped
            processed += len(clean_rows)
            cache.set(progress_key(batch.pk), processed, timeout=6 * 3600)
    return created, skipped


class ImportRowInvalid(Exception):
    def __init__(self, row: int):
        super().__init__(f"row {row} no longer validates")
        self.row = row


class BulkDisputeWriter:
    """Writes validated rows as `dispute_register` would, a chunk at a time.

    Per chunk: one query for rows already registered (skipped), one for known applicants by
    blind index (ID number, else name + phone — the rule of `party_find_or_create`), then
    `bulk_create` for new parties, disputes (gap-free references taken from the locked
    per-organisation sequence), their party links and their "registered" timeline events.

    Like the service, every record it creates gets its audit 'create' entry (each dispute,
    each new party; a phone filled into a known party gets its 'change' entry), built with
    `audit.services` and bulk-inserted in the same transaction, noted "批量导入 <file name>";
    and each dispute's triage clock is started in the deadline engine
    (`cases.timelimits.start_many` → `deadlines_start_many`: the same due moment, Deadline
    row and audit entry as on register). The batch's own summary entry is written by
    `import_batch_apply`.
    """

    def __init__(self, *, organisation: Organisation, actor, source_channel: str, batch=None):
        self.organisation = organisation
        self.actor = actor
        self.actor_name = str(actor) if actor else ""
        self.source_channel = source_channel
        self.batch_id = batch.pk if batch is not None else None
        self.note = f"批量导入 {batch.original_name}" if batch is not None else "批量导入"
        self.organisations = {unit.pk: unit for unit in organisations_under(organisation)}
        self.region_of = {pk: unit.region_id for pk, unit in self.organisations.items()}
        self.audit_entries: list = []
        self.triage_delta = datetime.timedelta(hours=conf.get("CASES_TRIAGE_HOURS"))
        # The clocks of imported items start when they reach us, not at the ticket's
        # 来电时间: a ticket called in weeks ago must not arrive already overdue (and be
        # escalated at once). 来电时间 stays the dispute's registered_at.
        self.clock_start = timezone.now()

    def write(self, rows: list[CleanRow]) -> tuple[int, int]:
        """(created, skipped as already imported) for one chunk."""
        existing = set(
            Dispute.objects.filter(
                source_channel=self.source_channel,
                organisation_id__in={row.organisation_id for row in rows},
                source_reference__in=[row.source_reference for row in rows],
            )
            # Spelled as the unique index's condition, so PostgreSQL can use that partial
            # index (it cannot prove it from a 1,000-element IN list) instead of reading
            # every dispute of these units.
            .exclude(source_reference="")
            .values_list("organisation_id", "source_reference")
        )
        fresh = [row for row in rows if (row.organisation_id, row.source_reference) not in existing]
        if not fresh:
            return 0, len(rows)
        self.audit_entries = []
        applicants = self._applicants(fresh)
        respondents = self._respondents(fresh)
        references = self._references(fresh)
        disputes = []
        for row, reference, _applicant, respondent in zip(
            fresh, references, applicants, respondents, strict=True
        ):
            dispute = Dispute(
                organisation=self.organisations[row.organisation_id],
                reference=reference,
                source_channel=self.source_channel,
                source_reference=row.source_reference,
                category=row.category,
                facts=row.facts,
                amount_in_dispute=row.amount_in_dispute,
                region_id=self.region_of[row.organisation_id],
                place=row.place,
                risk_level=row.risk_level,
                registered_by=self.actor,
                registered_at=row.registered_at,
                triage_due_at=self.clock_start + self.triage_delta,
            )
            # the names in the file: a matched party may be on file under another name
            names = [row.applicant_name] + ([row.respondent_name] if respondent else [])
            dispute.search_tokens = dispute_search_tokens(dispute, names)
            disputes.append(dispute)
        Dispute.objects.bulk_create(disputes, batch_size=CHUNK_SIZE)
        self.audit_entries += [self._audit_create(dispute) for dispute in disputes]

        links = []
        events = []
        actor_user = self.actor if getattr(self.actor, "is_authenticated", False) else None
        for row, dispute, applicant, respondent in zip(
            fresh, disputes, applicants, respondents, strict=True
        ):
            # name and phone as this row recorded them (what this organisation sees)
            link = DisputeParty(
                dispute=dispute, party=applicant, role=PartyRole.APPLICANT, name=row.applicant_name
            )
            pii.seal_into(link, "phone", pii.seal_phone(row.applicant_phone))
            links.append(link)
            if respondent is not None:
                links.append(
                    DisputeParty(
                        dispute=dispute,
                        party=respondent,
                        role=PartyRole.RESPONDENT,
                        name=row.respondent_name,
                    )
                )
            events.append(
                DisputeEvent(
                    dispute=dispute,
                    kind=DisputeEvent.Kind.REGISTERED,
                    at=dispute.registered_at,
                    actor=actor_user,
                    actor_name=self.actor_name,
                    organisation_id=dispute.organisation_id,
                    data={
                        "source_channel": self.source_channel,
                        "linked_to": None,
                        "import_batch": self.batch_id,
                    },
                )
            )
        DisputeParty.objects.bulk_create(links, batch_size=CHUNK_SIZE)
        DisputeEvent.objects.bulk_create(events, batch_size=CHUNK_SIZE)
        if self.batch_id is not None:
            # What the batch created: the finished import links to these disputes.
            ImportBatch.disputes.through.objects.bulk_create(
                [
                    ImportBatch.disputes.through(importbatch_id=self.batch_id, dispute=dispute)
                    for dispute in disputes
                ],
                batch_size=CHUNK_SIZE,
            )
        audit_bulk_write(self.audit_entries, batch_size=CHUNK_SIZE)
        self.audit_entries = []
        timelimits.start_many(
            kind=timelimits.TRIAGE,
            actor=self.actor,
            items=(
                {
                    "subject": dispute,
                    "organisation": dispute.organisation,
                    "due_at": dispute.triage_due_at,
                    "start": self.clock_start,
                }
                for dispute in disputes
            ),
        )
        return len(fresh), len(rows) - len(fresh)

    def _audit_create(self, instance):
        return audit_create_entry(instance, actor=self.actor, note=self.note)

    def _applicants(self, rows: list[CleanRow]) -> list[Party]:
        """The applicant Party of each row: found by blind index, else created (bulk)."""
        id_keys = {
            row.applicant_id_number: pii.id_number_index(row.applicant_id_number)
            for row in rows
            if row.applicant_id_number
        }
        phone_keys = {
            row.applicant_phone: pii.phone_index(row.applicant_phone)
            for row in rows
            if row.applicant_phone
        }

        def key(row: CleanRow) -> tuple:
            if row.applicant_id_number:
                return ("id", id_keys[row.applicant_id_number])
            return ("phone", row.applicant_name, phone_keys.get(row.applicant_phone, ""))

        found: dict[tuple, Party] = {}
        if id_keys:
            for party in Party.objects.filter(id_number_index__in=set(id_keys.values())):
                found[("id", party.id_number_index)] = party
        anonymous = [row for row in rows if not row.applicant_id_number and row.applicant_phone]
        if anonymous:
            candidates = Party.objects.filter(
                kind=Party.Kind.PERSON,
                phone_index__in={phone_keys[row.applicant_phone] for row in anonymous},
                name__in={row.applicant_name for row in anonymous},
                id_number_index="",
                credit_code="",
            ).order_by("-pk")  # the lowest pk wins below, as in party_find_or_create
            for party in candidates:
                found[("phone", party.name, party.phone_index)] = party

        to_fill: list[Party] = []
        filled_before: dict[int, dict] = {}
        to_create: dict[tuple, Party] = {}
        for row in rows:
            row_key = key(row)
            party = found.get(row_key)
            if party is not None:
                if row.applicant_phone and not party.phone_index and party not in to_fill:
                    filled_before[party.pk] = snapshot(party)
                    pii.seal_into(party, "phone", pii.seal_phone(row.applicant_phone))
                    party.updated_at = timezone.now()  # as party.save() would
                    to_fill.append(party)
                continue
            if row_key in to_create:
                continue
            party = Party(kind=Party.Kind.PERSON, name=row.applicant_name)
            pii.seal_into(party, "id_number", pii.seal_id_number(row.applicant_id_number))
            pii.seal_into(party, "phone", pii.seal_phone(row.applicant_phone))
            to_create[row_key] = party
        if to_fill:
            Party.objects.bulk_update(
                to_fill,
                ["phone_encrypted", "phone_index", "phone_masked", "updated_at"],
                batch_size=CHUNK_SIZE,
            )
            self.audit_entries += [
                audit_change_entry(
                    party, actor=self.actor, before=filled_before[party.pk], note=self.note
                )
                for party in to_fill
            ]
        if to_create:
            Party.objects.bulk_create(list(to_create.values()), batch_size=CHUNK_SIZE)
            self.audit_entries += [self._audit_create(party) for party in to_create.values()]
            found.update(to_create)
        return [found[key(row)] for row in rows]

    def _respondents(self, rows: list[CleanRow]) -> list[Party | None]:
        """A name without an identifier cannot be matched: one new Party each (as the service)."""
        parties = [
            Party(kind=Party.Kind.PERSON, name=row.respondent_name) if row.respondent_name else None
            for row in rows
        ]
        new = [party for party in parties if party is not None]
        if new:
            Party.objects.bulk_create(new, batch_size=CHUNK_SIZE)
            self.audit_entries += [self._audit_create(party) for party in new]
        return parties

    def _references(self, rows: list[CleanRow]) -> list[str]:
        """Gap-free references, the format of `dispute_register`, taken N at a time from the
        locked per-organisation, per-year sequence."""
        wanted: dict[tuple[int, int], int] = {}
        keys = []
        for row in rows:
            key = (row.organisation_id, timezone.localtime(row.registered_at).year)
            wanted[key] = wanted.get(key, 0) + 1
            keys.append(key)
        next_number: dict[tuple[int, int], int] = {}
        for organisation_id, year in sorted(wanted):
            sequence, _created = ReferenceSequence.objects.get_or_create(
                organisation_id=organisation_id, year=year
            )
            sequence = ReferenceSequence.objects.select_for_update().get(pk=sequence.pk)
            next_number[(organisation_id, year)] = sequence.last + 1
            sequence.last += wanted[(organisation_id, year)]
            sequence.save(update_fields=["last"])
        references = []
        for organisation_id, year in keys:
            number = next_number[(organisation_id, year)]
            next_number[(organisation_id, year)] = number + 1
            references.append(
                dispute_reference(organisation_id=organisation_id, year=year, number=number)
            )
        return references
