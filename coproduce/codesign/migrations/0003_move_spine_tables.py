"""Hand the answer spine's tables to the new ``contributions`` app (docs/decisions/0016).

The rows stay where they are: the tables are renamed to the new app's names, so no row is copied
and every primary key, foreign key and index is kept. An idea's status history is re-pointed from
the idea to its contribution first (an idea's key is its contribution's, so the values hold).
``contributions.0001_initial`` then takes the models into its state, and ``0004_spine_moved``
drops them from this app's state.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("codesign", "0002_idea_list_indexes"),
        ("insight", "0002_submission_respondent"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ideastatuschange",
            name="idea",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="status_changes",
                to="codesign.contribution",
            ),
        ),
        migrations.RenameField(
            model_name="ideastatuschange", old_name="idea", new_name="contribution"
        ),
        migrations.AlterModelTable(name="contribution", table="contributions_contribution"),
        migrations.AlterModelTable(name="response", table="contributions_response"),
        migrations.AlterModelTable(name="report", table="contributions_report"),
        migrations.AlterModelTable(name="decision", table="contributions_decision"),
        migrations.AlterModelTable(name="ideastatuschange", table="contributions_statuschange"),
    ]
