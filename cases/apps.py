from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Patient stories"

    def ready(self):
        from cases import signals  # noqa: F401
