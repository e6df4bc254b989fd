"""Indexes for the court's figures (credit/figures.py): each figure is one GROUP BY month
over one court's rows of one year, so each table it reads needs (court, the date that
places a row in its year). Listing already has (court, -decided_on). A removal counts once
done, so its index holds the done ones only. On a large production table these may be
built by hand beforehand with CREATE INDEX CONCURRENTLY under the same names."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("credit", "0005_pending_approver_may_be_unnamed")]

    operations = [
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["court", "created_at"], name="credit_cert_court_idx"),
        ),
        migrations.AddIndex(
            model_name="onetimelifting",
            index=models.Index(fields=["court", "decided_at"], name="credit_lifting_court_idx"),
        ),
        migrations.AddIndex(
            model_name="removal",
            index=models.Index(
                condition=models.Q(("state", "done")),
                fields=["court", "done_at"],
                name="credit_removal_done_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="restoration",
            index=models.Index(fields=["court", "decided_at"], name="credit_restore_court_idx"),
        ),
        migrations.AddIndex(
            model_name="restriction",
            index=models.Index(fields=["court", "decided_at"], name="credit_restr_court_idx"),
        ),
    ]
