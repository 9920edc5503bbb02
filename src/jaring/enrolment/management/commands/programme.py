import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from pydantic import ValidationError

from jaring.core.errors import DomainError
from jaring.enrolment.api import eligibility_out
from jaring.enrolment.management.commands._exchange_cli import (
    acting_user,
    add_user_argument,
    dump,
    refuse,
)
from jaring.enrolment.selectors import EligibilityFilter, programme_budget
from jaring.programs import selectors, services, what_if
from jaring.programs.api import ProgrammeIn, ProgrammePatch, programme_changes, programme_out
from jaring.programs.errors import ProgrammeError

YES = {"y", "yes", "ya"}


# Enrolment's, not programs': its budget and eligibility read memberships (programs sits below).
class Command(BaseCommand):
    help = (
        "Programmes: list, show, create or update from a JSON file (the API's fields), copy to "
        "the next year, budget, what-if, eligibility counts."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)

        def action(name, help_text, with_id=True):
            p = actions.add_parser(name, help=help_text)
            if with_id:
                p.add_argument("programme", type=int, metavar="ID")
            p.add_argument("--json", action="store_true", dest="as_json")
            add_user_argument(p)
            return p

        listing = action("list", "programmes in your region", with_id=False)
        listing.add_argument("--year", type=int)
        listing.add_argument("--status", default="")
        action("show", "one programme with its categories")
        create = action("create", "a programme from a JSON file", with_id=False)
        create.add_argument("file", type=Path)
        update = action("update", "change the fields given in a JSON file")
        update.add_argument("file", type=Path)
        for p in (create, update):
            p.add_argument(
                "--confirm",
                action="store_true",
                help="save even when the planned cost is over the budget ceiling (without it, "
                "the command asks at a terminal and refuses otherwise)",
            )
        copy = action("copy", "a draft for the next fiscal year with the same terms")
        copy.add_argument("--name", default="")
        copy.add_argument("--budget-ceiling", type=int)
        action("budget", "planned, enrolled, active and remaining, in rupiah")
        what_if = action("what-if", "workers a budget covers, or the budget workers need")
        what_if.add_argument("--budget", metavar="RP")
        what_if.add_argument("--workers")
        what_if.add_argument("--months")
        what_if.add_argument("--category", default="")
        what_if.add_argument("--base", metavar="RP")
        eligible = action("eligibility", "how many workers are eligible, why not, and who")
        eligible.add_argument(
            "--reason", default="", help="only workers held back by this reason (a code)"
        )
        eligible.add_argument("--eligible", choices=("yes", "no"), default="")
        eligible.add_argument("--q", default="", help="NIK or name")
        eligible.add_argument("--village", default="")
        eligible.add_argument("--district", default="")
        eligible.add_argument("--category", default="")
        eligible.add_argument("--limit", type=int, default=50)
        eligible.add_argument("--offset", type=int, default=0)

    def handle(self, *args, action, as_json, user, **options):
        actor = acting_user(user)
        try:
            out = getattr(self, "_" + action.replace("-", "_"))(actor, **options)
        except DomainError as exc:
            refuse(self, exc, as_json)
        except (ValidationError, ValueError) as exc:  # an unreadable or malformed JSON file
            raise CommandError(str(exc), returncode=2) from None
        if as_json:
            self.stdout.write(dump(out))
        elif action == "eligibility":
            self.stdout.write(self._eligibility_text(out))
        else:
            self.stdout.write(self._text(out))

    @staticmethod
    def _eligibility_text(out) -> str:
        counts, reasons = out["counts"], out["reasons"]
        lines = [f"{counts['eligible']} of {counts['total']} workers eligible."]
        lines += [
            f"  {counts[code]:>7}  {code:<22} {reasons[code]['message']}"
            for code in reasons
            if counts[code]
        ]
        if out["items"]:
            lines.append("")
        for w in out["items"]:
            why = "; ".join(r["message"] for r in w["reasons"]) or "eligible"
            lines.append(
                f"{w['nik']}  {w['full_name'][:28]:<28} {w['village']:<13} "
                f"{w['category']:<18} {why}"
            )
        return "\n".join(lines)

    @staticmethod
    def _text(out) -> str:
        if isinstance(out, list):
            return "\n".join(
                f"{p['id']:>5}  {p['fiscal_year']}  {p['status']:<7} {p['region']:<13} {p['name']}"
                for p in out
            )
        return dump(out)

    def _list(self, actor, year=None, status="", **_):
        qs = selectors.search_programmes(actor, year=year, status=status)
        return [programme_out(p) for p in qs.prefetch_related("categories")]

    def _show(self, actor, programme, **_):
        return programme_out(selectors.get_programme(actor, programme))

    def _within_ceiling(self, save, confirmed: bool):
        """The save, over the budget ceiling only when confirmed: by --confirm (or the file's
        confirm_over_ceiling), or by answering yes at a terminal."""
        try:
            return services.save_within_ceiling(save, over_ceiling_ok=confirmed)
        except DomainError as exc:
            over = [p for p in exc.problems if p.code == ProgrammeError.OVER_BUDGET_CEILING]
            if not over or not sys.stdin.isatty():
                raise
            self.stderr.write(over[0].message)
            if input("Save it over the ceiling anyway? [y/N] ").strip().lower() not in YES:
                raise
            return services.save_within_ceiling(save, over_ceiling_ok=True)

    def _create(self, actor, file, confirm=False, **_):
        payload = ProgrammeIn(**json.loads(file.read_text("utf-8")))
        data = services.ProgrammeInput(**programme_changes(payload))
        programme = self._within_ceiling(
            lambda: services.create_programme(actor=actor, data=data),
            confirm or payload.confirm_over_ceiling,
        )
        return programme_out(programme)

    def _update(self, actor, programme, file, confirm=False, **_):
        payload = ProgrammePatch(**json.loads(file.read_text("utf-8")))
        programme = selectors.get_programme(actor, programme)
        changes = programme_changes(payload)
        p = self._within_ceiling(
            lambda: services.update_programme(
                actor=actor, programme=programme, changes=changes, reason=payload.reason
            ),
            confirm or payload.confirm_over_ceiling,
        )
        return programme_out(p)

    def _copy(self, actor, programme, name="", budget_ceiling=None, **_):
        copy = services.copy_to_next_year(
            actor=actor,
            programme=selectors.get_programme(actor, programme),
            name=name,
            budget_ceiling=budget_ceiling,
        )
        return programme_out(copy)

    def _budget(self, actor, programme, **_):
        return programme_budget(selectors.get_programme(actor, programme)).as_dict()

    def _what_if(self, actor, programme, **o):
        return what_if.answer(
            selectors.get_programme(actor, programme),
            budget_rp=o["budget"],
            workers=o["workers"],
            months=o["months"],
            category=o["category"],
            base=o["base"],
        )

    def _eligibility(self, actor, programme, **o):
        p = selectors.get_programme(actor, programme)
        f = EligibilityFilter(
            eligible=o["eligible"],
            reason=o["reason"],
            q=o["q"],
            village=o["village"],
            district=o["district"],
            category=o["category"],
        )
        return eligibility_out(actor, p, f, limit=o["limit"], offset=o["offset"])
