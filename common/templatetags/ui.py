from django import template

from common.masking import mask_id_number, mask_name, mask_phone
from common.money import amount_in_capitals, format_yuan
from common.redaction import scrub_secrets

register = template.Library()


@register.filter
def masked_id(value):
    return mask_id_number(value)


@register.filter
def masked_phone(value):
    return mask_phone(value)


@register.filter
def masked_name(value):
    return mask_name(value)


@register.filter
def yuan(value):
    if value is None or value == "":
        return "—"
    return format_yuan(value)


@register.filter
def yuan_capitals(value):
    if value is None or value == "":
        return ""
    return amount_in_capitals(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def scrubbed(value):
    """Text with the token of any rating link blanked (timeline and history notes)."""
    return scrub_secrets(str(value)) if value else value
