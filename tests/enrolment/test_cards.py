"""Printing membership cards: who gets a card, what its QR code opens, who may print."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from pypdf import PdfReader

from jaring.accounts.models import AuditEvent, Role
from jaring.core.errors import NotFound, PermissionDenied, ValidationFailed
from jaring.enrolment import cards
from jaring.enrolment.exchange_models import MembershipCard
from tests.enrolment.exchange_setup import active_member, verified_members
from tests.factories import PASIRAN, ROBAN, make_user, make_worker
from tests.programs.factories import make_programme

BASE = "https://jaring.singkawangkota.go.id"


@pytest.fixture
def officer(db):
    return make_user(Role.PROGRAMME_OFFICER, "61.72")


@pytest.fixture
def programme(officer):
    return make_programme(officer)


@pytest.fixture
def actives(officer, programme):
    """Two active members in Pasiran, one in Roban, and one still waiting for BPJS."""
    people = [("Citra", PASIRAN), ("Agus", PASIRAN), ("Dewi", ROBAN)]
    members = [
        active_member(
            officer,
            programme,
            make_worker(officer, village, full_name=name),
            f"2301234567{i}",
            dt.date(2026, 3, 1),
        )
        for i, (name, village) in enumerate(people)
    ]
    verified_members(officer, programme, [make_worker(officer, PASIRAN, full_name="Menunggu")])
    return members


def text(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def sheets(actor, programme, **kw) -> bytes:
    return cards.print_sheets(actor=actor, programme_id=programme.pk, base_url=BASE, **kw)


def test_sheets_hold_every_active_member_village_by_village(officer, programme, actives):
    pages = text(sheets(officer, programme))
    # Pasiran before Roban (alphabetical), each village on its own sheet.
    assert len(pages) == 2
    assert "AGUS" in pages[0] and "CITRA" in pages[0] and "DEWI" not in pages[0]
    assert "DEWI" in pages[1] and "Roban" in pages[1]
    assert "MENUNGGU" not in "".join(pages)  # not active yet: no card
    citra = actives[0]
    assert citra.kpj in pages[0] and citra.worker.nik not in pages[0]
    assert "6172********" + citra.worker.nik[12:] in pages[0]
    assert "01-03-2026 s.d. 31-07-2026" in pages[0]
    assert AuditEvent.objects.filter(action="cards_print").count() == 1


def test_the_qr_link_carries_a_token_not_the_nik_and_opens_the_status_page(
    officer, programme, actives, monkeypatch
):
    faces = []
    monkeypatch.setattr(
        cards, "sheet_pdf", lambda f, **kw: faces.extend(f) or b"%PDF-stub", raising=True
    )
    sheets(officer, programme)
    tokens = dict(MembershipCard.objects.values_list("membership_id", "token"))
    for face, member in zip(
        sorted(faces, key=lambda f: f.kpj), sorted(actives, key=lambda m: m.kpj), strict=True
    ):
        assert face.qr_url == f"{BASE}/cek/k/{tokens[member.pk]}/"
        assert member.worker.nik not in face.qr_url and member.kpj not in face.qr_url
    monkeypatch.setattr("jaring.enrolment.public.timezone.localdate", lambda: dt.date(2026, 4, 1))
    page = Client().get(faces[0].qr_url.removeprefix(BASE))
    assert 'data-answer="covered"' in page.text and programme.name in page.text


def test_reprinting_keeps_each_card_token(officer, programme, actives):
    sheets(officer, programme)
    first = dict(MembershipCard.objects.values_list("membership_id", "token"))
    cards.print_card(actor=officer, membership_id=actives[0].pk, base_url=BASE)
    sheets(officer, programme, region_code=PASIRAN)
    assert dict(MembershipCard.objects.values_list("membership_id", "token")) == first
    assert len(set(first.values())) == 3


def test_one_village_only(officer, programme, actives):
    (page,) = text(sheets(officer, programme, region_code=ROBAN))
    assert "DEWI" in page and "CITRA" not in page


def test_one_card_is_card_sized(officer, programme, actives):
    pdf = cards.print_card(actor=officer, membership_id=actives[2].pk, base_url=BASE, language="en")
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4, 1), round(height / 72 * 25.4)) == (85.6, 54)
    assert "DEWI" in reader.pages[0].extract_text()
    assert "WORKER PROTECTION CARD" in reader.pages[0].extract_text()


def test_an_enumerator_prints_only_their_village(programme, actives):
    enumerator = make_user(Role.ENUMERATOR, ROBAN)
    (page,) = text(sheets(enumerator, programme))
    assert "DEWI" in page and "CITRA" not in page
    with pytest.raises(NotFound):
        cards.print_card(actor=enumerator, membership_id=actives[0].pk, base_url=BASE)
    with pytest.raises(NotFound):
        sheets(enumerator, programme, region_code=PASIRAN)


def test_viewers_cannot_print_and_an_empty_selection_is_refused(officer, programme, actives):
    with pytest.raises(PermissionDenied):
        sheets(make_user(Role.VIEWER, "61.72"), programme)
    empty = make_programme(officer, name="Kosong")
    with pytest.raises(ValidationFailed) as exc:
        sheets(officer, empty)
    assert exc.value.problems[0].code == "no_active_members"


def test_cli_prints_a_village_sheet(officer, programme, actives, tmp_path):
    out = tmp_path / "pasiran.pdf"
    stdout = io.StringIO()
    call_command(
        "cards",
        "--programme",
        str(programme.pk),
        "--village",
        PASIRAN,
        "--out",
        str(out),
        "--user",
        officer.username,
        "--base-url",
        BASE,
        "--json",
        stdout=stdout,
    )
    assert json.loads(stdout.getvalue())["path"] == str(out)
    (page,) = text(out.read_bytes())
    assert "CITRA" in page and "DEWI" not in page


def test_cli_refusal_is_json_and_exit_status_2(officer, programme, tmp_path):
    stdout = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(
            "cards",
            "--programme",
            str(programme.pk),
            "--out",
            str(tmp_path / "x.pdf"),
            "--user",
            officer.username,
            "--json",
            stdout=stdout,
        )
    assert exc.value.returncode == 2
    assert json.loads(stdout.getvalue())["errors"][0]["code"] == "no_active_members"
    assert not (tmp_path / "x.pdf").exists()
