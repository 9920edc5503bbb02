"""Benefit entitlements of JKK and JKM (PP 82/2019), each amount with its formula and source.

For BPU the wage in the formulas is the declared income base, so a wage must be a base the
income base table defines on the event date. Amounts are exact fractions rounded half up to a
whole rupiah once, at the end of each formula.

Whole-claim refusals (a lapsed JKK claim, an undefined wage, bad input) raise `RuleError`;
a child who cannot receive a scholarship is listed in `refusals` while the rest is paid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from jaring.rules import inputs
from jaring.rules.errors import RuleCode, RuleError
from jaring.rules.messages import Reason
from jaring.rules.rates import BenefitAmounts, RuleTables, ScholarshipTable, default_tables
from jaring.rules.tables import Meta, percent_text, rupiah

KINDS = (
    "jkm-death",
    "jkk-death",
    "jkk-total-disability",
    "jkk-partial-disability",
    "jkk-stmb",
    "medical-care",
    "transport",
    "home-care",
    "scholarship",
)
WAGE_KINDS = ("jkk-death", "jkk-total-disability", "jkk-partial-disability", "jkk-stmb")
TRANSPORT_MODES = ("land", "sea", "air")
CAUSES = ("jkk", "jkm")
# The claims that carry children's scholarships, and under which programme.
SCHOLARSHIP_CAUSE = {"jkm-death": "jkm", "jkk-death": "jkk", "jkk-total-disability": "jkk"}

REASONS = {
    "needs": Reason(
        RuleCode.INPUT_REQUIRED,
        "{field} wajib diisi untuk jenis manfaat {kind}.",
        "{field} is required for benefit kind {kind}.",
    ),
    "lapsed": Reason(
        RuleCode.CLAIM_LAPSED,
        "Hak atas manfaat JKK kedaluwarsa: kejadian {event} lebih dari {years} tahun sebelum "
        "klaim {claimed} (batas {last}).",
        "The right to JKK benefits has lapsed: the event on {event} is more than {years} years "
        "before the claim on {claimed} (last day {last}).",
    ),
    "claim_before_event": Reason(
        RuleCode.CLAIM_BEFORE_EVENT,
        "Tanggal klaim {claimed} sebelum tanggal kejadian {event}.",
        "The claim date {claimed} is before the event date {event}.",
    ),
    "no_scholarship": Reason(
        RuleCode.CHILDREN_NOT_FOR_KIND,
        "Beasiswa anak hanya untuk klaim {kinds}, bukan {kind}.",
        "Children's scholarships come only with {kinds} claims, not {kind}.",
    ),
    "children": Reason(
        RuleCode.INPUT_CHILDREN,
        "children: {problem}",
        "children: {problem}",
    ),
    "child_too_old": Reason(
        RuleCode.CHILD_TOO_OLD,
        "Anak {child} berusia {age} tahun pada {event}; beasiswa hanya untuk anak di bawah "
        "{limit} tahun.",
        "Child {child} is {age} on {event}; scholarships are only for children under {limit}.",
    ),
    "child_married": Reason(
        RuleCode.CHILD_MARRIED,
        "Anak {child} sudah menikah; beasiswa hanya untuk anak yang belum menikah.",
        "Child {child} is married; scholarships are only for unmarried children.",
    ),
    "child_working": Reason(
        RuleCode.CHILD_WORKING,
        "Anak {child} sudah bekerja; beasiswa hanya untuk anak yang belum bekerja.",
        "Child {child} is working; scholarships are only for children who do not work.",
    ),
    "year_after_limit": Reason(
        RuleCode.SCHOOL_YEAR_AFTER_AGE_LIMIT,
        "Tahun ajaran {school_year}: anak {child} sudah berusia {age} tahun pada {day}; beasiswa "
        "hanya untuk anak di bawah {limit} tahun.",
        "School year {school_year}: child {child} is {age} on {day}; scholarships are only for "
        "children under {limit}.",
    ),
    "school_year": Reason(
        RuleCode.SCHOOL_YEAR_INVALID,
        "Tahun ajaran '{value}' tidak sah: tulis seperti 2024/2025 (dua tahun berurutan).",
        "School year '{value}' is not valid: write it like 2024/2025 (two consecutive years).",
    ),
    "child_limit": Reason(
        RuleCode.CHILD_LIMIT,
        "Anak {child} melebihi batas {limit} anak penerima beasiswa.",
        "Child {child} is beyond the limit of {limit} children who receive a scholarship.",
    ),
    "jkm_too_short": Reason(
        RuleCode.SCHOLARSHIP_JKM_TOO_SHORT,
        "Beasiswa JKM hanya setelah paling sedikit {needed} bulan iuran; tercatat {months} bulan.",
        "A JKM scholarship needs at least {needed} months of contributions; {months} are recorded.",
    ),
}


def _round(amount: Fraction) -> int:
    return math.floor(amount + Fraction(1, 2))


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    name: str  # Bahasa Indonesia
    name_en: str
    amount: int
    formula: str
    regulation: str
    # Scholarships: one entitlement per school year, (first calendar year, level, amount).
    schedule: tuple[tuple[int, str, int], ...] = ()
    # Who receives the money: the member or heirs, or (medical care) the health facility.
    payee: str = "beneficiary"
    child: str = ""  # scholarships: the child's name or number
    child_number: int = 0  # scholarships: the child's place in the list given (1 = first)

    @property
    def basis(self) -> str:
        return f"{self.formula} — {self.regulation}"

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "name": self.name,
            "name_en": self.name_en,
            "amount": self.amount,
            "basis": self.basis,
            "formula": self.formula,
            "regulation": self.regulation,
            "payee": self.payee,
        }
        if self.schedule:
            out["schedule"] = [
                {"school_year": school_year_label(year), "level": level, "amount": amount}
                for year, level, amount in self.schedule
            ]
        return out


@dataclass(frozen=True, slots=True)
class Refusal:
    subject: str
    code: str
    message_id: str
    message_en: str

    @classmethod
    def of(cls, subject: str, reason: Reason, **params: object) -> Refusal:
        return cls(subject, reason.code, reason.id.format(**params), reason.en.format(**params))

    def as_dict(self) -> dict[str, str]:
        return {
            "subject": self.subject,
            "code": self.code,
            "message_id": self.message_id,
            "message_en": self.message_en,
        }


@dataclass(frozen=True, slots=True)
class Child:
    birth_date: dt.date
    level: str | None  # a level of the scholarship table; None: not in school yet
    married: bool = False
    working: bool = False
    grade: int = 1  # the year within the level the child is in (1 = first)
    name: str = ""


@dataclass(frozen=True, slots=True)
class BenefitResult:
    kind: str
    event_date: dt.date
    claimed_on: dt.date
    wage: int | None
    items: tuple[Item, ...]
    refusals: tuple[Refusal, ...]
    versions: tuple[Meta, ...]

    @property
    def total(self) -> int:
        return sum(i.amount for i in self.items)

    @property
    def rule_version(self) -> str:
        return "+".join(m.id for m in self.versions)

    @property
    def schedule(self) -> list[dict[str, object]]:
        """Every child's yearly scholarship entitlements, by school year."""
        rows = [
            {"school_year": school_year_label(year), "child": label, "level": level, "amount": amt}
            for item in self.items
            for label in (item.child,)
            for year, level, amt in item.schedule
        ]
        return sorted(rows, key=lambda r: str(r["school_year"]))

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "event_date": self.event_date.isoformat(),
            "claimed_on": self.claimed_on.isoformat(),
            "wage": self.wage,
            "total": self.total,
            "schedule": self.schedule,
            "items": [i.as_dict() for i in self.items],
            "refused": [r.as_dict() for r in self.refusals],
            "rule_version": self.rule_version,
            "sources": [m.as_dict() | {"table": m.table} for m in self.versions],
        }


