from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit.dbroles import RuntimeRoleError, runtime_role_grant


class Command(BaseCommand):
    help = (
        "Grant the application's runtime database role its privileges (DML on every table, "
        "only SELECT and INSERT on the audit table). Run as the owner role after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "role",
            nargs="?",
            default=settings.DATABASE_RUNTIME_ROLE,
            help="the runtime role (default: DATABASE_RUNTIME_ROLE / FENGQIAO_DB_RUNTIME_ROLE)",
        )

    def handle(self, *args, role, **options):
        if not role:
            raise CommandError("Name the runtime role (or set FENGQIAO_DB_RUNTIME_ROLE).")
        try:
            with transaction.atomic():
                runtime_role_grant(role=role)
        except RuntimeRoleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Granted the runtime privileges to {role}.")
