from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Patient stories"

    def ready(self):
        from cases import access, signals  # noqa: F401  (access registers the stories' permissions)
