"""Answers, assets and stories are contributions of the ``contributions`` app now (it took the
spine's tables over from codesign): state only, no row or column changes."""

import django.db.models.deletion
from django.db import migrations, models


def _contribution(related_name: str) -> models.OneToOneField:
    return models.OneToOneField(
        on_delete=django.db.models.deletion.CASCADE,
        primary_key=True,
        related_name=related_name,
        serialize=False,
        to="contributions.contribution",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0002_submission_respondent"),
        ("contributions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="surveysubmission",
                    name="contribution",
                    field=_contribution("submission"),
                ),
                migrations.AlterField(
                    model_name="asset", name="contribution", field=_contribution("asset")
                ),
                migrations.AlterField(
                    model_name="story", name="contribution", field=_contribution("story")
                ),
            ],
            database_operations=[],
        ),
    ]
