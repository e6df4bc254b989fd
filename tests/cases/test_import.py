"""Bulk import: parse, validate with row numbers, preview, all-or-nothing apply, idempotency."""

import csv
import io
import logging

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEntry
from cases import imports
from cases.imports import (
    import_batch_apply,
    import_batch_confirm,
    import_batch_upload,
    import_batch_validate,
)
from cases.models import Dispute, DisputeEvent, ImportBatch, Party, SourceChannel
from cases.services import dispute_register
from cases.tasks_imports import import_batch_apply_task, import_batch_validate_task
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from tests.cases.reports_world import area, valid_id_number  # noqa: F401

HEADER = [
    "工单编号",
    "来电时间",
    "诉求人",
    "身份证号",
    "联系电话",
    "诉求类别",
    "诉求内容",
    "发生地点",
    "所属街道",
    "所属社区",
]
ID_A = valid_id_number("19800101", 123)
ID_B = valid_id_number("19751231", 456)


def row(
    ref,
    *,
    name="张三",
    id_number=ID_A,
    phone="13800138000",
    category="邻里纠纷",
    facts="楼上漏水",
    community="团结社区",
    street="新华街道",
    when="2026-11-16 09:30",
):
    return [ref, when, name, id_number, phone, category, facts, "团结小区3号楼", street, community]


