"""The answer spine's models now live in ``contributions`` (its 0001 took them on the same
tables): point ideas and comments at them and drop them from this app's state. State only."""

import django.db.models.deletion
from django.db import migrations, models

STATE = [
    migrations.AlterField(
        model_name="idea",
        name="contribution",
        field=models.OneToOneField(
            on_delete=django.db.models.deletion.CASCADE,
            primary_key=True,
            related_name="idea",
            serialize=False,
            to="contributions.contribution",
        ),
    ),
    migrations.AlterField(
        model_name="comment",
        name="contribution",
        field=models.OneToOneField(
            on_delete=django.db.models.deletion.CASCADE,
            primary_key=True,
            related_name="comment",
            serialize=False,
            to="contributions.contribution",
        ),
    ),
    migrations.DeleteModel(name="IdeaStatusChange"),
    migrations.DeleteModel(name="Report"),
    migrations.DeleteModel(name="Response"),
    migrations.DeleteModel(name="Decision"),
    migrations.DeleteModel(name="Contribution"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("codesign", "0003_move_spine_tables"),
        ("contributions", "0001_initial"),
        ("insight", "0003_spine_moved"),
        ("notifications", "0003_follows_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=[]),
    ]
