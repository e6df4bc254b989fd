from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from common.spreadsheet import SafeCsvWriter

from .registry import getter_for
from .selectors import history_for


def _record(request, app_label, model_name, pk):
    getter = getter_for(f"{app_label}.{model_name}")
    if getter is None:
        raise Http404
    return getter(request.user, pk)


@login_required
def history(request, app_label, model_name, pk):
    record = _record(request, app_label, model_name, pk)
    entries = Paginator(history_for(record), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/history.html",
        {"record": record, "entries": entries, "app_label": app_label, "model_name": model_name},
    )


@login_required
def history_csv(request, app_label, model_name, pk):
    record = _record(request, app_label, model_name, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"history-{app_label}-{model_name}-{pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # BOM so that Excel opens the Chinese text as UTF-8
    writer = SafeCsvWriter(response)  # notes and values are user text: no formulas
    writer.writerow(
        ["时间", "操作人", "动作", "流转", "字段", "变更前", "变更后", "说明", "来源", "IP", "路径"]
    )
    for entry in history_for(record).iterator(chunk_size=500):
        at = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S")
        base = [
            at,
            entry.actor_name,
            entry.get_action_display(),
            entry.transition_label or entry.transition,
        ]
        tail = [entry.note, entry.get_channel_display(), entry.ip or "", entry.path]
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        rows = [
            [name, value.get("before"), value.get("after")]
            for name, value in changes.items()
            if isinstance(value, dict)
        ] or [["", "", ""]]
        for row in rows:
            writer.writerow(base + row + tail)
    return response
