"""Letter numbers: one run per city and year in the format of compliance/data/letters.toml, no
gap when a step is refused, no number given twice when officers take steps at once."""

import threading

import pytest
from django.db import connection, transaction

from jaring.compliance import numbering
from jaring.compliance.models import LetterSequence


@pytest.mark.django_db
def test_a_run_per_city_and_year_and_a_refused_step_gives_its_number_back():
    with transaction.atomic():
        assert [numbering.next_number("61.71", 2026) for _ in range(3)] == [1, 2, 3]
        assert numbering.next_number("61.72", 2026) == 1
        assert numbering.next_number("61.71", 2027) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert numbering.next_number("61.71", 2026) == 4
        raise RuntimeError("the step is refused after its number was taken")
    with transaction.atomic():
        assert numbering.next_number("61.71", 2026) == 4
    assert numbering.render("61.71", 2026, 6, 4) == "560/004/DISNAKER/2026"


@pytest.mark.django_db(transaction=True)
def test_officers_at_once_get_consecutive_numbers():
    if connection.vendor == "sqlite":
        # SQLite's IMMEDIATE transactions (settings) take the write lock at BEGIN, so numbers
        # are given one at a time; the in-memory test database's shared cache answers "table
        # is locked" at once instead of waiting, so threads cannot show it here.
        pytest.skip("threads need PostgreSQL (the test database of SQLite is in memory)")
    taken: list[int] = []
    failures: list[BaseException] = []
    start = threading.Barrier(4)

    def officer():
        try:
            start.wait()
            for _ in range(5):
                with transaction.atomic():
                    taken.append(numbering.next_number("61.71", 2026))
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=officer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert sorted(taken) == list(range(1, 21))
    assert LetterSequence.objects.get(regency_code="61.71", year=2026).last == 20
