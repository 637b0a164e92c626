from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "coproduce.insight"
    label = "insight"
    verbose_name = "Insight"
