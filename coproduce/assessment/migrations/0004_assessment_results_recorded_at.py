"""When a user assessment's results were recorded in outcome indicators (decision 0136).

Before, the rule guessed it from dates: a value from an assessment on one of the service's
indicators, on the activity's closing date (with none, any day since the assessment was set up).
Existing assessments are marked once by that same guess, with the latest such value's time; from
now on ``indicators_record`` marks them. Back: the column goes.
"""

from django.db import migrations, models
from django.db.models import Max
from django.utils import timezone


def mark_recorded(apps, schema_editor):  # type: ignore[no-untyped-def]
    Assessment = apps.get_model("assessment", "Assessment")
    Measurement = apps.get_model("outcomes", "Measurement")
    for assessment in Assessment.objects.filter(activity__kind="assessment").select_related(
        "activity__service_stage"
    ):
        activity = assessment.activity
        values = Measurement.objects.filter(
            source="assessment",
            indicator__outcome__service_id=activity.service_stage.service_id,
        )
        if activity.closes_on is not None:
            values = values.filter(measured_on=activity.closes_on)
        else:
            values = values.filter(measured_on__gte=timezone.localdate(assessment.created_at))
        latest = values.aggregate(latest=Max("recorded_at"))["latest"]
        if latest is not None:
            assessment.results_recorded_at = latest
            assessment.save(update_fields=["results_recorded_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_shopping_coaching_proposals_links"),
        ("outcomes", "0002_assessment_source"),
        ("services", "0004_remove_activity_activity_kind_valid_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="results_recorded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_recorded, migrations.RunPython.noop),
    ]
