# Welsh beside the English text people read (docs/decisions/0025-content-in-two-languages.md).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0002_activity_method_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="how_to_take_part_cy",
            field=models.TextField(blank=True, verbose_name="how to take part, in Welsh"),
        ),
        migrations.AddField(
            model_name="activity",
            name="outcome_cy",
            field=models.TextField(blank=True, verbose_name="what came of it, in Welsh"),
        ),
        migrations.AddField(
            model_name="activity",
            name="summary_cy",
            field=models.CharField(blank=True, max_length=300, verbose_name="summary in Welsh"),
        ),
        migrations.AddField(
            model_name="activity",
            name="title_cy",
            field=models.CharField(blank=True, max_length=200, verbose_name="title in Welsh"),
        ),
        migrations.AddField(
            model_name="service",
            name="description_cy",
            field=models.TextField(blank=True, verbose_name="description in Welsh"),
        ),
        migrations.AddField(
            model_name="service",
            name="name_cy",
            field=models.CharField(blank=True, max_length=200, verbose_name="name in Welsh"),
        ),
        migrations.AddField(
            model_name="service",
            name="summary_cy",
            field=models.CharField(blank=True, max_length=300, verbose_name="summary in Welsh"),
        ),
    ]