@dataclass
class _Claim:
    kind: str
    event_date: dt.date
    wage: int | None
    amounts: BenefitAmounts
    scholarship: ScholarshipTable
    items: list[Item] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    versions: list[Meta] = field(default_factory=list)

    def add(
        self,
        code: str,
        name: str,
        name_en: str,
        amount: int,
        formula: str,
        row: str,
        payee: str = "beneficiary",
    ) -> None:
        source = self.amounts[row].cited.source
        self.items.append(Item(code, name, name_en, amount, formula, source, payee=payee))

    def need_wage(self) -> int:
        if self.wage is None:
            raise RuleError(REASONS["needs"], field="wage", kind=self.kind)
        return self.wage


def children_from(data: object) -> list[Child]:
    """Children from JSON-like data: [{"birth_date": "2015-04-01", "level": "sd", ...}]."""
    if not isinstance(data, list):
        raise RuleError(REASONS["children"], field="children", problem="expected a JSON list")
    children = []
    for i, raw in enumerate(data, start=1):
        if not isinstance(raw, Mapping):
            raise RuleError(REASONS["children"], field="children", problem=f"#{i} is not an object")
        unknown = set(raw) - {"birth_date", "level", "married", "working", "grade", "name"}
        if unknown:
            problem = f"#{i}: unknown field(s) {', '.join(sorted(unknown))}"
            raise RuleError(REASONS["children"], field="children", problem=problem)
        try:
            birth = dt.date.fromisoformat(str(raw.get("birth_date", "")))
        except ValueError:
            problem = f"#{i}: birth_date must be a date YYYY-MM-DD"
            raise RuleError(REASONS["children"], field="children", problem=problem) from None
        level, grade = raw.get("level"), raw.get("grade", 1)
        if (level is not None and not isinstance(level, str)) or not isinstance(grade, int):
            problem = f"#{i}: level must be text and grade a whole number"
            raise RuleError(REASONS["children"], field="children", problem=problem)
        children.append(
            Child(
                birth_date=birth,
                level=level or None,
                married=bool(raw.get("married", False)),
                working=bool(raw.get("working", False)),
                grade=grade,
                name=str(raw.get("name", "")),
            )
        )
    return children


