"""What a gap between an employer's sources means: PWBD, PDS-TK, PDS-Upah, PDS-Program.

Pure: the matching (many employers, `matching.py`) and the closing of a case when BPJS's list
shows the employer registered (`services.close_registered`) ask the same function, so a lead
and its closing never disagree. Each finding carries the figures side by side, the reason in
both languages, and the gap a fine is computed on (workers × wage on programmes, a month).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from jaring.rules.compliance import amount_text, amount_value, default_compliance_tables
from jaring.rules.errors import RuleError
from jaring.rules.tables import rupiah


@dataclass(frozen=True, slots=True)
class Figures:
    """One side: workers, the monthly wage bill, programmes (BPJS's side only)."""

    workers: int | None
    wage_bill: int | None
    programmes: tuple[str, ...] = ()

    @property
    def average_wage(self) -> int | None:
        if not self.workers or self.wage_bill is None:
            return None
        return self.wage_bill // self.workers

    def as_dict(self) -> dict[str, object]:
        return {
            "workers": self.workers,
            "wage_bill": self.wage_bill,
            "average_wage": self.average_wage,
            "programmes": list(self.programmes),
        }


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    reason_id: str
    reason_en: str
    gap_workers: int
    gap_wage: int | None  # per worker a month; None: no wage known (no fine can be computed)
    gap_programmes: tuple[str, ...]
    figures: dict = field(default_factory=dict)


def city_umk(city: str, year: int) -> Fraction | None:
    """The city's UMK, or None for a city or year the rule tables lack (no PDS-Upah by UMK)."""
    try:
        return default_compliance_tables().wage_check(city, year, 0).umk
    except RuleError:
        return None


def assess(
    *,
    bpjs: Figures | None,
    other: Figures,
    umk: Fraction | None,
    mandatory: tuple[str, ...],
) -> list[Finding]:
    """Every gap between BPJS's figures (None: not registered) and the other sources'."""
    side = {
        "bpjs": bpjs.as_dict() if bpjs else None,
        "other": other.as_dict(),
        "umk": amount_value(umk) if umk is not None else None,
        "mandatory": list(mandatory),
    }
    if bpjs is None:
        workers = other.workers or 0
        wage = other.average_wage or (int(umk) if umk is not None else None)
        return [
            Finding(
                "pwbd",
                f"Tidak terdaftar di BPJS Ketenagakerjaan; sumber lain mencatat {workers} pekerja.",
                f"Not registered with BPJS Ketenagakerjaan; other sources show {workers} workers.",
                workers,
                wage,
                mandatory,
                side | {"gap": {"workers": workers, "wage": wage, "programmes": list(mandatory)}},
            )
        ]
    found = []
    if other.workers and bpjs.workers is not None and other.workers > bpjs.workers:
        missing = other.workers - bpjs.workers
        wage = bpjs.average_wage or other.average_wage
        found.append(
            Finding(
                "pds_tk",
                f"Dilaporkan {bpjs.workers} pekerja ke BPJS, sumber lain mencatat "
                f"{other.workers} ({missing} belum didaftarkan).",
                f"{bpjs.workers} workers reported to BPJS, other sources show {other.workers} "
                f"({missing} not registered).",
                missing,
                wage,
                tuple(bpjs.programmes) or mandatory,
                side
                | {
                    "gap": {
                        "workers": missing,
                        "wage": wage,
                        "programmes": list(bpjs.programmes or mandatory),
                    }
                },
            )
        )
    reported = bpjs.average_wage
    floor = max((w for w in (umk, other.average_wage) if w is not None), default=None)
    if reported is not None and floor is not None and reported < floor:
        gap = int(Fraction(floor) - reported + Fraction(1, 2))
        # The reason names the wage the gap is measured to: the UMK, or the other sources'
        # average where that is higher (the UMK then said too, when the report is below it).
        if umk is not None and floor == umk:
            what_id = f"UMK {amount_text(Fraction(umk))}"
            what_en = f"the UMK {amount_text(Fraction(umk))}"
        else:
            what_id = f"upah rata-rata di sumber lain {rupiah(floor)}"
            what_en = f"the other sources' average wage {rupiah(floor)}"
            if umk is not None and reported < umk:
                what_id += f", juga di bawah UMK {amount_text(Fraction(umk))}"
                what_en += f", and below the UMK {amount_text(Fraction(umk))}"
        found.append(
            Finding(
                "pds_upah",
                f"Upah rata-rata yang dilaporkan {rupiah(reported)} di bawah {what_id} "
                f"(selisih {rupiah(gap)} per pekerja).",
                f"Average reported wage {rupiah(reported)} is below {what_en} "
                f"(a gap of {rupiah(gap)} per worker).",
                bpjs.workers or 0,
                gap,
                tuple(bpjs.programmes) or mandatory,
                side
                | {
                    "gap": {
                        "workers": bpjs.workers or 0,
                        "wage": gap,
                        "programmes": list(bpjs.programmes or mandatory),
                    }
                },
            )
        )
    missing_programmes = tuple(p for p in mandatory if p not in bpjs.programmes)
    if missing_programmes:
        names = ", ".join(missing_programmes)
        found.append(
            Finding(
                "pds_program",
                f"Hanya ikut {', '.join(bpjs.programmes) or '-'}; program wajib yang belum: "
                f"{names}.",
                f"Only in {', '.join(bpjs.programmes) or '-'}; mandatory programmes missing: "
                f"{names}.",
                bpjs.workers or 0,
                reported,
                missing_programmes,
                side
                | {
                    "gap": {
                        "workers": bpjs.workers or 0,
                        "wage": reported,
                        "programmes": list(missing_programmes),
                    }
                },
            )
        )
    return found
