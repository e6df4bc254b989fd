"""A restriction order or a one-time lifting waiting for approval may name no approver: when
the case moves to another court before the decision, the original court's president is
taken off it and the receiving court's staff name their own (报请审批). Decided ones always
name who decided (the check constraints)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0004_feed_changes_no_parallel_scan"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="onetimelifting",
            name="approver",
            field=models.ForeignKey(
                blank=True,
                help_text="为空：案件移送后待承办法院报请本院院长审批",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="credit_liftings_to_decide",
                to=settings.AUTH_USER_MODEL,
                verbose_name="审批人",
            ),
        ),
        migrations.AlterField(
            model_name="restriction",
            name="approver",
            field=models.ForeignKey(
                blank=True,
                help_text="为空：案件移送后待承办法院报请本院院长审批",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="credit_restrictions_to_decide",
                to=settings.AUTH_USER_MODEL,
                verbose_name="审批人（院长）",
            ),
        ),
        migrations.AddConstraint(
            model_name="onetimelifting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("approver__isnull", False), ("state", "pending_approval"), _connector="OR"
                ),
                name="credit_lifting_approver_unless_pending",
            ),
        ),
        migrations.AddConstraint(
            model_name="restriction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("approver__isnull", False), ("state", "pending_approval"), _connector="OR"
                ),
                name="credit_restr_approver_unless_pending",
            ),
        ),
    ]