def _anniversary(day: dt.date, years: int) -> dt.date:
    # 29 February counts as 1 March in other years: the period is not shortened.
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def school_year_of(day: dt.date, table: ScholarshipTable) -> int:
    """The school year `day` falls in, by its first calendar year (2023 for 2023/2024)."""
    return day.year if day.month >= table.school_year_start_month else day.year - 1


def school_year_label(year: int) -> str:
    return f"{year}/{year + 1}"


def parse_school_year(value: str, *, field: str = "school_year") -> int:
    """2024 from "2024/2025"; RuleError naming `field` for anything else."""
    text = str(value).strip()
    first, _, second = text.partition("/")
    if not (first.isdigit() and second.isdigit() and len(first) == 4 and len(second) == 4):
        raise RuleError(REASONS["school_year"], field=field, value=value)
    if int(second) != int(first) + 1:
        raise RuleError(REASONS["school_year"], field=field, value=value)
    return int(first)


def _year_day(table: ScholarshipTable, year: int, event: dt.date) -> dt.date:
    """The day a school year's right is judged on: its first day, or the event within it."""
    return max(dt.date(year, table.school_year_start_month, 1), event)


def check_school_year(
    table: ScholarshipTable, *, birth_date: dt.date, year: int, event: dt.date, child: str
) -> None:
    """RuleError when the child is at the age limit by the school year (claimed too late)."""
    day = _year_day(table, year, event)
    age = _age(birth_date, day)
    if age >= table.age_limit:
        raise RuleError(
            REASONS["year_after_limit"],
            field="school_year",
            school_year=school_year_label(year),
            child=child,
            age=age,
            day=day.isoformat(),
            limit=table.age_limit,
        )


def _scholarships(
    claim: _Claim, children: Sequence[Child], cause: str, months_contributed: int | None
) -> None:
    table = claim.scholarship
    claim.versions.append(table.meta)
    if cause == "jkm":
        if months_contributed is None:
            raise RuleError(REASONS["needs"], field="months_contributed", kind="JKM scholarship")
        inputs.non_negative("months_contributed", months_contributed)
        if months_contributed < table.jkm_min_contribution_months:
            claim.refusals.append(
                Refusal.of(
                    "scholarship",
                    REASONS["jkm_too_short"],
                    needed=table.jkm_min_contribution_months,
                    months=months_contributed,
                )
            )
            return
    paid = 0
    for number, child in enumerate(children, start=1):
        label = child.name or str(number)
        age = _age(child.birth_date, claim.event_date)
        if child.level is not None:
            inputs.choice(f"children[{number}].level", child.level, table.level_codes)
            inputs.positive(f"children[{number}].grade", child.grade)
        refusal = None
        if age >= table.age_limit:
            refusal = Refusal.of(
                label,
                REASONS["child_too_old"],
                child=label,
                age=age,
                event=claim.event_date.isoformat(),
                limit=table.age_limit,
            )
        elif child.married:
            refusal = Refusal.of(label, REASONS["child_married"], child=label)
        elif child.working:
            refusal = Refusal.of(label, REASONS["child_working"], child=label)
        elif paid >= table.max_children:
            refusal = Refusal.of(
                label, REASONS["child_limit"], child=label, limit=table.max_children
            )
        if refusal:
            claim.refusals.append(refusal)
            continue
        paid += 1
        item = _child_item(table, child, label, claim.event_date)
        claim.items.append(dataclasses.replace(item, child_number=number))


