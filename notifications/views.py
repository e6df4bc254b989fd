from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import PreferenceForm
from .kinds import kind_label
from .selectors import notification_get_for_user, notifications_for, unread_count
from .services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_for,
    preference_update,
)


@login_required
def notification_list(request):
    queryset = notifications_for(request.user)
    if request.GET.get("unread") == "1":
        queryset = queryset.filter(read_at__isnull=True)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    for n in page.object_list:
        n.kind_label = kind_label(n.kind)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "unread": unread_count(request.user),
            "only_unread": request.GET.get("unread") == "1",
            "query_string": params.urlencode(),
        },
    )


@login_required
@require_POST
def notification_read(request, pk):
    """Mark read and go to the record it is about."""
    notification = notification_get_for_user(request.user, pk)
    notification_mark_read(notification=notification, user=request.user)
    target = notification.link
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    notifications_mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
def bell(request):
    """The bell fragment, refreshed by htmx every 30 seconds."""
    return render(request, "notifications/partials/bell.html", {"bell_refresh": True})


@login_required
def preferences(request):
    pref = preference_for(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST, instance=pref)
        if form.is_valid():
            preference_update(user=request.user, actor=request.user, **{
                name: form.cleaned_data[name] for name in form.Meta.fields
            })  # fmt: skip
            messages.success(request, _("通知设置已保存。"))
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(instance=pref)
    return render(request, "notifications/preferences.html", {"form": form})
