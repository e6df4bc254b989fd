"""Case numbers under concurrent filing on PostgreSQL: 20 clerks file at the same moment,
each on their own connection, and a 21st whose filing fails after taking its number; the 20
numbers are 1…20 with no gap and no repeat (the failed one's number went back)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from enforcement.models import CaseSequence, EnforcementCase
from enforcement.services import filing

from .filing_fixtures import file_case, judgment_basis

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_filings_get_gap_free_unique_numbers(eworld, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    basis = judgment_basis(eworld)
    start = threading.Barrier(THREADS + 2)
    failures: list[BaseException] = []
    refused: list[str] = []
    original = filing.filing_clocks_start

    def clocks_or_crash(case, *, actor):
        # one filing fails after it took its number: the rollback must give it back
        if threading.current_thread().name == "clerk-crash":
            raise RuntimeError("storage down")
        return original(case, actor=actor)

    monkeypatch.setattr(filing, "filing_clocks_start", clocks_or_crash)

    def clerk(index: int):
        try:
            start.wait(timeout=30)
            file_case(eworld, basis, principal="150000.00", applied_on=datetime.date(2026, 11, 20))
        except RuntimeError as exc:
            refused.append(str(exc))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(i,), name=f"clerk-{i}") for i in range(THREADS)]
    threads.insert(THREADS // 2, threading.Thread(target=clerk, args=(-1,), name="clerk-crash"))
    for thread in threads:
        thread.start()
    start.wait(timeout=30)
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert refused == ["storage down"]
    year = timezone.localdate().year
    numbers = sorted(EnforcementCase.objects.values_list("number_sequence", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    texts = set(EnforcementCase.objects.values_list("case_number", flat=True))
    assert texts == {f"（{year}）蒙0302执{n}号" for n in range(1, THREADS + 1)}
    assert CaseSequence.objects.get(court=eworld.court, case_type="执", year=year).last == THREADS
    monkeypatch.setattr(filing, "filing_clocks_start", original)
    assert file_case(eworld, basis, principal="150000.00").number_sequence == THREADS + 1
