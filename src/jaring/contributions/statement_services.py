"""Reconciling BPJS's monthly statement with what Jaring billed: one use case, all or nothing.

A statement is for one programme and one month. It is refused whole when any row is unreadable,
when it holds another month, or when it is another city's (a city column naming another, or
none of its members known in the programme's city); the programme's bill of that month must
exist. The comparison is kept with the import and audited; the same file again answers
"already imported" and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field

from django.db import transaction

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.contributions import statements
from jaring.contributions.access import programmes_managed
from jaring.contributions.errors import ContributionError
from jaring.contributions.models import Bill, BillLine, LineStatus, StatementImport
from jaring.contributions.permissions import CONTRIBUTIONS
from jaring.core.errors import Conflict, NotFound, Problem, ValidationFailed
from jaring.enrolment.models import Membership
from jaring.programs.models import Programme
from jaring.regions.models import Region


@dataclass
class StatementReport:
    statement_id: int
    file_name: str
    month: str  # YYYY-MM
    already_imported: bool = False
    rows: int = 0
    matched: int = 0
    bpjs_total: int = 0
    jaring_total: int = 0
    bpjs_only: list[dict[str, object]] = field(default_factory=list)
    jaring_only: list[dict[str, object]] = field(default_factory=list)
    amount_differs: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _programme(actor: User, programme_id: int) -> Programme:
    programme = programmes_managed(actor).filter(pk=programme_id).first()
    if programme is None:
        raise NotFound.of("Program", "Programme")
    return programme


def _month_text(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def _check_month(rows: list[statements.StatementRow], month: dt.date) -> None:
    others = sorted({r.month for r in rows if r.month != month})
    if others:
        found = ", ".join(_month_text(m) for m in others)
        first = next(r.line for r in rows if r.month != month)
        raise ValidationFailed(
            Problem(
                ContributionError.STATEMENT_OTHER_MONTH,
                f"Laporan ini untuk bulan lain ({found}, mis. baris {first}), bukan "
                f"{_month_text(month)}. Tidak ada yang diubah.",
                f"This statement is for another month ({found}, e.g. row {first}), not "
                f"{_month_text(month)}. Nothing was changed.",
                field="month",
                params={"months": [_month_text(m) for m in others], "row": first},
            )
        )


def _other_city(programme: Programme, detail_id: str, detail_en: str) -> Conflict:
    return Conflict(
        Problem(
            ContributionError.STATEMENT_OTHER_CITY,
            f"Laporan ini bukan untuk wilayah program {programme.name}: {detail_id} "
            "Tidak ada yang diubah.",
            f"This statement is not for the region of programme {programme.name}: {detail_en} "
            "Nothing was changed.",
            field="file",
        )
    )


def _city_words(region: Region) -> set[str]:
    """How a statement may name the programme's city: its code or name, with or without
    'Kota'/'Kabupaten'."""
    city = region if region.level <= 2 else Region.objects.get(code=region.code[:5])
    name = city.name.lower()
    bare = name.removeprefix("kota ").removeprefix("kabupaten ").removeprefix("kab. ")
    return {city.code, name, bare, f"kota {bare}", f"kabupaten {bare}", f"kab. {bare}"}


def _check_city(programme: Programme, rows: list[statements.StatementRow]) -> None:
    words = _city_words(programme.region)
    other = next((r for r in rows if r.city and r.city.strip().lower() not in words), None)
    if other is not None:
        raise _other_city(
            programme,
            f"baris {other.line} menyebut {other.city}.",
            f"row {other.line} names {other.city}.",
        )
    # No city column: the statement is the city's when some member of it is the city's.
    # A sample of 500 is enough to tell, and stays within any SQLite's parameter limit.
    members = Membership.objects.filter(regency_code=programme.region_id[:5])
    kpjs = [r.kpj for r in rows if r.kpj][:500]
    niks = [r.nik for r in rows if r.nik][:500]
    known = (kpjs and members.filter(kpj__in=kpjs).exists()) or (
        niks and members.filter(worker__nik__in=niks).exists()
    )
    if not known:
        raise _other_city(
            programme,
            "tidak satu pun anggotanya (KPJ/NIK) terdaftar di wilayah ini.",
            "none of its members (KPJ/NIK) is known in this region.",
        )


def _billed(programme: Programme, month: dt.date) -> list[statements.Billed]:
    bill = Bill.objects.filter(programme=programme, month=month).first()
    if bill is None:
        raise Conflict(
            Problem(
                ContributionError.STATEMENT_NO_BILL,
                f"Program {programme.name} belum punya tagihan bulan {_month_text(month)}: "
                "jalankan penagihan bulan itu dulu. Tidak ada yang diubah.",
                f"Programme {programme.name} has no bill for {_month_text(month)}: run that "
                "month's billing first. Nothing was changed.",
                field="month",
            )
        )
    lines = BillLine.objects.filter(bill=bill, status=LineStatus.BILLED).values_list(
        "membership_id",
        "membership__kpj",
        "membership__worker__nik",
        "membership__worker__full_name",
        "amount",
    )
    return [statements.Billed(*values) for values in lines.order_by("id")]


def import_statement(
    *, actor: User, programme_id: int, month: dt.date, data: bytes, file_name: str
) -> StatementReport:
    """Reconcile BPJS's statement for `month` with the programme's bill of that month."""
    CONTRIBUTIONS.check(actor, "reconcile")
    programme = _programme(actor, programme_id)
    month = month.replace(day=1)
    digest = hashlib.sha256(data).hexdigest()
    earlier = StatementImport.objects.filter(
        programme=programme, month=month, sha256=digest
    ).first()
    if earlier is not None:
        report = StatementReport(**earlier.report)
        report.already_imported = True
        return report
    rows = statements.read_statement(data, file_name)
    _check_month(rows, month)
    _check_city(programme, rows)
    with transaction.atomic():
        compared = statements.compare(rows, _billed(programme, month))
        imported = StatementImport.objects.create(
            programme=programme,
            month=month,
            file_name=file_name,
            sha256=digest,
            imported_by=actor,
        )
        report = StatementReport(
            statement_id=imported.pk,
            file_name=file_name,
            month=_month_text(month),
            rows=len(rows),
            **asdict(compared),
        )
        imported.report = report.as_dict()
        imported.save(update_fields=["report"])
        audit.record(
            actor=actor,
            action="bpjs_statement_import",
            target=imported,
            region_code=programme.region_id,
            before=None,
            after={
                "programme": programme.pk,
                "month": report.month,
                "rows": report.rows,
                "matched": report.matched,
                "bpjs_only": len(report.bpjs_only),
                "jaring_only": len(report.jaring_only),
                "amount_differs": len(report.amount_differs),
            },
        )
    return report


def latest(actor: User, programme_id: int) -> list[StatementImport]:
    """The programme's statements, newest first (the page's list)."""
    CONTRIBUTIONS.check(actor, "reconcile")
    programme = _programme(actor, programme_id)
    return list(StatementImport.objects.filter(programme=programme).select_related("imported_by"))
