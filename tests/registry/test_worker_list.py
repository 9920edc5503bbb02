import itertools

import pytest

from jaring.accounts.models import Role
from jaring.rules.nik import mask
from jaring.web import paging
from tests.factories import PASIRAN, ROBAN, make_user, make_worker
from tests.querycount import assert_flat
from tests.web.conftest import client_for


def names(response) -> list[str]:
    return [w.full_name for w in response.context["page"].rows]


@pytest.fixture
def city_workers(admin):
    return [
        make_worker(admin, PASIRAN, full_name="Siti Aminah", sex="F", category_code="trader"),
        make_worker(admin, PASIRAN, full_name="Sutrisno", category_code="fisher"),
        make_worker(
            admin,
            ROBAN,
            full_name="Ahmad Yani",
            has_disability=True,
            disability_kind="physical",
        ),
    ]


def test_root_redirects_to_the_list_and_the_list_needs_a_login(db, client):
    assert client.get("/").url == "/workers/"
    response = client.get("/workers/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_list_shows_the_workers_in_scope_sorted_by_name(officer, city_workers):
    response = client_for(officer).get("/workers/")
    assert response.status_code == 200
    assert names(response) == ["Ahmad Yani", "Siti Aminah", "Sutrisno"]
    assert city_workers[0].nik.encode() in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=siti", ["Siti Aminah"]),
        ("q=SU", ["Sutrisno"]),
        ("district=61.72.01", ["Ahmad Yani"]),
        ("district=61.72.02&village=61.72.02.1001", ["Siti Aminah", "Sutrisno"]),
        ("category=trader", ["Siti Aminah"]),
        ("disability=yes", ["Ahmad Yani"]),
        ("disability=no", ["Siti Aminah", "Sutrisno"]),
        # A village left over from another district is dropped, not an empty list.
        ("district=61.72.01&village=61.72.02.1001", ["Ahmad Yani"]),
    ],
)
def test_search_and_filters(officer, city_workers, query, expected):
    assert names(client_for(officer).get(f"/workers/?{query}")) == expected


def test_search_by_nik_whole_and_by_prefix(officer, city_workers):
    client = client_for(officer)
    nik = city_workers[2].nik
    assert names(client.get(f"/workers/?q={nik}")) == ["Ahmad Yani"]
    assert "Ahmad Yani" in names(client.get(f"/workers/?q={nik[:10]}"))
    dotted = f"{nik[:6]}.{nik[6:12]}.{nik[12:]}"
    assert names(client.get(f"/workers/?q={dotted}")) == ["Ahmad Yani"]


def test_htmx_request_gets_only_the_table(officer, city_workers):
    response = client_for(officer).get(
        "/workers/?q=siti", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    body = response.content.decode()
    assert "Siti Aminah" in body
    assert "<html" not in body
    assert 'name="district"' not in body


def test_pagination_50_per_page_with_plain_get_links(officer, admin, monkeypatch):
    for i in range(53):
        make_worker(admin, PASIRAN, full_name=f"Pekerja {i:02d}")
    client = client_for(officer)
    first = client.get("/workers/?q=pekerja")
    assert len(first.context["page"].rows) == 50
    assert first.context["page"].has_next
    assert b'href="?q=pekerja&amp;page=2"' in first.content
    second = client.get("/workers/?q=pekerja&page=2")
    assert names(second) == ["Pekerja 50", "Pekerja 51", "Pekerja 52"]
    assert not second.context["page"].has_next
    assert second.context["page"].total == 53
    assert client.get("/workers/?page=abc").status_code == 200
    # Counting stops at a cap, so a huge registry never pays for COUNT(*) over everything.
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    capped = client.get("/workers/?q=pekerja").content.decode()
    assert "Menampilkan 1–50" in capped and "dari lebih dari 10 pekerja" in capped


def test_district_and_village_choices_stay_inside_the_scope(enumerator, officer):
    form = client_for(enumerator).get("/workers/?district=61.72.02").context["form"]
    assert [c for c, _ in form.fields["district"].choices] == ["", "61.72.02"]
    assert [c for c, _ in form.fields["village"].choices] == ["", PASIRAN]
    city = client_for(officer).get("/workers/").context["form"]
    districts = [c for c, _ in city.fields["district"].choices if c]
    assert districts == ["61.72.01", "61.72.02", "61.72.03", "61.72.04", "61.72.05"]


def test_list_query_count_does_not_grow_with_rows(officer, admin, django_assert_max_num_queries):
    names = (f"Pekerja {i:02d}" for i in itertools.count())
    client = client_for(officer)
    # session, user, scope region, districts, villages, categories, rows, capped count, and the
    # read audit's event and NIKs
    assert_flat(
        lambda: client.get("/workers/?district=61.72.02&page=1"),
        lambda: make_worker(admin, PASIRAN, full_name=next(names)),
        more=29,
        shown=lambda r: len(r.context["page"].rows),
        at_most=11,
    )
    for _ in range(30):
        make_worker(admin, ROBAN, full_name=next(names))
    with django_assert_max_num_queries(11):
        client.get("/workers/?page=2")


def test_viewer_sees_masked_niks_and_cannot_search_by_prefix(viewer, city_workers):
    client = client_for(viewer)
    response = client.get("/workers/")
    for w in city_workers:
        assert w.nik.encode() not in response.content
        assert mask(w.nik).encode() in response.content
    nik = city_workers[0].nik
    assert names(client.get(f"/workers/?q={nik[:8]}")) == []
    assert names(client.get(f"/workers/?q={nik}")) == ["Siti Aminah"]


def test_register_button_only_for_editors(viewer, officer):
    assert b"/workers/new/" not in client_for(viewer).get("/workers/").content
    assert b"/workers/new/" in client_for(officer).get("/workers/").content
    bpjs = make_user(Role.BPJS_OFFICER, "61.72")
    assert b"/workers/new/" not in client_for(bpjs).get("/workers/").content
