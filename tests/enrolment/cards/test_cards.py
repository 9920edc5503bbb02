"""Printing membership cards: who gets a card, what its QR code opens, who may print."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from jaring.accounts.models import AuditEvent, Role
from jaring.accounts.services import create_token
from jaring.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jaring.enrolment import services as enrolment
from jaring.enrolment.cards import services as cards
from jaring.enrolment.cards.models import MembershipCard
from jaring.enrolment.models import Membership, MembershipStatus
from tests.enrolment.exchange_setup import active_member, print_on, verified_members
from tests.factories import PASIRAN, ROBAN, make_user, make_worker
from tests.programs.factories import make_programme

BASE = "https://jaring.singkawangkota.go.id"
# Inside the cover of the `actives` fixture (1 March to 31 July 2026).
TODAY = dt.date(2026, 4, 1)


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


def sheets(actor, programme, *, today=TODAY, **kw) -> bytes:
    return cards.print_sheets(
        actor=actor, programme_id=programme.pk, base_url=BASE, today=today, **kw
    )


def card(actor, member, *, today=TODAY, **kw) -> bytes:
    return cards.print_card(actor=actor, membership_id=member.pk, base_url=BASE, today=today, **kw)


@pytest.fixture
def on_today(monkeypatch):
    print_on(monkeypatch, TODAY)


def test_sheets_are_packed_across_villages_or_one_village_per_sheet(officer, programme, actives):
    # Packed: every village's cards on one sheet, its footer naming them in order.
    [page] = text(sheets(officer, programme))
    assert page.index("AGUS") < page.index("DEWI") and "Pasiran, Roban" in page
    pages = text(sheets(officer, programme, village_per_sheet=True))
    # Pasiran before Roban (alphabetical), each village on its own sheet.
    assert len(pages) == 2
    assert "AGUS" in pages[0] and "CITRA" in pages[0] and "DEWI" not in pages[0]
    assert "DEWI" in pages[1] and "Roban" in pages[1]
    assert "MENUNGGU" not in "".join(pages)  # not active yet: no card
    citra = actives[0]
    assert citra.kpj in pages[0] and citra.worker.nik not in pages[0]
    assert "6172********" + citra.worker.nik[12:] in pages[0]
    assert "01-03-2026 s.d. 31-07-2026" in pages[0]
    assert AuditEvent.objects.filter(action="cards_print").count() == 2  # one per printing


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
    monkeypatch.setattr(
        "jaring.enrolment.cards.public.timezone.localdate", lambda: dt.date(2026, 4, 1)
    )
    page = Client().get(faces[0].qr_url.removeprefix(BASE))
    assert 'data-answer="covered"' in page.text and programme.name in page.text


def test_reprinting_keeps_each_card_token(officer, programme, actives):
    sheets(officer, programme)
    first = dict(MembershipCard.objects.values_list("membership_id", "token"))
    card(officer, actives[0])
    sheets(officer, programme, region_code=PASIRAN)
    assert dict(MembershipCard.objects.values_list("membership_id", "token")) == first
    assert len(set(first.values())) == 3


def test_one_village_only(officer, programme, actives):
    (page,) = text(sheets(officer, programme, region_code=ROBAN))
    assert "DEWI" in page and "CITRA" not in page


def test_one_card_is_card_sized(officer, programme, actives):
    pdf = card(officer, actives[2], language="en")
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
        card(enumerator, actives[0])
    with pytest.raises(NotFound):
        sheets(enumerator, programme, region_code=PASIRAN)


def test_viewers_cannot_print_and_an_empty_selection_is_refused(officer, programme, actives):
    with pytest.raises(PermissionDenied):
        sheets(make_user(Role.VIEWER, "61.72"), programme)
    empty = make_programme(officer, name="Kosong")
    with pytest.raises(ValidationFailed) as exc:
        sheets(officer, empty)
    assert exc.value.problems[0].code == "no_active_members"


def test_cli_prints_a_village_sheet(officer, programme, actives, tmp_path, on_today):
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


# --- Cover that has ended while the membership is still active ---------------------------------

# The `actives` fixture's cover ended yesterday (31 July); Eko's, begun a day later, ends today.
ENDS_TODAY = dt.date(2026, 8, 1)


@pytest.fixture
def eko(officer, programme, actives):
    """Cover from 2 March to 1 August 2026; nobody has run `jaring enrolment expire`."""
    worker = make_worker(officer, PASIRAN, full_name="Eko")
    return active_member(officer, programme, worker, "23012345679", dt.date(2026, 3, 2))


def still_active(members) -> bool:
    pks = [m.pk for m in members]
    return set(Membership.objects.filter(pk__in=pks).values_list("status", flat=True)) == {
        MembershipStatus.ACTIVE
    }


def cover_ended(exc, member) -> None:
    (problem,) = exc.problems
    assert (problem.code, problem.field) == ("cover_ended", "end_date")
    assert problem.params == {"membership": member.pk, "end_date": "2026-07-31"}
    assert "berakhir pada 31-07-2026" in problem.message_id
    assert "ended on 2026-07-31" in problem.message_en
    assert str(member.pk) in problem.message_en and member.worker.full_name in problem.message_en


def test_a_sheet_leaves_out_cover_that_ended_yesterday_and_keeps_cover_ending_today(
    officer, programme, actives, eko
):
    assert still_active([*actives, eko])
    pages = text(sheets(officer, programme, today=ENDS_TODAY))
    # Dewi's Roban sheet is gone with her cover.
    assert len(pages) == 1
    assert "EKO" in pages[0] and "02-03-2026 s.d. 01-08-2026" in pages[0]
    assert not {"CITRA", "AGUS", "DEWI"} & set(pages[0].split())
    assert list(MembershipCard.objects.values_list("membership_id", flat=True)) == [eko.pk]
    event = AuditEvent.objects.get(action="cards_print")
    assert event.after == {"cards": 1, "what": "all"}


def test_one_card_for_cover_that_ended_yesterday_is_refused_with_the_reason(
    officer, programme, actives, eko
):
    with pytest.raises(Conflict) as exc:
        card(officer, actives[0], today=ENDS_TODAY)
    cover_ended(exc.value, actives[0])
    assert not MembershipCard.objects.exists()
    assert not AuditEvent.objects.filter(action="cards_print").exists()
    assert "EKO" in text(card(officer, eko, today=ENDS_TODAY))[0]


def test_an_expired_membership_is_refused_for_the_same_reason(officer, programme, actives):
    enrolment.expire_lapsed(actor=officer, on=ENDS_TODAY)
    with pytest.raises(Conflict) as exc:
        card(officer, actives[0], today=ENDS_TODAY)
    cover_ended(exc.value, actives[0])


def test_a_sheet_with_every_cover_ended_is_refused_naming_the_day(officer, programme, actives):
    with pytest.raises(ValidationFailed) as exc:
        sheets(officer, programme, today=ENDS_TODAY)
    (problem,) = exc.value.problems
    assert problem.code == "no_active_members" and problem.params == {"today": "2026-08-01"}
    assert "01-08-2026" in problem.message_id and "2026-08-01" in problem.message_en


def test_cover_that_starts_later_gets_its_card(officer, programme, actives):
    before = dt.date(2026, 2, 15)
    pages = text(sheets(officer, programme, today=before, village_per_sheet=True))
    assert "CITRA" in pages[0] and "DEWI" in pages[1]
    assert "CITRA" in text(card(officer, actives[0], today=before))[0]


def test_the_page_counts_and_prints_only_cover_not_ended(
    officer, programme, actives, eko, monkeypatch
):
    print_on(monkeypatch, ENDS_TODAY)
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("enrolment:bpjs:page", args=[programme.pk]))
    assert 'data-active="1"' in page.text
    assert f'value="{ROBAN}"' not in page.text.split('id="cards-title"')[1]
    sheet = client.get(reverse("enrolment:bpjs:cards", args=[programme.pk]))
    assert sheet.status_code == 200
    (one_page,) = text(sheet.content)
    assert "EKO" in one_page and "CITRA" not in one_page

    refused = client.get(reverse("enrolment:bpjs:card", args=[actives[0].pk]), follow=True)
    assert refused.redirect_chain == [(reverse("enrolment:detail", args=[actives[0].pk]), 302)]
    assert "berakhir pada 31-07-2026" in refused.text
    assert not MembershipCard.objects.filter(membership=actives[0]).exists()
    one = client.get(reverse("enrolment:bpjs:card", args=[eko.pk]))
    assert one.status_code == 200 and one.content.startswith(b"%PDF")


def test_the_api_leaves_out_ended_cover_and_answers_409_for_its_card(
    client, officer, programme, actives, eko, monkeypatch
):
    print_on(monkeypatch, ENDS_TODAY)
    _, key = create_token(user=officer, name="test")
    auth = {"Authorization": f"Bearer {key}"}
    refused = client.get(f"/api/bpjs/memberships/{actives[0].pk}/card.pdf", headers=auth)
    assert refused.status_code == 409
    (error,) = refused.json()["errors"]
    assert (error["code"], error["field"], error["end_date"]) == (
        "cover_ended",
        "end_date",
        "2026-07-31",
    )
    one = client.get(f"/api/bpjs/memberships/{eko.pk}/card.pdf", headers=auth)
    assert one.status_code == 200 and "EKO" in text(one.content)[0]
    sheet = client.get(f"/api/bpjs/programmes/{programme.pk}/cards.pdf", headers=auth)
    (one_page,) = text(sheet.content)
    assert "EKO" in one_page and "AGUS" not in one_page


def test_the_cli_leaves_out_ended_cover_and_refuses_its_card(
    officer, programme, actives, eko, tmp_path, monkeypatch
):
    print_on(monkeypatch, ENDS_TODAY)
    common = ("--out", str(tmp_path / "k.pdf"), "--user", officer.username, "--json")
    stdout = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("cards", "--membership", str(actives[0].pk), *common, stdout=stdout)
    assert exc.value.returncode == 2
    (error,) = json.loads(stdout.getvalue())["errors"]
    assert (error["code"], error["end_date"]) == ("cover_ended", "2026-07-31")
    assert not (tmp_path / "k.pdf").exists()

    call_command("cards", "--programme", str(programme.pk), *common, stdout=io.StringIO())
    (page,) = text((tmp_path / "k.pdf").read_bytes())
    assert "EKO" in page and "CITRA" not in page
