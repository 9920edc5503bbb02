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
    assert r.status_code == 200 and "categories.0.income_base" in r.content.decode()
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
    r = client.post(
        "/enrolment/bulk/", {"action": "verify", "programme": p.pk, "next": "/enrolment/"}
    )
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
