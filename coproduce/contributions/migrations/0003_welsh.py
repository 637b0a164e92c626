# Welsh beside the English text people read (docs/decisions/0025-content-in-two-languages.md).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0002_status_and_answers"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="description_cy",
            field=models.TextField(
                blank=True, max_length=10000, verbose_name="details and reasons, in Welsh"
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="title_cy",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="what was decided, in Welsh"
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="body_cy",
            field=models.TextField(blank=True, verbose_name="response in Welsh"),
        ),
    ]
