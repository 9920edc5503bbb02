"""The compliance demo for Kota Pontianak: a licence list (OSS/DPMPTSP), the SME office's UMKM
list, a market stall list and BPJS's registered employers, with planted gaps, matched into
leads, and cases at every step of the ladder (letters included), one closed by BPJS's next list.

Written through the compliance services as the system, on fixed 2026 dates (the holiday
calendar knows 2026), so the same lists, leads and letters come out every time. Loaded once:
a second run finds the licence list and stops.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from jaring.accounts.models import Role, User
from jaring.accounts.scope import SYSTEM
from jaring.compliance import matching, services, sources
from jaring.compliance.models import EmployerList, Lead
from jaring.regions.models import Level, Region

CITY = "61.71"
LICENCE_LIST = "Izin usaha DPMPTSP Kota Pontianak 2026 (demo)"
FOUND_ON = dt.date(2026, 6, 30)
OFFICER = "Maria Theresia, S.H. (Pengawas Kepatuhan)"
USER = ("pengawas", "Yohanes Kurniawan (Pengawasan Pontianak)")
WORDS = (
    "Sinar", "Kapuas", "Borneo", "Khatulistiwa", "Equator", "Mulia", "Jaya", "Abadi", "Makmur",
    "Sentosa", "Karya", "Mandiri", "Sejahtera", "Cahaya", "Harapan", "Berkah", "Bintang", "Timur",
    "Sungai", "Raya", "Tanjung", "Pura", "Gajah", "Mada",
)  # fmt: skip
# name, licence (nib, workers, wage bill, capital), BPJS row (name as BPJS writes it, nib given,
# workers, wage bill, programmes) or None: the planted gaps, one per kind of lead and step.
PLANTED = [
    ("PT Khatulistiwa Sawit Mandiri", ("6171000000001", 40, 140_000_000, 8_000_000_000),
     ("KHATULISTIWA SAWIT MANDIRI, PT", False, 12, 42_000_000, "JKK JKM JHT JP")),
    ("CV Kapuas Jaya Teknik", ("6171000000002", 15, 52_500_000, 3_000_000_000),
     ("CV Kapuas Jaya Teknik", True, 15, 37_500_000, "JKK JKM JHT")),
    ("PT Equator Logistik Nusantara", ("6171000000003", 35, 140_000_000, 9_000_000_000),
     ("PT EQUATOR LOGISTIK NUSANTARA", True, 35, 140_000_000, "JKK JKM")),
    ("Toko Bangunan Sinar Pontianak", ("6171000000004", 8, 28_000_000, 1_500_000_000), None),
    ("Rumah Makan Borneo Raya", ("6171000000006", 20, 68_000_000, 2_000_000_000), None),
    ("CV Tanjung Pura Motor", ("6171000000007", 18, 63_000_000, 1_800_000_000),
     ("TANJUNG PURA MOTOR", True, 11, 38_500_000, "JKK JKM JHT")),
]  # fmt: skip
UMKM = [
    ("Warung Kopi Asiang", "", "Jl. Gajah Mada No. 21", 3, 180_000_000),
    ("Kue Bingke Hj. Salmah", "", "Jl. Tanjung Raya II", 2, 120_000_000),
    ("Toko Bangunan Sinar Pontianak", "6171000000004", "Jl. Sultan Abdurrahman 8", 8, 0),
]
MARKET = [("Toko Emas Cahaya", "Pasar Flamboyan", "Kios 12", 2)]


@dataclass
class LoadedCompliance:
    lists: int
    leads: int
    cases: int
    user_created: bool


def _csv(rows: list[list[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _import(kind: str, name: str, rows: list[list[object]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.csv"
        path.write_text(_csv(rows), encoding="utf-8")
        sources.import_list(actor=SYSTEM, path=path, kind=kind, region_code=CITY, name=name)


def _lists(villages: list[str]) -> None:
    rng = random.Random(2026)
    licence = [["nama usaha", "nib", "kbli", "alamat", "kelurahan", "jumlah tenaga kerja",
                "total upah", "modal usaha"]]  # fmt: skip
    bpjs = [["name", "npp", "nib", "kota", "workers", "wage bill", "programmes", "risk class"]]
    for i, (name, (nib, workers, wages, capital), bpjs_row) in enumerate(PLANTED):
        licence.append([name, nib, "46100", f"Jl. Khatulistiwa No. {i + 1}", villages[i],
                        workers, wages, capital])  # fmt: skip
        if bpjs_row:
            as_written, with_nib, b_workers, b_wages, programmes = bpjs_row
            bpjs.append([as_written, f"NPP{17100 + i:08d}", nib if with_nib else "", CITY,
                         b_workers, b_wages, programmes, 2])  # fmt: skip
    # Employers that register everyone at fair wages: no lead.
    for i in range(30):
        name = f"{rng.choice(('PT', 'CV', 'UD'))} {' '.join(rng.sample(WORDS, 3))}"
        workers = rng.randint(5, 60)
        wages = workers * rng.randint(3_300_000, 5_000_000)
        nib = f"61719{i:08d}"
        licence.append([name, nib, "47111", f"Jl. Pahlawan No. {i + 10}", villages[i % 29],
                        workers, wages, rng.randint(1, 9) * 1_000_000_000])  # fmt: skip
        bpjs.append([name.upper(), f"NPP{27100 + i:08d}", nib, CITY, workers, wages,
                     "JKK JKM JHT JP", 1])  # fmt: skip
    _import("licence", LICENCE_LIST, licence)
    umkm = [["nama usaha", "nib", "alamat", "kelurahan", "jumlah tenaga kerja", "omzet"]]
    umkm += [[n, nib, a, villages[10 + i], w, t or ""] for i, (n, nib, a, w, t) in enumerate(UMKM)]
    _import("umkm", "Daftar UMKM Diskumdag Kota Pontianak 2026 (demo)", umkm)
    market = [["nama usaha", "pasar", "kios", "kelurahan", "jumlah tenaga kerja"]]
    market += [[n, m, s, villages[5], w] for n, m, s, w in MARKET]
    _import("market", "Daftar pedagang Pasar Flamboyan (demo)", market)
    _import("bpjs", "Daftar pemberi kerja BPJS Kacab Pontianak Juni 2026 (demo)", bpjs)


def _steps(lead: Lead, steps: list[tuple[str, dt.date]], *, follow_up: dt.date | None = None):
    case = services.open_case(actor=SYSTEM, lead_id=lead.pk, on=steps[0][1])
    for step, on in steps:
        services.take_step(
            actor=SYSTEM,
            case_id=case.pk,
            data=services.StepInput(
                step=step,
                taken_on=on,
                officer_name=OFFICER,
                notes="Pemberi kerja hadir; sepakat mendaftarkan pekerja bertahap."
                if step == "coaching"
                else "",
                evidence="Tanda terima surat ditandatangani pemilik usaha.",
                follow_up=follow_up,
            ),
        )
    return case


def _cases() -> int:
    lead = {(x.employer.name, x.kind): x for x in Lead.objects.select_related("employer")}
    d = dt.date
    ladder = [
        ("KHATULISTIWA SAWIT MANDIRI, PT", "pds_tk",
         [("warning_1", d(2026, 7, 1)), ("warning_2", d(2026, 7, 16)), ("fine", d(2026, 8, 3)),
          ("withhold", d(2026, 9, 3)), ("kejari", d(2026, 10, 1))]),
        ("CV Kapuas Jaya Teknik", "pds_upah",
         [("warning_1", d(2026, 9, 1)), ("warning_2", d(2026, 9, 16)),
          ("fine", d(2026, 10, 5))]),
        ("PT Equator Logistik Nusantara", "pds_program",
         [("warning_1", d(2026, 11, 2)), ("warning_2", d(2026, 11, 17))]),
        ("Toko Bangunan Sinar Pontianak", "pwbd", [("warning_1", d(2026, 11, 23))]),
        ("Rumah Makan Borneo Raya", "pwbd", [("warning_1", d(2026, 10, 1))]),
    ]  # fmt: skip
    for name, kind, steps in ladder:
        _steps(lead[(name, kind)], steps)
    _steps(
        lead[("Warung Kopi Asiang", "pwbd")],
        [("coaching", d(2026, 11, 10))],
        follow_up=d(2026, 12, 7),
    )
    # BPJS's next list shows Rumah Makan Borneo Raya registered: its case closes by itself.
    _import(
        "bpjs",
        "Daftar pemberi kerja BPJS Kacab Pontianak November 2026 (demo)",
        [
            ["name", "npp", "nib", "kota", "workers", "wage bill", "programmes"],
            ["RM Borneo Raya", "NPP00017199", "6171000000006", CITY, 20, 68_000_000,
             "JKK JKM JHT"],
        ],
    )  # fmt: skip
    return 6


@transaction.atomic
def load(*, password: str) -> LoadedCompliance:
    user_created = False
    if not User.objects.filter(username=USER[0]).exists():
        first, _, last = USER[1].partition(" ")
        User.objects.create_user(
            username=USER[0],
            password=password,
            role=Role.COMPLIANCE_OFFICER,
            scope_id=CITY,
            first_name=first,
            last_name=last,
        )
        user_created = True
    if EmployerList.objects.filter(regency_code=CITY, name=LICENCE_LIST).exists():
        return LoadedCompliance(0, 0, 0, user_created)
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith=CITY + ".")
        .order_by("code")
        .values_list("code", flat=True)
    )
    _lists(villages)
    matching.find_leads(actor=SYSTEM, region_code=CITY, on=FOUND_ON)
    cases = _cases()
    return LoadedCompliance(
        EmployerList.objects.filter(regency_code=CITY).count(),
        Lead.objects.filter(regency_code=CITY).count(),
        cases,
        user_created,
    )
