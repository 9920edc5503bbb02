"""Employer lists for the compliance tests: a licence list, a UMKM list and BPJS's list of
one city, with planted gaps."""

from __future__ import annotations

from pathlib import Path

from jaring.compliance import sources
from jaring.compliance.models import SourceKind

CITY = "61.71"
VILLAGE = "61.71.01.1002"
LICENCES = f"""nama usaha,nib,kbli,alamat,kelurahan,jumlah tenaga kerja,total upah,modal usaha
PT Sinar Jaya Abadi,1234567890123,47111,Jl. Tanjungpura No. 12,{VILLAGE},25,75000000,6000000000
CV Maju Bersama,2234567890123,10792,Jl. Gajah Mada 5,{VILLAGE},12,36000000,
Toko Berkah Selalu,3234567890123,47211,Jl. Pahlawan 3,{VILLAGE},8,20000000,
Bengkel Harapan Motor,4234567890123,45201,Jl. Merdeka 77,{VILLAGE},3,6000000,
"""
BPJS = f"""name,npp,nib,kota,workers,wage bill,programmes,risk class
SINAR JAYA ABADI PT,NPP-001,,{CITY},10,30000000,JKK JKM JHT JP,2
Maju Bersama CV,NPP-002,2234567890123,{CITY},12,30000000,JKK JKM JHT,1
Toko Berkah Selalu,NPP-003,3234567890123,{CITY},8,32000000,JKK JKM,1
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(actor, tmp_path: Path, *, licences: str = LICENCES, bpjs: str = BPJS):
    a = sources.import_list(
        actor=actor,
        path=write(tmp_path, "izin.csv", licences),
        kind=SourceKind.LICENCE,
        region_code=CITY,
    )
    b = sources.import_list(
        actor=actor,
        path=write(tmp_path, "bpjs.csv", bpjs),
        kind=SourceKind.BPJS,
        region_code=CITY,
    )
    return a, b
