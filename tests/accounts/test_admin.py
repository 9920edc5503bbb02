"""The admin site: administrators only, scoped like everything else, edits audited."""

import pytest

from jaring.accounts.audit import history
from jaring.accounts.models import ApiToken, AuditEvent, Role, User
from jaring.accounts.services import create_token
from jaring.registry.models import Worker
from tests.factories import PASIRAN, ROBAN, make_user, worker_input
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

WORKERS = "/admin/registry/worker/"


@pytest.fixture
def district_admin(db):
    """An administrator of Singkawang Barat only (Pasiran is in it, Roban is not)."""
    return make_user(Role.ADMIN, "61.72.02")


def form(worker: Worker, **changes) -> dict[str, object]:
    data = {
        "nik": worker.nik,
        "full_name": worker.full_name,
        "birth_date": worker.birth_date.isoformat(),
        "sex": worker.sex,
        "village": worker.village_id,
        "rt": worker.rt,
        "rw": worker.rw,
        "address": worker.address,
        "phone": worker.phone,
        "category": worker.category_id,
        "disability_kind": worker.disability_kind,
        "declared_income": worker.declared_income or "",
        "consent_date": "",
        "nik_override_reason": worker.nik_override_reason,
        "change_reason": "",
        "_save": "Save",
    }
    if worker.has_disability:
        data["has_disability"] = "on"
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "role",
    [r for r in Role.values if r != Role.ADMIN],
)
def test_only_the_admin_role_enters_even_with_the_staff_flag(role, three_workers):
    user = make_user(role, "61.72")
    User.objects.filter(pk=user.pk).update(is_staff=True)
    c = client_for(user)
    for path in ("/admin/", WORKERS, f"{WORKERS}{three_workers['own'].pk}/change/"):
        response = c.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_a_superuser_without_the_admin_role_is_refused(three_workers):
    user = make_user(Role.VIEWER, None)
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    assert client_for(user).get(WORKERS).status_code == 302


def test_a_national_admin_sees_every_worker(admin, three_workers):
    page = client_for(admin).get(WORKERS).content.decode()
    assert all(w.full_name in page for w in three_workers.values())


def test_a_scoped_admin_sees_only_its_region(district_admin, three_workers):
    c = client_for(district_admin)
    page = c.get(WORKERS).content.decode()
    assert "Siti Aminah" in page
    assert "Ahmad Yani" not in page and "Lim Ah Kiong" not in page
    ahmad = three_workers["other_district"]
    assert "Ahmad Yani" not in c.get(WORKERS, {"q": ahmad.nik}).content.decode()
    assert "Ahmad Yani" not in c.get(WORKERS, {"q": "ahmad"}).content.decode()
    for path in (f"{WORKERS}{ahmad.pk}/change/", f"{WORKERS}{ahmad.pk}/history/"):
        response = c.get(path, follow=True)
        assert "Ahmad Yani" not in response.content.decode()
        assert response.redirect_chain[0][0] == "/admin/"
    response = c.post(f"{WORKERS}{ahmad.pk}/change/", form(ahmad, address="taken over"))
    assert response.status_code == 302
    ahmad.refresh_from_db()
    assert ahmad.address == ""


