"""Gap-free numbers (dispute references, mediation case numbers, document numbers, court
case numbers): one counter row per key, locked for the caller's transaction."""

from django.db import models


def sequence_next(model: type[models.Model], **key) -> int:
    """The next number of the counter row `key` of `model` (a row with a `last` field),
    created at 0 on first use. Call inside a transaction: the row stays locked until it
    commits, so a rolled-back caller gives its number back and nobody skips or repeats one."""
    row, _created = model.objects.get_or_create(**key)
    row = model.objects.select_for_update().get(pk=row.pk)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last
