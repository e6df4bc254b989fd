"""Form widgets that write their HTML in Python: the same markup as Django's widget
templates (django/forms/widgets/select.html, select_option.html, input.html, attrs.html),
for forms on pages that must be quick.

Django renders a select by including a template for every option: the court's list
(enforcement) has four selects of 5–40 options on every page, and that cost about 50 ms a
request. These widgets take the same context (`get_context`) and write it out directly.
"""

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
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                parts.append(format_html('\n  <option value="{}"', str(option["value"])))
                parts.append(_attrs(option["attrs"]))
                # the newline is select_option.html's last character, as Django includes it
                parts.append(format_html(">{}</option>\n", option["label"]))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - each part escaped by format_html


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
