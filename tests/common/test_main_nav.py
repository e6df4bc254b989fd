"""`{% main_nav_items %}` (common/templatetags/ui.py) writes the menu's entries itself: every
value escaped, the active entry marked for the eye and for screen readers."""

from django.template import engines


def render(items) -> str:
    return (
        engines["django"]
        .from_string("{% load ui %}{% main_nav_items %}")
        .render({"nav_items": items})
    )


def test_entries_are_written_with_every_value_escaped():
    html = render(
        [
            {"label": "矛盾<纠纷>", "url": '/cases/?a=1&b="2"', "icon": "list'x", "active": True},
            {"label": "信用 & 惩戒", "url": "/credit/"},
        ]
    )
    assert html == (
        '<li class="nav-item"><a class="nav-link active" href="/cases/?a=1&amp;b=&quot;2&quot;"'
        ' aria-current="page"><i class="bi bi-list&#x27;x"></i> 矛盾&lt;纠纷&gt;</a></li>'
        '<li class="nav-item"><a class="nav-link" href="/credit/">信用 &amp; 惩戒</a></li>'
    )


def test_no_entries_no_menu():
    assert render(None) == "" and render([]) == ""
