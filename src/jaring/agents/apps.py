from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "jaring.agents"

    def ready(self) -> None:
        from jaring.agents import receivers
        from jaring.core import events

        events.selfpay_opened.connect(receivers.credit_cover, dispatch_uid="agents.credit")
        events.selfpay_paid.connect(receivers.record_collection, dispatch_uid="agents.collect")
