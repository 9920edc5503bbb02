"""The sanction ladder: order, deadlines in working days, the fine, closing; nothing half-written
on a refusal."""

import datetime as dt
import io

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from jaring.accounts.models import AuditEvent, Role
from jaring.compliance import letters, matching, services, sources
from jaring.compliance.models import Case, CaseStep, Lead, SourceKind
from jaring.core import events
from jaring.core.errors import Conflict, ValidationFailed
from tests.compliance.setup import BPJS, CITY, load, write
from tests.factories import make_user

pytestmark = pytest.mark.django_db
FOUND = dt.date(2026, 6, 1)


@pytest.fixture
def officer():
    return make_user(Role.COMPLIANCE_OFFICER, CITY)


@pytest.fixture
def leads(officer, tmp_path):
    load(officer, tmp_path)
    matching.find_leads(actor=officer, region_code=CITY, on=FOUND)
    return {(lead.employer.name, lead.kind): lead for lead in Lead.objects.all()}


def step(officer, case, name, on, **extra):
    return services.take_step(
        actor=officer,
        case_id=case.pk,
        data=services.StepInput(step=name, taken_on=on, officer_name="Maria Theresia", **extra),
    )


def test_the_ladder_with_working_day_deadlines_and_the_fine(officer, leads):
    lead = leads[("SINAR JAYA ABADI PT", "pds_tk")]  # medium by its capital: the ladder
    case = services.open_case(actor=officer, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    assert not case.coaching
    w1 = step(officer, case, "warning_1", dt.date(2026, 6, 2))
    assert w1.letter_number == "560/001/DISNAKER/2026"
    # 10 working days from Tue 2 June 2026: 16 June is a holiday (Islamic New Year).
    assert w1.deadline == dt.date(2026, 6, 17)
    with pytest.raises(Conflict) as early:
        step(officer, case, "warning_2", dt.date(2026, 6, 10))
    assert early.value.problems[0].code == "step_too_early"
    w2 = step(officer, case, "warning_2", dt.date(2026, 6, 18))
    with pytest.raises(Conflict) as order:
        step(officer, case, "kejari", w2.deadline + dt.timedelta(days=1))
    assert order.value.problems[0].code == "step_out_of_order"
    fine = step(officer, case, "fine", w2.deadline + dt.timedelta(days=1))
    owed = fine.figures["owed"]
    assert owed["workers"] == 15 and owed["risk_class"] == 2
    assert fine.figures["fine"]["per_month"] == (owed["owed"] + 500) // 1000  # 0.1 %
    assert fine.figures["fine"]["fine"] == fine.figures["fine"]["per_month"] * owed["months"]
    case.refresh_from_db()
    assert case.fine == fine.figures["fine"]["fine"] and case.step == "fine"
    assert fine.deadline == fine.taken_on + dt.timedelta(days=30)
    # The rate with Indonesian's decimal comma, in the letter and on the case's page.
    letter = PdfReader(io.BytesIO(letters.letter_pdf(fine))).pages[0].extract_text()
    assert "denda sebesar 0,1 % setiap bulan" in letter and "Denda: 0,1 % × Rp" in letter
    assert [fine.letter_number, w2.letter_number] == [
        "560/003/DISNAKER/2026",
        "560/002/DISNAKER/2026",
    ]
    html = render_to_string("compliance/case.html", {"case": case, "steps": [fine]})
    assert "(0,1 % × Rp" in html
    step(officer, case, "withhold", fine.deadline + dt.timedelta(days=1))
    step(officer, case, "kejari", fine.deadline + dt.timedelta(days=2))
    assert list(case.steps.values_list("step", flat=True)) == [
        "warning_1",
        "warning_2",
        "fine",
        "withhold",
        "kejari",
    ]


def test_a_fine_after_its_window_is_refused_and_nothing_is_written(officer, leads):
    lead = leads[("SINAR JAYA ABADI PT", "pds_tk")]
    case = services.open_case(actor=officer, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    step(officer, case, "warning_1", dt.date(2026, 6, 2))
    w2 = step(officer, case, "warning_2", dt.date(2026, 6, 18))
    events_before = AuditEvent.objects.count()
    with pytest.raises(Conflict) as late:
        step(officer, case, "fine", w2.deadline + dt.timedelta(days=31))
    assert late.value.problems[0].code == "step_after_deadline"
    assert CaseStep.objects.filter(case=case).count() == 2
    assert AuditEvent.objects.count() == events_before


def test_a_micro_business_is_coached_first(officer, leads):
    lead = leads[("Bengkel Harapan Motor", "pwbd")]  # 3 workers: micro
    case = services.open_case(actor=officer, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    assert case.coaching
    with pytest.raises(Conflict):
        step(officer, case, "warning_1", dt.date(2026, 6, 2))
    with pytest.raises(ValidationFailed) as no_date:
        step(officer, case, "coaching", dt.date(2026, 6, 3))
    assert no_date.value.problems[0].field == "follow_up"
    visit = step(
        officer,
        case,
        "coaching",
        dt.date(2026, 6, 3),
        follow_up=dt.date(2026, 7, 3),
        notes="Mendaftarkan 3 pekerja lewat kantor cabang.",
    )
    assert visit.deadline == dt.date(2026, 7, 3)
    # Coaching did not work: the ladder starts.
    step(officer, case, "warning_1", dt.date(2026, 7, 6))


def test_a_fine_without_wage_data_is_refused(officer, leads):
    from jaring.compliance.services import PublicReport, report_employer

    lead = report_employer(
        report=PublicReport("Kedai Kopi Asoy", "Jl. Nusa Indah 4", "61.71.01.1002", 4, "")
    )
    Case.objects.all().delete()
    case = services.open_case(actor=officer, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    case.coaching = False
    case.save()
    step(officer, case, "warning_1", dt.date(2026, 6, 2))
    w2 = step(officer, case, "warning_2", dt.date(2026, 6, 18))
    with pytest.raises(ValidationFailed) as refused:
        step(officer, case, "fine", w2.deadline + dt.timedelta(days=1))
    assert refused.value.problems[0].code == "no_wage_data"
    assert refused.value.problems[0].field == "wage"


def test_bpjs_list_showing_the_workers_closes_the_case(officer, leads, tmp_path):
    lead = leads[("SINAR JAYA ABADI PT", "pds_tk")]
    case = services.open_case(actor=officer, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    events.employers_registered.connect(receiver, dispatch_uid="test-heard")
    try:
        fixed = BPJS.replace("NPP-001,,61.71,10,30000000", "NPP-001,,61.71,25,80000000")
        result = sources.import_list(
            actor=officer,
            path=write(tmp_path, "bpjs2.csv", fixed),
            kind=SourceKind.BPJS,
            region_code=CITY,
        )
    finally:
        events.employers_registered.disconnect(dispatch_uid="test-heard")
    assert result.cases_closed == 1
    case.refresh_from_db()
    assert (case.status, case.close_reason) == ("closed", "registered")
    assert (case.workers_added, case.wages_added) == (15, 50_000_000)
    assert heard and heard[0]["workers"] == 15 and heard[0]["regency"] == CITY
    assert Lead.objects.get(pk=lead.pk).status == "resolved"


def test_closing_by_hand_and_a_closed_case_takes_no_step(officer, leads):
    lead = leads[("CV Maju Bersama", "pds_upah")]
    case = services.open_case(actor=officer, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    services.close_case(
        actor=officer,
        case_id=case.pk,
        reason="paid",
        on=dt.date(2026, 6, 5),
        workers_added=0,
        wages_added=8_462_640,
    )
    with pytest.raises(Conflict) as closed:
        step(officer, case, "warning_1", dt.date(2026, 6, 6))
    assert closed.value.problems[0].code == "case_closed"


def test_another_city_cannot_open_or_step(leads):
    other = make_user(Role.COMPLIANCE_OFFICER, "61.72")
    lead = leads[("CV Maju Bersama", "pds_upah")]
    with pytest.raises(Exception) as refused:
        services.open_case(actor=other, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    assert refused.value.problems[0].code == "not_found"


def test_a_viewer_may_not_act(leads):
    viewer = make_user(Role.VIEWER, CITY)
    lead = leads[("CV Maju Bersama", "pds_upah")]
    with pytest.raises(Exception) as refused:
        services.open_case(actor=viewer, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    assert refused.value.problems[0].code == "forbidden"


def test_workers_brought_in_grow_the_wage_earner_segment(officer, leads):
    from jaring.coverage.models import SegmentCount
    from jaring.coverage.services import set_segment_count

    admin = make_user(Role.ADMIN)
    set_segment_count(
        actor=admin,
        region_code=CITY,
        month="2026-05",
        segment="wage_earners",
        participants=1000,
        source="BPJS Kacab Mei",
    )
    lead = leads[("CV Maju Bersama", "pds_upah")]
    case = services.open_case(actor=officer, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    services.close_case(
        actor=officer,
        case_id=case.pk,
        reason="registered",
        on=dt.date(2026, 6, 5),
        workers_added=7,
        wages_added=0,
    )
    june = SegmentCount.objects.get(region_id=CITY, month=dt.date(2026, 6, 1))
    assert june.participants == 1007 and "kepatuhan" in june.source


def test_a_step_or_closing_dated_before_the_case_opened_is_refused(officer, leads):
    lead = leads[("SINAR JAYA ABADI PT", "pds_tk")]
    case = services.open_case(actor=officer, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    for attempt in (
        lambda: step(officer, case, "warning_1", dt.date(2026, 6, 1)),
        lambda: services.close_case(
            actor=officer,
            case_id=case.pk,
            reason="paid",
            on=dt.date(2026, 5, 30),
            workers_added=0,
            wages_added=0,
        ),
    ):
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        assert refused.value.problems[0].field in ("taken_on", "closed_on")
        assert "02-06-2026" in refused.value.problems[0].message_id
    case.refresh_from_db()
    assert case.status == "open" and not case.steps.exists()
