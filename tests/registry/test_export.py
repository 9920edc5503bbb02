import csv
import io

from jaring.core.cells import safe_cell
from jaring.registry.models import Worker
from jaring.rules.nik import mask
from tests.factories import PASIRAN, ROBAN, make_worker
from tests.web.conftest import client_for


def rows(response) -> list[dict[str, str]]:
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_uses_the_list_filters_and_streams(officer, admin):
    make_worker(admin, PASIRAN, full_name="Siti Aminah", sex="F")
    make_worker(admin, ROBAN, full_name="Ahmad Yani", has_disability=True, disability_kind="mental")
    response = client_for(officer).get("/workers/export.csv?disability=yes")
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="workers-')
    found = rows(response)
    assert [r["full_name"] for r in found] == ["Ahmad Yani"]
    assert found[0]["village_name"] == "Roban"
    assert found[0]["disability_kind"] == "mental"


def test_viewer_export_masks_the_nik(viewer, admin):
    worker = make_worker(admin, PASIRAN)
    found = rows(client_for(viewer).get("/workers/export.csv"))
    assert [r["nik"] for r in found] == [mask(worker.nik)]


def test_formula_cells_are_escaped(officer, admin):
    worker = make_worker(admin, PASIRAN, full_name="Budi", address="@SUM(A1)")
    # The registry refuses such a name now; one stored before must still export as text.
    Worker.objects.filter(pk=worker.pk).update(full_name='=HYPERLINK("http://x")')
    found = rows(client_for(officer).get("/workers/export.csv"))[0]
    assert found["full_name"] == '\'=HYPERLINK("http://x")'
    assert found["address"] == "'@SUM(A1)"


def test_safe_cell():
    assert safe_cell("+62812") == "'+62812"
    assert safe_cell("-1") == "'-1"
    assert safe_cell("Budi") == "Budi"
    assert safe_cell(None) == ""
    assert safe_cell(1500000) == "1500000"


def test_a_viewer_sees_phone_numbers_masked_in_the_export_the_api_and_the_page(viewer, admin):
    from jaring.registry import services

    worker = make_worker(admin, PASIRAN, phone="081234567890")
    services.update_worker(
        actor=admin, worker=worker, changes={"phone": "085712345678"}, reason="nomor baru"
    )
    web = client_for(viewer)
    [row] = rows(web.get("/workers/export.csv"))
    assert row["phone"] == "'+62857******78"  # stored as +62, escaped as a cell
    page = web.get(f"/workers/{worker.pk}/").content.decode()
    assert "+62857******78" in page and "+62812******90" in page  # the page and its history
    assert "85712345678" not in page and "81234567890" not in page
    api = web.get(f"/api/workers/{worker.pk}").json()
    assert api["phone"] == "+62857******78"
    history = web.get(f"/api/workers/{worker.pk}/history").content.decode()
    assert "81234567890" not in history and "+62812******90" in history
    # Who may see whole NIKs sees the whole number.
    [whole] = rows(client_for(admin).get("/workers/export.csv"))
    assert whole["phone"] == "'+6285712345678"
