"""`jaring calc`: the regulation calculators, without any database record.

    jaring calc contribution --income 1000000 --month 2026-05 --funder self --json
    jaring calc benefit --kind jkk-death --wage 1000000 --event-date 2026-03-01 --json
    jaring calc benefit --kind scholarship --cause jkk --children '[{"birth_date": "2010-05-01",
        "level": "smp"}]' --json                     # the yearly schedule, by school year
    jaring calc benefit --kind jkk-partial-disability --body-part mata_sebelah --wage 1000000
    jaring calc budget --workers 7737 --months 5 --start 2025-01 --json
    jaring calc capacity --budget 1000000000 --months 5 --json
    jaring calc compliance-fine --owed 10000000 --months 3 --json
    jaring calc wage-check --region 61.72 --year 2026 --wage 3000000 --json
    jaring calc agent-fee --collected 1000000 --new-members 50 --month 2026-05 --json

Without --json the result is a table in Bahasa Indonesia.
"""

from __future__ import annotations

import argparse
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import get_language

from jaring.contributions.rate_tables import current_tables
from jaring.core.arguments import count_arg, date_arg, month_arg, rupiah_arg
from jaring.rules import benefits, budget, contributions
from jaring.rules.agents import AgentFee, default_agent_tables
from jaring.rules.compliance import amount_text, default_compliance_tables
from jaring.rules.errors import RuleError
from jaring.rules.rates import BENEFITS, FUNDERS, SECTORS
from jaring.rules.tables import rupiah

# Calculator fields whose argument name differs from --field-name.
_ARGUMENTS = {"base": "--income-base", "groups": "--workers", "claimed_on": "--claim-date"}


def benefits_arg(text: str) -> tuple[str, ...]:
    names = tuple(n.strip().upper() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in BENEFITS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown benefit(s) {', '.join(unknown) or '(none)'}; choose from {','.join(BENEFITS)}"
        )
    return names


def children_arg(text: str) -> list[benefits.Child]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc}") from None
    try:
        return benefits.children_from(data)
    except RuleError as err:
        raise argparse.ArgumentTypeError(err.message_en) from None


