import json

from django.core.management.base import BaseCommand, CommandError

from enforcement.funds_reconciliation import ERROR, reconcile
from enforcement.models import EnforcementCase


class Command(BaseCommand):
    help = (
        "Reconcile the case-fund ledger (案款对账): recompute every case's balance from its "
        "entries and compare it with the account row; check receipts, disbursements, shares "
        "and payout clocks. Lists every mismatch; exits 1 when the books disagree."
    )

    def add_arguments(self, parser):
        parser.add_argument("--court", help="the court code (e.g. 蒙0302); default every court")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="one JSON document on stdout"
        )

    def handle(self, *args, court=None, as_json=False, **options):
        cases = EnforcementCase.objects.all()
        if court:
            cases = cases.filter(court__court_code=court)
        found = reconcile(cases)
        if as_json:
            self.stdout.write(_dumps([m.as_dict() for m in found]))
        else:
            for m in found:
                self.stdout.write(
                    f"[{m.severity}] {m.case_number or m.case_id} {m.check}: {m.message}"
                )
            self.stdout.write(f"{len(found)} mismatch(es).")
        errors = sum(1 for m in found if m.severity == ERROR)
        if errors:
            raise CommandError(f"{errors} error(s): the ledger does not reconcile.")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
