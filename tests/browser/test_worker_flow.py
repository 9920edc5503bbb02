"""An officer's day in a real browser: log in, find a worker, correct them, read the history."""

import os
import re

import pytest

from jaring.accounts.models import Role
from tests.browser.login import enter_login_code
from tests.factories import PASIRAN, ROBAN, authenticator, make_user, make_worker

# Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def shot(page, name: str) -> None:
    """With JARING_SCREENSHOTS=<dir>: the page at laptop width and at tablet width."""
    if not SCREENSHOTS:
        return
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 760, "height": 1000})
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}-narrow.png"), full_page=True)
    page.set_viewport_size(size)


def test_log_in_search_edit_and_see_the_history(page, live_server):
    from playwright.sync_api import expect

    officer = make_user(
        Role.PROGRAMME_OFFICER,
        "61.72",
        username="rina",
        password="rahasia-123",
        first_name="Rina",
        last_name="Wulandari",
    )
    make_worker(officer, PASIRAN, full_name="Siti Aminah", sex="F", category_code="trader")
    make_worker(
        officer, ROBAN, full_name="Ahmad Yani", has_disability=True, disability_kind="physical"
    )
    for i, name in enumerate(["Budi Santoso", "Dewi Lestari", "Hendra Gunawan", "Lim Ah Kiong"]):
        make_worker(officer, PASIRAN if i % 2 else ROBAN, full_name=name)
    authenticator(officer)  # set up at an earlier login (tests/browser/test_login_steps.py)

    page.goto(f"{live_server.url}/workers/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/workers/"))
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    page.get_by_label("Nama pengguna", exact=True).fill("rina")
    page.get_by_label("Kata sandi", exact=True).fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    enter_login_code(page, officer)

    expect(page.get_by_role("heading", name="Pekerja")).to_be_visible()
    expect(page.locator(".topbar")).to_contain_text("Petugas program · Kota Singkawang")
    expect(page.locator("tbody tr")).to_have_count(6)
    shot(page, "list")

    # Typing filters the table through htmx, and the URL follows.
    page.get_by_label("Cari", exact=True).fill("siti")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=siti"))

    # District → village: choosing a district loads its villages.
    page.get_by_label("Cari", exact=True).fill("")
    page.get_by_label("Kecamatan", exact=True).select_option(label="Singkawang Barat")
    expect(page.locator("#id_village option", has_text="Pasiran")).to_have_count(1)
    expect(page.locator("tbody tr")).to_have_count(3)
    page.get_by_label("Kelurahan/Desa", exact=True).select_option(label="Pasiran")
    expect(page).to_have_url(re.compile(r"village=61\.72\.02\.1001"))
    expect(page.locator("tbody")).to_contain_text("Siti Aminah")

    page.get_by_role("link", name="Siti Aminah").click()
    expect(page.get_by_role("heading", name="Siti Aminah")).to_be_visible()
    page.get_by_role("link", name="Ubah").click()

    page.get_by_label("Alamat", exact=True).fill("Jl. Kurma No. 12")
    page.get_by_label("Alasan perubahan", exact=True).fill("Pindah rumah, dicek di kelurahan")
    page.get_by_role("button", name="Simpan").click()

    expect(page.locator(".message-success")).to_have_text("Perubahan tersimpan.")
    history = page.locator("#history")
    expect(history).to_contain_text("Diubah")
    expect(history).to_contain_text("oleh Rina Wulandari")
    expect(history).to_contain_text("Pindah rumah, dicek di kelurahan")
    expect(history.locator("td.after").first).to_have_text("Jl. Kurma No. 12")
    shot(page, "worker")

    # A bad edit shows the message on the field and keeps the record.
    page.get_by_role("link", name="Ubah").click()
    page.get_by_label("RT", exact=True).fill("12a")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#id_rt-error")).to_have_text("RT harus berupa angka 1–3 digit.")
    shot(page, "form-errors")

    # English is one click away, and the page keeps its place.
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Edit worker")).to_be_visible()
    page.get_by_role("link", name="← Siti Aminah").click()
    expect(page.locator("#history")).to_contain_text("Change history")
    page.get_by_role("button", name="ID").click()
    expect(page.locator("#history")).to_contain_text("Riwayat perubahan")

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
