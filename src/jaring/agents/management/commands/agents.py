"""`jaring agents`: Perisai agents from the command line.

    jaring agents list [--month 2026-05] [--json]
    jaring agents register --name NAME --nik NIK --phone 0812… --area 61.72.01 --number AG-1
        [--username LOGIN] [--joined 2026-01-05]
    jaring agents credit --agent ID --cover ID
    jaring agents deposit --agent ID --reference REF --amount 84000 [--date 2026-06-30]
    jaring agents fee --agent ID --month 2026-05 [--json]
    jaring agents inactivity --month 2026-09 [--json]
    jaring agents rejoin --agent ID

Without --user the command acts as the system. A refusal exits with status 2.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from jaring.accounts.scope import SYSTEM
from jaring.agents import selectors, services
from jaring.core.arguments import date_arg, month_arg, rupiah_arg
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse
from jaring.rules.tables import rupiah


class Command(BaseCommand):
    help = "Perisai agents: list, register, credit a member, deposits, fees, inactivity."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        ls = sub.add_parser("list", help="agents by activity in a month")
        ls.add_argument("--month", type=month_arg, metavar="YYYY-MM", help="default: this month")
        reg = sub.add_parser("register", help="a new agent")
        reg.add_argument("--name", required=True)
        reg.add_argument("--nik", required=True)
        reg.add_argument("--phone", required=True)
        reg.add_argument("--area", required=True, help="region code the agent works in")
        reg.add_argument("--number", required=True, help="BPJS agent number")
        reg.add_argument("--username", default="", help="the agent's login (role agent)")
        reg.add_argument("--joined", type=date_arg, help="default: today")
        credit = sub.add_parser("credit", help="credit a self-paid member to an agent")
        credit.add_argument("--agent", type=int, required=True)
        credit.add_argument("--cover", type=int, required=True)
        dep = sub.add_parser("deposit", help="an agent's deposit of its collections to BPJS")
        dep.add_argument("--agent", type=int, required=True)
        dep.add_argument("--reference", required=True)
        dep.add_argument("--amount", type=rupiah_arg, required=True)
        dep.add_argument("--date", type=date_arg, help="default: today")
        fee = sub.add_parser("fee", help="an agent's fee for one month")
        fee.add_argument("--agent", type=int, required=True)
        fee.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
        ina = sub.add_parser("inactivity", help="apply the inactivity rule")
        ina.add_argument("--month", type=month_arg, metavar="YYYY-MM", help="default: this month")
        rej = sub.add_parser("rejoin", help="an inactive agent works again")
        rej.add_argument("--agent", type=int, required=True)
        for p in (ls, reg, credit, dep, fee, ina, rej):
            p.add_argument("--user", metavar="USERNAME", help="who acts (default: the system)")
            p.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        actor = acting_user(opts["user"]) if opts["user"] else SYSTEM
        try:
            out, text = getattr(self, f"_{opts['action']}")(actor, opts)
        except DomainError as exc:
            refuse(self, exc, opts["json"])
        self.stdout.write(dump(out) if opts["json"] else text)

    def _list(self, actor, o):
        month = o["month"] or timezone.localdate().replace(day=1)
        rows = [
            {
                "id": a.pk,
                "name": a.full_name,
                "number": a.bpjs_agent_number,
                "area": a.area_id,
                "status": a.status,
                "members": a.members,
                "covered": a.covered,
                "retention_pct": selectors.retention_pct(a.members, a.covered),
                "new_members": a.new_members,
                "collected": a.collected,
                "undeposited": a.undeposited,
            }
            for a in selectors.activity(actor, month)
        ]
        text = "\n".join(
            f"{r['id']:>5}  {r['number']:<12} {r['name']:<30} {r['status']:<8} "
            f"peserta {r['members']} (aktif {r['covered']}), baru {r['new_members']}, "
            f"terkumpul {rupiah(r['collected'])}"
            for r in rows
        )
        return {"month": f"{month:%Y-%m}", "agents": rows}, text or "Belum ada agen."

    def _register(self, actor, o):
        agent = services.register_agent(
            actor=actor,
            data=services.AgentInput(
                full_name=o["name"],
                nik=o["nik"],
                phone=o["phone"],
                area=o["area"],
                bpjs_agent_number=o["number"],
                username=o["username"],
                joined_on=o["joined"],
            ),
        )
        return {"id": agent.pk}, f"Agen {agent.full_name} terdaftar (id {agent.pk})."

    def _credit(self, actor, o):
        credit = services.credit_cover(actor=actor, cover_id=o["cover"], agent_id=o["agent"])
        return {"id": credit.pk}, f"Peserta {o['cover']} tercatat sebagai peserta agen."

    def _deposit(self, actor, o):
        d = services.record_deposit(
            actor=actor,
            agent_id=o["agent"],
            data=services.DepositInput(
                o["reference"], o["amount"], o["date"] or timezone.localdate()
            ),
        )
        out = {"id": d.pk, "amount": d.amount, "collections": d.collections}
        return out, f"Setoran {d.reference}: {rupiah(d.amount)} ({d.collections} pembayaran)."

    def _fee(self, actor, o):
        fee = services.calculate_fee(actor=actor, agent_id=o["agent"], month=o["month"])
        return fee.detail, (
            f"Imbalan {fee.month:%Y-%m}: {rupiah(fee.fee)} + bonus {rupiah(fee.bonus)} = "
            f"{rupiah(fee.total)} ({fee.rule_version})"
        )

    def _inactivity(self, actor, o):
        month = o["month"] or timezone.localdate().replace(day=1)
        ids = services.apply_inactivity(actor=actor, month=month)
        return {"inactive": ids}, f"{len(ids)} agen menjadi tidak aktif."

    def _rejoin(self, actor, o):
        agent = services.rejoin(actor=actor, agent_id=o["agent"])
        return {"id": agent.pk, "status": agent.status}, f"Agen {agent.full_name} aktif lagi."
