"""The hand-over list, the choice, the self-payment page, the public page and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.continuity.models import HandoverChoice, SelfPayCover, SelfPayment
from jaring.rules.months import add_months
from tests.continuity.setup import DISCOUNTED, funded_member, pay, programme_of, self_payer
from tests.contributions.setup import member
from tests.factories import make_user
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def ending_soon(admin, **worker):
    """A member whose 5-month cover ends nine days from today."""
    start = add_months(timezone.localdate(), -5) + dt.timedelta(days=10)
    return member(admin, programme_of(admin), start, **worker)


def test_the_hand_over_list_and_api_make_no_query_per_member(admin, api):
    web, caller = client_for(admin), api(admin)
    assert_flat(lambda: web.get("/continuity/"), lambda: ending_soon(admin))
    assert_flat(
        lambda: caller.get("/api/continuity/handover"),
        lambda: ending_soon(admin),
        shown=lambda r: len(r.json()),
    )
    villages = caller.get("/api/continuity/handover/villages").json()
    assert villages[0]["ending"] == villages[0]["undecided"] > 0


def test_self_paying_members_page_and_api_make_no_query_per_member(admin, api):
    web, caller = client_for(admin), api(admin)
    assert_flat(lambda: web.get("/continuity/self-paid/"), lambda: self_payer(admin))
    assert_flat(
        lambda: caller.get("/api/continuity/covers"),
        lambda: self_payer(admin),
        shown=lambda r: len(r.json()),
    )


def test_a_members_self_payment_page_lists_months_in_flat_queries(admin):
    cover = self_payer(admin)
    web = client_for(admin)
    paid = iter(range(1, 20))

    def one_more_month():
        n = next(paid)
        pay(cover, 1, DISCOUNTED, f"TRF-{n}", dt.date(2026, 6, 10))

    assert_flat(lambda: web.get(f"/continuity/self-paid/{cover.pk}/"), one_more_month)


def test_recording_a_choice_on_the_page_shows_the_refusal_on_its_field(admin):
    m = ending_soon(admin)
    web = client_for(admin)
    response = web.post(f"/continuity/choose/{m.pk}/", {"choice": "self_paid", "channel": "bank"})
    assert response.status_code == 200
    assert response.context["form"].errors["income"]
    assert not HandoverChoice.objects.exists()
    response = web.post(
        f"/continuity/choose/{m.pk}/",
        {"choice": "self_paid", "channel": "bank", "income": "1000000"},
    )
    cover = SelfPayCover.objects.get()
    assert response.status_code == 302 and response.url == f"/continuity/self-paid/{cover.pk}/"


def test_a_wrong_amount_on_the_self_payment_page_is_refused_and_nothing_is_paid(admin):
    cover = self_payer(admin)
    web = client_for(admin)
    response = web.post(
        f"/continuity/self-paid/{cover.pk}/",
        {
            "months": "1",
            "amount": "16800",
            "channel": "bank",
            "reference": "TRF-1",
            "paid_on": "2026-06-10",
        },
    )
    assert response.status_code == 200
    assert "8.400" in str(response.context["form"].errors["amount"])
    assert not SelfPayment.objects.exists()


def test_a_viewer_sees_the_list_but_may_not_record(admin):
    viewer = make_user(Role.VIEWER, "61.72")
    m = ending_soon(admin)
    web = client_for(viewer)
    assert web.get("/continuity/").status_code == 200
    response = web.post(f"/continuity/choose/{m.pk}/", {"choice": "stop"})
    assert response.status_code == 404
    assert not HandoverChoice.objects.exists()


def test_the_worker_records_a_choice_on_the_public_page(admin):
    m = ending_soon(admin)
    public = Client()
    page = public.get("/lanjut/")
    assert page.status_code == 200
    wrong = public.post(
        "/lanjut/",
        {"nik": m.worker.nik, "birth_date": "1900-01-01", "choice": "stop"},
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors["nik"]
    right = public.post(
        "/lanjut/",
        {
            "nik": m.worker.nik,
            "birth_date": m.worker.birth_date.isoformat(),
            "choice": "self_paid",
            "income": "1000000",
            "channel": "cash_agent",
        },
    )
    assert right.status_code == 200 and b'data-answer="recorded"' in right.content
    assert HandoverChoice.objects.get().via == "worker"


def test_the_api_records_a_choice_and_a_payment_and_refuses_bad_input(admin, api):
    caller = api(admin)
    m = ending_soon(admin)
    bad = caller.post(
        "/api/continuity/choices", {"membership_id": m.pk, "choice": "self_paid", "channel": "x"}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "channel"
    unknown = caller.post("/api/continuity/choices", {"membership_id": m.pk, "choise": "stop"})
    assert unknown.status_code == 422
    cover = self_payer(admin, funded_member(admin))
    body = {
        "months": 1,
        "amount": 16_800,
        "channel": "bank",
        "reference": "TRF-API",
        "paid_on": "2026-06-10",
    }
    wrong = caller.post(f"/api/continuity/covers/{cover.pk}/payments", body)
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "amount"
    ok = caller.post(f"/api/continuity/covers/{cover.pk}/payments", body | {"amount": DISCOUNTED})
    assert ok.status_code == 201, ok.content
    again = caller.post(
        f"/api/continuity/covers/{cover.pk}/payments", body | {"amount": DISCOUNTED}
    )
    assert again.status_code == 409
    assert SelfPayment.objects.count() == 1
    detail = caller.get(f"/api/continuity/covers/{cover.pk}").json()
    assert detail["paid_through"] == "2026-06"
    assert [m["status"] for m in detail["months"]] == ["paid"]


def test_retention_of_another_city_is_not_found(api):
    officer = make_user(Role.PROGRAMME_OFFICER, "61.71")
    response = api(officer).get("/api/continuity/retention", region="61.72", month="2026-06")
    assert response.status_code == 404


def test_reminders_go_to_the_registered_senders_for_members_who_did_not_choose(admin, monkeypatch):
    from jaring.continuity import reminders, services

    undecided = ending_soon(admin)
    decided = ending_soon(admin)
    services.record_choice(actor=admin, membership_id=decided.pk, data=services.ChoiceInput("stop"))
    got = []
    monkeypatch.setattr(reminders, "_senders", [lambda due: got.extend(due) or len(due)])
    assert reminders.remind_ending(actor=admin) == (1, 1)
    assert [r.membership_id for r in got] == [undecided.pk]
    assert not hasattr(got[0], "nik")


def test_the_dashboard_counts_self_payers_and_shows_retention(admin):
    from jaring.coverage import dashboard
    from jaring.regions.models import Region

    cover = self_payer(admin)
    pay(cover, 1, DISCOUNTED, "TRF-D", dt.date(2026, 6, 10))
    data = dashboard.compute(Region.objects.get(code="61.72"), dt.date(2026, 6, 1))
    segments = {s["code"]: s["participants"] for s in data["segments"]}
    assert segments["jaring_self_paid"] == 1
    assert data["coverage"]["jaring_self_paid"] == 1
    assert data["retention"]["continued_self_paid"] == 1
    assert data["money"]["self_payments"] == DISCOUNTED


def test_the_dashboard_page_shows_retention_and_self_payments_apart(admin):
    cover = self_payer(admin)
    pay(cover, 1, DISCOUNTED, "TRF-P", dt.date(2026, 6, 10))
    body = client_for(admin).get("/coverage/61.72/?month=2026-06").content.decode()
    assert 'id="retention"' in body and 'id="retention-self-paid">1<' in body
    assert 'id="money-self-paid">Rp8.400<' in body


def test_stopping_on_the_page_and_over_the_api(admin, api):
    web = client_for(admin)
    cover = self_payer(admin)
    response = web.post(f"/continuity/self-paid/{cover.pk}/", {"action": "stop"})
    assert response.status_code == 302
    cover.refresh_from_db()
    assert cover.status == "stopped"
    again = api(admin).post(f"/api/continuity/covers/{cover.pk}/stop", {})
    assert again.status_code == 409
