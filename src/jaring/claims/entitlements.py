"""A claim's entitlements, computed by `rules.benefits` from what the officer recorded.

A claim is one event; the rules calculate one benefit kind at a time, so a work accident with
months off work, a disability and a trip to hospital is several calculations whose items,
refusals and rule versions are put together here. Nothing is computed outside `rules`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from jaring.claims.errors import ClaimError
from jaring.claims.models import ClaimKind, Disability
from jaring.core.errors import Problem, ValidationFailed
from jaring.rules import benefits
from jaring.rules.errors import RuleError
from jaring.rules.rates import RuleTables
from jaring.rules.tables import Meta


@dataclass(frozen=True)
class Transport:
    mode: str  # land, sea or air (rules.benefits.TRANSPORT_MODES)
    cost: int


@dataclass(frozen=True)
class ChildInput:
    name: str
    birth_date: dt.date
    level: str = ""  # "" = not in school yet
    grade: int = 1
    married: bool = False
    working: bool = False


@dataclass(frozen=True)
class HeirInput:
    """An heir (ahli waris) and their share of the lump sums, in percent (shares sum to 100)."""

    name: str
    relation: str
    share: Decimal


@dataclass(frozen=True)
class ClaimInput:
    kind: str
    event_date: dt.date
    description: str
    claimed_on: dt.date | None = None  # default: today
    claimant_name: str = ""
    claimant_relation: str = ""
    medical_care: bool = False
    medical_cost: int | None = None  # the facility's bill, when known
    months_incapacity: int | None = None
    disability: str = ""
    disability_percent: str = ""
    body_part: str = ""
    function_lost_percent: str = ""
    home_care_cost: int | None = None
    transport: tuple[Transport, ...] = ()
    children: tuple[ChildInput, ...] = ()
    prior_months: int = 0
    heirs: tuple[HeirInput, ...] = ()


def claim_input(
    source: object,
    *,
    transport: Iterable[Transport],
    children: Iterable[ChildInput],
    heirs: Iterable[HeirInput] = (),
) -> ClaimInput:
    """ClaimInput from an object holding the facts under the same names (a stored claim, an
    API body), given the transport, children and heirs it holds in its own shape."""
    nested = {"transport": tuple(transport), "children": tuple(children), "heirs": tuple(heirs)}
    facts = {f.name: getattr(source, f.name) for f in dataclasses.fields(ClaimInput)}
    return ClaimInput(**(facts | nested))


# Facts a correction may clear (give None); the others keep their value when given None.
_CLEARABLE = ("medical_cost", "months_incapacity", "home_care_cost")


def corrected(data: ClaimInput, changes: Mapping[str, object]) -> ClaimInput:
    """`data` with the fields in `changes` replaced (transport and children as plain mappings
    or as inputs); a correction names only what it changes."""
    known = {f.name for f in dataclasses.fields(ClaimInput)}
    values = {}
    for name, value in changes.items():
        if name not in known:
            raise ValueError(f"unknown claim field {name}")
        if value is None and name not in _CLEARABLE:
            continue
        if name == "transport":
            value = tuple(t if isinstance(t, Transport) else Transport(**t) for t in value)
        elif name == "children":
            value = tuple(c if isinstance(c, ChildInput) else ChildInput(**c) for c in value)
        elif name == "heirs":
            value = tuple(
                h if isinstance(h, HeirInput) else HeirInput(**(h | {"share": Decimal(h["share"])}))
                for h in value
            )
        values[name] = value
    return dataclasses.replace(data, **values)


@dataclass
class Entitlement:
    items: list[benefits.Item] = field(default_factory=list)
    refusals: list[benefits.Refusal] = field(default_factory=list)
    versions: dict[str, Meta] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(i.amount for i in self.items)

    @property
    def rule_version(self) -> str:
        return "+".join(self.versions)

    def add(self, result: benefits.BenefitResult) -> None:
        self.items += result.items
        self.refusals += result.refusals
        for meta in result.versions:
            self.versions.setdefault(meta.id, meta)


# Fields of the rules that are named differently on a claim.
_FIELDS = {"wage": "income_base", "months_contributed": "prior_months"}

_NOTHING = Problem(
    ClaimError.NOTHING_TO_COMPUTE,
    "Isi paling sedikit satu manfaat JKK: perawatan medis, bulan tidak mampu bekerja, cacat, "
    "transportasi atau perawatan di rumah.",
    "Give at least one JKK benefit: medical care, months unable to work, disability, transport "
    "or home care.",
    field="medical_care",
)


def rule_refused(err: RuleError) -> ValidationFailed:
    name = (err.field or "").split("[")[0]
    problem_field = _FIELDS.get(name, err.field)
    return ValidationFailed(Problem(err.code, err.message_id, err.message_en, problem_field))


def _children(data: ClaimInput) -> list[benefits.Child]:
    return [
        benefits.Child(
            birth_date=c.birth_date,
            level=c.level or None,
            married=c.married,
            working=c.working,
            grade=c.grade,
            name=c.name,
        )
        for c in data.children
    ]


def _parts(data: ClaimInput) -> list[tuple[str, dict[str, object]]]:
    """The rules' benefit kinds this claim pays, each with its own arguments."""
    children = _children(data)
    if data.kind == ClaimKind.DEATH:
        return [("jkm-death", {"children": children})]
    if data.kind == ClaimKind.WORK_DEATH:
        return [("jkk-death", {"children": children})]
    parts: list[tuple[str, dict[str, object]]] = []
    if data.medical_care or data.medical_cost is not None:
        parts.append(("medical-care", {"cost": data.medical_cost}))
    if data.months_incapacity:
        parts.append(("jkk-stmb", {"months_incapacity": data.months_incapacity}))
    if data.disability == Disability.TOTAL:
        parts.append(("jkk-total-disability", {"children": children}))
        children = []
    elif data.disability == Disability.PARTIAL:
        parts.append(
            (
                "jkk-partial-disability",
                {
                    "disability_percent": data.disability_percent or None,
                    "body_part": data.body_part or None,
                    "function_lost_percent": data.function_lost_percent or None,
                },
            )
        )
    # The caps are per accident and mode (PP 82/2019), so several trips by land share one cap.
    by_mode: dict[str, int] = {}
    for t in data.transport:
        by_mode[t.mode] = by_mode.get(t.mode, 0) + t.cost
    parts += [("transport", {"mode": mode, "cost": cost}) for mode, cost in by_mode.items()]
    if data.home_care_cost is not None:
        parts.append(("home-care", {"cost": data.home_care_cost}))
    if children:
        raise RuleError(
            benefits.REASONS["no_scholarship"],
            field="children",
            kind=data.kind,
            kinds=", ".join(benefits.SCHOLARSHIP_CAUSE),
        )
    return parts


def compute(
    data: ClaimInput,
    *,
    wage: int,
    months_contributed: int,
    claimed_on: dt.date,
    tables: RuleTables,
) -> Entitlement:
    """Every entitlement of the claim, or ValidationFailed with the rules' reason."""
    out = Entitlement()
    try:
        parts = _parts(data)
        if not parts:
            raise ValidationFailed(_NOTHING)
        for kind, arguments in parts:
            out.add(
                benefits.calculate(
                    kind,
                    event_date=data.event_date,
                    claimed_on=claimed_on,
                    wage=wage if kind in benefits.WAGE_KINDS else None,
                    months_contributed=months_contributed,
                    tables=tables,
                    **arguments,
                )
            )
    except RuleError as err:
        raise rule_refused(err) from None
    return out
