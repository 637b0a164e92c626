from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "coproduce.services"
    label = "services"
    verbose_name = "Services"
