"""Showing a party's full ID number and phone: only what the viewer's own scope recorded."""

from django.db import transaction

from audit.services import audit_personal_view
from cases.models import DisputeParty, Party
from common import pii


@transaction.atomic
def dispute_party_personal_data_reveal(
    *, link: DisputeParty, actor, fields: tuple[str, ...]
) -> dict:
    """The full ID number and/or the phone recorded on this dispute for this party; every
    reveal is an audit entry (on the dispute's organisation, values never in it)."""
    values = {}
    if "id_number" in fields:
        values["id_number"] = pii.decrypt(link.party.id_number_encrypted)
    if "phone" in fields:
        values["phone"] = pii.decrypt(link.phone_encrypted)
    audit_personal_view(
        link, actor=actor, fields=list(fields), note=f"{link.dispute.reference} {link.name}"
    )
    return values


@transaction.atomic
def party_personal_data_reveal(*, party: Party, actor, links) -> dict:
    """The party's full ID number and the phones recorded on `links` (the caller passes only
    links of disputes whose organisation the actor is clerk of); audited."""
    phones = []
    for link in links:
        phone = pii.decrypt(link.phone_encrypted)
        if phone and phone not in phones:
            phones.append(phone)
    values = {"id_number": pii.decrypt(party.id_number_encrypted), "phone": "、".join(phones)}
    audit_personal_view(party, actor=actor, fields=["id_number", "phone"])
    return values