def _table(rows: list[tuple[str, ...]], *, right: tuple[int, ...] = ()) -> str:
    """Columns padded to their widest cell; the `right` columns (amounts) aligned right."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    )


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _runs(monthly: tuple[contributions.Contribution, ...]) -> list[str]:
    """Consecutive months with the same contribution: "2026-01–2026-03 Rp16.800"."""
    runs: list[list] = []
    for c in monthly:
        if runs and runs[-1][2] == c.total:
            runs[-1][1] = c.month
        else:
            runs.append([c.month, c.month, c.total])
    return [f"{a:%Y-%m}–{b:%Y-%m} {rupiah(total)}" for a, b, total in runs]


class Command(BaseCommand):
    help = (
        "Regulation calculators: contribution, benefit, budget, capacity, compliance-fine, "
        "wage-check, agent-fee."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="calculator", required=True, metavar="CALCULATOR")

        def common(p, *, month_flag):
            p.add_argument(
                "--benefits",
                type=benefits_arg,
                default=contributions.DEFAULT_BENEFITS,
                help="comma-separated, e.g. JKK,JKM,JHT (default JKK,JKM)",
            )
            p.add_argument(month_flag, type=month_arg, help="YYYY-MM (default: this month)")
            p.add_argument(
                "--funder",
                choices=FUNDERS,
                default="apbd",
                help="who pays (default apbd: PP 50/2025's discount does not apply)",
            )
            p.add_argument("--sector", choices=SECTORS, default="other")
            p.add_argument("--json", action="store_true", help="print JSON")

        p = sub.add_parser("contribution", help="one worker's monthly contribution")
        amount = p.add_mutually_exclusive_group(required=True)
        amount.add_argument("--income", type=rupiah_arg, help="declared monthly income, rupiah")
        amount.add_argument("--income-base", type=rupiah_arg, help="an income base of the table")
        common(p, month_flag="--month")

        p = sub.add_parser("benefit", help="JKK/JKM entitlements of one claim")
        p.add_argument("--kind", required=True, choices=benefits.KINDS)
        p.add_argument("--wage", type=rupiah_arg, help="declared income base, rupiah")
        p.add_argument("--event-date", type=date_arg, help="YYYY-MM-DD (default: today)")
        p.add_argument("--claim-date", type=date_arg, help="YYYY-MM-DD (default: today)")
        p.add_argument("--months-contributed", type=count_arg)
        p.add_argument("--months-incapacity", type=count_arg)
        p.add_argument(
            "--children",
            type=children_arg,
            default=[],
            help='JSON list: [{"birth_date": "2015-04-01", "level": "sd", "grade": 1, '
            '"married": false, "working": false}]; levels tk, sd, smp, sma, university, training '
            "(vocational, paid as university); no level: not in school yet (waits for school age)",
        )
        p.add_argument("--cause", choices=benefits.CAUSES, help="for --kind scholarship")
        p.add_argument("--disability-percent", help="from the official table, e.g. 10 or 2.5")
        p.add_argument("--body-part", help="a code of the loaded disability percentage table")
        p.add_argument("--function-lost-percent", help="partial functional disability")
        p.add_argument("--mode", choices=benefits.TRANSPORT_MODES, help="for --kind transport")
        p.add_argument(
            "--cost",
            type=rupiah_arg,
            help="for --kind transport, home-care or medical-care (the facility's bill)",
        )
        p.add_argument("--json", action="store_true", help="print JSON")

        for name, first in (("budget", "--workers"), ("capacity", "--budget")):
            what = "the cost of workers × months" if name == "budget" else "workers a budget covers"
            p = sub.add_parser(name, help=what)
            p.add_argument(first, required=True, type=count_arg if name == "budget" else rupiah_arg)
            p.add_argument("--months", required=True, type=count_arg)
            p.add_argument("--income-base", type=rupiah_arg, help="default: the lowest base")
            common(p, month_flag="--start")

        p = sub.add_parser("compliance-fine", help="PP 86/2013 fine on contributions owed")
        p.add_argument("--owed", required=True, type=rupiah_arg, help="contributions owed, rupiah")
        p.add_argument("--months", required=True, type=count_arg, help="months not paid")
        p.add_argument("--date", type=date_arg, help="YYYY-MM-DD the fine is imposed (today)")
        p.add_argument("--json", action="store_true", help="print JSON")

        p = sub.add_parser("wage-check", help="a monthly wage against the city's UMK")
        p.add_argument("--region", required=True, help="city code, e.g. 61.72")
        p.add_argument("--year", required=True, type=count_arg)
        p.add_argument("--wage", required=True, type=rupiah_arg, help="monthly wage, rupiah")
        p.add_argument("--json", action="store_true", help="print JSON")

        p = sub.add_parser("agent-fee", help="a Perisai agent's fee for one month")
        p.add_argument("--collected", required=True, type=rupiah_arg, help="collected, rupiah")
        p.add_argument("--new-members", type=count_arg, default=0, help="new members that month")
        p.add_argument("--month", type=month_arg, help="YYYY-MM (default: this month)")
        p.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        calculator = options["calculator"].replace("-", "_")
        today = timezone.localdate()
        try:
            result = getattr(self, f"_{calculator}")(options, today)
        except RuleError as err:
            argument = None
            if err.field:
                name = err.field.split("[")[0]
                argument = _ARGUMENTS.get(name, "--" + name.replace("_", "-"))
            english = (get_language() or "id").startswith("en")
            message = err.message_en if english else err.message_id
            if options["json"]:
                self.stdout.write(json.dumps({"errors": [err.as_dict() | {"argument": argument}]}))
            raise CommandError(
                f"{argument}: {message}" if argument else message, returncode=1
            ) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(getattr(self, f"_show_{calculator}")(result))

    # --- calculators -------------------------------------------------------------------------

    def _contribution(self, o, today):
        return contributions.contribution(
            income=o["income"],
            base=o["income_base"],
            benefits=o["benefits"],
            month=o["month"] or today.replace(day=1),
            funder=o["funder"],
            sector=o["sector"],
            tables=current_tables(),
        )

    def _benefit(self, o, today):
        return benefits.calculate(
            o["kind"],
            event_date=o["event_date"] or today,
            claimed_on=o["claim_date"] or today,
            wage=o["wage"],
            months_incapacity=o["months_incapacity"],
            months_contributed=o["months_contributed"],
            disability_percent=o["disability_percent"],
            body_part=o["body_part"],
            function_lost_percent=o["function_lost_percent"],
            mode=o["mode"],
            cost=o["cost"],
            cause=o["cause"],
            children=o["children"],
            tables=current_tables(),
        )

    def _budget(self, o, today):
        return budget.cost(
            [budget.Group(workers=o["workers"], months=o["months"], base=o["income_base"])],
            start=o["start"] or today.replace(day=1),
            funder=o["funder"],
            sector=o["sector"],
            benefits=o["benefits"],
            tables=current_tables(),
        )

    def _capacity(self, o, today):
        return budget.capacity(
            o["budget"],
            months=o["months"],
            base=o["income_base"],
            start=o["start"] or today.replace(day=1),
            funder=o["funder"],
            sector=o["sector"],
            benefits=o["benefits"],
            tables=current_tables(),
        )

    def _compliance_fine(self, o, today):
        return default_compliance_tables().fine(
            owed=o["owed"], months=o["months"], day=o["date"] or today
        )

    def _wage_check(self, o, today):
        return default_compliance_tables().wage_check(o["region"], o["year"], o["wage"])

    def _agent_fee(self, o, today):
        return default_agent_tables().fee(
            month=o["month"] or today.replace(day=1),
            collected=o["collected"],
            new_members=o["new_members"],
        )

    # --- tables in Bahasa Indonesia ----------------------------------------------------------

    def _show_contribution(self, c: contributions.Contribution) -> str:
        income = f"penghasilan {rupiah(c.income)}, " if c.income is not None else ""
        head = (
            f"Iuran BPU bulan {c.month:%Y-%m} ({income}dasar {rupiah(c.base)}, "
            f"dana: {c.funder}, sektor: {c.sector})"
        )
        rows = [("Program", "Tarif", "Sebelum potongan", "Dibayar")]
        rows += [(b, c.formulas[b], rupiah(c.gross[b]), rupiah(c.amounts[b])) for b in c.benefits]
        rows.append(("Jumlah", "", rupiah(sum(c.gross.values())), rupiah(c.total)))
        lines = [head, _table(rows, right=(2, 3))]
        lines += [
            f"Potongan {d.regulation} {d.percent} % atas {', '.join(d.benefits)}: "
            f"-{rupiah(d.amount)}" + (" [NC: belum dikonfirmasi]" if d.status == "NC" else "")
            for d in c.discounts
        ]
        lines.append(f"Versi aturan: {c.rule_version}")
        return "\n".join(lines)

    def _show_benefit(self, r: benefits.BenefitResult) -> str:
        wage = f", upah {rupiah(r.wage)}" if r.wage is not None else ""
        head = f"Manfaat {r.kind}, kejadian {r.event_date}, klaim {r.claimed_on}{wage}"
        rows = [("Manfaat", "Jumlah", "Rumus")]
        rows += [(i.name, rupiah(i.amount), i.formula) for i in r.items]
        rows.append(("Jumlah", rupiah(r.total), ""))
        lines = [head, _table(rows, right=(1,))]
        if r.schedule:
            lines.append("Beasiswa per tahun ajaran (diklaim tiap tahun selama anak bersekolah):")
            years = [("Tahun ajaran", "Anak", "Jenjang", "Jumlah")]
            table = current_tables().scholarship.in_force(r.event_date)
            years += [
                (
                    str(y["school_year"]),
                    str(y["child"]),
                    table.level_name(str(y["level"])),
                    rupiah(int(y["amount"])),
                )
                for y in r.schedule
            ]
            lines.append(_table(years, right=(3,)))
        lines += [f"Tidak dibayar ({x.subject}): {x.message_id}" for x in r.refusals]
        lines += [f"Dasar: {s}" for s in dict.fromkeys(i.regulation for i in r.items)]
        lines.append(f"Versi aturan: {r.rule_version}")
        return "\n".join(lines)

    def _show_budget(self, b: budget.BudgetCost) -> str:
        head = (
            f"Anggaran mulai {b.start:%Y-%m}, {', '.join(b.benefits)}, dana: {b.funder}, "
            f"sektor: {b.sector}"
        )
        rows = [("Pekerja", "Bulan", "Dasar", "Iuran/bulan", "Per pekerja", "Jumlah")]
        rows += [
            (
                _count(g.group.workers),
                str(g.group.months),
                rupiah(g.base),
                rupiah(g.monthly[0].total),
                rupiah(g.per_worker),
                rupiah(g.total),
            )
            for g in b.groups
        ]
        lines = [head, _table(rows, right=(0, 1, 2, 3, 4, 5))]
        for g in b.groups:
            changes = _runs(g.monthly)
            if len(changes) > 1:
                lines.append("Iuran per pekerja berubah: " + "; ".join(changes))
        lines += [f"  {name}: {rupiah(amount)}" for name, amount in b.per_benefit().items()]
        lines.append(f"Jumlah: {rupiah(b.total)}")
        discounts = {d.id: d for c in b.contributions() for d in c.discounts}
        lines += [f"Termasuk potongan {d.regulation} {d.percent} %" for d in discounts.values()]
        lines.append(f"Versi aturan: {b.rule_version}")
        return "\n".join(lines)

    def _show_capacity(self, k: budget.Capacity) -> str:
        d = k.as_dict()
        rows = [
            ("Anggaran", rupiah(k.budget)),
            ("Bulan", str(d["months"])),
            ("Iuran per pekerja", rupiah(d["per_worker"])),
            ("Pekerja yang tertanggung", _count(k.workers)),
            ("Terpakai", rupiah(k.cost)),
            ("Sisa", rupiah(d["remaining"])),
        ]
        head = f"Kapasitas mulai {d['start']}, {', '.join(d['benefits'])}, dana: {d['funder']}"
        return "\n".join([head, _table(rows, right=(1,)), f"Versi aturan: {d['rule_version']}"])

    def _show_compliance_fine(self, f) -> str:
        rows = [
            ("Iuran terutang", rupiah(f.owed)),
            ("Bulan", str(f.months)),
            ("Denda per bulan", f"{rupiah(f.per_month)} ({f.as_dict()['percent_per_month']} %)"),
            ("Denda", rupiah(f.fine)),
        ]
        status = " [NC: belum dikonfirmasi]" if f.version.status == "NC" else ""
        lines = [_table(rows, right=(1,)), f"Dasar: {f.version.source}{status}"]
        return "\n".join([*lines, f"Versi aturan: {f.version.id}"])

    def _show_wage_check(self, w) -> str:
        verdict = f"di bawah UMK (kurang {amount_text(w.shortfall)})" if w.below_umk else "≥ UMK"
        return "\n".join(
            [
                f"Upah {rupiah(w.wage)} di wilayah {w.region} tahun {w.year}: {verdict}",
                f"UMK {amount_text(w.umk)}; dasar: {w.cited.source}",
                f"Versi aturan: {w.version.id}",
            ]
        )

    def _show_agent_fee(self, f: AgentFee) -> str:
        rows = [
            ("Iuran terkumpul", rupiah(f.collected)),
            ("Peserta baru", str(f.new_members)),
            ("Imbalan", f"{rupiah(f.fee)} ({f.formula.split(' + ')[0]})"),
            ("Bonus", rupiah(f.bonus)),
            ("Jumlah", rupiah(f.total)),
        ]
        status = " [NC: belum dikonfirmasi]" if f.rule.meta.status == "NC" else ""
        head = f"Imbalan agen Perisai bulan {f.month:%Y-%m}"
        lines = [head, _table(rows, right=(1,)), f"Dasar: {f.rule.meta.source}{status}"]
        return "\n".join([*lines, f"Versi aturan: {f.rule.meta.id}"])