def csv_file(rows, *, header=HEADER, name="12345工单.csv", encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, *, header=HEADER, title=None, name="12345工单.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(area, file, **kwargs):  # noqa: F811
    return import_batch_upload(
        organisation=area.street, actor=area.clerk, uploaded_file=file, **kwargs
    )


def report_rows(batch):
    with batch.error_report.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    return [tuple(r) for r in sheet.iter_rows(min_row=4, values_only=True)]


# --- validation and preview ------------------------------------------------------------------


def test_valid_file_is_previewed_then_imported_whole(area):  # noqa: F811
    batch = upload(
        area,
        csv_file(
            [
                row("GD001"),
                row(
                    "GD002",
                    name="李四",
                    id_number=ID_B,
                    phone="13900139000",
                    category="物业",
                    community="新华西社区",
                ),
                row("GD003", category="欠薪", community="", street="新华街道"),
                row(
                    "GD004",
                    id_number="",
                    name="王五",
                    phone="+86 137-0013-7000",
                    community="",
                    street="",
                ),
            ]
        ),
    )
    assert batch.status == ImportBatch.Status.VALID
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (4, 4, 0)
    first = batch.preview[0]
    assert first["row"] == 2 and first["ok"] is True
    assert first["phone"] == "138****8000"
    assert first["organisation"] == "团结社区居委会"
    assert batch.preview[1]["organisation"] == "新华西社区居委会"
    assert batch.preview[2]["category"] == "劳动争议/欠薪"
    assert batch.preview[2]["organisation"] == "新华街道综治中心"  # street name → the centre
    assert ID_A not in str(batch.preview) and "13800138000" not in str(batch.preview)
    assert Dispute.objects.count() == 0  # nothing before confirmation

    batch = import_batch_confirm(batch=batch, actor=area.clerk)

    assert batch.status == ImportBatch.Status.DONE
    assert (batch.created_count, batch.skipped_count) == (4, 0)
    disputes = Dispute.objects.order_by("source_reference")
    assert [d.source_reference for d in disputes] == ["GD001", "GD002", "GD003", "GD004"]
    gd1 = disputes[0]
    assert gd1.organisation == area.tuanjie
    assert gd1.region == area.tuanjie.region
    assert gd1.source_channel == SourceChannel.HOTLINE_12345
    assert gd1.category == "neighbour"
    assert gd1.reference.startswith("FQ2026-")
    assert gd1.registered_by == area.clerk
    assert gd1.triage_due_at is not None
    # ID_A appears on GD001 and GD003: one party, matched through the blind index.
    assert Party.objects.filter(name="张三").count() == 1
    assert disputes[2].parties.get() == gd1.parties.get()
    assert Party.objects.get(name="王五").phone_masked == "137****7000"
    # One "registered" timeline event per dispute, at the hotline call time.
    events = DisputeEvent.objects.filter(kind=DisputeEvent.Kind.REGISTERED)
    assert events.count() == 4
    assert events.get(dispute=gd1).at == gd1.registered_at
    # One audit entry summarising the import, besides each record's own (test_import_records).
    entry = AuditEntry.objects.get(transition="import_apply")
    assert "新增纠纷 4 件" in entry.note
    assert not batch.file  # the plain-text upload is gone


def test_references_continue_the_services_sequence(area):  # noqa: F811
    by_hand = dispute_register(
        organisation=area.tuanjie,
        actor=area.clerk,
        source_channel=SourceChannel.VISIT,
        category="neighbour",
        facts="来访",
        parties=[{"name": "赵六"}],
        region=area.tuanjie.region,
    )
    batch = import_batch_confirm(batch=upload(area, csv_file([row("GD010")])), actor=area.clerk)
    imported = Dispute.objects.get(source_reference="GD010")
    assert batch.status == ImportBatch.Status.DONE
    assert by_hand.reference.endswith("-000001")
    assert imported.reference.endswith("-000002")


def test_row_errors_name_row_column_and_reason_and_nothing_is_imported(area):  # noqa: F811
    bad_checksum = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")
    batch = upload(
        area,
        csv_file(
            [
                row("GD001"),
                row("GD002", id_number=bad_checksum),
                row("GD003", phone="12345"),
                row("GD004", category="外星人入侵"),
                row("GD005", community="不存在社区"),
                row("GD001"),
                row("", facts=""),
            ]
        ),
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (7, 1, 6)
    errors = {(r[0], r[1]): r for r in report_rows(batch)}
    assert errors[(3, "身份证号")][3] == "身份证号码校验位不正确，请核对。"
    assert errors[(3, "身份证号")][2] == bad_checksum[:3] + "*" * 11 + bad_checksum[-4:]
    assert errors[(4, "联系电话")][3] == "请输入11位中国大陆手机号码。"
    assert errors[(5, "诉求类别")][3].startswith("未知的诉求类别“外星人入侵”")
    assert "不是本单位下属的街道或社区" in errors[(6, "所属社区")][3]
    assert errors[(7, "工单编号")][3] == "工单编号与第2行重复。"
    assert errors[(8, "工单编号")][3] == "“工单编号”不能为空。"
    assert errors[(8, "诉求内容")][3] == "“诉求内容”不能为空。"
    # The report never holds a full ID number or phone.
    flat = " ".join(str(c) for r in report_rows(batch) for c in r)
    assert bad_checksum not in flat and "12345" not in flat.replace("GD", "")
    # Preview flags the bad rows too.
    assert [p["ok"] for p in batch.preview] == [True, False, False, False, False, False, False]
    assert "身份证号：身份证号码校验位不正确，请核对。" in batch.preview[1]["errors"]
    # All or nothing: no row written, and confirming is refused.
    with pytest.raises(TransitionNotAllowed):
        import_batch_confirm(batch=batch, actor=area.clerk)
    assert Dispute.objects.count() == 0 and Party.objects.count() == 0
    assert not batch.file  # the user uploads a fixed file; this one is not kept


def test_error_report_neutralises_formulas(area):  # noqa: F811
    evil = "=cmd|' /C calc'!A0"
    batch = upload(area, csv_file([row("GD001", category="=1+2"), row(evil), row(evil)]))
    rows = report_rows(batch)
    values = {value for _row, _column, value, _message in rows}
    assert "'=1+2" in values and "'=cmd|' /C calc'!A0" in values
    assert all(isinstance(number, int) for number, *_rest in rows)
    assert not any(str(cell).startswith("=") for r in rows for cell in r if cell)


def test_missing_required_column_rejects_the_file(area):  # noqa: F811
    header = [h for h in HEADER if h != "诉求类别"]
    batch = upload(area, csv_file([row("GD001")[:5] + row("GD001")[6:]], header=header))
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.file_problem == "缺少必填列：“诉求类别”。"
    assert report_rows(batch)[0][:2] == (1, "诉求类别")


def test_not_a_spreadsheet_is_refused(area):  # noqa: F811
    with pytest.raises(ValidationError) as exc:
        upload(area, SimpleUploadedFile("工单.pdf", b"%PDF-1.4"))
    assert exc.value.message_dict["file"] == ["仅支持 .xlsx 或 .csv 文件。"]


def test_size_limit(area, settings):  # noqa: F811
    settings.CASES_IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        upload(area, csv_file([row("GD001"), row("GD002")]))
    assert "文件过大" in exc.value.message_dict["file"][0]


def test_xlsx_with_a_title_row_and_gbk_csv(area):  # noqa: F811
    batch = upload(
        area, xlsx_file([row("GD001"), row("GD002")], title="海勃湾区12345热线工单导出（11月）")
    )
    assert batch.status == ImportBatch.Status.VALID
    assert [p["row"] for p in batch.preview] == [3, 4]

    gbk = upload(area, csv_file([row("GD003")], encoding="gb18030", name="gbk.csv"))
    assert gbk.status == ImportBatch.Status.VALID
    assert gbk.preview[0]["category"] == "邻里"


# --- idempotency ------------------------------------------------------------------------------


def test_same_file_again_adds_nothing(area):  # noqa: F811
    rows = [row("GD001"), row("GD002", name="李四", id_number=ID_B)]
    first = import_batch_confirm(batch=upload(area, csv_file(rows)), actor=area.clerk)
    assert first.created_count == 2

    again = upload(area, csv_file(rows))

    assert again.status == ImportBatch.Status.DUPLICATE
    assert again.duplicate_of == first
    assert Dispute.objects.count() == 2
    with pytest.raises(TransitionNotAllowed):
        import_batch_confirm(batch=again, actor=area.clerk)


def test_rows_already_registered_are_skipped_and_counted(area):  # noqa: F811
    import_batch_confirm(batch=upload(area, csv_file([row("GD001")])), actor=area.clerk)

    batch = import_batch_confirm(
        batch=upload(area, csv_file([row("GD001"), row("GD002")], name="第二批.csv")),
        actor=area.clerk,
    )

    assert (batch.created_count, batch.skipped_count) == (1, 1)
    assert Dispute.objects.filter(source_reference="GD001").count() == 1
    assert Dispute.objects.count() == 2


def test_failure_midway_leaves_nothing_behind(area, monkeypatch):  # noqa: F811
    monkeypatch.setattr(imports.apply, "CHUNK_SIZE", 2)
    original = imports.BulkDisputeWriter.write
    calls = []

    def write_then_fail(self, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return original(self, rows)

    monkeypatch.setattr(imports.BulkDisputeWriter, "write", write_then_fail)
    batch = upload(area, csv_file([row(f"GD{i:03d}") for i in range(5)]))

    batch = import_batch_confirm(batch=batch, actor=area.clerk)

    assert calls == [2, 2]
    assert batch.status == ImportBatch.Status.FAILED
    assert "已全部回滚" in batch.failure
    assert Dispute.objects.count() == 0
    assert Party.objects.count() == 0
    assert DisputeEvent.objects.count() == 0
    assert Deadline.objects.count() == 0
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).exclude(
        content_type=ContentType.objects.get_for_model(ImportBatch)
    )


# --- the worker path -----------------------------------------------------------------------------


def test_large_files_are_validated_and_applied_by_tasks_on_commit(
    area,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.CASES_IMPORT_INLINE_MAX_BYTES = 10
    with django_capture_on_commit_callbacks() as callbacks:
        batch = upload(area, csv_file([row("GD001"), row("GD002", id_number="")]))
    assert batch.status == ImportBatch.Status.UPLOADED
    assert len(callbacks) == 1

    import_batch_validate_task(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.VALID
    assert import_batch_validate(batch_id=batch.pk) is None  # claimed once only

    with django_capture_on_commit_callbacks() as callbacks:
        batch = import_batch_confirm(batch=batch, actor=area.clerk)
    assert batch.status == ImportBatch.Status.QUEUED
    assert len(callbacks) == 1
    assert Dispute.objects.count() == 0

    import_batch_apply_task(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.created_count == 2
    # A second delivery of the same task does nothing.
    assert import_batch_apply(batch_id=batch.pk).created_count == 2
    assert Dispute.objects.count() == 2


def test_no_personal_numbers_in_logs(area, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    bad = ID_B[:-1] + ("0" if ID_B[-1] != "0" else "1")
    upload(area, csv_file([row("GD001", id_number=bad)], name="bad.csv"))
    import_batch_confirm(batch=upload(area, csv_file([row("GD002")])), actor=area.clerk)
    text = caplog.text
    assert "import" in text
    for secret in (ID_A, ID_B, bad, "13800138000"):
        assert secret not in text


# --- pages ------------------------------------------------------------------------------------


def test_upload_preview_confirm_pages(area, client_for):  # noqa: F811
    client = client_for(area.clerk)
    assert client.get(reverse("case_reports:import_upload")).status_code == 200

    response = client.post(
        reverse("case_reports:import_upload"),
        {
            "organisation": area.street.pk,
            "source_channel": SourceChannel.HOTLINE_12345,
            "file": csv_file([row("GD001"), row("GD002", phone="123")]),
        },
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("case_reports:import_detail", args=[batch.pk])

    page = client.get(response.url).content.decode()
    assert 'data-status="invalid"' in page
    assert "下载错误报告" in page
    assert "138****8000" in page and "13800138000" not in page
    report = client.get(reverse("case_reports:import_error_report", args=[batch.pk]))
    assert report.status_code == 200
    assert report["Content-Disposition"].startswith("attachment;")

    response = client.post(
        reverse("case_reports:import_upload"),
        {
            "organisation": area.street.pk,
            "source_channel": "hotline_12345",
            "file": csv_file([row("GD001")], name="ok.csv"),
        },
    )
    good = ImportBatch.objects.get(original_name="ok.csv")
    preview = client.get(response.url).content.decode()
    assert "确认导入全部 1 行" in preview
    assert "自导入时起算，不从工单的来电时间起算" in preview
    response = client.post(reverse("case_reports:import_confirm", args=[good.pk]))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "导入完成：新增纠纷 1 件" in page
    assert Dispute.objects.count() == 1

    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<section")


def test_outsider_cannot_see_or_confirm_a_batch(area, client_for):  # noqa: F811
    batch = upload(area, csv_file([row("GD001"), row("GD002", phone="1")]))
    valid = upload(area, csv_file([row("GD003")], name="v.csv"))
    client = client_for(area.outsider)
    assert client.get(reverse("case_reports:import_detail", args=[batch.pk])).status_code == 404
    assert (
        client.get(reverse("case_reports:import_error_report", args=[batch.pk])).status_code == 404
    )
    assert client.post(reverse("case_reports:import_confirm", args=[valid.pk])).status_code == 404
    # Nor upload into an organisation outside their scope.
    response = client.post(
        reverse("case_reports:import_upload"),
        {
            "organisation": area.street.pk,
            "source_channel": "hotline_12345",
            "file": csv_file([row("GD009")], name="x.csv"),
        },
    )
    assert response.status_code == 200  # the form refuses a choice it does not offer
    assert not ImportBatch.objects.filter(original_name="x.csv").exists()
    assert Dispute.objects.count() == 0


# --- preview of bad rows, the template, the link to what an import created ------------------


def test_preview_shows_the_masked_values_of_rows_with_errors(area, client_for):  # noqa: F811
    batch = upload(
        area,
        csv_file([row("GD001"), row("GD002", name="李小四", phone="1380013800", category="天气")]),
    )
    bad = batch.preview[1]
    assert bad["ok"] is False and bad["row"] == 3
    assert bad["source_reference"] == "GD002"
    assert bad["registered_at"] == "2026-11-16 09:30"
    assert bad["applicant"] == "李**" and bad["phone"] not in ("", "1380013800")
    assert bad["category"] == "天气" and bad["facts"] == "楼上漏水"
    assert bad["organisation"] == "新华街道 / 团结社区"
    assert any("联系电话" in error for error in bad["errors"])
    page = (
        client_for(area.clerk)
        .get(reverse("case_reports:import_detail", args=[batch.pk]))
        .content.decode()
    )
    assert "GD002" in page and "李**" in page and "李小四" not in page
    assert "1380013800" not in page


def test_template_download_has_the_accepted_headers_and_notes(area, client_for):  # noqa: F811
    from cases.imports import COLUMNS, read_header
    from cases.imports.reading import iter_raw_rows

    client = client_for(area.clerk)
    assert (
        reverse("case_reports:import_template")
        in client.get(reverse("case_reports:import_upload")).content.decode()
    )
    response = client.get(reverse("case_reports:import_template"))
    assert response.status_code == 200 and "attachment;" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet, notes = workbook["导入模板"], workbook["填写说明"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [c.label for c in COLUMNS if c.key != "street_community"]
    assert sheet.max_row == 1  # no sample row that could be imported by mistake
    header = read_header(iter_raw_rows(io.BytesIO(response.content), "xlsx"))
    assert set(header.positions) == {c.key for c in COLUMNS if c.key != "street_community"}
    explained = {r[0]: r for r in notes.iter_rows(min_row=2, values_only=True) if r[0]}
    for column in COLUMNS:
        if column.key != "street_community":
            label, required, note, example, _aliases = explained[column.label]
            assert required == ("必填" if column.required else "选填") and note and example
    # Filled in from the template, a file imports.
    sheet.append(row("GD001") + ["", "", ""])
    filled = io.BytesIO()
    workbook.save(filled)
    batch = upload(area, SimpleUploadedFile("filled.xlsx", filled.getvalue()))
    assert batch.status == ImportBatch.Status.VALID, batch.preview


def test_a_finished_import_links_to_the_disputes_it_created(area, client_for, api_for):  # noqa: F811
    earlier = import_batch_confirm(
        batch=upload(area, csv_file([row("GD001")], name="a.csv")), actor=area.clerk
    )
    batch = import_batch_confirm(
        batch=upload(area, csv_file([row("GD001"), row("GD002"), row("GD003")], name="b.csv")),
        actor=area.clerk,
    )
    assert (batch.created_count, batch.skipped_count) == (2, 1)
    created = set(Dispute.objects.filter(source_reference__in=["GD002", "GD003"]))
    assert set(batch.disputes.all()) == created
    client = client_for(area.clerk)
    page = client.get(reverse("case_reports:import_detail", args=[batch.pk])).content.decode()
    link = f"{reverse('cases:list')}?import_batch={batch.pk}"
    assert link in page
    listed = client.get(link).content.decode()
    assert all(d.reference in listed for d in created)
    assert earlier.disputes.get().reference not in listed
    body = api_for(area.clerk).get("/api/cases/disputes/", {"import_batch": batch.pk}).json()
    assert {r["id"] for r in body["results"]} == {d.pk for d in created}
    outsider_view = client_for(area.outsider).get(link).content.decode()
    assert not any(d.reference in outsider_view for d in created)
