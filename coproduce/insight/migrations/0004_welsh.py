# Welsh beside the English text people read (docs/decisions/0025-content-in-two-languages.md).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0003_spine_moved"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="help_text_cy",
            field=models.CharField(blank=True, max_length=300, verbose_name="hint in Welsh"),
        ),
        migrations.AddField(
            model_name="question",
            name="options_cy",
            field=models.JSONField(blank=True, default=list, verbose_name="options in Welsh"),
        ),
        migrations.AddField(
            model_name="question",
            name="text_cy",
            field=models.CharField(blank=True, max_length=300, verbose_name="question in Welsh"),
        ),
    ]
