from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Organisations and assessments"

    def ready(self):
        # Audit records of logins, failed logins and logouts.
        from assessments import signals  # noqa: F401
