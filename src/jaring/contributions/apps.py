from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "jaring.contributions"

    def ready(self):
        from jaring.contributions import services
        from jaring.contributions.rate_tables import current_tables
        from jaring.core import daily, rule_tables

        rule_tables.register(current_tables)
        daily.register("lapses", services.lapses_daily)
