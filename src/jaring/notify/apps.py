from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "jaring.notify"

    def ready(self) -> None:
        from jaring.continuity import reminders
        from jaring.notify import sources

        reminders.register(sources.cover_ending)
