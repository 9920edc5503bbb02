"""The import's review step in a real browser: values not recognised, mapped once for every row."""

import os
import re

import polars as pl
import pytest

from jaring.accounts.models import Role
from jaring.imports.models import ImportBatch, ValueSynonym
from tests.browser.login import enter_login_code
from tests.factories import authenticator, make_user
from tests.imports.conftest import people_cells, write_csv

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    """With JARING_SCREENSHOTS=<dir>: the page at laptop width and at phone width."""
    if not SCREENSHOTS:
        return
    size = page.viewport_size
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(size)


def test_map_a_value_reject_another_and_find_it_remembered(page, live_server, settings, tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72", username="rina", password="rahasia-123")
    authenticator(officer)
    cells = people_cells(6, seed=29)
    jobs = ["Penyadap Sawit", "penyadap sawit", "Astronot", "Nelayan", "Petani", "Ojol"]
    path = write_csv(cells.with_columns(pl.Series("Pekerjaan", jobs)), tmp_path / "kel.csv")

    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("Nama pengguna", exact=True).fill("rina")
    page.get_by_label("Kata sandi", exact=True).fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    enter_login_code(page, officer)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))

    review = page.locator("#values")
    expect(review.get_by_role("heading", name="Isian yang tidak dikenali")).to_be_visible()
    review.get_by_label("“Penyadap Sawit”").select_option("palm_oil_worker")
    review.get_by_label("“Astronot”").select_option("__reject__")
    shot(page, "import-values")
    review.get_by_role("button", name="Terapkan dan periksa ulang").click()

    expect(page.get_by_role("button", name=re.compile(r"Simpan 5 pekerja baru"))).to_be_visible()
    expect(page.locator("#values")).to_contain_text("Ditolak oleh Anda")
    batch = ImportBatch.objects.get()
    assert (batch.counts["new"], batch.counts["rejected"]) == (5, 1)
    assert ValueSynonym.objects.get().code == "palm_oil_worker"

    page.get_by_role("link", name="Padanan isian").click()
    expect(page.get_by_role("heading", name="Padanan isian")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Penyadap Sawit")
    shot(page, "import-synonyms")
    page.locator("form.lang button[value=en]").click()
    expect(page.get_by_role("heading", name="Remembered values")).to_be_visible()
    shot(page, "import-synonyms-en")
    page.goto(f"{live_server.url}/imports/{batch.pk}/")
    expect(page.get_by_role("heading", name="Values not recognised")).to_be_visible()
    shot(page, "import-values-en")
