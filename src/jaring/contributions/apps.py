from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "jaring.contributions"

    def ready(self):
        from jaring.contributions import services
        from jaring.contributions.rate_tables import current_tables
        from jaring.contributions.statement_services import import_statement
        from jaring.core import daily, rule_tables
        from jaring.enrolment.exchange import hooks as exchange_hooks

        rule_tables.register(current_tables)
        daily.register("lapses", services.lapses_daily)
        # `jaring bpjs statement` (enrolment's command) reconciles through the bills' owner.
        exchange_hooks.register_statement(import_statement)
