from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "jaring.coverage"

    def ready(self):
        from jaring.core import events
        from jaring.coverage import facts

        events.memberships_changed.connect(facts.on_change, dispatch_uid="coverage-memberships")
        events.workers_changed.connect(facts.on_change, dispatch_uid="coverage-workers")