def _child_item(table: ScholarshipTable, child: Child, label: str, event: dt.date) -> Item:
    """The most a child can receive: one entitlement a school year, from the level the child is
    in (a child not in school yet waits for the first school year at school age) until the
    levels' maximum years are used up or the child reaches the age limit. Each year is still
    claimed on its own, with proof that the child is in school, unmarried and not working."""
    first = school_year_of(event, table)
    if child.level is None:
        start, grade, waiting = 0, 1, True
        while _age(child.birth_date, dt.date(first + 1, table.school_year_start_month, 1)) < (
            table.school_age
        ):
            first += 1
        first += 1
    else:
        start, grade, waiting = table.index_of(child.level), child.grade, False
    schedule: list[tuple[int, str, int]] = []
    parts: list[str] = []
    year = first
    for index, level in enumerate(table.levels[start:]):
        name = child.level if index == 0 and child.level else level.level
        years = level.max_years - (grade - 1 if index == 0 else 0)
        counted = 0
        for _ in range(max(years, 0)):
            if _age(child.birth_date, _year_day(table, year, event)) >= table.age_limit:
                break
            schedule.append((year, name, level.per_year))
            counted += 1
            year += 1
        if counted:
            parts.append(f"{level.name_id} {counted} × {rupiah(level.per_year)}")
    formula = " + ".join(parts)
    if waiting and schedule:
        formula = f"menunggu usia sekolah, mulai {school_year_label(schedule[0][0])}: {formula}"
    return Item(
        code="scholarship",
        name=f"Beasiswa pendidikan anak {label}",
        name_en=f"Education scholarship, child {label}",
        amount=sum(amount for _, _, amount in schedule),
        formula=formula,
        regulation=table.meta.source,
        schedule=tuple(schedule),
        child=label,
    )


def _periodic_and_funeral(claim: _Claim, *, funeral: bool = True) -> None:
    periodic = claim.amounts["periodic"]
    claim.add(
        "periodic",
        f"Santunan berkala ({periodic.months} bulan, dibayar sekaligus)",
        f"Periodic benefit ({periodic.months} months, paid at once)",
        periodic.rupiah,
        rupiah(periodic.rupiah),
        "periodic",
    )
    if funeral:
        cost = claim.amounts["funeral"].rupiah
        claim.add("funeral", "Biaya pemakaman", "Funeral costs", cost, rupiah(cost), "funeral")


def _jkm_death(claim: _Claim) -> None:
    lump = claim.amounts["jkm_lump_sum"].rupiah
    claim.add(
        "jkm_lump_sum", "Santunan sekaligus JKM", "JKM lump sum", lump, rupiah(lump), "jkm_lump_sum"
    )
    _periodic_and_funeral(claim)


def _jkk_death(claim: _Claim) -> None:
    wage = claim.need_wage()
    times = claim.amounts["jkk_death"].times_wage
    floor = claim.amounts["jkm_lump_sum"].rupiah
    amount = max(times * wage, floor)
    claim.add(
        "jkk_death",
        "Santunan kematian karena kecelakaan kerja",
        "Death benefit (work accident)",
        amount,
        f"max({times} × {rupiah(wage)}, {rupiah(floor)})",
        "jkk_death",
    )
    _periodic_and_funeral(claim)


def _jkk_total_disability(claim: _Claim) -> None:
    wage = claim.need_wage()
    row = claim.amounts["jkk_total_disability"]
    claim.add(
        "jkk_total_disability",
        "Santunan cacat total tetap",
        "Total permanent disability benefit",
        _round(row.percent / 100 * row.times_wage * wage),
        f"{percent_text(row.percent)} % × {row.times_wage} × {rupiah(wage)}",
        "jkk_total_disability",
    )
    _periodic_and_funeral(claim, funeral=False)


