"""Factories for deadlines. A deadline needs a record: the tests use an Organisation as the
subject, as any model with an integer pk works."""

import datetime

from django.utils import timezone

from deadlines.services import deadline_start


def local(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def make_deadline(
    world, *, kind="credit.correction_fix", start=None, owner=None, organisation=None, **kwargs
):
    organisation = organisation or world.court
    return deadline_start(
        subject=kwargs.pop("subject", organisation),
        kind=kind,
        start=start,
        owner=owner if owner is not None else world.owner,
        organisation=organisation,
        actor=world.owner,
        **kwargs,
    )
