from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "jaring.imports"

    def ready(self):
        from jaring.imports import selectors
        from jaring.registry.selectors import add_registration_source

        add_registration_source(selectors.registration)
