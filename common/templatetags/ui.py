from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag
def quick_field(field, wrap=""):
    """A form field as cases/partials/field.html writes it (label, widget, help, errors),
    written in Python: for the filters on pages every user opens many times a day (the
    enforcement court's list), where an include per field cost more than the list's rows.
    The same markup, tested against the include (tests/common/test_quick_field.py); the
    include's `box` variant is not offered here."""
    widget = field.field.widget
    parts = [format_html('<div class="{}">', wrap or "mb-2")]
    checkbox = getattr(widget, "input_type", None) == "checkbox"
    if checkbox and not getattr(widget, "allow_multiple_selected", False):
        parts.append(
            format_html(
                '<div class="form-check">{} <label class="form-check-label" for="{}">{}</label>'
                "</div>",
                field, field.id_for_label, field.label,
            )
        )  # fmt: skip
    else:
        label_for = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
        required = (
            mark_safe(' <span class="text-danger" aria-hidden="true">*</span>')
            if field.field.required
            else ""
        )
        parts.append(
            format_html(
                '<label class="form-label small mb-1"{}>{}{}</label>{}',
                label_for, field.label, required, field,
            )
        )  # fmt: skip
    if field.help_text:
        parts.append(format_html('<div class="form-text">{}</div>', field.help_text))
    for error in field.errors:
        parts.append(
            format_html(
                '<div class="invalid-feedback d-block" data-testid="error-{}">{}</div>',
                field.name, error,
            )
        )  # fmt: skip
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - each part escaped by format_html


@register.simple_tag(takes_context=True)
def main_nav_items(context):
    """The menu's entries (`nav_items` of common.context_processors.navigation), written
    here rather than by a template loop: every page renders them, and the loop's variable
    lookups cost more than the rest of the menu."""
    parts = []
    for item in context.get("nav_items") or ():
        active, current = (" active", ' aria-current="page"') if item.get("active") else ("", "")
        icon = f'<i class="bi bi-{escape(item["icon"])}"></i> ' if item.get("icon") else ""
        parts.append(
            f'<li class="nav-item"><a class="nav-link{active}" href="{escape(item["url"])}"'
            f"{current}>{icon}{escape(str(item['label']))}</a></li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 (each value escaped above)
