"""The registry's fields for BPJS's collective form: place of birth, mother's maiden name,
marital status, email. Optional, checked, audited, masked for viewers where they identify."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.registry.models import Worker
from tests.api.helpers import problems
from tests.factories import make_user
from tests.registry.test_api import new_worker

pytestmark = pytest.mark.django_db

FIELDS = {
    "place_of_birth": "  Singkawang ",
    "mother_maiden_name": "Siti   Fatimah",
    "marital_status": "married",
    "email": " Budi@Example.ID ",
}


def test_the_api_registers_edits_and_masks_them(api, enumerator):
    created = api(enumerator).post("/api/workers/", new_worker(**FIELDS))
    assert created.status_code == 201, created.json()
    worker = Worker.objects.get(pk=created.json()["id"])
    assert (worker.place_of_birth, worker.mother_maiden_name) == ("Singkawang", "Siti Fatimah")
    assert (worker.marital_status, worker.email) == ("married", "budi@example.id")
    (event,) = history(worker)
    assert event.after["mother_maiden_name"] == "Siti Fatimah"
    changed = api(enumerator).patch(
        f"/api/workers/{worker.pk}", {"marital_status": "widowed", "reason": "suami meninggal"}
    )
    assert changed.status_code == 200 and changed.json()["marital_status"] == "widowed"
    assert history(worker)[0].before == {"marital_status": "married"}  # newest first
    viewer = make_user(Role.VIEWER, "61.72")
    seen = api(viewer).get(f"/api/workers/{worker.pk}").json()
    assert seen["mother_maiden_name"] == "S***********"
    assert api(enumerator).get(f"/api/workers/{worker.pk}").json()["mother_maiden_name"] == (
        "Siti Fatimah"
    )


def test_bad_values_are_refused_by_field(api, enumerator):
    answer = api(enumerator).post("/api/workers/", new_worker(marital_status="kawin"))
    assert problems(answer) == {"marital_status": "invalid_literal_error"}
    bad = new_worker(email="budi@", mother_maiden_name="=HYPERLINK()")
    answer = api(enumerator).post("/api/workers/", bad)
    assert answer.status_code == 422
    assert problems(answer) == {"email": "invalid", "mother_maiden_name": "name_formula"}
    assert not Worker.objects.exists()


def test_the_form_keeps_them_and_the_page_masks_the_mother_for_viewers(client, admin):
    from tests.factories import make_worker

    worker = make_worker(admin, mother_maiden_name="Fatimah", place_of_birth="Sambas")
    viewer = make_user(Role.VIEWER, "61.72")
    client.force_login(viewer)
    page = client.get(reverse("worker-detail", args=[worker.pk])).content.decode()
    assert "F******" in page and "Fatimah" not in page and "Sambas" in page
