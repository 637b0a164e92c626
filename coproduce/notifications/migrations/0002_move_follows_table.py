"""Follows belong to the answer spine now (docs/decisions/0016): rename the table for it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="follow", table="contributions_follow"),
    ]
