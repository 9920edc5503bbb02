"""Memberships, BPJS batches and cover outside Jaring, as pages and API lists: no query per row."""

from __future__ import annotations

import itertools

import pytest

from jaring.enrolment.exchange import services as exchange
from jaring.enrolment.external.services import import_external_cover
from tests.enrolment.exchange_setup import verified_members
from tests.enrolment.external.test_external import csv_file, unregistered_nik
from tests.factories import make_worker
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

_n = itertools.count(1)


@pytest.fixture
def caller(api, officer):
    return api(officer)


def test_memberships(officer, programme, caller):
    def member():
        verified_members(
            officer, programme, [make_worker(officer, full_name=f"Anggota {next(_n)}")]
        )

    web = client_for(officer)
    assert_flat(lambda: web.get("/enrolment/"), member)
    assert_flat(
        lambda: caller.get("/api/enrolment/memberships"), member, shown=lambda r: r.json()["count"]
    )


def test_bpjs_batches(officer, programme, caller):
    def batch():
        verified_members(
            officer, programme, [make_worker(officer, full_name=f"Anggota {next(_n)}")]
        )
        exchange.export_batch(actor=officer, programme_id=programme.pk, file_format="csv")

    web = client_for(officer)
    assert_flat(lambda: web.get(f"/enrolment/bpjs/programmes/{programme.pk}/"), batch)
    assert_flat(
        lambda: caller.get(f"/api/bpjs/programmes/{programme.pk}/batches"),
        batch,
        shown=lambda r: len(r.json()),
    )


def test_external_cover(officer, caller, tmp_path):
    def cover():
        n = next(_n)
        # Every other record is a registered worker's, so both kinds of row are listed.
        nik = make_worker(officer).nik if n % 2 else unregistered_nik(9000 + n)
        body = f"{nik},self_paid,JKK JKM,2026-01-01,,\n"
        import_external_cover(actor=officer, path=csv_file(tmp_path, body, name=f"{n}.csv"))

    web = client_for(officer)
    assert_flat(lambda: web.get("/enrolment/external/"), cover)
    assert_flat(lambda: caller.get("/api/external-cover/"), cover, shown=lambda r: len(r.json()))
