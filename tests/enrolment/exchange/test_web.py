"""The programme's BPJS exchange page: batch, response and cards from a browser session."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jaring.accounts.models import ReadEvent, Role
from jaring.enrolment.exchange.models import SubmissionBatch
from jaring.enrolment.models import Membership, MembershipStatus
from tests.enrolment.exchange_setup import print_on
from tests.factories import PASIRAN, make_user

S = MembershipStatus


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"enrolment:bpjs:{name}", args=args)


def upload(rows, name="jawaban.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nik", "kpj", "status", "reason", "start_date"])
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode())


def test_the_whole_exchange_from_the_page(officer, programme, members, monkeypatch):
    client = logged_in(officer)
    page = client.get(url("page", programme.pk))
    assert page.status_code == 200 and 'data-waiting="2"' in page.text
    # First the preview: the batch rehearsed (one member of Pasiran, who), nothing sent yet.
    asked = client.post(url("export", programme.pk), {"village": PASIRAN, "format": "csv"})
    assert asked.status_code == 200 and 'data-count="1"' in asked.text
    assert "Citra" in asked.text and "Dewi" not in asked.text and 'name="step"' in asked.text
    assert not SubmissionBatch.objects.exists()
    assert Membership.objects.filter(status=S.VERIFIED).count() == 2
    made = client.post(
        url("export", programme.pk), {"village": PASIRAN, "format": "csv", "step": "confirm"}
    )
    assert made.status_code == 302
    page = client.get(made["Location"])
    assert f"JRG-{programme.pk}-0001" in page.text
    batch = SubmissionBatch.objects.get()
    assert 'data-waiting="1"' in page.text  # Dewi, in Roban, still waits
    file = client.get(url("batch-file", batch.pk, "csv"))
    assert file.status_code == 200 and b"Citra" in file.content and b"Dewi" not in file.content

    citra, _ = members
    report = client.post(
        url("response", programme.pk),
        {"file": upload([(citra.worker.nik, "23012345678", "diterima", "", "2026-03-02")])},
    )
    assert report.status_code == 200 and 'data-count="accepted">1<' in report.text
    citra.refresh_from_db()
    assert citra.status == S.ACTIVE

    print_on(monkeypatch, dt.date(2026, 4, 1))  # inside the cover accepted above
    pdf = client.get(url("cards", programme.pk), {"village": PASIRAN})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    one = client.get(url("card", citra.pk))
    assert one.status_code == 200 and one.content.startswith(b"%PDF")


def test_a_refused_response_says_why_and_changes_nothing(officer, programme, members):
    client = logged_in(officer)
    client.post(url("export", programme.pk), {"format": "xlsx", "step": "confirm"})
    citra, dewi = members
    refused = client.post(
        url("response", programme.pk),
        {
            "file": upload(
                [
                    (citra.worker.nik, "23012345678", "accepted", "", "2026-03-02"),
                    (dewi.worker.nik, "23012345678", "accepted", "", "2026-03-02"),
                ]
            )
        },
    )
    assert refused.status_code == 400 and "jawaban.csv" in refused.text
    assert "23012345678" in refused.text  # the message names the repeated KPJ
    assert set(Membership.objects.values_list("status", flat=True)) == {S.SUBMITTED}


def test_an_empty_export_is_refused_on_the_page(officer, programme):
    # Refused at the preview, with the reason, and again if confirmed all the same.
    client = logged_in(officer)
    response = client.post(url("export", programme.pk), {"format": "csv"})
    assert response.status_code == 409 and 'id="problems"' in response.text
    assert 'id="confirm"' not in response.text
    response = client.post(url("export", programme.pk), {"format": "csv", "step": "confirm"})
    assert response.status_code == 400 and 'id="problems"' in response.text


def test_an_enumerator_sees_only_the_cards(programme, members):
    client = logged_in(make_user(Role.ENUMERATOR, PASIRAN))
    page = client.get(url("page", programme.pk))
    assert page.status_code == 200
    assert url("cards", programme.pk) in page.text and url("export", programme.pk) not in page.text
    refused = client.post(url("export", programme.pk), {"format": "csv"})
    assert refused.status_code == 409
    refused = client.post(url("export", programme.pk), {"format": "csv", "step": "confirm"})
    assert refused.status_code == 400
    assert Membership.objects.filter(status=S.SUBMITTED).count() == 0


def test_another_city_gets_404(programme, members):
    client = logged_in(make_user(Role.PROGRAMME_OFFICER, "61.71"))
    assert client.get(url("page", programme.pk)).status_code == 404
    assert client.post(url("export", programme.pk), {"format": "csv"}).status_code == 404


def test_the_page_needs_a_login(programme):
    response = Client().get(url("page", programme.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_batch_file_is_a_read_of_its_niks(officer, programme, members):
    client = logged_in(officer)
    client.post(url("export", programme.pk), {"format": "csv", "step": "confirm"})
    batch = SubmissionBatch.objects.get()
    assert not ReadEvent.objects.exists()  # the batch is made; no NIK is handed out yet
    assert client.get(url("batch-file", batch.pk, "csv")).status_code == 200
    [read] = ReadEvent.objects.all()
    assert (read.actor, read.records) == (officer, 2)
    assert sorted(read.subjects.values_list("nik", flat=True)) == sorted(
        m.worker.nik for m in members
    )
