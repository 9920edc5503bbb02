from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "jaring.programs"
