"""Members' votes left open by panels closed before decision 0124 (decision 0131).

Each is closed without being counted: its recommendations become "uncounted" and who voted what
is deleted, as closing a vote promises (decision 0065). Nothing is published, nothing goes on the
ledger. The panel does not record when it closed, so the vote is closed at the last moment it is
known to have been open: its last vote, or its opening if nobody voted.

Back to 0005: the recommendations go back into the vote, which is open again, without its votes
(they cannot come back)."""

from django.db import migrations
from django.db.models import Max


def close_votes_left_open(apps, schema_editor):  # type: ignore[no-untyped-def]
    VotingRound = apps.get_model("panels", "VotingRound")
    Recommendation = apps.get_model("panels", "Recommendation")
    RecommendationVote = apps.get_model("panels", "RecommendationVote")
    for voting_round in VotingRound.objects.filter(closed_at=None, panel__phase="closed"):
        votes = RecommendationVote.objects.filter(recommendation__voting_round=voting_round)
        last_vote = votes.aggregate(last=Max("updated_at"))["last"]
        votes.delete()
        Recommendation.objects.filter(voting_round=voting_round, status="voting").update(
            status="uncounted"
        )
        voting_round.closed_at = max(voting_round.opened_at, last_vote or voting_round.opened_at)
        voting_round.save(update_fields=["closed_at"])


def reopen_uncounted_votes(apps, schema_editor):  # type: ignore[no-untyped-def]
    VotingRound = apps.get_model("panels", "VotingRound")
    Recommendation = apps.get_model("panels", "Recommendation")
    uncounted = Recommendation.objects.filter(status="uncounted")
    VotingRound.objects.filter(pk__in=uncounted.values("voting_round")).update(closed_at=None)
    uncounted.update(status="voting")


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0005_recommendation_uncounted"),
    ]

    operations = [
        migrations.RunPython(close_votes_left_open, reopen_uncounted_votes),
    ]
