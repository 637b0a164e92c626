"""Take the answer spine's models into this app, on the tables ``codesign.0003`` and
``notifications.0002`` renamed for it: state only, no row is touched (docs/decisions/0016).

The content types of the moved models are renamed too, so the admin's history of them stays
linked; a database made after this migration simply gets them new.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = {
    "codesign": ["contribution", "response", "report", "decision"],
    "notifications": ["follow"],
}


def rename_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for app_label, models_ in MOVED.items():
        for model in models_:
            if (
                not ContentType.objects.using(db)
                .filter(app_label="contributions", model=model)
                .exists()
            ):
                ContentType.objects.using(db).filter(app_label=app_label, model=model).update(
                    app_label="contributions"
                )
    # An idea's status history is a contribution's now.
    if (
        not ContentType.objects.using(db)
        .filter(app_label="contributions", model="statuschange")
        .exists()
    ):
        ContentType.objects.using(db).filter(app_label="codesign", model="ideastatuschange").update(
            app_label="contributions", model="statuschange"
        )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for app_label, models_ in MOVED.items():
        ContentType.objects.using(db).filter(app_label="contributions", model__in=models_).update(
            app_label=app_label
        )
    ContentType.objects.using(db).filter(app_label="contributions", model="statuschange").update(
        app_label="codesign", model="ideastatuschange"
    )


STATE = [
    migrations.CreateModel(
        name="Contribution",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("need", "Survey answer"),
                        ("asset", "Community asset"),
                        ("story", "Story"),
                        ("idea", "Idea"),
                        ("comment", "Comment"),
                    ],
                    max_length=10,
                ),
            ),
            (
                "author_display",
                models.CharField(
                    choices=[
                        ("named", "My full name"),
                        ("first_name", "My first name only"),
                        ("anonymous", "Anonymous"),
                    ],
                    default="first_name",
                    max_length=12,
                    verbose_name="show my name as",
                ),
            ),
            (
                "visibility",
                models.CharField(
                    choices=[
                        ("pending", "Waiting for moderation"),
                        ("published", "Published"),
                        ("hidden", "Hidden by a moderator"),
                    ],
                    default="published",
                    max_length=10,
                ),
            ),
            (
                "held_reason",
                models.CharField(
                    blank=True,
                    help_text="Why it is waiting for moderation, for moderators.",
                    max_length=200,
                ),
            ),
            ("moderated_at", models.DateTimeField(blank=True, null=True)),
            ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
            ("first_response_at", models.DateTimeField(blank=True, null=True)),
            ("last_response_at", models.DateTimeField(blank=True, db_index=True, null=True)),
            (
                "activity",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="contributions",
                    to="services.activity",
                ),
            ),
            (
                "author",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="contributions",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "moderated_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "ordering": ["-created_at", "-id"],
            "indexes": [
                models.Index(
                    fields=["activity", "visibility", "-created_at"], name="contribution_feed"
                ),
                models.Index(fields=["author", "-created_at"], name="contribution_by_author"),
                models.Index(
                    fields=["activity", "kind", "visibility", "-created_at"],
                    name="contribution_kind_feed",
                ),
                models.Index(
                    fields=["activity", "kind", "visibility", "-last_response_at"],
                    name="contribution_kind_answered",
                ),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("kind__in", ["need", "asset", "story", "idea", "comment"])),
                    name="contribution_kind_valid",
                ),
                models.CheckConstraint(
                    condition=models.Q(("visibility__in", ["pending", "published", "hidden"])),
                    name="contribution_visibility_valid",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("author_display__in", ["named", "first_name", "anonymous"])
                    ),
                    name="contribution_display_valid",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Decision",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("cycle", models.PositiveSmallIntegerField()),
            (
                "stage",
                models.CharField(
                    choices=[
                        ("commissioning", "Commissioning"),
                        ("design", "Design"),
                        ("delivery", "Delivery"),
                        ("implementation", "Implementation and governance"),
                        ("assessment", "Assessment and improvement"),
                    ],
                    max_length=20,
                    verbose_name="stage",
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="what was decided")),
            (
                "description",
                models.TextField(max_length=10000, verbose_name="details and reasons"),
            ),
            (
                "decided_by",
                models.CharField(
                    help_text="A person, role or board, for example 'Health and Wellbeing Board'.",
                    max_length=200,
                    verbose_name="decided by",
                ),
            ),
            ("decided_on", models.DateField(verbose_name="decided on")),
            ("created_at", models.DateTimeField(auto_now_add=True)),
            (
                "contributions",
                models.ManyToManyField(
                    blank=True, related_name="decisions", to="contributions.contribution"
                ),
            ),
            (
                "recorded_by",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "service",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="decisions",
                    to="services.service",
                ),
            ),
        ],
        options={
            "ordering": ["-decided_on", "-id"],
        },
    ),
    migrations.CreateModel(
        name="Report",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "reason",
                models.TextField(
                    max_length=1000, verbose_name="why should moderators look at this?"
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("open", "Waiting for review"),
                        ("upheld", "Upheld: contribution hidden"),
                        ("dismissed", "Dismissed: contribution kept"),
                    ],
                    default="open",
                    max_length=10,
                ),
            ),
            ("created_at", models.DateTimeField(auto_now_add=True)),
            ("reviewed_at", models.DateTimeField(blank=True, null=True)),
            (
                "contribution",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="reports",
                    to="contributions.contribution",
                ),
            ),
            (
                "reporter",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "reviewed_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "ordering": ["created_at", "id"],
            "constraints": [
                models.UniqueConstraint(
                    condition=models.Q(("status", "open")),
                    fields=("contribution", "reporter"),
                    name="one_open_report_per_person",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Response",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("body", models.TextField(verbose_name="response")),
            ("created_at", models.DateTimeField(auto_now_add=True)),
            (
                "author",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "contribution",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="responses",
                    to="contributions.contribution",
                ),
            ),
        ],
        options={
            "ordering": ["created_at", "id"],
        },
    ),
    migrations.CreateModel(
        name="StatusChange",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "from_status",
                models.CharField(
                    choices=[
                        ("received", "Received"),
                        ("under_consideration", "Under consideration"),
                        ("adopted", "Adopted"),
                        ("adapted", "Adapted"),
                        ("not_taken_forward", "Not taken forward"),
                        ("in_delivery", "In delivery"),
                        ("delivered", "Delivered"),
                    ],
                    max_length=24,
                ),
            ),
            (
                "to_status",
                models.CharField(
                    choices=[
                        ("received", "Received"),
                        ("under_consideration", "Under consideration"),
                        ("adopted", "Adopted"),
                        ("adapted", "Adapted"),
                        ("not_taken_forward", "Not taken forward"),
                        ("in_delivery", "In delivery"),
                        ("delivered", "Delivered"),
                    ],
                    max_length=24,
                ),
            ),
            ("reason", models.TextField(blank=True)),
            ("created_at", models.DateTimeField(auto_now_add=True)),
            (
                "changed_by",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "contribution",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="status_changes",
                    to="contributions.contribution",
                ),
            ),
        ],
        options={
            "ordering": ["created_at", "id"],
        },
    ),
    migrations.CreateModel(
        name="Follow",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("created_at", models.DateTimeField(auto_now_add=True)),
            (
                "activity",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="services.activity",
                ),
            ),
            (
                "contribution",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="contributions.contribution",
                ),
            ),
            (
                "service",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="services.service",
                ),
            ),
            (
                "user",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="follows",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(
                            ("activity__isnull", True),
                            ("contribution__isnull", True),
                            ("service__isnull", False),
                        ),
                        models.Q(
                            ("activity__isnull", False),
                            ("contribution__isnull", True),
                            ("service__isnull", True),
                        ),
                        models.Q(
                            ("activity__isnull", True),
                            ("contribution__isnull", False),
                            ("service__isnull", True),
                        ),
                        _connector="OR",
                    ),
                    name="follow_exactly_one_target",
                ),
                models.UniqueConstraint(fields=("user", "service"), name="follow_service_once"),
                models.UniqueConstraint(fields=("user", "activity"), name="follow_activity_once"),
                models.UniqueConstraint(
                    fields=("user", "contribution"), name="follow_contribution_once"
                ),
            ],
        },
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("codesign", "0003_move_spine_tables"),
        ("notifications", "0002_move_follows_table"),
        ("services", "0002_activity_method_settings"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=[]),
        migrations.RunPython(rename_content_types, restore_content_types, elidable=True),
    ]
