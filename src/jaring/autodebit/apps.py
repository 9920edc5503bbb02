from django.apps import AppConfig


class AutodebitConfig(AppConfig):
    name = "jaring.autodebit"
