from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "jaring.compliance"
