"""The demo's duplicate queue, as an officer first opens it: real pairs among look-alikes
(households, twins, people born the same day with consecutive NIK serials), and at most one
pair in ten two different people (issue 12)."""

from io import StringIO

import pytest
from django.core.management import call_command

from jaring.dedupe.models import ProbableDuplicate
from jaring.demo import services

pytestmark = pytest.mark.django_db


def test_the_demo_queue_holds_real_pairs_and_at_most_one_false_pair_in_ten():
    out = StringIO()
    call_command("demo", "--scale", "0.02", stdout=out)
    truth = services.population(3000)
    look = truth.lookalikes["kind"].value_counts()
    kinds = dict(look.iter_rows())
    assert {"twin", "household", "same_day_serial", "placeholder_date"} <= set(kinds)
    person = dict(truth.records.select("nik", "person_id").iter_rows())
    queued = list(
        ProbableDuplicate.objects.filter(other_worker__isnull=False).values_list(
            "worker__nik", "other_worker__nik"
        )
    )
    false = [
        (a, b) for a, b in queued if a not in person or b not in person or person[a] != person[b]
    ]
    assert f"Probable duplicates waiting in the queue: {len(queued):,}" in out.getvalue()
    # About 150 people are listed twice: most of them are in the queue.
    assert len(queued) >= 0.8 * len(truth.duplicates)
    assert len(false) * 10 <= len(queued), false
