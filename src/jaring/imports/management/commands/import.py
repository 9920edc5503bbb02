import json
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jaring.accounts.models import User
from jaring.core.errors import DomainError
from jaring.imports import pipeline, report, services
from jaring.imports.models import Status


class ProgressBar:
    """One line on stderr, redrawn in place on a terminal, a line per stage otherwise."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled, self.stage = stream, enabled, None
        self.tty = stream.isatty()

    def __call__(self, stage: str, fraction: float) -> None:
        if not self.enabled:
            return
        if self.tty:
            filled = round(30 * fraction)
            bar = "#" * filled + "-" * (30 - filled)
            self.stream.write(f"\r[{bar}] {100 * fraction:3.0f}% {stage:<12}", ending="")
        elif stage != self.stage:
            self.stream.write(f"{100 * fraction:3.0f}% {stage}")
        self.stage = stage
        self.stream.flush()

    def done(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("")


class Command(BaseCommand):
    help = "Import a list of workers (.xlsx, .xls, .csv): check it, and with --commit save it."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--region", help="region code the rows must lie in (default: yours)")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--commit", action="store_true", help="save the approved rows")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")
        parser.add_argument("--user", help="who imports (needed unless --dry-run)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        if options["dry_run"] and options["commit"]:
            raise CommandError("--dry-run and --commit exclude each other")
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        self.stderr.style_func = None  # a progress bar, not an error: no red
        bar = ProgressBar(self.stderr, not options["no_progress"])
        try:
            if options["dry_run"]:
                summary = self._dry_run(path, options, bar)
            else:
                summary = self._import(path, options, bar)
        except DomainError as exc:
            bar.done()
            self._fail(exc.as_dict()["errors"], options["json"])
        bar.done()
        if summary.get("errors"):
            self._fail(summary["errors"], options["json"])
        self._print(summary, options["json"])

    def _dry_run(self, path: Path, options, bar) -> dict:
        user = self._user(options["user"]) if options["user"] else None
        region = services.import_region(user, options["region"]) if user else options["region"]
        analysis = pipeline.analyse(
            path, region_code=region or "", today=timezone.localdate(), progress=bar
        )
        return report.of_analysis(analysis)

    def _import(self, path: Path, options, bar) -> dict:
        if not options["user"]:
            raise CommandError("--user USERNAME is needed to import (or use --dry-run)")
        user = self._user(options["user"])
        with path.open("rb") as f:
            batch = services.create_batch(
                actor=user, upload=File(f), name=path.name, region_code=options["region"]
            )
        batch = services.check_batch(batch_id=batch.pk, progress=bar)
        if options["commit"] and batch.status == Status.READY:
            bar("committing", 1.0)
            batch = services.commit_batch(actor=user, batch=batch)
        return report.of_batch(batch)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user

    def _fail(self, errors: list[dict], as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({"errors": errors}, indent=2, ensure_ascii=False))
        else:
            for e in errors:
                self.stderr.write(str(e.get("message") or e.get("message_id")))
        raise CommandError("import refused", returncode=2)

    def _print(self, summary: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
            return
        for key in report.COUNTED:
            value = summary[key]
            self.stdout.write(f"{key:<22} {'-' if value is None else value}")
        if summary.get("same_file_as"):
            self.stdout.write(f"same file as batch #{summary['same_file_as']}: nothing changes")
        self.stdout.write(f"status                 {summary['status']}")
        for r in summary["rejections"][:50]:
            reasons = "; ".join(x["message_id"] for x in r["reasons"])
            self.stdout.write(f"  row {r['row']}: {r['outcome']}: {reasons}")
        if len(summary["rejections"]) > 50:
            self.stdout.write(f"  … {len(summary['rejections']) - 50} more (use --json)")
