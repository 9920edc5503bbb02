"""`jaring compliance`: employer lists, leads, cases and their letters.

    jaring compliance import PATH --kind licence|umkm|market|bpjs --region 61.71 [--json]
    jaring compliance match --region 61.71 [--on YYYY-MM-DD] [--json]
    jaring compliance unlink LINK_ID [--json]
    jaring compliance leads --region 61.71 [--kind pwbd|pds_tk|pds_upah|pds_program] [--json]
    jaring compliance cases [--due] [--region 61.71] [--json]
    jaring compliance open LEAD_ID [--on YYYY-MM-DD] [--json]
    jaring compliance step CASE_ID --step warning_1 --officer-name NAME [--on YYYY-MM-DD] \
[--notes TEXT] [--evidence TEXT] [--follow-up YYYY-MM-DD] [--json]
    jaring compliance close CASE_ID --reason registered|paid --workers N --wages RP [--json]
    jaring compliance letter STEP_ID --out FILE.pdf
    jaring compliance report --region 61.71 --year 2026 [--json]

Every subcommand takes --user USERNAME (the role and region of that user apply); without it the
command acts as the system. A refusal prints every problem and exits with status 2.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jaring.accounts.scope import SYSTEM
from jaring.compliance import letters, matching, selectors, services, sources
from jaring.compliance.models import CloseReason, LeadKind, SourceKind, Step
from jaring.core.arguments import count_arg, date_arg, rupiah_arg
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse


def lead_dict(lead) -> dict:
    return {
        "id": lead.pk,
        "employer": lead.employer.name,
        "employer_id": lead.employer_id,
        "kind": lead.kind,
        "status": lead.status,
        "from_public": lead.from_public,
        "reason": lead.reason_id,
        "figures": lead.figures,
        "found_on": lead.found_on,
    }


def case_dict(case) -> dict:
    return {
        "id": case.pk,
        "employer": case.employer.name,
        "employer_id": case.employer_id,
        "kind": case.kind,
        "coaching": case.coaching,
        "step": case.step,
        "deadline": case.deadline,
        "status": case.status,
        "fine": case.fine,
        "workers_added": case.workers_added,
        "wages_added": case.wages_added,
    }


class Command(BaseCommand):
    help = "Employer compliance: lists, leads, cases, letters, the yearly report."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        def common(p):
            p.add_argument("--user", metavar="USERNAME", help="who acts (default: the system)")
            p.add_argument("--json", action="store_true", help="print JSON")
            return p

        p = common(sub.add_parser("import", help="import an employer list"))
        p.add_argument("path", type=Path)
        p.add_argument("--kind", required=True, choices=SourceKind.values[:4])
        p.add_argument("--region", default="", help="the city, e.g. 61.71")
        p = common(sub.add_parser("match", help="match the lists and find leads"))
        p.add_argument("--region", required=True)
        p.add_argument("--on", type=date_arg, help="YYYY-MM-DD (default: today)")
        p = common(sub.add_parser("unlink", help="undo a link: the business its own employer"))
        p.add_argument("link", type=int)
        p = common(sub.add_parser("leads", help="open leads"))
        p.add_argument("--region", default="")
        p.add_argument("--kind", choices=LeadKind.values, default="")
        p = common(sub.add_parser("cases", help="open cases"))
        p.add_argument("--region", default="")
        p.add_argument("--due", action="store_true", help="deadline today or past")
        p = common(sub.add_parser("open", help="open a case for a lead"))
        p.add_argument("lead", type=int)
        p.add_argument("--on", type=date_arg)
        p = common(sub.add_parser("step", help="take a case's next step"))
        p.add_argument("case", type=int)
        p.add_argument("--step", required=True, choices=Step.values)
        p.add_argument("--officer-name", required=True)
        p.add_argument("--on", type=date_arg)
        p.add_argument("--notes", default="")
        p.add_argument("--evidence", default="")
        p.add_argument("--follow-up", type=date_arg)
        p = common(sub.add_parser("close", help="close a case"))
        p.add_argument("case", type=int)
        p.add_argument("--reason", required=True, choices=CloseReason.values)
        p.add_argument("--workers", type=count_arg, default=0)
        p.add_argument("--wages", type=rupiah_arg, default=0)
        p.add_argument("--on", type=date_arg)
        p = common(sub.add_parser("letter", help="write a step's letter (PDF)"))
        p.add_argument("step", type=int)
        p.add_argument("--out", type=Path, required=True)
        p = common(sub.add_parser("report", help="the yearly report of a city"))
        p.add_argument("--region", required=True)
        p.add_argument("--year", type=count_arg)

    def handle(self, *args, **o):
        actor = acting_user(o["user"]) if o["user"] else SYSTEM
        today = timezone.localdate()
        try:
            result = getattr(self, "_" + o["action"])(actor, o, today)
        except DomainError as exc:
            refuse(self, exc, o["json"])
        if o["json"]:
            self.stdout.write(dump(result))
        else:
            self.stdout.write(self._text(o["action"], result))

    def _import(self, actor, o, today):
        if not o["path"].is_file():
            raise CommandError(f"no file {o['path']}")
        return sources.import_list(
            actor=actor, path=o["path"], kind=o["kind"], region_code=o["region"]
        ).as_dict()

    def _match(self, actor, o, today):
        services.check_city(actor, o["region"])
        return matching.find_leads(
            actor=actor, region_code=o["region"], on=o["on"] or today
        ).as_dict()

    def _unlink(self, actor, o, today):
        business = services.unlink(actor=actor, link_id=o["link"], on=today)
        return {"employer_id": business.pk, "name": business.name}

    def _leads(self, actor, o, today):
        if o["region"]:
            services.check_city(actor, o["region"])
        found = selectors.leads(actor, region=o["region"], kind=o["kind"])
        return [lead_dict(lead) for lead in found]

    def _cases(self, actor, o, today):
        if o["region"]:
            services.check_city(actor, o["region"])
        found = selectors.cases(actor, region=o["region"], due=o["due"], today=today)
        return [case_dict(case) for case in found]

    def _open(self, actor, o, today):
        return case_dict(services.open_case(actor=actor, lead_id=o["lead"], on=o["on"] or today))

    def _step(self, actor, o, today):
        step = services.take_step(
            actor=actor,
            case_id=o["case"],
            data=services.StepInput(
                step=o["step"],
                taken_on=o["on"] or today,
                officer_name=o["officer_name"],
                notes=o["notes"],
                evidence=o["evidence"],
                follow_up=o["follow_up"],
            ),
        )
        return {
            "id": step.pk,
            "step": step.step,
            "deadline": step.deadline,
            "letter_number": step.letter_number,
        } | {"figures": step.figures}

    def _close(self, actor, o, today):
        case = services.close_case(
            actor=actor,
            case_id=o["case"],
            reason=o["reason"],
            on=o["on"] or today,
            workers_added=o["workers"],
            wages_added=o["wages"],
        )
        return case_dict(case)

    def _letter(self, actor, o, today):
        step = selectors.get_step(actor, o["step"])
        o["out"].write_bytes(letters.letter_pdf(step))
        return {"step": step.pk, "file": str(o["out"])}

    def _report(self, actor, o, today):
        services.check_city(actor, o["region"])
        return selectors.year_report(
            actor, region=o["region"], year=o["year"] or today.year
        ).as_dict()

    def _text(self, action: str, result) -> str:
        if action == "leads":
            return (
                "\n".join(
                    f"#{x['id']} {x['kind']:<12} {x['employer']}: {x['reason']}" for x in result
                )
                or "Tidak ada temuan terbuka."
            )
        if action == "cases":
            return (
                "\n".join(
                    f"#{x['id']} {x['step'] or '-':<10} batas {x['deadline'] or '-'} "
                    f"{x['employer']} ({x['kind']})"
                    for x in result
                )
                or "Tidak ada kasus."
            )
        return dump(result)
