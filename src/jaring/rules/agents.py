"""Perisai agents' fees and activity as pure functions over dated rule data.

`rules/data/agents.toml` holds the versions (fee percentage, new-member bonus and its threshold,
the inactivity and rejoin months), each with its source; the 2018 figures are NC (RULES.md).
`fee(...)` prices one agent-month; `inactive(...)` applies the inactivity rule to the months of
activity an agent had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources

from jaring.rules.errors import RuleCode, RuleError
from jaring.rules.messages import Reason
from jaring.rules.months import add_months
from jaring.rules.rates import parse_toml
from jaring.rules.tables import (
    Fields,
    Meta,
    Versions,
    percent_of,
    percent_text,
    read_versions,
    rupiah,
)

DATA_FILE = "agents.toml"

REASONS = {
    "negative": Reason(
        RuleCode.INPUT_NEGATIVE,
        "{field} tidak boleh negatif.",
        "{field} cannot be negative.",
    ),
    "nothing": Reason(
        RuleCode.AGENT_FEE_NOTHING,
        "Bulan {month}: agen tidak mengumpulkan iuran dan tidak membawa peserta baru; tidak ada "
        "imbalan untuk dihitung.",
        "Month {month}: the agent collected no contributions and brought no new member; there is "
        "no fee to calculate.",
    ),
}


@dataclass(frozen=True, slots=True)
class AgentRule:
    meta: Meta
    fee_percent: Fraction
    bonus_amount: int
    bonus_min_new_members: int
    inactive_after_months: int
    rejoin_after_months: int

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> AgentRule:
        return cls(
            meta,
            f.percent("fee_percent"),
            f.integer("bonus_amount"),
            f.integer("bonus_min_new_members"),
            f.integer("inactive_after_months"),
            f.integer("rejoin_after_months"),
        )


@dataclass(frozen=True, slots=True)
class AgentFee:
    month: dt.date
    collected: int
    new_members: int
    rule: AgentRule

    @property
    def fee(self) -> int:
        return percent_of(self.collected, self.rule.fee_percent)

    @property
    def bonus(self) -> int:
        return self.rule.bonus_amount if self.new_members >= self.rule.bonus_min_new_members else 0

    @property
    def total(self) -> int:
        return self.fee + self.bonus

    @property
    def formula(self) -> str:
        bonus = (
            f" + bonus {rupiah(self.bonus)} (≥ {self.rule.bonus_min_new_members} peserta baru)"
            if self.bonus
            else ""
        )
        return f"{percent_text(self.rule.fee_percent)} % × {rupiah(self.collected)}{bonus}"

    def as_dict(self) -> dict[str, object]:
        return {
            "fee": self.fee,
            "bonus": self.bonus,
            "total": self.total,
            "month": f"{self.month:%Y-%m}",
            "collected": self.collected,
            "new_members": self.new_members,
            "fee_percent": percent_text(self.rule.fee_percent),
            "bonus_min_new_members": self.rule.bonus_min_new_members,
            "formula": self.formula,
            "rule_version": self.rule.meta.id,
            "source": self.rule.meta.source,
            "status": self.rule.meta.status,
            "note": self.rule.meta.note,
        }


@dataclass(frozen=True, slots=True)
class AgentTables:
    rules: Versions[AgentRule]

    def rule(self, month: dt.date) -> AgentRule:
        return self.rules.in_force(month.replace(day=1))

    def fee(self, *, month: dt.date, collected: int, new_members: int) -> AgentFee:
        """One agent-month's fee: the percentage of what was collected, plus the bonus."""
        for name, value in (("collected", collected), ("new_members", new_members)):
            if value < 0:
                raise RuleError(REASONS["negative"], field=name)
        if collected == 0 and new_members == 0:
            raise RuleError(REASONS["nothing"], field="collected", month=f"{month:%Y-%m}")
        return AgentFee(month.replace(day=1), collected, new_members, self.rule(month))

    def inactive_since(self, *, last_active: dt.date | None, joined: dt.date, month: dt.date):
        """The first day of the month an agent becomes inactive, if it has by `month`.

        `last_active` is the last month with a new member or a collection (None: none yet);
        an agent becomes inactive after `inactive_after_months` months without either, counted
        from its last active month or, without one, from the month it joined."""
        start = (last_active or joined).replace(day=1)
        rule = self.rule(month)
        # Months with nothing after `start` (a new agent's joining month is not held against it).
        becomes = add_months(start, rule.inactive_after_months + 1)
        return becomes if becomes <= month.replace(day=1) else None

    def may_rejoin_from(self, inactive_since: dt.date) -> dt.date:
        return add_months(inactive_since, self.rule(inactive_since).rejoin_after_months)


def build_agent_tables(document: Mapping[str, object]) -> AgentTables:
    return AgentTables(read_versions("agent_fees", document.get("agent_fees"), AgentRule.build))


@cache
def default_agent_tables() -> AgentTables:
    text = resources.files("jaring.rules").joinpath("data", DATA_FILE).read_text("utf-8")
    return build_agent_tables(parse_toml(text))
