from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jaring.core.errors import DomainError
from jaring.enrolment.exchange import services as exchange_services
from jaring.enrolment.exchange.submission import FORMATS
from jaring.enrolment.management.commands._exchange_cli import (
    acting_user,
    add_user_argument,
    dump,
    refuse,
)


class Command(BaseCommand):
    help = (
        "Exchange files with the BPJS branch: export a submission batch, import the branch's "
        "response, download a batch file again."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="put verified members in a new batch file")
        export.add_argument("--programme", type=int, required=True, metavar="ID")
        export.add_argument("--village", metavar="CODE", help="only this region (any level)")
        export.add_argument("--format", choices=FORMATS, default="xlsx")
        export.add_argument("--out", type=Path, required=True, metavar="PATH")
        export.add_argument("--json", action="store_true", dest="as_json")
        add_user_argument(export)
        answer = actions.add_parser("import-response", help="apply the branch's response file")
        answer.add_argument("path", type=Path)
        answer.add_argument("--programme", type=int, required=True, metavar="ID")
        answer.add_argument("--json", action="store_true", dest="as_json")
        add_user_argument(answer)
        again = actions.add_parser("batch-file", help="write a batch's file again, unchanged")
        again.add_argument("batch", type=int, metavar="BATCH_ID")
        again.add_argument("--format", choices=FORMATS, help="default: the batch's own")
        again.add_argument("--out", type=Path, required=True, metavar="PATH")
        again.add_argument("--json", action="store_true", dest="as_json")
        add_user_argument(again)

    def handle(self, *args, action, as_json, user, **options):
        actor = acting_user(user)
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
            "path": str(out),
        }
        if as_json:
            self.stdout.write(dump(summary))
        else:
            self.stdout.write(f"{batch.reference}: {batch.line_count} peserta → {out}")

    def _export(self, actor, *, programme, village, format, out, as_json, **_):
        exported = exchange_services.export_batch(
            actor=actor, programme_id=programme, region_code=village, file_format=format
        )
        self._write(exported, out, as_json)

    def _batch_file(self, actor, *, batch, format, out, as_json, **_):
        exported = exchange_services.batch_file(
            actor=actor, batch_id=batch, file_format=format or ""
        )
        self._write(exported, out, as_json)

    def _import_response(self, actor, *, path, programme, as_json, **_):
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        report = exchange_services.import_response(
            actor=actor, programme_id=programme, data=path.read_bytes(), file_name=path.name
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
