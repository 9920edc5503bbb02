from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "jaring.claims"

    def ready(self):
        from jaring.claims import merge
        from jaring.core import events

        events.worker_merged.connect(merge.follow_memberships, dispatch_uid="claims-merge")
