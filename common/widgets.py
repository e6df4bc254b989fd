"""Form widgets that write their HTML in Python: the same markup as Django's widget
templates (django/forms/widgets/select.html, select_option.html, input.html, attrs.html),
for forms on pages that must be quick.

Django renders a select by including a template for every option: the court's list
(enforcement) has four selects of 5–40 options on every page, and that cost about 50 ms a
request. These widgets take the same context (`get_context`) and write it out directly.
"""

from html import escape as _esc

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return "".join(parts)


class QuickSelect(forms.Select):
    """Straight from the choices: Django's `optgroups` builds a dict of eleven keys per
    option (`create_option`) before any HTML, most of a select's cost."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        values = self.format_value(value)
        parts = [format_html('<select name="{}"', name), _attrs(final_attrs), ">"]
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            if grouped:
                parts.append(f'\n  <optgroup label="{_esc(str(option_value))}">')
            for sub_value, sub_label in option_label if grouped else [(option_value, option_label)]:
                text = str(sub_value)
                selected = (not has_selected or self.allow_multiple_selected) and text in values
                has_selected |= selected
                # the newline is select_option.html's last character, as Django includes it
                parts.append(
                    f'\n  <option value="{_esc(text)}"{" selected" if selected else ""}>'
                    f"{_esc(str(sub_label))}</option>\n"
                )
            if grouped:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


class _QuickInput:
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        value_html = (
            format_html(' value="{}"', str(widget["value"])) if widget["value"] is not None else ""
        )
        return mark_safe(  # noqa: S308 - each part escaped by format_html
            format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
            + value_html
            + _attrs(widget["attrs"])
            + ">"
        )


class QuickTextInput(_QuickInput, forms.TextInput):
    pass


class QuickNumberInput(_QuickInput, forms.NumberInput):
    pass


class QuickCheckboxInput(_QuickInput, forms.CheckboxInput):
    pass
