from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "jaring.enrolment"

    def ready(self):
        from jaring.core import daily, events
        from jaring.enrolment import merge, selectors, services
        from jaring.programs import hooks

        events.worker_merged.connect(merge.carry, dispatch_uid="enrolment-merge")
        hooks.enrolled_groups = selectors.enrolled_groups
        daily.register("expire", services.expire_daily)