def test_a_scoped_admin_cannot_move_a_worker_out_of_its_region(district_admin, three_workers):
    siti = three_workers["own"]
    response = client_for(district_admin).post(
        f"{WORKERS}{siti.pk}/change/", form(siti, village=ROBAN)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["village"] == [
        "Kelurahan/desa ini di luar wilayah kerja Anda."
    ]
    siti.refresh_from_db()
    assert siti.village_id == PASIRAN


def test_an_admin_edit_is_audited_with_its_reason(admin, three_workers):
    siti = three_workers["own"]
    response = client_for(admin).post(
        f"{WORKERS}{siti.pk}/change/",
        form(siti, address="Jl. Niaga 3", rt="4", change_reason="checked at the kelurahan"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    siti.refresh_from_db()
    assert (siti.address, siti.rt) == ("Jl. Niaga 3", "004")
    latest = history(siti)[0]
    assert (latest.action, latest.actor, latest.reason) == (
        "update",
        admin,
        "checked at the kelurahan",
    )
    assert latest.after == {"address": "Jl. Niaga 3", "rt": "004"}


def test_an_unchanged_save_adds_no_history(admin, three_workers):
    siti = three_workers["own"]
    assert client_for(admin).post(f"{WORKERS}{siti.pk}/change/", form(siti)).status_code == 302
    assert len(history(siti)) == 1


def test_an_admin_edit_with_bad_fields_shows_them_and_changes_nothing(admin, three_workers):
    siti, ahmad = three_workers["own"], three_workers["other_district"]
    c = client_for(admin)
    response = c.post(f"{WORKERS}{siti.pk}/change/", form(siti, nik="617202", rw="abc"))
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"nik", "rw"}
    response = c.post(
        f"{WORKERS}{siti.pk}/change/",
        form(siti, nik=ahmad.nik, birth_date=ahmad.birth_date.isoformat(), sex=ahmad.sex),
    )
    assert response.context["adminform"].form.errors["nik"] == ["NIK ini sudah terdaftar."]
    siti.refresh_from_db()
    assert (siti.nik, siti.rw) == (three_workers["own"].nik, "002")
    assert len(history(siti)) == 1


def test_an_admin_adds_a_worker_through_the_service(admin):
    data = worker_input(PASIRAN, full_name="Rina Marlina", sex="F")
    stub = Worker(
        nik=data.nik,
        full_name=data.full_name,
        birth_date=data.birth_date,
        sex=data.sex,
        village_id=PASIRAN,
        rt="1",
        rw="2",
        phone="081234567890",
        category_id="trader",
    )
    response = client_for(admin).post(f"{WORKERS}add/", form(stub))
    assert response.status_code == 302
    worker = Worker.objects.get(nik=data.nik)
    assert (worker.source, worker.created_by, worker.rt) == ("Admin", admin, "001")
    assert [e.action for e in history(worker)] == ["create"]


def test_workers_cannot_be_deleted_in_the_admin(admin, three_workers):
    siti = three_workers["own"]
    assert client_for(admin).post(f"{WORKERS}{siti.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Worker.objects.filter(pk=siti.pk).exists()


def test_regions_and_audit_are_read_only(admin, three_workers):
    c = client_for(admin)
    assert c.get("/admin/regions/region/", {"q": "Pasiran"}).status_code == 200
    assert c.get("/admin/regions/region/add/").status_code == 403
    assert c.post(f"/admin/regions/region/{PASIRAN}/change/", {"name": "X"}).status_code == 403
    assert c.get("/admin/regions/regiondataset/").status_code == 200
    event = AuditEvent.objects.first()
    assert c.get(f"/admin/accounts/auditevent/{event.pk}/change/").status_code == 200
    assert (
        c.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    )


def test_scoped_admin_sees_the_audit_of_its_region_only(district_admin, three_workers):
    page = client_for(district_admin).get("/admin/accounts/auditevent/").content.decode()
    assert PASIRAN in page and ROBAN not in page


def test_token_admin_never_shows_the_key_and_deletes_by_revoking(admin, enumerator):
    token, key = create_token(user=enumerator, name="tablet")
    c = client_for(admin)
    for path in ("/admin/accounts/apitoken/", f"/admin/accounts/apitoken/{token.pk}/change/"):
        page = c.get(path).content.decode()
        assert "tablet" in page
        assert key not in page and token.key_hash not in page
    assert c.get("/admin/accounts/apitoken/add/").status_code == 403
    c.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action="token_revoke", actor=admin).exists()


def test_user_admin_shows_role_and_scope_and_keeps_a_scoped_admin_inside(district_admin):
    inside = make_user(Role.ENUMERATOR, PASIRAN, username="enum-pasiran")
    make_user(Role.ENUMERATOR, ROBAN, username="enum-roban")
    c = client_for(district_admin)
    page = c.get("/admin/accounts/user/").content.decode()
    assert "enum-pasiran" in page and "enum-roban" not in page

    def change(scope):
        return c.post(
            f"/admin/accounts/user/{inside.pk}/change/",
            {
                "username": inside.username,
                "role": Role.ENUMERATOR,
                "scope": scope,
                "is_active": "on",
                "_save": "Save",
            },
        )

    for scope in (ROBAN, ""):
        response = change(scope)
        assert response.status_code == 200
        assert "scope" in response.context["adminform"].form.errors
        inside.refresh_from_db()
        assert inside.scope_id == PASIRAN
    assert change("61.72.02.1002").status_code == 302
    inside.refresh_from_db()
    assert inside.scope_id == "61.72.02.1002"


def test_giving_the_admin_role_grants_the_staff_flag(admin):
    user = make_user(Role.ENUMERATOR, PASIRAN, username="promoted")
    client_for(admin).post(
        f"/admin/accounts/user/{user.pk}/change/",
        {"username": "promoted", "role": Role.ADMIN, "scope": PASIRAN, "is_active": "on"},
    )
    user = User.objects.get(pk=user.pk)
    assert (user.role, user.is_staff) == (Role.ADMIN, True)
