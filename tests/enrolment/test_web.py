import pytest

from jaring.accounts.models import Role
from jaring.enrolment.models import Membership
from jaring.programs.models import Programme
from tests.factories import PASIRAN, make_user, make_worker
from tests.programs.factories import make_programme

pytestmark = pytest.mark.django_db


def form(**overrides) -> dict:
    data = {
        "name": "Perlindungan Pekerja Rentan 2026",
        "region": "61.72",
        "fiscal_year": "2026",
        "funder": "city_apbd",
        "participation_code": "SG",
        "benefits": "JKK,JKM",
        "budget_ceiling": "100000000",
        "cover_start_rule": "acceptance",
        "min_age": "18",
        "max_age": "65",
        "status": "active",
        "include_fisher": "1",
        "months_fisher": "5",
        "quota_fisher": "10",
        "base_fisher": "1000000",
    }
    data.update(overrides)
    return data


def test_set_up_a_programme_and_enrol_a_village(client, admin):
    client.force_login(admin)
    r = client.post("/programmes/new/", form(base_fisher="2500000"))
    # Refused in words (the income base the rate table does not define), not by field code.
    page = r.content.decode()
    assert r.status_code == 200 and 'role="alert"' in page and "Rp2.500.000" in page
    assert "categories.0.income_base" not in page and not Programme.objects.exists()
    r = client.post("/programmes/new/", form())
    p = Programme.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/programmes/{p.pk}/"
    make_worker(admin, PASIRAN)
    make_worker(admin, PASIRAN, category_code="trader")
    page = client.get(f"/programmes/{p.pk}/eligibility/?eligible=no").content.decode()
    assert "Kategori pekerjaannya tidak termasuk program ini." in page
    everyone = {"village": PASIRAN, "reason": "Pasiran", "selection": "all"}
    r = client.post(f"/programmes/{p.pk}/eligibility/", everyone)
    # The preview: how many, the cost (5 months × Rp16.800) against what remains; nothing yet.
    assert r.status_code == 200 and Membership.objects.count() == 0
    assert 'data-enrolling="1"' in r.content.decode() and "Rp84.000" in r.content.decode()
    r = client.post(f"/programmes/{p.pk}/eligibility/", everyone | {"step": "confirm"})
    assert r.status_code == 302 and Membership.objects.count() == 1
    page = client.get(f"/programmes/{p.pk}/?budget=840000&category=fisher").content.decode()
    assert "<strong>10</strong>" in page
    verify = {"action": "verify", "programme": p.pk, "next": "/enrolment/", "selection": "all"}
    r = client.post("/enrolment/bulk/", verify)
    assert r.status_code == 200 and 'data-count="1"' in r.content.decode()
    assert Membership.objects.get().status == "candidate"  # rehearsed, not done
    r = client.post("/enrolment/bulk/", verify | {"step": "confirm"})
    assert r.status_code == 302 and Membership.objects.get().status == "verified"
    assert client.get("/enrolment/?status=verified").status_code == 200
    assert client.get(f"/enrolment/{Membership.objects.get().pk}/").status_code == 200
    r = client.post(f"/programmes/{p.pk}/copy/")
    assert Programme.objects.filter(fiscal_year=2027).exists()


def test_pages_are_scoped(client, admin):
    p = make_programme(admin)
    client.force_login(make_user(Role.PROGRAMME_OFFICER, "61.71"))
    assert client.get(f"/programmes/{p.pk}/").status_code == 404
    assert client.get(f"/programmes/{p.pk}/eligibility/").status_code == 404
    assert p.name not in client.get("/programmes/").content.decode()


def test_enrol_a_hand_picked_selection_after_its_preview(client, admin):
    """Only the ticked workers are previewed and enrolled; nothing ticked is asked again."""
    p = make_programme(admin)
    client.force_login(admin)
    picked, other = make_worker(admin, PASIRAN), make_worker(admin, PASIRAN)
    url = f"/programmes/{p.pk}/eligibility/"
    r = client.post(url, {"selection": "ticked"})
    assert r.status_code == 302 and Membership.objects.count() == 0
    r = client.post(url, {"selection": "ticked", "worker": [picked.pk]})
    page = r.content.decode()
    assert 'data-enrolling="1"' in page and picked.full_name in page
    r = client.post(url, {"selection": "ticked", "worker": [picked.pk], "step": "confirm"})
    assert r.status_code == 302
    assert list(Membership.objects.values_list("worker_id", flat=True)) == [picked.pk]
    assert other.pk not in Membership.objects.values_list("worker_id", flat=True)


def test_the_preview_of_an_enrolment_over_the_ceiling_says_so_once(client, admin):
    p = make_programme(admin)
    Programme.objects.filter(pk=p.pk).update(budget_ceiling=1_000)
    client.force_login(admin)
    make_worker(admin, PASIRAN)
    make_worker(admin, PASIRAN)
    r = client.post(f"/programmes/{p.pk}/eligibility/", {"selection": "all"})
    page = r.content.decode()
    assert page.count('role="alert"') == 1 and "melebihi pagu" in page
    assert 'id="confirm"' not in page and Membership.objects.count() == 0


def test_ending_applies_to_the_ticked_memberships_only_after_the_preview(client, admin):
    """The list's default filter is everything: ending asks for a selection, shows it, and
    ends only what was ticked."""
    p = make_programme(admin)
    client.force_login(admin)
    for _ in range(3):
        make_worker(admin, PASIRAN)
    client.post(f"/programmes/{p.pk}/eligibility/", {"selection": "all", "step": "confirm"})
    first = Membership.objects.order_by("pk").first()
    end = {"action": "end", "end_reason": "withdrawn", "next": "/enrolment/"}
    r = client.post("/enrolment/bulk/", end)  # nothing ticked: asked again, nothing ended
    assert r.status_code == 302 and not Membership.objects.filter(status="ended").exists()
    r = client.post("/enrolment/bulk/", end | {"membership": [first.pk]})
    assert 'data-count="1"' in r.content.decode() and first.worker.full_name in r.content.decode()
    client.post("/enrolment/bulk/", end | {"membership": [first.pk], "step": "confirm"})
    assert list(Membership.objects.filter(status="ended")) == [first]


def test_a_programme_planned_over_its_ceiling_is_saved_only_when_the_officer_says_so(client, admin):
    """10 fishers × 5 months × Rp16.800 = Rp840.000 planned against a ceiling of Rp500.000."""
    client.force_login(admin)
    over = form(budget_ceiling="500000")
    r = client.post("/programmes/new/", over)
    page = r.content.decode()
    assert r.status_code == 200 and not Programme.objects.exists()
    assert 'id="over-ceiling"' in page and "Rp840.000" in page and "Rp340.000" in page
    r = client.post("/programmes/new/", over | {"over_ceiling_ok": "1"})
    assert r.status_code == 302 and Programme.objects.get().budget_ceiling == 500_000
    # Within the ceiling nothing is asked.
    r = client.post("/programmes/new/", form(name="Nelayan 2026", budget_ceiling="840000"))
    assert r.status_code == 302 and Programme.objects.count() == 2
