from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "jaring.enrolment"

    def ready(self):
        from jaring.core import events
        from jaring.enrolment import merge

        events.worker_merged.connect(merge.carry, dispatch_uid="enrolment-merge")