def _jkk_partial_disability(
    claim: _Claim, disability_percent: Fraction, function_lost_percent: Fraction | None
) -> None:
    wage = claim.need_wage()
    times = claim.amounts["jkk_partial_disability"].times_wage
    amount = disability_percent / 100 * times * wage
    formula = f"{percent_text(disability_percent)} % × {times} × {rupiah(wage)}"
    if function_lost_percent is None:
        code, name, name_en = "jkk_partial_anatomical", "cacat sebagian anatomis", "anatomical"
    else:
        amount *= function_lost_percent / 100
        formula = f"{percent_text(function_lost_percent)} % × " + formula
        code, name, name_en = "jkk_partial_functional", "cacat sebagian fungsi", "functional"
    claim.add(
        code,
        f"Santunan {name}",
        f"Partial {name_en} disability benefit",
        _round(amount),
        formula,
        "jkk_partial_disability",
    )


def _jkk_stmb(claim: _Claim, months: int) -> None:
    wage = claim.need_wage()
    first, after = claim.amounts["stmb_first"], claim.amounts["stmb_after"]
    full_months = min(months, first.months)
    claim.add(
        "stmb_first",
        f"Santunan sementara tidak mampu bekerja (STMB), {first.months} bulan pertama",
        f"Temporary incapacity (STMB), first {first.months} months",
        full_months * _round(first.percent / 100 * wage),
        f"{full_months} × {percent_text(first.percent)} % × {rupiah(wage)}",
        "stmb_first",
    )
    if months > first.months:
        rest = months - first.months
        claim.add(
            "stmb_after",
            f"STMB setelah {first.months} bulan",
            f"Temporary incapacity (STMB) after {first.months} months",
            rest * _round(after.percent / 100 * wage),
            f"{rest} × {percent_text(after.percent)} % × {rupiah(wage)}",
            "stmb_after",
        )


# Benefits in kind of a work accident: the JKK lapse applies to them too.
_JKK_CARE = ("medical-care", "transport", "home-care")

_TRANSPORT_NAMES = {
    "land": ("darat, sungai atau danau", "land, river or lake"),
    "sea": ("laut", "sea"),
    "air": ("udara", "air"),
}


def _medical_care(claim: _Claim, cost: int | None) -> None:
    """Care and treatment as medically needed, without a ceiling, paid to the health facility:
    the amount is the facility's bill when known; until then the item says what it covers."""
    if cost is None:
        amount, formula = 0, "sesuai kebutuhan medis (tanpa batas biaya; tagihan belum ada)"
    else:
        amount = inputs.non_negative("cost", cost)
        formula = f"{rupiah(amount)} sesuai kebutuhan medis (tanpa batas biaya)"
    claim.add(
        "medical_care",
        "Perawatan dan pengobatan (dibayar ke fasilitas kesehatan)",
        "Medical care and treatment (paid to the health facility)",
        amount,
        formula,
        "medical_care",
        payee="provider",
    )


def _capped(claim: _Claim, code: str, name: str, name_en: str, cost: int, row: str) -> None:
    cap = claim.amounts[row].rupiah
    claim.add(code, name, name_en, min(cost, cap), f"min({rupiah(cost)}, {rupiah(cap)})", row)


