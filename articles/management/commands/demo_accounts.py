from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.roles import EDITOR, MEDICAL_REVIEWER, PRIVACY_OFFICER, WRITER

DEMO_ACCOUNTS = [
    # username, full name, role (None: superuser)
    ("admin", "Demo Administrator", None),
    ("writer", "Wren Writer", WRITER),
    ("reviewer", "Dr. Rey Reviewer", MEDICAL_REVIEWER),
    ("editor", "Eda Editor", EDITOR),
    ("privacy", "Pia Privacy", PRIVACY_OFFICER),
]


class Command(BaseCommand):
    help = "Create one demo login per role (local development only; refused when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="newsdesk-demo", help="Password for every demo account.")

    @transaction.atomic
    def handle(self, *args, password, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development: set DEBUG=true to create them.")
        User = get_user_model()
        for username, full_name, role in DEMO_ACCOUNTS:
            first, _, last = full_name.rpartition(" ")
            user, _created = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@newsdesk.invalid",
                    "is_staff": True,
                    "is_superuser": role is None,
                    "is_active": True,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            if role:
                user.groups.set([Group.objects.get(name=role)])
        names = ", ".join(u for u, _n, _r in DEMO_ACCOUNTS)
        self.stdout.write(self.style.SUCCESS(f"Demo logins ({names}), all with password: {password}"))
