from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "jaring.enrolment"
