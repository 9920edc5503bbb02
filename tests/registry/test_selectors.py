import pytest

from jaring.accounts.masking import display_nik
from jaring.accounts.models import Role
from jaring.registry.models import Worker
from jaring.registry.selectors import WorkerFilter, get_worker, search_workers
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(w.full_name for w in qs)


def test_each_scope_level_sees_its_own_region(three_workers, enumerator, admin):
    province = make_user(Role.PROGRAMME_OFFICER, "61")
    city = make_user(Role.PROGRAMME_OFFICER, "61.72")
    district = make_user(Role.PROGRAMME_OFFICER, "61.72.02")
    everyone = ["Ahmad Yani", "Lim Ah Kiong", "Siti Aminah"]
    assert names(search_workers(admin, WorkerFilter())) == everyone
    assert names(search_workers(province, WorkerFilter())) == everyone
    assert names(search_workers(city, WorkerFilter())) == ["Ahmad Yani", "Siti Aminah"]
    assert names(search_workers(district, WorkerFilter())) == ["Siti Aminah"]
    assert names(search_workers(enumerator, WorkerFilter())) == ["Siti Aminah"]


def test_a_non_admin_without_scope_sees_nothing(three_workers):
    lost = make_user(Role.PROGRAMME_OFFICER, None)
    assert names(search_workers(lost, WorkerFilter())) == []


def test_enumerator_cannot_find_another_village_by_name_or_nik(three_workers, enumerator):
    other = three_workers["other_district"]
    assert not search_workers(enumerator, WorkerFilter(q=other.nik)).exists()
    assert not search_workers(enumerator, WorkerFilter(q="Ahmad")).exists()
    assert not search_workers(enumerator, WorkerFilter(village=other.village_id)).exists()
    assert get_worker(enumerator, other.pk) is None


def test_search_by_name_prefix_and_nik(three_workers, admin):
    siti = three_workers["own"]
    assert names(search_workers(admin, WorkerFilter(q="siti"))) == ["Siti Aminah"]
    assert names(search_workers(admin, WorkerFilter(q="SITI AM"))) == ["Siti Aminah"]
    assert names(search_workers(admin, WorkerFilter(q=siti.nik))) == ["Siti Aminah"]
    assert names(search_workers(admin, WorkerFilter(q=siti.nik[:8]))) == ["Siti Aminah"]


def test_viewer_sees_masked_niks_and_cannot_search_by_nik_prefix(three_workers, viewer):
    siti = three_workers["own"]
    assert display_nik(viewer, siti.nik) == siti.nik[:4] + "********" + siti.nik[12:]
    assert not search_workers(viewer, WorkerFilter(q=siti.nik[:8])).exists()
    assert names(search_workers(viewer, WorkerFilter(q=siti.nik))) == ["Siti Aminah"]


def test_filters(three_workers, admin):
    assert names(search_workers(admin, WorkerFilter(district="61.72.01"))) == ["Ahmad Yani"]
    assert names(search_workers(admin, WorkerFilter(disability="yes"))) == []
    assert len(names(search_workers(admin, WorkerFilter(category="fisher")))) == 3


def test_a_merged_record_leaves_lists_but_keeps_its_page(three_workers, admin):
    own, other = three_workers["own"], three_workers["other_district"]
    Worker.objects.filter(pk=other.pk).update(merged_into=own)
    assert names(search_workers(admin, WorkerFilter())) == ["Lim Ah Kiong", "Siti Aminah"]
    assert not search_workers(admin, WorkerFilter(q=other.nik)).exists()
    assert get_worker(admin, other.pk) == other
