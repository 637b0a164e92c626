from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    """The answer spine: contributions of every kind, answers, statuses, moderation, decisions,
    follows and "You said, we did" (docs/contributions.md)."""

    name = "coproduce.contributions"
    label = "contributions"
    verbose_name = "Contributions and answers"
