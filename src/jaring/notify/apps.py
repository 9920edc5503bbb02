from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "jaring.notify"

    def ready(self) -> None:
        from jaring.continuity import reminders
        from jaring.core import events
        from jaring.notify import sources

        reminders.register(sources.cover_ending)
        events.claim_status_changed.connect(sources.claim_status, dispatch_uid="notify.claims")
