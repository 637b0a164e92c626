"""A recommendation's status "uncounted": in a vote still open when its panel closed, which 0006
closes without counting (decision 0131)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0004_registration_data_deleted_on"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="recommendation",
            name="recommendation_status_valid",
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("voting", "Members are voting"),
                    ("published", "Published"),
                    ("not_passed", "Not enough support"),
                    ("uncounted", "Not counted"),
                ],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="recommendation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["draft", "voting", "published", "not_passed", "uncounted"])
                ),
                name="recommendation_status_valid",
            ),
        ),
    ]
