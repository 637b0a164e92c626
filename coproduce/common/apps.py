from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "coproduce.common"
    label = "common"
    verbose_name = "Common"
