from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.roles import ROLES


class Command(BaseCommand):
    help = "Create or update the editorial groups (Writer, Medical reviewer, Editor, Privacy officer)."

    @transaction.atomic
    def handle(self, *args, **options):
        permissions = self._permissions({code for codes in ROLES.values() for code in codes})
        for role, codes in ROLES.items():
            group, created = Group.objects.get_or_create(name=role)
            group.permissions.set([permissions[code] for code in codes])
            self.stdout.write(f"{'Created' if created else 'Updated'} {role}: {len(codes)} permissions")

    @staticmethod
    def _permissions(codes: set[str]) -> dict[str, Permission]:
        """Each code's permission, read in one query."""
        found = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in Permission.objects.select_related("content_type").filter(
                codename__in={code.split(".", 1)[1] for code in codes}
            )
        }
        if missing := sorted(codes - found.keys()):
            raise CommandError(
                f"Permission {', '.join(missing)} does not exist. Run `manage.py migrate` first."
            )
        return found
