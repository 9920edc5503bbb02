"""`jaring claim`: register a claim, show it, list claims, move one through the workflow.

    jaring claim create --user USERNAME (--membership ID | --member NIK|KPJ) --kind death \
        --event-date 2026-03-10 --description TEXT [--claimant-name N --claimant-relation R] \
        [--children JSON] [--medical-care] [--medical-cost RP] [--months-incapacity N] \
        [--disability partial|total] [--disability-percent P | --body-part CODE] \
        [--function-lost-percent P] [--transport land:RP ...] [--home-care RP] \
        [--prior-months N] [--heir "NAME:RELATION:SHARE" ...] [--document PATH ...] [--json]
    jaring claim correct ID --user USERNAME --reason TEXT [any option of create but the member] \
        [--remove-document DOCUMENT_ID ...] [--json]
    jaring claim show ID --user USERNAME [--json]
    jaring claim list --user USERNAME [--status S] [--kind K] [--programme ID] [--json]
    jaring claim transition ID --user USERNAME --action verify|approve|pay|reject \
        [--reason TEXT] [--paid-on YYYY-MM-DD] [--reference REF] [--reference-kind sp2d|transfer] \
        [--amount RP] [--json]
    jaring claim year ID --user USERNAME --child CHILD_ID --school-year 2024/2025 --proof TEXT \
        [--level LEVEL] [--json]                      # claim one school year of a scholarship
    jaring claim year-approve ID --user USERNAME --year YEAR_ID [--json]
    jaring claim year-pay ID --user USERNAME --year YEAR_ID --paid-on DATE --reference REF \
        [--reference-kind sp2d|transfer] [--json]
    jaring claim stop ID --user USERNAME --child CHILD_ID --school-year 2025/2026 --reason TEXT

Heirs (death claims) share the lump sums; their shares must add up to 100 (percent). A payment
of the lump sums records its date, reference (SP2D or transfer) and amount (default: all still
due; a part leaves the claim approved). Scholarships are paid one school year at a time.

Kinds: work_accident, occupational_disease, work_death, death. Children as JSON:
[{"name": "Ani", "birth_date": "2018-04-01", "level": "sd", "grade": 1}].
A correction (only before approval) changes just the options given and computes the
entitlements again. A refusal prints every problem and exits with status 2; nothing is recorded.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from jaring.claims import selectors, services
from jaring.claims.entitlements import ChildInput, ClaimInput, HeirInput, Transport, corrected
from jaring.claims.models import ClaimKind, ClaimStatus, Disability, ReferenceKind, SchoolLevel
from jaring.claims.workflow import ACTIONS
from jaring.core.arguments import count_arg, date_arg, rupiah_arg
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import (
    acting_user,
    add_user_argument,
    dump,
    refuse,
)
from jaring.enrolment.selectors import get_membership
from jaring.rules.tables import rupiah


def transport_arg(text: str) -> Transport:
    mode, _, cost = text.partition(":")
    if not cost:
        raise argparse.ArgumentTypeError(f"write MODE:RUPIAH, e.g. land:250000 (not {text!r})")
    return Transport(mode.strip(), rupiah_arg(cost))


def children_arg(text: str) -> tuple[ChildInput, ...]:
    try:
        data = json.loads(text)
        return tuple(
            ChildInput(
                name=str(c.get("name", "")),
                birth_date=date_arg(str(c.get("birth_date", ""))),
                level=str(c.get("level") or ""),
                grade=int(c.get("grade", 1)),
                married=bool(c.get("married", False)),
                working=bool(c.get("working", False)),
            )
            for c in data
        )
    except (json.JSONDecodeError, TypeError, AttributeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(
            f"children: a JSON list of objects with name, birth_date, level, grade ({exc})"
        ) from None


# Options of `create` that `correct` also takes; `correct` changes only the ones given.
_FACTS = {
    "claim_date": "claimed_on",
    "claimant_name": "claimant_name",
    "claimant_relation": "claimant_relation",
    "children": "children",
    "medical_care": "medical_care",
    "medical_cost": "medical_cost",
    "months_incapacity": "months_incapacity",
    "disability": "disability",
    "disability_percent": "disability_percent",
    "body_part": "body_part",
    "function_lost_percent": "function_lost_percent",
    "transport": "transport",
    "home_care": "home_care_cost",
    "prior_months": "prior_months",
    "heir": "heirs",
}


def heir_arg(text: str) -> HeirInput:
    if text.count(":") < 2:
        raise argparse.ArgumentTypeError(
            f"write NAME:RELATION:SHARE, e.g. 'Siti:istri:50' (not {text!r})"
        )
    name, relation, share = text.rsplit(":", 2)
    try:
        return HeirInput(name.strip(), relation.strip(), Decimal(share.strip()))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(
            f"write NAME:RELATION:SHARE, e.g. 'Siti:istri:50' (not {text!r})"
        ) from None


def _fact_arguments(p, *, defaults: bool) -> None:
    """With `defaults` (create) a missing option is the empty value, else it is left unchanged."""

    def default(value):
        return value if defaults else None

    p.add_argument("--claim-date", type=date_arg, help="default: today")
    p.add_argument("--claimant-name", default=default(""))
    p.add_argument("--claimant-relation", default=default(""))
    p.add_argument("--children", type=children_arg, default=default(()))
    p.add_argument(
        "--medical-care",
        action="store_const",
        const=True,
        default=default(False),
        help="medical care, paid to the health facility as medically needed",
    )
    p.add_argument("--medical-cost", type=rupiah_arg, metavar="RP", help="the facility's bill")
    p.add_argument("--months-incapacity", type=count_arg)
    p.add_argument("--disability", choices=[d for d in Disability.values if d], default=default(""))
    p.add_argument("--disability-percent", default=default(""))
    p.add_argument("--body-part", default=default(""))
    p.add_argument("--function-lost-percent", default=default(""))
    p.add_argument(
        "--transport",
        type=transport_arg,
        action="append",
        default=default([]),
        metavar="MODE:RP",
    )
    p.add_argument("--home-care", type=rupiah_arg, metavar="RP")
    p.add_argument("--prior-months", type=count_arg, default=default(0))
    p.add_argument(
        "--heir",
        type=heir_arg,
        action="append",
        default=default([]),
        metavar="NAME:RELATION:SHARE",
        help="an heir of a death claim and their share in percent (repeat; shares sum to 100)",
    )
    p.add_argument("--document", action="append", default=[], metavar="PATH")


@contextmanager
def _files(paths: list[str]) -> Iterator[list[File]]:
    """The named files, open for the upload checks; refused before anything when one is missing."""
    found = [Path(p) for p in paths]
    missing = [str(p) for p in found if not p.is_file()]
    if missing:
        raise CommandError(f"no such file: {', '.join(missing)}")
    handles = [p.open("rb") for p in found]
    try:
        yield [File(h, name=p.name) for h, p in zip(handles, found, strict=True)]
    finally:
        for h in handles:
            h.close()


class Command(BaseCommand):
    help = "Claims: create, show, list, transition."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = sub.add_parser("create", help="register a claim and compute its entitlements")
        who = create.add_mutually_exclusive_group(required=True)
        who.add_argument("--membership", type=int, metavar="ID")
        who.add_argument("--member", metavar="NIK|KPJ", help="the membership covering the event")
        create.add_argument("--kind", required=True, choices=ClaimKind.values)
        create.add_argument("--event-date", required=True, type=date_arg)
        create.add_argument("--description", required=True)
        _fact_arguments(create, defaults=True)

        fix = sub.add_parser("correct", help="correct a claim before approval; audited")
        fix.add_argument("id", type=int)
        fix.add_argument("--reason", required=True, help="why the claim is corrected")
        fix.add_argument("--kind", choices=ClaimKind.values)
        fix.add_argument("--event-date", type=date_arg)
        fix.add_argument("--description")
        _fact_arguments(fix, defaults=False)
        fix.add_argument(
            "--remove-document", type=int, action="append", default=[], metavar="DOCUMENT_ID"
        )

        show = sub.add_parser("show", help="one claim with its entitlements")
        show.add_argument("id", type=int)

        listing = sub.add_parser("list", help="claims in your region, newest first")
        listing.add_argument("--status", choices=ClaimStatus.values, default="")
        listing.add_argument("--kind", choices=ClaimKind.values, default="")
        listing.add_argument("--programme", type=int, metavar="ID")
        listing.add_argument("--limit", type=count_arg, default=100)

        move = sub.add_parser("transition", help="verify, approve, pay or reject a claim")
        move.add_argument("id", type=int)
        move.add_argument("--action", required=True, choices=ACTIONS, dest="step")
        move.add_argument("--reason", default="")
        move.add_argument("--paid-on", type=date_arg)
        move.add_argument("--reference", default="", help="pay: the SP2D or transfer number")
        move.add_argument("--reference-kind", choices=ReferenceKind.values, default="transfer")
        move.add_argument("--amount", type=rupiah_arg, help="pay: default all still due")

        year = sub.add_parser("year", help="claim one school year of a child's scholarship")
        year.add_argument("id", type=int)
        year.add_argument("--child", type=int, required=True, metavar="CHILD_ID")
        year.add_argument("--school-year", required=True, metavar="2024/2025")
        year.add_argument("--proof", required=True, help="the school's letter of enrolment")
        year.add_argument("--level", default="", choices=["", *SchoolLevel.values[1:]])

        approve = sub.add_parser("year-approve", help="approve a claimed school year")
        approve.add_argument("id", type=int)
        approve.add_argument("--year", type=int, required=True, metavar="YEAR_ID")

        pay = sub.add_parser("year-pay", help="record the payment of an approved school year")
        pay.add_argument("id", type=int)
        pay.add_argument("--year", type=int, required=True, metavar="YEAR_ID")
        pay.add_argument("--paid-on", type=date_arg, required=True)
        pay.add_argument("--reference", required=True)
        pay.add_argument("--reference-kind", choices=ReferenceKind.values, default="transfer")

        stop = sub.add_parser("stop", help="stop a child's scholarship from a school year on")
        stop.add_argument("id", type=int)
        stop.add_argument("--child", type=int, required=True, metavar="CHILD_ID")
        stop.add_argument("--school-year", required=True, metavar="2025/2026")
        stop.add_argument("--reason", required=True, help="left school, married, works")

        for p in (create, fix, show, listing, move, year, approve, pay, stop):
            add_user_argument(p)
            p.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        actor = acting_user(opts["user"])
        try:
            getattr(self, f"_{opts['action'].replace('-', '_')}")(actor, opts)
        except DomainError as exc:
            refuse(self, exc, opts["json"])

    def _create(self, actor, o):
        facts = {field: o[option] for option, field in _FACTS.items()}
        facts["transport"] = tuple(facts["transport"])
        facts["heirs"] = tuple(facts["heirs"])
        data = ClaimInput(
            kind=o["kind"], event_date=o["event_date"], description=o["description"], **facts
        )
        if o["membership"] is not None:
            membership = get_membership(actor, o["membership"])
        else:
            membership = selectors.find_membership(actor, o["member"], o["event_date"])
        with _files(o["document"]) as documents:
            claim = services.register_claim(
                actor=actor, membership=membership, data=data, documents=documents
            )
        self._show_one(actor, claim.pk, o)

    def _correct(self, actor, o):
        claim = selectors.get_claim(actor, o["id"])
        given = {f: o[opt] for opt, f in _FACTS.items() if o[opt] is not None}
        given |= {f: o[f] for f in ("kind", "event_date", "description") if o[f] is not None}
        with _files(o["document"]) as documents:
            services.correct_claim(
                actor=actor,
                claim=claim,
                data=corrected(services.input_of(claim), given),
                reason=o["reason"],
                documents=documents,
                remove_documents=o["remove_document"],
            )
        self._show_one(actor, claim.pk, o)

    def _show(self, actor, o):
        self._show_one(actor, o["id"], o)

    def _transition(self, actor, o):
        claim = services.transition(
            actor=actor,
            claim=selectors.get_claim(actor, o["id"]),
            action=o["step"],
            reason=o["reason"],
            paid_on=o["paid_on"],
            reference=o["reference"],
            reference_kind=o["reference_kind"],
            amount=o["amount"],
        )
        self._show_one(actor, claim.pk, o)

    def _year(self, actor, o):
        claim = selectors.get_claim(actor, o["id"])
        services.claim_school_year(
            actor=actor,
            claim=claim,
            child_id=o["child"],
            school_year=o["school_year"],
            proof=o["proof"],
            level=o["level"],
        )
        self._show_one(actor, claim.pk, o)

    def _year_approve(self, actor, o):
        claim = selectors.get_claim(actor, o["id"])
        services.approve_school_year(actor=actor, claim=claim, year_id=o["year"])
        self._show_one(actor, claim.pk, o)

    def _year_pay(self, actor, o):
        claim = selectors.get_claim(actor, o["id"])
        services.pay_school_year(
            actor=actor,
            claim=claim,
            year_id=o["year"],
            paid_on=o["paid_on"],
            reference=o["reference"],
            reference_kind=o["reference_kind"],
        )
        self._show_one(actor, claim.pk, o)

    def _stop(self, actor, o):
        claim = selectors.get_claim(actor, o["id"])
        services.stop_scholarship(
            actor=actor,
            claim=claim,
            child_id=o["child"],
            school_year=o["school_year"],
            reason=o["reason"],
        )
        self._show_one(actor, claim.pk, o)

    def _list(self, actor, o):
        claims = selectors.search_claims(
            actor,
            selectors.ClaimFilter(status=o["status"], kind=o["kind"], programme=o["programme"]),
        )[: o["limit"]]
        rows = [selectors.claim_dict(actor, c) for c in claims]
        if o["json"]:
            self.stdout.write(dump(rows))
            return
        for r in rows:
            self.stdout.write(
                f"{r['id']:>6} {r['status']:9} {r['kind']:20} {r['event_date']} "
                f"{r['worker'][:30]:30} {rupiah(r['total']):>16}"
            )

    def _show_one(self, actor, pk: int, o) -> None:
        d = selectors.claim_dict(actor, selectors.get_claim(actor, pk), detail=True)
        if o["json"]:
            self.stdout.write(dump(d))
            return
        lines = [
            f"Klaim {d['id']} ({d['status']}): {d['kind']}, kejadian {d['event_date']}, "
            f"{d['worker']} KPJ {d['kpj']}, {d['programme']}",
            f"Upah (dasar) {rupiah(d['wage'])}, bulan iuran {d['months_contributed']}",
        ]
        lines += [
            f"  {i['name']}: {rupiah(i['amount'])} = {i['formula']} ({i['regulation']})"
            for i in d["items"]
        ]
        lines.append(f"Jumlah: {rupiah(d['total'])}")
        lines += [f"Ahli waris: {h['name']} ({h['relation']}) {h['share']} %" for h in d["heirs"]]
        lines += [
            f"  Beasiswa {y['child']} (anak {y['child_id']}) {y['school_year']} {y['level']}: "
            f"{rupiah(y['amount'])} [{y['status']}] (tahun {y['id']})"
            for y in d["scholarship_years"]
        ]
        lines += [
            f"Dibayar {p['paid_on']} {p['reference_kind']} {p['reference']}: {rupiah(p['amount'])}"
            + (f" (beasiswa {p['scholarship_year']})" if p["scholarship_year"] else "")
            for p in d["payments"]
        ]
        lines.append(
            f"Sisa santunan: {rupiah(d['lump_sum_due'])}; beasiswa dibayar "
            f"{rupiah(d['scholarships_paid'])}, terutang {rupiah(d['scholarships_owed'])}"
        )
        lines += [f"Tidak dibayar ({r['subject']}): {r['message_id']}" for r in d["refused"]]
        lines.append(f"Versi aturan: {d['rule_version']}")
        self.stdout.write("\n".join(lines))
