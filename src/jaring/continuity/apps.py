from django.apps import AppConfig


class ContinuityConfig(AppConfig):
    name = "jaring.continuity"
