"""Submission batches out, responses in: every rule of the exchange, on the real database."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from jaring.accounts.models import AuditEvent, Role
from jaring.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from jaring.enrolment.exchange import services as exchange
from jaring.enrolment.exchange.models import BatchLine, LineOutcome, ResponseImport
from jaring.enrolment.exchange.table import read_table
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.rules.months import cover_end
from tests.enrolment.exchange_setup import active_member, verified_members
from tests.factories import PASIRAN, ROBAN, make_user, make_worker
from tests.programs.factories import make_programme

S = MembershipStatus
ACCEPTED_ON = dt.date(2026, 3, 2)


@pytest.fixture
def members(officer, programme):
    """Three verified members in Pasiran, one in Roban (instead of the conftest's two)."""
    workers = [make_worker(officer, PASIRAN, full_name=n) for n in ("Citra", "Agus", "Budi")]
    workers.append(make_worker(officer, ROBAN, full_name="Dewi", sex="F"))
    return verified_members(officer, programme, workers)


def export(actor, programme, **kw) -> exchange.BatchFile:
    return exchange.export_batch(
        actor=actor, programme_id=programme.pk, file_format=kw.pop("file_format", "csv"), **kw
    )


def rows_of(content: bytes, name: str = "b.csv") -> list[dict[str, str]]:
    return [cells for _, cells in read_table(content, name).rows]


def response(*rows: tuple[str, ...], header=("nik", "kpj", "status", "reason", "start_date")):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def apply(actor, programme, data: bytes, name: str = "jawaban.csv") -> exchange.ResponseReport:
    return exchange.import_response(
        actor=actor, programme_id=programme.pk, data=data, file_name=name
    )


def state(programme) -> list[tuple]:
    """Everything a response may change, to show that a refused one changed nothing."""
    return list(
        Membership.objects.filter(programme=programme)
        .order_by("pk")
        .values_list("status", "kpj", "start_date", "end_date", "rejection_reason")
    ) + list(BatchLine.objects.order_by("pk").values_list("outcome", "kpj", "reason"))


def nik(member: Membership) -> str:
    return member.worker.nik


def accepted(nik: str, kpj: str) -> tuple[str, ...]:
    """A response row: the branch accepted `nik` as `kpj`, cover from 2 March."""
    return (nik, kpj, "accepted", "", "2026-03-02")


def refused(error: type[DomainError], actor, programme, data: bytes, **kw) -> list[Problem]:
    """The problems of a response refused whole: no membership, batch line or import changed."""
    before = (state(programme), ResponseImport.objects.count())
    with pytest.raises(error) as exc:
        apply(actor, programme, data, **kw)
    assert (state(programme), ResponseImport.objects.count()) == before
    return exc.value.problems


# --- export ---------------------------------------------------------------------------------


def test_export_puts_every_verified_member_in_one_batch_and_marks_them_submitted(
    officer, programme, members
):
    exported = export(officer, programme)
    batch = exported.batch
    assert batch.reference == f"JRG-{programme.pk}-0001" and batch.line_count == 4
    assert exported.file_name == f"{batch.reference}.csv"
    rows = rows_of(exported.content)
    # Village by village, then by name.
    assert [r["name"] for r in rows] == ["Dewi", "Agus", "Budi", "Citra"]
    dewi = rows[0]
    assert dewi["nik"] == nik(members[3]) and dewi["sex"] == "P"
    assert dewi["batch"] == batch.reference and dewi["participation_code"] == "SG"
    assert dewi["programmes"] == "JKK+JKM" and dewi["months"] == "5"
    assert dewi["income_base"] == "1000000" and dewi["occupation"] == "Nelayan"
    assert "RT 001/RW 002" in dewi["address"] and "Roban" in dewi["address"]
    assert dewi["start_date"] == ""  # cover starts when BPJS accepts
    statuses = Membership.objects.filter(programme=programme).values_list("status", flat=True)
    assert set(statuses) == {S.SUBMITTED}
    assert batch.lines.count() == 4
    assert AuditEvent.objects.filter(action="bpjs_batch_export", target_id=str(batch.pk)).exists()


def test_nothing_left_to_submit_is_refused(officer, programme, members):
    export(officer, programme)
    with pytest.raises(ValidationFailed) as exc:
        export(officer, programme)
    assert exc.value.problems[0].code == "nothing_to_submit"


def test_a_programme_with_pks_start_sends_the_pks_date(officer, members):
    programme = make_programme(officer, name="PKS", cover_start_rule="pks_date")
    workers = [make_worker(officer, PASIRAN, full_name="Eka")]
    verified_members(officer, programme, workers)
    (row,) = rows_of(export(officer, programme).content)
    assert row["start_date"] == "2026-02-01"


def test_export_of_one_village_leaves_the_others_waiting(officer, programme, members):
    exported = export(officer, programme, region_code=PASIRAN, file_format="xlsx")
    assert {r["name"] for r in rows_of(exported.content, "b.xlsx")} == {"Agus", "Budi", "Citra"}
    assert exported.batch.region_code == PASIRAN
    members[3].refresh_from_db()
    assert members[3].status == S.VERIFIED
    second = export(officer, programme)
    assert second.batch.number == 2 and second.batch.line_count == 1


def test_an_officer_exports_only_their_own_region(programme, members):
    district = make_user(Role.BPJS_OFFICER, "61.72.01")  # Singkawang Tengah: Roban only
    exported = export(district, programme)
    assert [r["name"] for r in rows_of(exported.content)] == ["Dewi"]
    with pytest.raises(NotFound):
        export(district, programme, region_code=PASIRAN)


@pytest.mark.parametrize("role", [Role.ENUMERATOR, Role.VIEWER, Role.COMPLIANCE_OFFICER])
def test_other_roles_cannot_export(programme, members, role):
    with pytest.raises(PermissionDenied):
        export(make_user(role, "61.72"), programme)
    assert Membership.objects.filter(status=S.SUBMITTED).count() == 0


def test_another_city_does_not_see_the_programme(programme, members):
    with pytest.raises(NotFound):
        export(make_user(Role.PROGRAMME_OFFICER, "61.71"), programme)


def test_an_unknown_format_is_refused(officer, programme, members):
    with pytest.raises(ValidationFailed):
        export(officer, programme, file_format="pdf")
    assert Membership.objects.filter(status=S.SUBMITTED).count() == 0


def test_a_batch_file_comes_back_unchanged_in_either_format(officer, programme, members):
    first = export(officer, programme)
    again = exchange.batch_file(actor=officer, batch_id=first.batch.pk)
    assert again.content == first.content
    as_xlsx = exchange.batch_file(actor=officer, batch_id=first.batch.pk, file_format="xlsx")
    assert as_xlsx.file_name.endswith(".xlsx")
    assert rows_of(as_xlsx.content, "b.xlsx") == rows_of(first.content)
    with pytest.raises(NotFound):
        exchange.batch_file(actor=make_user(Role.ADMIN, "61.71"), batch_id=first.batch.pk)


# --- responses ------------------------------------------------------------------------------


@pytest.fixture
def submitted(officer, programme, members):
    export(officer, programme)
    return members


def test_the_branch_answer_activates_rejects_and_waits(officer, programme, submitted):
    citra, agus, budi, dewi = submitted
    report = apply(
        officer,
        programme,
        response(
            (nik(citra), "23012345678", "diterima", "", "2026-03-02"),
            (nik(agus), "23012345679", "accepted", "", "02/03/2026"),
            (nik(budi), "", "ditolak", "NIK tidak sesuai Dukcapil", ""),
            (nik(dewi), "", "", "", ""),
        ),
    )
    assert (report.accepted, report.rejected, report.unanswered) == (2, 1, 1)
    assert report.not_submitted == [] and not report.already_imported
    for m in submitted:
        m.refresh_from_db()
    assert (citra.status, citra.kpj) == (S.ACTIVE, "23012345678")
    assert citra.start_date == ACCEPTED_ON and citra.end_date == cover_end(ACCEPTED_ON, 5)
    assert agus.status == S.ACTIVE and agus.start_date == ACCEPTED_ON
    assert budi.status == S.CANDIDATE and budi.rejection_reason == "NIK tidak sesuai Dukcapil"
    assert dewi.status == S.SUBMITTED
    outcomes = dict(BatchLine.objects.values_list("nik", "outcome"))
    assert outcomes[nik(budi)] == LineOutcome.REJECTED and outcomes[nik(dewi)] == "pending"
    imported = ResponseImport.objects.get()
    assert imported.report["accepted"] == 2 and imported.imported_by == officer
    assert AuditEvent.objects.filter(action="bpjs_response_import").count() == 1


def test_the_same_file_twice_changes_nothing_the_second_time(officer, programme, submitted):
    citra, agus, *_ = submitted
    data = response(
        accepted(nik(citra), "23012345678"),
        (nik(agus), "", "rejected", "Data ganda", ""),
    )
    apply(officer, programme, data)
    before, events = state(programme), AuditEvent.objects.count()
    again = apply(officer, programme, data)
    assert again.already_imported and again.already_applied == 2
    assert (again.accepted, again.rejected) == (0, 0)
    assert state(programme) == before and AuditEvent.objects.count() == events


def test_answers_already_recorded_from_another_file_are_reported_as_applied(
    officer, programme, submitted
):
    citra, _, budi, _ = submitted
    apply(officer, programme, response(accepted(nik(citra), "23012345678")))
    data = response(accepted(nik(budi), "23012345600"), accepted(nik(citra), "23012345678"))
    report = apply(officer, programme, data, name="jawaban-2.csv")
    assert (report.accepted, report.already_applied) == (1, 1)


def test_a_nik_never_submitted_is_reported_not_added(officer, programme, submitted):
    stranger = make_worker(officer, PASIRAN, full_name="Tidak Dikirim")
    never_registered = "6172021708850999"
    report = apply(
        officer,
        programme,
        response(
            accepted(nik(submitted[0]), "23012345678"),
            accepted(stranger.nik, "23012345699"),
            accepted(never_registered, "23012345698"),
        ),
    )
    assert report.accepted == 1
    assert report.not_submitted == [
        {"row": 3, "nik": stranger.nik},
        {"row": 4, "nik": never_registered},
    ]
    assert not Membership.objects.filter(worker=stranger).exists()
    assert Membership.objects.filter(kpj__in=["23012345699", "23012345698"]).count() == 0


def test_members_outside_the_officer_region_count_as_never_submitted(programme, submitted):
    pasiran_only = make_user(Role.BPJS_OFFICER, "61.72.02")
    citra, *_, dewi = submitted
    data = response(accepted(nik(citra), "23012345678"), accepted(nik(dewi), "23012345679"))
    report = apply(pasiran_only, programme, data)
    assert report.accepted == 1 and report.not_submitted == [{"row": 3, "nik": nik(dewi)}]
    dewi.refresh_from_db()
    assert dewi.status == S.SUBMITTED


def test_a_kpj_given_twice_in_the_file_refuses_it_whole(officer, programme, submitted):
    data = response(
        accepted(nik(submitted[0]), "23012345678"), accepted(nik(submitted[1]), "23012345678")
    )
    assert refused(Conflict, officer, programme, data)[0].code == "kpj_repeated"


def test_a_kpj_already_held_by_another_worker_refuses_the_file(officer, programme, submitted):
    other = make_programme(officer, name="Program Kelurahan")
    holder = make_worker(officer, PASIRAN, full_name="Pemilik KPJ")
    active_member(officer, other, holder, "23012345678", dt.date(2026, 3, 1))
    data = response(
        accepted(nik(submitted[1]), "23012345600"), accepted(nik(submitted[0]), "23012345678")
    )
    (problem,) = refused(Conflict, officer, programme, data)
    assert problem.code == "kpj_taken" and problem.params["row"] == 3
    assert "23012345678" in problem.message_en and "Pemilik" not in problem.message_en


def test_a_response_naming_another_programme_batch_is_refused_whole(officer, programme, submitted):
    other = make_programme(officer, name="Program Lain")
    stranger = make_worker(officer, PASIRAN, full_name="Lain")
    verified_members(officer, other, [stranger])
    other_batch = export(officer, other).batch
    data = response(
        (*accepted(nik(submitted[0]), "23012345678"), other_batch.reference),
        header=("nik", "kpj", "status", "reason", "start_date", "batch"),
    )
    assert refused(Conflict, officer, programme, data)[0].code == "response_wrong_programme"


def test_a_response_whose_niks_belong_to_another_programme_is_refused_whole(
    officer, programme, submitted
):
    other = make_programme(officer, name="Program Lain")
    stranger = make_worker(officer, PASIRAN, full_name="Lain")
    verified_members(officer, other, [stranger])
    export(officer, other)
    data = response(accepted(stranger.nik, "23012345678"))
    assert refused(Conflict, officer, programme, data)[0].code == "response_wrong_programme"
    assert not Membership.objects.filter(status=S.ACTIVE).exists()


def test_an_unknown_batch_reference_is_refused(officer, programme, submitted):
    data = response(
        (*accepted(nik(submitted[0]), "23012345678"), "JRG-999-0001"),
        header=("nik", "kpj", "status", "reason", "start_date", "batch"),
    )
    refused(Conflict, officer, programme, data)


def test_a_different_answer_for_a_member_already_answered_is_refused(officer, programme, submitted):
    citra, agus, *_ = submitted
    apply(officer, programme, response(accepted(nik(citra), "23012345678")))
    data = response(accepted(nik(agus), "23012345679"), (nik(citra), "", "rejected", "Salah", ""))
    problems = refused(Conflict, officer, programme, data, name="koreksi.csv")
    assert [p.code for p in problems] == ["answered_before"]


def test_one_bad_row_leaves_every_good_row_undone(officer, programme, submitted):
    data = response(
        accepted(nik(submitted[0]), "23012345678"),
        (nik(submitted[1]), "", "rejected", "Data ganda", ""),
        accepted(nik(submitted[2]), "12AB"),
    )
    (problem,) = refused(ValidationFailed, officer, programme, data)
    assert problem.code == "kpj_invalid" and problem.params["row"] == 4
    assert problem.message_en.startswith("Row 4 (NIK ")


def test_acceptance_without_a_date_is_refused_when_cover_starts_on_acceptance(
    officer, programme, submitted
):
    with pytest.raises(ValidationFailed) as exc:
        apply(officer, programme, response((nik(submitted[0]), "23012345678", "accepted", "", "")))
    assert exc.value.problems[0].code == "start_date_required"


def test_a_batch_exported_as_xlsx_and_filled_in_by_the_branch_round_trips(
    officer, programme, members
):
    exported = export(officer, programme, file_format="xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(exported.content))
    ws = wb.active
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 13).value = f"2301234{r:04d}"
        ws.cell(r, 14).value = "Diterima"
        ws.cell(r, 10).value = ACCEPTED_ON
    out = io.BytesIO()
    wb.save(out)
    report = apply(officer, programme, out.getvalue(), name=exported.file_name)
    assert report.accepted == 4
    assert set(Membership.objects.values_list("status", flat=True)) == {S.ACTIVE}


def test_a_bpjs_officer_may_import_but_an_enumerator_may_not(programme, submitted):
    data = response(accepted(nik(submitted[0]), "23012345678"))
    with pytest.raises(PermissionDenied):
        apply(make_user(Role.ENUMERATOR, PASIRAN), programme, data)
    assert apply(make_user(Role.BPJS_OFFICER, "61.72"), programme, data).accepted == 1
