"""`{% quick_field %}` (common/templatetags/ui.py) writes what the include
cases/partials/field.html writes, for every kind of field the hot pages use: text, number,
select, checkbox, required, help text and errors."""

import re

import pytest
from django import forms
from django.template import engines

from common.widgets import QuickCheckboxInput, QuickNumberInput, QuickSelect, QuickTextInput


class Sample(forms.Form):
    name = forms.CharField(label="姓名 <b>", help_text="可只输入开头 & 结尾", widget=QuickTextInput)
    year = forms.IntegerField(label="年度", min_value=1949, required=False, widget=QuickNumberInput)
    kind = forms.ChoiceField(
        label="类型", choices=[("", "全部"), ("a", "甲<乙>")], widget=QuickSelect
    )
    overdue = forms.BooleanField(label="超期", required=False, widget=QuickCheckboxInput)
    plain = forms.ChoiceField(label="默认控件", choices=[("x", "X")])


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def render_both(form, name) -> tuple[str, str]:
    engine = engines["django"]
    include = engine.from_string(
        '{% include "cases/partials/field.html" with field=field wrap="" %}'
    ).render({"field": form[name]})
    quick = engine.from_string("{% load ui %}{% quick_field field %}").render({"field": form[name]})
    return _normalised(include), _normalised(quick)


@pytest.mark.parametrize(
    "data", [None, {"name": "", "year": "1800", "kind": "zz", "overdue": "on"}]
)
@pytest.mark.parametrize("name", ["name", "year", "kind", "overdue", "plain"])
def test_quick_field_writes_what_the_include_writes(data, name):
    form = Sample(data)
    if data:
        assert not form.is_valid()
    include, quick = render_both(form, name)
    assert quick == include
    if data and name in ("name", "year", "kind"):
        assert f'data-testid="error-{name}"' in quick
