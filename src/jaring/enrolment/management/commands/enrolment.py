import datetime as dt

from django.core.management.base import BaseCommand

from jaring.core.errors import DomainError
from jaring.core.rehearsal import rehearse
from jaring.enrolment import selectors, services
from jaring.enrolment.api import membership_out
from jaring.enrolment.management.commands._exchange_cli import (
    acting_user,
    add_user_argument,
    dump,
    refuse,
)
from jaring.programs.selectors import get_programme
from jaring.registry.models import Worker
from jaring.registry.selectors import WorkerFilter, search_workers


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Command(BaseCommand):
    help = (
        "Memberships: enrol workers, verify, end, activate (KPJ), reject, expire, renew, list, "
        "expiring. Bulk actions take filters and change all or nothing."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)

        def action(name, help_text, filters=False):
            p = actions.add_parser(name, help=help_text)
            p.add_argument("--json", action="store_true", dest="as_json")
            p.add_argument(
                "--dry-run",
                action="store_true",
                help="say what would change (and any refusal), change nothing",
            )
            add_user_argument(p)
            if filters:
                p.add_argument("--programme", type=int, metavar="ID")
                p.add_argument("--status", default="")
                p.add_argument("--village", default="")
                p.add_argument("--district", default="")
                p.add_argument("--category", default="")
                p.add_argument("--q", default="", help="NIK or name")
                p.add_argument("--id", type=int, action="append", dest="ids", default=[])
                p.add_argument("--expiring-within", type=int, metavar="DAYS")
            return p

        enrol = action("enrol", "make workers candidates of a programme")
        enrol.add_argument("--programme", type=int, required=True, metavar="ID")
        enrol.add_argument("--worker", type=int, action="append", dest="workers", default=[])
        enrol.add_argument("--village", default="")
        enrol.add_argument("--district", default="")
        enrol.add_argument("--category", default="")
        enrol.add_argument("--only-eligible", action="store_true")
        enrol.add_argument("--reason", default="")
        action("verify", "candidates → verified", filters=True).add_argument("--reason", default="")
        end = action("end", "end memberships", filters=True)
        end.add_argument("--end-reason", required=True, help="death, moved, duplicate, withdrawn")
        end.add_argument("--note", default="")
        activate = action("activate", "BPJS accepted: KPJ and cover start")
        activate.add_argument("membership", type=int, metavar="ID")
        activate.add_argument("--kpj", required=True)
        activate.add_argument("--start", type=_date, help="acceptance date YYYY-MM-DD")
        reject = action("reject", "BPJS refused: back to candidate")
        reject.add_argument("membership", type=int, metavar="ID")
        reject.add_argument("--reason", required=True)
        expire = action("expire", "active memberships past their end date → expired")
        expire.add_argument("--programme", type=int, metavar="ID")
        expire.add_argument("--on", type=_date)
        renew = action("renew", "active/expired memberships → next year's programme", filters=True)
        renew.add_argument("--into", type=int, required=True, metavar="ID")
        renew.add_argument("--reason", default="")
        listing = action("list", "memberships matching the filters", filters=True)
        listing.add_argument("--limit", type=int, default=100)

    def handle(self, *args, action, as_json, user, dry_run=False, **options):
        actor = acting_user(user)
        run = getattr(self, "_" + action)
        try:
            if dry_run:
                # The action done and rolled back: the same counts and refusals, nothing kept.
                out = {**rehearse(lambda: run(actor, **options)), "dry_run": True}
                if action == "enrol":
                    out |= self._enrol_cost(actor, **options)
            else:
                out = run(actor, **options)
        except DomainError as exc:
            refuse(self, exc, as_json)
        self.stdout.write(dump(out) if as_json or not isinstance(out, dict) else self._text(out))

    @staticmethod
    def _text(out: dict) -> str:
        return "  ".join(f"{k}: {v}" for k, v in out.items() if not isinstance(v, list | dict))

    @staticmethod
    def _filter(o) -> selectors.MembershipFilter:
        return selectors.MembershipFilter(
            programme=o["programme"],
            status=o["status"],
            q=o["q"],
            district=o["district"],
            village=o["village"],
            category=o["category"],
            expiring_within=o["expiring_within"],
            ids=o["ids"],
        )

    @staticmethod
    def _enrol_selection(actor, o):
        programme = get_programme(actor, o["programme"])
        if o["workers"]:
            workers = Worker.objects.filter(pk__in=o["workers"])
        else:
            f = WorkerFilter(district=o["district"], village=o["village"], category=o["category"])
            workers = search_workers(actor, f)
        return programme, workers

    def _enrol_cost(self, actor, **o):
        programme, workers = self._enrol_selection(actor, o)
        preview = services.enrol_preview(
            actor=actor, programme=programme, workers=workers, only_eligible=o["only_eligible"]
        )
        return {"cost": preview.cost, "remaining_budget": preview.remaining}

    def _enrol(self, actor, **o):
        programme, workers = self._enrol_selection(actor, o)
        n = services.enrol(
            actor=actor,
            programme=programme,
            workers=workers,
            reason=o["reason"],
            only_eligible=o["only_eligible"],
        )
        return {"enrolled": n}

    def _verify(self, actor, **o):
        qs = selectors.search_memberships(actor, self._filter(o))
        return {"verified": services.verify(actor=actor, memberships=qs, reason=o["reason"])}

    def _end(self, actor, **o):
        qs = selectors.search_memberships(actor, self._filter(o))
        n = services.end(actor=actor, memberships=qs, end_reason=o["end_reason"], note=o["note"])
        return {"ended": n}

    def _activate(self, actor, **o):
        m = selectors.get_membership(actor, o["membership"])
        m = services.activate(actor=actor, membership=m, kpj=o["kpj"], start_date=o["start"])
        return membership_out(actor, m)

    def _reject(self, actor, **o):
        m = selectors.get_membership(actor, o["membership"])
        m = services.reject_submission(actor=actor, membership=m, reason=o["reason"])
        return membership_out(actor, m)

    def _expire(self, actor, **o):
        programme = get_programme(actor, o["programme"]) if o["programme"] else None
        return {"expired": services.expire_lapsed(actor=actor, on=o["on"], programme=programme)}

    def _renew(self, actor, **o):
        into = get_programme(actor, o["into"])
        qs = selectors.search_memberships(actor, self._filter(o))
        return {
            "renewed": services.renew(actor=actor, memberships=qs, into=into, reason=o["reason"])
        }

    def _list(self, actor, **o):
        qs = selectors.search_memberships(actor, self._filter(o))
        return {
            "count": qs.count(),
            "items": [membership_out(actor, m) for m in qs[: o["limit"]]],
        }
