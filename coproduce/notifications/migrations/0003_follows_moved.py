"""Notifications stop pointing at contributions (the answer spine sits above this app now,
docs/decisions/0016): each keeps the address of the page it is about and the service it came from,
filled in here from the contribution it pointed at. Follows left for the spine's state."""

import re

import django.db.models.deletion
from django.db import migrations, models

# The pages of each kind of contribution when this migration was written.
PAGES = {
    "idea": "/ideas/{pk}/",
    "need": "/insight/answers/{pk}/",
    "asset": "/insight/assets/{pk}/",
    "story": "/insight/stories/{pk}/",
}


def fill_pages(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Comment = apps.get_model("codesign", "Comment")
    db = schema_editor.connection.alias
    rows = Notification.objects.using(db).select_related("contribution__activity__service_stage")
    for notification in rows.iterator(chunk_size=500):
        contribution = notification.contribution
        if contribution.kind == "comment":
            idea_id = Comment.objects.using(db).get(pk=contribution.pk).idea_id
            url = f"/ideas/{idea_id}/?comment={contribution.pk}#comment-{contribution.pk}"
        else:
            url = PAGES[contribution.kind].format(pk=contribution.pk)
        notification.url = url
        notification.service_id = contribution.activity.service_stage.service_id
        notification.save(update_fields=["url", "service"])


def restore_contributions(apps, schema_editor):
    """Backwards: the contribution is the last number in the address (a comment's own key)."""
    Notification = apps.get_model("notifications", "Notification")
    db = schema_editor.connection.alias
    for notification in Notification.objects.using(db).iterator(chunk_size=500):
        numbers = re.findall(r"\d+", notification.url)
        notification.contribution_id = int(numbers[-1])
        notification.save(update_fields=["contribution"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_move_follows_table"),
        ("contributions", "0001_initial"),
        ("services", "0002_activity_method_settings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Follow")], database_operations=[]
        ),
        migrations.AddField(
            model_name="notification",
            name="url",
            field=models.CharField(default="", max_length=500),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="service",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="services.service",
            ),
        ),
        # Nullable first, so that going back can add the column before it is filled again.
        migrations.AlterField(
            model_name="notification",
            name="contribution",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="codesign.contribution",
            ),
        ),
        migrations.RunPython(fill_pages, restore_contributions),
        migrations.RemoveField(model_name="notification", name="contribution"),
    ]
