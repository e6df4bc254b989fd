# Joins this branch's two leaves (assets 0004, funds 0005, both on 0001 as agreed) so the
# branch migrates; the lead drops it when chaining the parts' migrations at merge.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0004_assets"),
        ("enforcement", "0005_funds"),
    ]

    operations = []
