"""Documents issued in an enforcement case before IssuedDocument.case_number existed: those
numbered by the case number (the number itself, or 号之N) keep it, so a replacement of one
is numbered in the case's form too. Series numbers are left empty (none equals a case
number). Read in pages of documents; the cases found through their indexed normalised key."""

from django.db import migrations

from enforcement.numbers import case_number_normalise

PAGE = 2000


def backfill(apps, schema_editor):
    IssuedDocument = apps.get_model("documents", "IssuedDocument")
    EnforcementCase = apps.get_model("enforcement", "EnforcementCase")
    last = 0
    while True:
        page = list(
            IssuedDocument.objects.filter(pk__gt=last, case_number="")
            .order_by("pk")
            .values_list("pk", "number")[:PAGE]
        )
        if not page:
            return
        last = page[-1][0]
        by_base: dict[str, list[int]] = {}
        for pk, number in page:
            by_base.setdefault(number.split("之", 1)[0], []).append(pk)
        keys = {case_number_normalise(base) for base in by_base}
        known = set(
            EnforcementCase.objects.filter(case_number_key__in=keys).values_list(
                "case_number", flat=True
            )
        )
        for base in known & set(by_base):
            IssuedDocument.objects.filter(pk__in=by_base[base]).update(case_number=base)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_document_case_number"),
        ("enforcement", "0110_workbench_officer_index"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
