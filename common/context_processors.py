from common.navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.path
    items = items_for(user)
    for item in items:
        item["active"] = (
            current.startswith(item["url"]) and item["url"] != "/" or current == item["url"]
        )
    return {"nav_items": items}
