from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "jaring.imports"
