from django.apps import AppConfig


class CodesignConfig(AppConfig):
    name = "coproduce.codesign"
    label = "codesign"
    verbose_name = "Co-design"
