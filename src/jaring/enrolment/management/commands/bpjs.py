import argparse
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jaring.core.errors import DomainError
from jaring.enrolment.exchange import hooks, profiles
from jaring.enrolment.exchange import services as exchange_services
from jaring.enrolment.exchange.response import required_columns
from jaring.enrolment.exchange.submission import FORMATS
from jaring.enrolment.management.commands._exchange_cli import (
    acting_user,
    add_user_argument,
    dump,
    refuse,
)
from jaring.rules.tables import parse_month


class Command(BaseCommand):
    help = (
        "Exchange files with the BPJS branch: export a submission batch (in an export profile), "
        "import the branch's response, download a batch file again, list or check profiles, "
        "choose a programme's profile."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="put verified members in a new batch file")
        export.add_argument("--programme", type=int, required=True, metavar="ID")
        export.add_argument("--village", metavar="CODE", help="only this region (any level)")
        export.add_argument("--format", choices=FORMATS, default="xlsx")
        export.add_argument("--profile", metavar="NAME", help="default: the programme's")
        export.add_argument("--out", type=Path, metavar="PATH", help="required unless --dry-run")
        export.add_argument(
            "--dry-run", action="store_true", help="say what the batch would hold; change nothing"
        )
        export.add_argument("--json", action="store_true", dest="as_json")
        add_user_argument(export)
        answer = actions.add_parser(
            "response", aliases=["import-response"], help="apply the branch's response file"
        )
        answer.add_argument("path", type=Path)
        answer.add_argument("--programme", type=int, required=True, metavar="ID")
        answer.add_argument("--profile", metavar="NAME", help="default: the programme's")
        answer.add_argument("--json", action="store_true", dest="as_json")
        add_user_argument(answer)
        listed = actions.add_parser("profiles", help="list export profiles, or check a file")
        listed.add_argument("--check", type=Path, metavar="FILE", help="a profile's TOML file")
        listed.add_argument("--json", action="store_true", dest="as_json")
        listed.add_argument("--user", default=None, help=argparse.SUPPRESS)
        statement = actions.add_parser(
            "statement", help="reconcile BPJS's monthly statement with the month's bill"
        )
        statement.add_argument("path", type=Path)
        statement.add_argument("--programme", type=int, required=True, metavar="ID")
        statement.add_argument("--month", required=True, metavar="YYYY-MM")
        statement.add_argument("--json", action="store_true", dest="as_json")
        add_user_argument(statement)
        chosen = actions.add_parser("set-profile", help="the profile of a programme's batches")
        chosen.add_argument("profile", metavar="NAME")
        chosen.add_argument("--programme", type=int, required=True, metavar="ID")
        chosen.add_argument("--json", action="store_true", dest="as_json")
        add_user_argument(chosen)
        again = actions.add_parser("batch-file", help="write a batch's file again, unchanged")
        again.add_argument("batch", type=int, metavar="BATCH_ID")
        again.add_argument("--format", choices=FORMATS, help="default: the batch's own")
        again.add_argument("--profile", metavar="NAME", help="default: the batch's own")
        again.add_argument("--out", type=Path, required=True, metavar="PATH")
        again.add_argument("--json", action="store_true", dest="as_json")
        add_user_argument(again)

    def handle(self, *args, action, as_json, user, **options):
        action = {"import-response": "response"}.get(action, action)
        actor = acting_user(user) if action != "profiles" else None
        try:
            getattr(self, "_" + action.replace("-", "_"))(actor, as_json=as_json, **options)
        except DomainError as exc:
            refuse(self, exc, as_json)

    def _write(self, exported, out: Path, as_json: bool) -> None:
        out.write_bytes(exported.content)
        batch = exported.batch
        summary = {
            "batch_id": batch.pk,
            "reference": batch.reference,
            "programme_id": batch.programme_id,
            "lines": batch.line_count,
            "format": out.suffix.lstrip(".") or batch.file_format,
            "profile": batch.profile,
            "path": str(out),
        }
        if as_json:
            self.stdout.write(dump(summary))
        else:
            self.stdout.write(f"{batch.reference}: {batch.line_count} peserta → {out}")

    def _export(self, actor, *, programme, village, format, profile, out, as_json, **options):
        if options.get("dry_run"):
            preview = exchange_services.preview_batch(
                actor=actor, programme_id=programme, region_code=village, profile=profile
            )
            if as_json:
                self.stdout.write(dump({"dry_run": True, **asdict(preview)}))
            else:
                who = ", ".join(preview.names)
                self.stdout.write(
                    f"{preview.reference}: {preview.lines} peserta would be sent ({who}); "
                    "nothing changed"
                )
            return
        if out is None:
            raise CommandError("--out PATH is required (or --dry-run)", returncode=2)
        exported = exchange_services.export_batch(
            actor=actor,
            programme_id=programme,
            region_code=village,
            file_format=format,
            profile=profile,
        )
        self._write(exported, out, as_json)

    def _batch_file(self, actor, *, batch, format, profile, out, as_json, **_):
        exported = exchange_services.batch_file(
            actor=actor, batch_id=batch, file_format=format or "", profile=profile or ""
        )
        self._write(exported, out, as_json)

    def _profiles(self, actor, *, check, as_json, **_):
        if check is not None:
            if not check.is_file():
                raise CommandError(f"no such file: {check}")
            profile = profiles.parse(check.read_text(encoding="utf-8"), check.stem)
            found = [profile]
        else:
            found = []
            for name in profiles.names():
                try:
                    found.append(profiles.get(name))
                except DomainError as exc:  # listed with why it cannot be used
                    self.stderr.write(f"{name}: " + "; ".join(p.message for p in exc.problems))
        summary = [
            {
                "name": p.name,
                "title": p.title_en,
                "columns": list(p.headers),
                "response_required": list(required_columns(p).values()),
            }
            for p in found
        ]
        if as_json:
            self.stdout.write(dump(summary))
            return
        for p in summary:
            self.stdout.write(f"{p['name']}: {p['title']}")
            self.stdout.write(f"  columns: {', '.join(p['columns'])}")
            self.stdout.write(f"  a response needs: {', '.join(p['response_required'])}")

    def _statement(self, actor, *, path, programme, month, as_json, **_):
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        when = parse_month(month)
        if when is None:
            raise CommandError(f"--month: write the month as YYYY-MM, not {month!r}")
        report = hooks.import_statement(
            actor=actor,
            programme_id=programme,
            month=when,
            data=path.read_bytes(),
            file_name=path.name,
        ).as_dict()
        if as_json:
            self.stdout.write(dump(report))
            return
        if report["already_imported"]:
            self.stdout.write("Laporan ini sudah pernah diimpor: tidak ada yang berubah.")
        self.stdout.write(f"month            {report['month']}")
        self.stdout.write(f"rows             {report['rows']}")
        self.stdout.write(f"matched          {report['matched']}")
        self.stdout.write(f"BPJS total       {report['bpjs_total']}")
        self.stdout.write(f"Jaring total     {report['jaring_total']}")
        for row in report["bpjs_only"]:
            self.stdout.write(
                f"  BPJS counts, Jaring did not bill: row {row['row']} KPJ {row['kpj']}"
            )
        for row in report["jaring_only"]:
            self.stdout.write(
                f"  Jaring billed, BPJS does not count: membership {row['membership_id']} "
                f"KPJ {row['kpj']} {row['bpjs_status'] or 'absent'}"
            )
        for row in report["amount_differs"]:
            self.stdout.write(
                f"  amount differs: membership {row['membership_id']} KPJ {row['kpj']}: "
                f"Jaring {row['jaring']}, BPJS {row['bpjs']}"
            )

    def _set_profile(self, actor, *, profile, programme, as_json, **_):
        setting = exchange_services.choose_profile(
            actor=actor, programme_id=programme, profile=profile
        )
        if as_json:
            self.stdout.write(dump({"programme_id": programme, "profile": setting.profile}))
        else:
            self.stdout.write(f"programme {programme}: {setting.profile}")

    def _response(self, actor, *, path, programme, profile, as_json, **_):
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        report = exchange_services.import_response(
            actor=actor,
            programme_id=programme,
            data=path.read_bytes(),
            file_name=path.name,
            profile=profile,
        )
        if as_json:
            self.stdout.write(dump(report.as_dict()))
            return
        if report.already_imported:
            self.stdout.write("Berkas ini sudah pernah diimpor: tidak ada yang berubah.")
        for label, value in (
            ("accepted", report.accepted),
            ("rejected", report.rejected),
            ("already applied", report.already_applied),
            ("unanswered", report.unanswered),
            ("never submitted", len(report.not_submitted)),
        ):
            self.stdout.write(f"{label:<16} {value}")
        for row in report.not_submitted:
            self.stdout.write(f"  row {row['row']}: NIK {row['nik']} was never submitted")
