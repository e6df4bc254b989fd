"""Where the case page sends each workflow action.

The page offers what `case_machine.available(case, user)` allows; the part of the app that
carries a transition out (filing, assignment, suspension …) registers the page that does it,
so the button leads to that page's form with the case's pk:

    register_case_action("assign", "enforcement:assign")

An allowed transition nobody registered shows as a disabled button: the machine allows it,
but no page carries it out yet.
"""

from django.urls import NoReverseMatch, reverse

_action_urls: dict[str, str] = {}


def register_case_action(transition: str, url_name: str) -> None:
    """`url_name` takes the case's pk as its only argument."""
    _action_urls[transition] = url_name


def case_action_url(transition: str, case) -> str:
    url_name = _action_urls.get(transition)
    if not url_name:
        return ""
    try:
        return reverse(url_name, args=[case.pk])
    except NoReverseMatch:
        return ""
