"""Writes to programmes: create, update, copy to the next year. Each audited, in a transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

from django.db import transaction
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.scope import in_scope
from jaring.core.errors import Conflict, CoreError, PermissionDenied, Problem, ValidationFailed
from jaring.core.rehearsal import rehearse
from jaring.programs import budget, hooks
from jaring.programs.agreement import cover_from
from jaring.programs.errors import ProgrammeError
from jaring.programs.models import (
    Benefits,
    CoverStartRule,
    Funder,
    ParticipationCode,
    Programme,
    ProgrammeCategory,
    ProgrammeStatus,
)
from jaring.programs.permissions import PROGRAMMES
from jaring.regions.errors import RegionError
from jaring.regions.models import Region
from jaring.registry.errors import RegistryError
from jaring.registry.models import OccupationCategory
from jaring.rules.errors import RuleError
from jaring.rules.tables import rupiah

MAX_COVER_MONTHS = 60


@dataclass
class CategoryTerms:
    category_code: str
    cover_months: int
    quota: int
    income_base: int


@dataclass
class ProgrammeInput:
    name: str
    funder: str
    participation_code: str
    region_code: str
    fiscal_year: int
    budget_ceiling: int
    min_age: int
    max_age: int
    categories: list[CategoryTerms] = field(default_factory=list)
    benefits: str = Benefits.JKK_JKM
    cover_start_rule: str = CoverStartRule.ACCEPTANCE
    legal_basis: str = ""
    pks_number: str = ""
    pks_date: dt.date | None = None
    status: str = ProgrammeStatus.DRAFT
    # Village budgets: PP 50/2025's discount applies (unconfirmed; default: the full rate).
    pp50_discount: bool = False


def _p(field_name: str | None, code: str, message_id: str, message_en: str) -> Problem:
    return Problem(code, message_id, message_en, field=field_name)


def check_manager(actor: User, region_code: str | None = None) -> None:
    PROGRAMMES.check(actor, "manage")
    if region_code is not None and not in_scope(actor, region_code):
        raise PermissionDenied(
            _p(
                "region",
                CoreError.OUT_OF_SCOPE,
                "Wilayah program di luar wilayah kerja Anda.",
                "The programme's region is outside your region.",
            )
        )


def _choice(value: str, choices, field_name: str) -> list[Problem]:
    if value in choices.values:
        return []
    allowed = ", ".join(choices.values)
    return [
        _p(
            field_name,
            ProgrammeError.INVALID_CHOICE,
            f"Pilihan '{value}' tidak dikenal; yang sah: {allowed}.",
            f"'{value}' is not a valid choice; choose from: {allowed}.",
        )
    ]


def _check_categories(data: ProgrammeInput) -> list[Problem]:
    out: list[Problem] = []
    if not data.categories:
        out.append(
            _p(
                "categories",
                ProgrammeError.CATEGORIES_EMPTY,
                "Pilih paling sedikit satu kategori pekerjaan.",
                "Choose at least one occupation category.",
            )
        )
    known = set(OccupationCategory.objects.values_list("code", flat=True))
    seen: set[str] = set()
    for i, terms in enumerate(data.categories):
        where = f"categories.{i}"
        if terms.category_code not in known:
            out.append(
                _p(
                    f"{where}.category",
                    RegistryError.CATEGORY_UNKNOWN,
                    f"Kategori pekerjaan '{terms.category_code}' tidak dikenal.",
                    f"Occupation category '{terms.category_code}' does not exist.",
                )
            )
        elif terms.category_code in seen:
            out.append(
                _p(
                    f"{where}.category",
                    ProgrammeError.CATEGORY_TWICE,
                    "Kategori ini disebut dua kali.",
                    "This category is listed twice.",
                )
            )
        seen.add(terms.category_code)
        if not 1 <= terms.cover_months <= MAX_COVER_MONTHS:
            out.append(
                _p(
                    f"{where}.cover_months",
                    ProgrammeError.COVER_MONTHS_RANGE,
                    f"Lama perlindungan harus 1 sampai {MAX_COVER_MONTHS} bulan.",
                    f"Cover length must be 1 to {MAX_COVER_MONTHS} months.",
                )
            )
        if terms.quota < 1:
            out.append(
                _p(
                    f"{where}.quota",
                    ProgrammeError.QUOTA_NOT_POSITIVE,
                    "Kuota harus lebih dari 0.",
                    "The quota must be more than 0.",
                )
            )
    return out


def _check_income_bases(data: ProgrammeInput, probe: Programme) -> list[Problem]:
    """Each income base must be one the rate table defines: refused, never guessed."""
    out = []
    start = cover_from(probe, timezone.localdate())
    for i, terms in enumerate(data.categories):
        if terms.cover_months < 1 or terms.income_base < 1:
            if terms.income_base < 1:
                out.append(
                    _p(
                        f"categories.{i}.income_base",
                        ProgrammeError.INCOME_BASE_NOT_POSITIVE,
                        "Dasar upah harus lebih dari 0.",
                        "The income base must be more than 0.",
                    )
                )
            continue
        try:
            budget.per_worker(
                probe,
                category_code=terms.category_code,
                base=terms.income_base,
                months=1,
                start=start,
            )
        except RuleError as err:
            out.append(budget.rule_problem(err, f"categories.{i}.income_base"))
    return out


def _validate(actor: User, data: ProgrammeInput) -> Region:
    problems: list[Problem] = []
    if not data.name.strip():
        problems.append(
            _p("name", CoreError.REQUIRED, "Nama program wajib diisi.", "Name is required.")
        )
    problems += _choice(data.funder, Funder, "funder")
    problems += _choice(data.participation_code, ParticipationCode, "participation_code")
    problems += _choice(data.benefits, Benefits, "benefits")
    problems += _choice(data.cover_start_rule, CoverStartRule, "cover_start_rule")
    problems += _choice(data.status, ProgrammeStatus, "status")
    if data.pp50_discount and data.funder != Funder.VILLAGE_APBDES:
        problems.append(
            _p(
                "pp50_discount",
                ProgrammeError.PP50_DISCOUNT_NOT_VILLAGE,
                "Potongan PP 50/2025 hanya bisa dipilih untuk dana desa (APBDes): peserta yang "
                "dibiayai APBN/APBD dikecualikan dari potongan itu.",
                "The PP 50/2025 discount can be chosen only for a village budget (APBDes): "
                "members funded by the APBN or an APBD are excluded from it.",
            )
        )
    region = Region.objects.filter(code=data.region_code.strip()).first()
    if region is None:
        problems.append(
            _p(
                "region",
                RegionError.REGION_UNKNOWN,
                f"Kode wilayah '{data.region_code}' tidak dikenal.",
                f"Region code '{data.region_code}' does not exist.",
            )
        )
    elif not in_scope(actor, region.code):
        problems.append(
            _p(
                "region",
                CoreError.OUT_OF_SCOPE,
                "Wilayah program di luar wilayah kerja Anda.",
                "The programme's region is outside your region.",
            )
        )
    if not 2000 <= data.fiscal_year <= 2100:
        problems.append(
            _p(
                "fiscal_year",
                ProgrammeError.FISCAL_YEAR_RANGE,
                "Tahun anggaran harus antara 2000 dan 2100.",
                "The fiscal year must be between 2000 and 2100.",
            )
        )
    if data.budget_ceiling < 1:
        problems.append(
            _p(
                "budget_ceiling",
                ProgrammeError.BUDGET_NOT_POSITIVE,
                "Pagu anggaran harus lebih dari 0.",
                "The budget ceiling must be more than 0.",
            )
        )
    # A draft may wait for its agreement (agreement.check_cover_can_start keeps its members
    # from BPJS meanwhile); a programme in force must say when its cover starts.
    if (
        data.cover_start_rule == CoverStartRule.PKS_DATE
        and data.pks_date is None
        and data.status != ProgrammeStatus.DRAFT
    ):
        problems.append(
            _p(
                "pks_date",
                ProgrammeError.PKS_DATE_REQUIRED,
                "Tanggal PKS wajib diisi bila perlindungan dimulai dari tanggal PKS (program "
                "berstatus draf boleh menunggu PKS-nya).",
                "The PKS date is required when cover starts on the PKS date (a draft may wait "
                "for its PKS).",
            )
        )
    if not 0 <= data.min_age <= data.max_age <= 120:
        problems.append(
            _p(
                "max_age",
                ProgrammeError.AGE_RANGE,
                "Batas umur tidak sah: umur minimal harus ≤ umur maksimal (0–120).",
                "Invalid age range: the minimum must not exceed the maximum (0–120).",
            )
        )
    problems += _check_categories(data)
    if not problems:
        probe = Programme(
            funder=data.funder,
            benefits=data.benefits,
            fiscal_year=data.fiscal_year,
            cover_start_rule=data.cover_start_rule,
            pks_date=data.pks_date,
        )
        problems += _check_income_bases(data, probe)
    if problems:
        raise ValidationFailed(*problems)
    return region


def snapshot(programme: Programme) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in (
        "name",
        "funder",
        "participation_code",
        "legal_basis",
        "pks_number",
        "pks_date",
        "region_id",
        "fiscal_year",
        "benefits",
        "budget_ceiling",
        "cover_start_rule",
        "min_age",
        "max_age",
        "status",
        "pp50_discount",
    ):
        value = getattr(programme, f)
        out[f] = value.isoformat() if isinstance(value, dt.date) else value
    out["categories"] = {
        c.category_id: [c.cover_months, c.quota, c.income_base]
        for c in programme.categories.order_by("category_id")
    }
    return out


def _apply(programme: Programme, data: ProgrammeInput, region: Region) -> None:
    programme.name = data.name.strip()
    programme.funder = data.funder
    programme.participation_code = data.participation_code
    programme.legal_basis = data.legal_basis.strip()
    programme.pks_number = data.pks_number.strip()
    programme.pks_date = data.pks_date
    programme.region = region
    programme.fiscal_year = data.fiscal_year
    programme.benefits = data.benefits
    programme.budget_ceiling = data.budget_ceiling
    programme.cover_start_rule = data.cover_start_rule
    programme.min_age = data.min_age
    programme.max_age = data.max_age
    programme.status = data.status
    programme.pp50_discount = data.pp50_discount


def _duplicate_name(data: ProgrammeInput, exclude_pk: int | None) -> None:
    clash = Programme.objects.filter(
        region_id=data.region_code.strip(), fiscal_year=data.fiscal_year, name=data.name.strip()
    ).exclude(pk=exclude_pk)
    if clash.exists():
        raise Conflict(
            _p(
                "name",
                ProgrammeError.PROGRAMME_NAME_TAKEN,
                "Sudah ada program dengan nama ini di wilayah dan tahun yang sama.",
                "A programme with this name already exists for this region and year.",
            )
        )


def _save_categories(programme: Programme, categories: list[CategoryTerms]) -> None:
    programme.categories.exclude(category_id__in=[c.category_code for c in categories]).delete()
    for terms in categories:
        ProgrammeCategory.objects.update_or_create(
            programme=programme,
            category_id=terms.category_code,
            defaults={
                "cover_months": terms.cover_months,
                "quota": terms.quota,
                "income_base": terms.income_base,
            },
        )


@dataclass
class OverCeiling:
    """A programme whose planned cost (quota × months × rate) is over its budget ceiling."""

    planned: int
    ceiling: int

    @property
    def over(self) -> int:
        return self.planned - self.ceiling


def over_ceiling(save: Callable[[], Programme]) -> OverCeiling | None:
    """The planned cost against the ceiling of the programme `save()` would save (rehearsed:
    nothing kept), when the plan is over it; a refusal of the save is raised as it raises it."""

    def plan() -> tuple[int, int]:
        programme = save()
        return budget.programme_budget(programme, groups=[]).planned, programme.budget_ceiling

    planned, ceiling = rehearse(plan)
    return OverCeiling(planned, ceiling) if planned > ceiling else None


def save_within_ceiling(save: Callable[[], Programme], *, over_ceiling_ok: bool) -> Programme:
    """`save()` (a create, update or copy), refused with `over_budget_ceiling` when the
    programme's planned cost would be over its ceiling and the officer has not said to save it
    anyway (the web form's tick box, the API's `confirm_over_ceiling`, the CLI's `--confirm`).
    Saved over it, enrolment stops at the ceiling."""
    if not over_ceiling_ok and (over := over_ceiling(save)):
        raise Conflict(
            Problem(
                ProgrammeError.OVER_BUDGET_CEILING,
                f"Biaya rencana {rupiah(over.planned)} (kuota × bulan × tarif) melebihi pagu "
                f"{rupiah(over.ceiling)} sebesar {rupiah(over.over)}. Tidak disimpan: "
                "turunkan kuota atau bulan, naikkan pagu, atau konfirmasi untuk tetap menyimpan.",
                f"The planned cost {rupiah(over.planned)} (quota × months × rate) is over the "
                f"budget ceiling of {rupiah(over.ceiling)} by {rupiah(over.over)}. Not saved: "
                "lower the quotas or months, raise the ceiling, or confirm to save it anyway.",
                field="budget_ceiling",
                params={"planned": over.planned, "ceiling": over.ceiling},
            )
        )
    return save()


@transaction.atomic
def create_programme(*, actor: User, data: ProgrammeInput) -> Programme:
    check_manager(actor)
    region = _validate(actor, data)
    _duplicate_name(data, None)
    programme = Programme(created_by=actor)
    _apply(programme, data, region)
    programme.save()
    _save_categories(programme, data.categories)
    audit.record(
        actor=actor,
        action="programme.create",
        target=programme,
        region_code=programme.region_id,
        before=None,
        after=snapshot(programme),
    )
    return programme


def programme_input(programme: Programme) -> ProgrammeInput:
    """The current programme as input, so an update can change only some fields."""
    return ProgrammeInput(
        name=programme.name,
        funder=programme.funder,
        participation_code=programme.participation_code,
        region_code=programme.region_id,
        fiscal_year=programme.fiscal_year,
        budget_ceiling=programme.budget_ceiling,
        min_age=programme.min_age,
        max_age=programme.max_age,
        categories=[
            CategoryTerms(c.category_id, c.cover_months, c.quota, c.income_base)
            for c in programme.categories.all()
        ],
        benefits=programme.benefits,
        cover_start_rule=programme.cover_start_rule,
        legal_basis=programme.legal_basis,
        pks_number=programme.pks_number,
        pks_date=programme.pks_date,
        status=programme.status,
        pp50_discount=programme.pp50_discount,
    )


def _check_commitments(programme: Programme) -> None:
    """Places and money already taken by memberships cannot be taken away by an edit."""
    problems = []
    groups = list(hooks.enrolled_groups(programme))
    used: dict[str, int] = {}
    for g in groups:
        used[g["category_id"]] = used.get(g["category_id"], 0) + g["n"]
    quotas = {c.category_id: c.quota for c in programme.categories.all()}
    for code, n in sorted(used.items()):
        if code not in quotas:
            problems.append(
                _p(
                    "categories",
                    ProgrammeError.CATEGORY_IN_USE,
                    f"Kategori '{code}' tidak bisa dihapus: {n} peserta sudah terdaftar.",
                    f"Category '{code}' cannot be removed: {n} members are enrolled in it.",
                )
            )
        elif quotas[code] < n:
            problems.append(
                _p(
                    "categories",
                    ProgrammeError.QUOTA_BELOW_ENROLLED,
                    f"Kuota '{code}' ({quotas[code]}) lebih kecil dari peserta terdaftar ({n}).",
                    f"The quota of '{code}' ({quotas[code]}) is below the {n} enrolled.",
                )
            )
    if not problems:
        enrolled = budget.programme_budget(programme, groups=groups).enrolled
        if enrolled > programme.budget_ceiling:
            problems.append(
                _p(
                    "budget_ceiling",
                    ProgrammeError.CEILING_BELOW_ENROLLED,
                    f"Pagu {rupiah(programme.budget_ceiling)} lebih kecil dari biaya peserta "
                    f"terdaftar {rupiah(enrolled)}.",
                    f"The ceiling {rupiah(programme.budget_ceiling)} is below the cost of those "
                    f"enrolled, {rupiah(enrolled)}.",
                )
            )
    if problems:
        raise Conflict(*problems)


@transaction.atomic
def update_programme(
    *, actor: User, programme: Programme, changes: dict[str, object], reason: str = ""
) -> Programme:
    """Applies `changes` (ProgrammeInput field names) to a programme the actor may manage."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    check_manager(actor, programme.region_id)
    data = programme_input(programme)
    unknown = set(changes) - set(asdict(data))
    if unknown:
        raise ValidationFailed(
            *(
                _p(
                    f,
                    CoreError.UNKNOWN_FIELD,
                    f"Kolom '{f}' tidak dikenal.",
                    f"Unknown field '{f}'.",
                )
                for f in sorted(unknown)
            )
        )
    data = replace(data, **changes)
    region = _validate(actor, data)
    _duplicate_name(data, programme.pk)
    before = snapshot(programme)
    _apply(programme, data, region)
    programme.save()
    _save_categories(programme, data.categories)
    _check_commitments(programme)
    after = snapshot(programme)
    if after != before:
        audit.record(
            actor=actor,
            action="programme.update",
            target=programme,
            region_code=programme.region_id,
            before={k: v for k, v in before.items() if after.get(k) != v},
            after={k: v for k, v in after.items() if before.get(k) != v},
            reason=reason,
        )
    return programme


def _next_name(name: str, year: int) -> str:
    # "Perlindungan Pekerja Rentan 2025" → "... 2026"; a name without the year is kept.
    return re.sub(rf"\b{year}\b", str(year + 1), name)


@transaction.atomic
def copy_to_next_year(
    *, actor: User, programme: Programme, name: str = "", budget_ceiling: int | None = None
) -> Programme:
    """A draft for the next fiscal year with the same terms, waiting for next year's PKS.

    The legal basis (a mayoral regulation usually runs for years) is kept for the officer to
    check. The PKS is signed per year, so its number and date are cleared rather than carried
    over as if they bound next year; the cover start rule stays, and until the new PKS is
    entered nobody is renewed into the copy or sent to BPJS (`agreement.check_cover_can_start`).
    """
    check_manager(actor, programme.region_id)
    data = programme_input(programme)
    data.fiscal_year = programme.fiscal_year + 1
    data.name = name.strip() or _next_name(programme.name, programme.fiscal_year)
    data.status = ProgrammeStatus.DRAFT
    data.pks_number = ""
    data.pks_date = None
    if budget_ceiling is not None:
        data.budget_ceiling = budget_ceiling
    copy = create_programme(actor=actor, data=data)
    copy.previous = programme
    copy.save(update_fields=["previous"])
    audit.record(
        actor=actor,
        action="programme.copy",
        target=copy,
        region_code=copy.region_id,
        before=None,
        after={"previous": programme.pk},
        reason=f"copied from {programme}",
    )
    return copy
