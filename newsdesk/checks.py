"""System checks that stop a production deploy configured with development defaults."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.INSECURE_DEVELOPMENT_KEY:
        return [
            Error(
                "SECRET_KEY is the development key.",
                hint="Set the SECRET_KEY environment variable to a long random value before deploying.",
                id="newsdesk.E001",
            )
        ]
    return []
