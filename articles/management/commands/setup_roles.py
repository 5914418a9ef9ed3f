from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.roles import ROLES


class Command(BaseCommand):
    help = "Create or update the editorial groups (Writer, Medical reviewer, Editor, Privacy officer)."

    @transaction.atomic
    def handle(self, *args, **options):
        for role, codes in ROLES.items():
            permissions = [self._permission(code) for code in codes]
            group, created = Group.objects.get_or_create(name=role)
            group.permissions.set(permissions)
            self.stdout.write(f"{'Created' if created else 'Updated'} {role}: {len(permissions)} permissions")

    @staticmethod
    def _permission(code: str) -> Permission:
        app_label, codename = code.split(".", 1)
        try:
            return Permission.objects.get(content_type__app_label=app_label, codename=codename)
        except Permission.DoesNotExist:
            raise CommandError(f"Permission {code} does not exist. Run `manage.py migrate` first.") from None
