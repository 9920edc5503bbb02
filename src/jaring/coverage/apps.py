from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "jaring.coverage"

    def ready(self):
        from jaring.core import daily, events
        from jaring.coverage import facts, services

        daily.register("recount", facts.recount_daily)

        events.memberships_changed.connect(facts.on_change, dispatch_uid="coverage-memberships")
        events.workers_changed.connect(facts.on_change, dispatch_uid="coverage-workers")
        events.employers_registered.connect(
            services.add_registered_wage_earners, dispatch_uid="coverage-employers"
        )
