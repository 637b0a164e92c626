"""Notification settings per person (docs/decisions/0024); each notification records how its email
goes. The notifications made before went at once.

Back to 0003: news of a new activity (an event 0003 does not have, too long for its column) is
deleted first; every other notification is kept."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forget_new_activity_news(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("notifications", "Notification").objects.filter(event="new_activity").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_follows_moved"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NotificationSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "response",
                    models.CharField(
                        choices=[
                            ("at_once", "At once"),
                            ("daily", "In a daily summary"),
                            ("weekly", "In a weekly summary"),
                            ("never", "Never"),
                        ],
                        default="at_once",
                        max_length=10,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("at_once", "At once"),
                            ("daily", "In a daily summary"),
                            ("weekly", "In a weekly summary"),
                            ("never", "Never"),
                        ],
                        default="at_once",
                        max_length=10,
                    ),
                ),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("at_once", "At once"),
                            ("daily", "In a daily summary"),
                            ("weekly", "In a weekly summary"),
                            ("never", "Never"),
                        ],
                        default="at_once",
                        max_length=10,
                    ),
                ),
                (
                    "new_activity",
                    models.CharField(
                        choices=[
                            ("at_once", "At once"),
                            ("daily", "In a daily summary"),
                            ("weekly", "In a weekly summary"),
                            ("never", "Never"),
                        ],
                        default="daily",
                        max_length=10,
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        blank=True,
                        choices=[("en", "English"), ("cy", "Cymraeg")],
                        default="",
                        max_length=10,
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name_plural": "notification settings",
            },
        ),
        migrations.AddField(
            model_name="notification",
            name="delivery",
            field=models.CharField(
                choices=[
                    ("at_once", "At once"),
                    ("daily", "In a daily summary"),
                    ("weekly", "In a weekly summary"),
                    ("never", "Never"),
                ],
                default="at_once",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="event",
            field=models.CharField(
                choices=[
                    ("response", "An answer was posted"),
                    ("status", "The status changed"),
                    ("decision", "A decision was recorded"),
                    ("new_activity", "A new activity opened"),
                ],
                max_length=20,
            ),
        ),
        # Reversed before the field above: the old column cannot hold the new event.
        migrations.RunPython(migrations.RunPython.noop, forget_new_activity_news),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("emailed_at__isnull", True)),
                fields=["delivery", "user"],
                name="notification_unsent",
            ),
        ),
        migrations.AddField(
            model_name="notificationsettings",
            name="user",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notification_settings",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="notificationsettings",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("decision__in", ["at_once", "daily", "weekly", "never"]),
                    ("new_activity__in", ["at_once", "daily", "weekly", "never"]),
                    ("response__in", ["at_once", "daily", "weekly", "never"]),
                    ("status__in", ["at_once", "daily", "weekly", "never"]),
                ),
                name="notification_settings_frequencies_valid",
            ),
        ),
    ]
