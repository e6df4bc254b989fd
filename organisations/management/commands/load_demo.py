import importlib

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo region, organisations, users and each app's demo records (idempotent)."

    def handle(self, *args, **options):
        context: dict = {}
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.load(context)
            self.stdout.write(f"  demo data: {config.verbose_name}")
        for warning in context.get("warnings", []):
            self.stderr.write(self.style.WARNING(f"  {warning}"))
        self.stdout.write(self.style.SUCCESS("\n演示账号 Demo logins (http://127.0.0.1:8000/):"))
        for username, password, full_name, role, organisation in context.get("logins", []):
            self.stdout.write(f"  {username:<11} {password}  {full_name} · {role} · {organisation}")
