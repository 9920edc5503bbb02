from tests.factories import PASIRAN, ROBAN
from tests.web.conftest import client_for


def test_village_select_follows_the_district_within_scope(officer, enumerator):
    body = client_for(officer).get("/regions/village-select/?district=61.72.02").content.decode()
    assert body.startswith("<select") and 'id="id_village"' in body
    assert PASIRAN in body and ROBAN not in body
    # Another city's district gives an empty list, not its villages.
    other = client_for(officer).get("/regions/village-select/?district=61.71.01").content
    assert b"61.71.01.1001" not in other
    # An enumerator of one village is offered that village only.
    own = client_for(enumerator).get("/regions/village-select/?district=61.72.02").content
    assert own.count(b"<option") == 2


def test_national_user_picks_a_province_first(admin):
    body = client_for(admin).get("/regions/district-select/?province=61").content.decode()
    assert '<optgroup label="Kota Singkawang">' in body
    assert "61.72.02" in body
    assert 'hx-swap-oob="true"' in body  # the village select is emptied too