def calculate(
    kind: str,
    *,
    event_date: dt.date,
    claimed_on: dt.date | None = None,
    wage: int | None = None,
    months_incapacity: int | None = None,
    months_contributed: int | None = None,
    disability_percent: Fraction | int | str | None = None,
    body_part: str | None = None,
    function_lost_percent: Fraction | int | str | None = None,
    mode: str | None = None,
    cost: int | None = None,
    cause: str | None = None,
    children: Iterable[Child] = (),
    tables: RuleTables | None = None,
) -> BenefitResult:
    """The entitlements of one claim of `kind`, from the tables in force on `event_date`.

    Children given with a death or total-disability claim add their scholarships.
    """
    tables = tables or default_tables()
    inputs.choice("kind", kind, KINDS)
    claimed_on = claimed_on or dt.date.today()
    if claimed_on < event_date:
        raise RuleError(
            REASONS["claim_before_event"],
            field="claimed_on",
            claimed=claimed_on.isoformat(),
            event=event_date.isoformat(),
        )
    amounts = tables.benefit_amounts.in_force(event_date)
    claim = _Claim(kind, event_date, wage, amounts, tables.scholarship.in_force(event_date))
    claim.versions.append(amounts.meta)
    if wage is not None:
        base_table = tables.bpu_income_base.in_force(event_date)
        base_table.row_for_base(inputs.positive("wage", wage), field="wage")
        claim.versions.append(base_table.meta)
    children = list(children)
    if kind == "scholarship":
        if cause is None:
            raise RuleError(REASONS["needs"], field="cause", kind=kind)
        cause = inputs.choice("cause", cause, CAUSES)
    else:
        cause = SCHOLARSHIP_CAUSE.get(kind)
        if children and cause is None:
            kinds = ", ".join(SCHOLARSHIP_CAUSE)
            raise RuleError(REASONS["no_scholarship"], field="children", kind=kind, kinds=kinds)
    if kind.startswith("jkk-") or kind in _JKK_CARE or cause == "jkk":
        _check_lapse(amounts, event_date, claimed_on)

    if kind == "jkm-death":
        _jkm_death(claim)
    elif kind == "jkk-death":
        _jkk_death(claim)
    elif kind == "jkk-total-disability":
        _jkk_total_disability(claim)
    elif kind == "jkk-partial-disability":
        percent = _disability_percent(claim, tables, disability_percent, body_part)
        lost = None
        if function_lost_percent is not None:
            lost = _percent("function_lost_percent", function_lost_percent)
        _jkk_partial_disability(claim, percent, lost)
    elif kind == "jkk-stmb":
        if months_incapacity is None:
            raise RuleError(REASONS["needs"], field="months_incapacity", kind=kind)
        _jkk_stmb(claim, inputs.positive("months_incapacity", months_incapacity))
    elif kind == "medical-care":
        _medical_care(claim, cost)
    elif kind == "transport":
        mode = inputs.choice("mode", mode or "", TRANSPORT_MODES)
        name_id, name_en = _TRANSPORT_NAMES[mode]
        _capped(
            claim,
            f"transport_{mode}",
            f"Biaya transportasi ({name_id})",
            f"Transport ({name_en})",
            _needed_cost(kind, cost),
            f"transport_{mode}",
        )
    elif kind == "home-care":
        months = amounts["home_care"].months
        _capped(
            claim,
            "home_care",
            f"Perawatan di rumah (paling lama {months} bulan)",
            f"Home care (at most {months} months)",
            _needed_cost(kind, cost),
            "home_care",
        )
    if children or kind == "scholarship":
        _scholarships(claim, children, cause, months_contributed)
    return BenefitResult(
        kind=kind,
        event_date=event_date,
        claimed_on=claimed_on,
        wage=wage,
        items=tuple(claim.items),
        refusals=tuple(claim.refusals),
        versions=tuple(claim.versions),
    )


def _needed_cost(kind: str, cost: int | None) -> int:
    if cost is None:
        raise RuleError(REASONS["needs"], field="cost", kind=kind)
    return inputs.non_negative("cost", cost)


def _percent(field_name: str, value: Fraction | int | str) -> Fraction:
    try:
        percent = Fraction(value) if not isinstance(value, str) else Fraction(value.strip())
    except (ValueError, ZeroDivisionError):
        raise inputs.refuse("percent", field=field_name, value=value) from None
    if not 0 < percent <= 100:
        raise inputs.refuse("percent", field=field_name, value=value)
    return percent


def _disability_percent(
    claim: _Claim, tables: RuleTables, percent: Fraction | int | str | None, body_part: str | None
) -> Fraction:
    if (percent is None) == (body_part is None):
        raise inputs.refuse(
            "one_of", field="disability_percent", fields="disability_percent, body_part"
        )
    if percent is not None:
        return _percent("disability_percent", percent)
    table = tables.disability_percentages.in_force(claim.event_date)
    claim.versions.append(table.meta)
    return table.percent_for(body_part).percent


def _check_lapse(amounts: BenefitAmounts, event: dt.date, claimed: dt.date) -> None:
    years = amounts["jkk_claim_lapse"].years
    last = _anniversary(event, years)
    if claimed > last:
        raise RuleError(
            REASONS["lapsed"],
            field="event_date",
            event=event.isoformat(),
            claimed=claimed.isoformat(),
            years=years,
            last=last.isoformat(),
        )
