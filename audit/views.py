from itertools import islice

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from common.spreadsheet import SafeCsvWriter

from .presenters import present_entries
from .registry import getter_for
from .selectors import history_for

PAGE_SIZE = 50
CSV_CHUNK = 500


def _record(request, app_label, model_name, pk):
    getter = getter_for(f"{app_label}.{model_name}")
    if getter is None:
        raise Http404
    return getter(request.user, pk)


@login_required
def history(request, app_label, model_name, pk):
    record = _record(request, app_label, model_name, pk)
    entries = Paginator(history_for(record), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/history.html",
        {
            "record": record,
            "entries": entries,
            "rows": present_entries(entries.object_list, record=record),
            "app_label": app_label,
            "model_name": model_name,
        },
    )


@login_required
def history_csv(request, app_label, model_name, pk):
    """The history page's words, one row per changed field (labels, names, Beijing time)."""
    record = _record(request, app_label, model_name, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"history-{app_label}-{model_name}-{pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # BOM so that Excel opens the Chinese text as UTF-8
    writer = SafeCsvWriter(response)  # notes and values are user text: no formulas
    writer.writerow(
        [
            _("时间"),
            _("操作人"),
            _("动作"),
            _("流转"),
            _("记录"),
            _("字段"),
            _("变更前"),
            _("变更后"),
            _("说明"),
            _("来源"),
            _("IP 地址"),
            _("页面/接口"),
        ]
    )
    entries = history_for(record).iterator(chunk_size=CSV_CHUNK)
    # names are looked up once per chunk, not once per value
    while chunk := list(islice(entries, CSV_CHUNK)):
        for row in present_entries(chunk, record=record):
            entry = row.entry
            head = [
                row.at.strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor_display,
                entry.get_action_display(),
                entry.transition_display,
                row.subject,
            ]
            tail = [row.note, entry.get_channel_display(), entry.ip or "", row.path]
            changes = [[c.label, c.before, c.after] for c in row.changes] or [["", "", ""]]
            for change in changes:
                writer.writerow(head + change + tail)
    return response
