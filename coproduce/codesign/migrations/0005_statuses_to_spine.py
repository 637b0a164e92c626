"""Statuses and "needs an answer" belong to the answer spine now (docs/decisions/0016): copy each
idea's status, reason and history's home to its contribution, mark comments that are not questions
as needing no answer, then drop the idea's own status columns. Reversible: going back copies the
statuses back to the ideas."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery


def statuses_to_spine(apps, schema_editor):
    Contribution = apps.get_model("contributions", "Contribution")
    Idea = apps.get_model("codesign", "Idea")
    Comment = apps.get_model("codesign", "Comment")
    db = schema_editor.connection.alias
    idea = Idea.objects.using(db).filter(pk=OuterRef("pk"))
    Contribution.objects.using(db).filter(kind="idea").update(
        status=Subquery(idea.values("status")[:1]),
        status_reason=Subquery(idea.values("status_reason")[:1]),
    )
    Contribution.objects.using(db).filter(kind="comment").update(
        needs_answer=Exists(Comment.objects.using(db).filter(pk=OuterRef("pk"), is_question=True))
    )


def statuses_to_ideas(apps, schema_editor):
    Contribution = apps.get_model("contributions", "Contribution")
    Idea = apps.get_model("codesign", "Idea")
    db = schema_editor.connection.alias
    contribution = Contribution.objects.using(db).filter(pk=OuterRef("pk"))
    Idea.objects.using(db).update(
        status=Subquery(contribution.values("status")[:1]),
        status_reason=Subquery(contribution.values("status_reason")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("codesign", "0004_spine_moved"),
        ("contributions", "0002_status_and_answers"),
    ]

    operations = [
        migrations.RunPython(statuses_to_spine, statuses_to_ideas),
        migrations.RemoveConstraint(model_name="idea", name="idea_status_valid"),
        migrations.RemoveField(model_name="idea", name="status"),
        migrations.RemoveField(model_name="idea", name="status_reason"),
    ]
