from common.navigation import items_for_request


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = items_for_request(request)
    active = active_item(items, request.path)
    for item in items:
        item["active"] = item is active
    return {"nav_items": items}


def active_item(items: list[dict], path: str) -> dict | None:
    """The one menu item for `path`: the longest URL that is a prefix of it (/cases/inbox/
    is 应哨, not also 矛盾纠纷 at /cases/); the home URL only for itself. A record's history
    (/audit/<app>/<model>/<pk>/) belongs to the section of its app."""
    if path.startswith("/audit/"):
        path = path.removeprefix("/audit")
    matches = [
        item
        for item in items
        if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))
    ]
    return max(matches, key=lambda item: len(item["url"]), default=None)
