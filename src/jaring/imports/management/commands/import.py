import argparse
import json
from functools import partial
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jaring.accounts.models import User
from jaring.accounts.scope import SYSTEM
from jaring.core.errors import CoreError, DomainError, ValidationFailed
from jaring.imports import columns, pipeline, report, selectors, services, values
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


def field_header(text: str) -> tuple[str, str]:
    field, sep, header = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"{text!r} is not FIELD=HEADER")
    return field.strip(), header.strip()


def value_answer(text: str) -> values.ValueMapping:
    """FIELD:"VALUE"=CODE (the shell takes the quotes; a value may hold spaces, and "=" but
    not as its last one); FIELD:"VALUE"= rejects the rows with VALUE."""
    field, sep, rest = text.partition(":")
    value, eq, code = rest.rpartition("=")
    if not sep or not eq:
        raise argparse.ArgumentTypeError(f'{text!r} is not FIELD:"VALUE"=CODE')
    value = value.strip().strip("\"'").strip()
    return values.ValueMapping(field.strip(), value, code.strip() or None)


def corrected(mapping: dict[str, str], corrections: dict[str, str]) -> dict[str, str]:
    """The mapping with the officer's corrections; a header they give one field leaves the
    field it was guessed for, and "FIELD=" leaves FIELD out."""
    claimed = set(corrections.values()) - {""}
    kept = {f: h for f, h in mapping.items() if f not in corrections and h not in claimed}
    return kept | corrections


class Unmapped(Exception):
    """The file's columns need the officer: the problems, and the headers to choose from."""

    def __init__(self, problems: list[dict], headers: list[str], mapping: dict, batch=None):
        super().__init__(problems)
        self.problems, self.headers, self.mapping, self.batch = problems, headers, mapping, batch


class Command(BaseCommand):
    help = "Import a list of workers (.xlsx, .xls, .csv): check it, and with --commit save it."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, nargs="?")
        parser.add_argument(
            "--again",
            type=int,
            metavar="BATCH",
            help="check an import again (one interrupted, or failed) instead of a new file; "
            "with --commit, commit it",
        )
        parser.add_argument("--region", help="region code the rows must lie in (default: yours)")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--commit", action="store_true", help="save the approved rows")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")
        parser.add_argument("--user", help="who imports (needed unless --dry-run)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            type=field_header,
            metavar="FIELD=HEADER",
            help="read FIELD from the column HEADER, as the mapping page does (repeatable; "
            f"FIELD= leaves FIELD out). Fields: {', '.join(columns.BY_NAME)}",
        )

        parser.add_argument(
            "--map-value",
            action="append",
            default=[],
            type=value_answer,
            metavar='FIELD:"VALUE"=CODE',
            help="every row whose FIELD says VALUE takes CODE, as the review step does "
            '(repeatable; FIELD:"VALUE"= rejects those rows). Fields: '
            f"{', '.join(values.CODED)}. Remembered for the city unless --dry-run or "
            "--no-remember",
        )
        parser.add_argument(
            "--no-remember",
            action="store_true",
            help="apply --map-value to this import only, not to the city's later ones",
        )

    def handle(self, *args, **options):
        if options["dry_run"] and options["commit"]:
            raise CommandError("--dry-run and --commit exclude each other")
        path: Path | None = options["path"]
        if options["again"] is not None:
            if path is not None or options["dry_run"]:
                raise CommandError("--again takes no file and no --dry-run")
        elif path is None or not path.is_file():
            raise CommandError(f"no such file: {path}" if path else "name the file to import")
        corrections = self._corrections(options["map"])
        self.stderr.style_func = None  # a progress bar, not an error: no red
        bar = ProgressBar(self.stderr, not options["no_progress"])
        try:
            if options["dry_run"]:
                summary = self._dry_run(path, options, corrections, bar)
            elif options["again"] is not None:
                summary = self._again(options, bar)
            else:
                summary = self._import(path, options, corrections, bar)
        except Unmapped as exc:
            bar.done()
            self._unmapped(exc, corrections, options["json"])
        except DomainError as exc:
            bar.done()
            self._fail(exc.as_dict()["errors"], options["json"])
        bar.done()
        if summary.get("errors"):
            self._fail(summary["errors"], options["json"])
        self._print(summary, options["json"])

    def _corrections(self, pairs: list[tuple[str, str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        for field, header in pairs:
            if field in out:
                raise CommandError(f"--map {field}: given twice ({out[field]!r}, {header!r})")
            out[field] = header
        return out

    def _dry_run(self, path: Path, options, corrections: dict[str, str], bar) -> dict:
        user = self._user(options["user"]) if options["user"] else SYSTEM
        region = services.import_region(user, options["region"])
        answers: dict[str, dict[str, str | None]] = {}
        for m in values.check(values.Targets(region or ""), options["map_value"]):
            answers.setdefault(m.field, {})[values.value_key(m.value)] = m.code
        analyse = partial(
            pipeline.analyse,
            path,
            region_code=region or "",
            value_map=answers,
            today=timezone.localdate(),
            progress=bar,
        )
        # As on the mapping page: the guess first, then the officer's corrections over it.
        try:
            analysis = analyse()
            sheet, guessed = analysis.sheet, analysis.mapping
        except pipeline.MappingNeeded as exc:
            if not corrections:
                raise self._needs(exc.problems, exc.sheet.headers, exc.mapping) from None
            analysis, sheet, guessed = None, exc.sheet, exc.mapping
        mapping = corrected(guessed, corrections)
        if analysis is None or mapping != analysis.mapping:
            try:
                analysis = analyse(mapping=mapping, header_row=sheet.header_row)
            except pipeline.MappingNeeded as exc:
                raise self._needs(exc.problems, exc.sheet.headers, mapping) from None
        found = services.dry_run_probable_duplicates(analysis, bar)
        return report.of_analysis(analysis, found)

    def _import(self, path: Path, options, corrections: dict[str, str], bar) -> dict:
        if not options["user"]:
            raise CommandError("--user USERNAME is needed to import (or use --dry-run)")
        user = self._user(options["user"])
        with path.open("rb") as f:
            batch = services.create_batch(
                actor=user, upload=File(f), name=path.name, region_code=options["region"]
            )
        batch = services.check_batch(batch_id=batch.pk, progress=bar)
        if corrections and batch.status in (Status.READY, Status.NEEDS_MAPPING):
            mapping = corrected(batch.mapping, corrections)
            if mapping != batch.mapping:
                try:
                    batch = services.remap(actor=user, batch=batch, mapping=mapping)
                except ValidationFailed as exc:
                    raise self._needs(exc.problems, batch.headers, mapping, batch.pk) from None
                batch = services.check_batch(batch_id=batch.pk, progress=bar)
        if batch.status == Status.NEEDS_MAPPING:
            raise Unmapped(batch.problems, batch.headers, batch.mapping, batch.pk)
        if options["map_value"] and batch.status == Status.READY:
            batch, _ = services.map_values(
                actor=user,
                batch=batch,
                mappings=options["map_value"],
                remember=not options["no_remember"],
            )
            batch = services.check_batch(batch_id=batch.pk, progress=bar)
        if options["commit"] and batch.status == Status.READY:
            bar("committing", 1.0)
            batch = services.commit_batch(actor=user, batch=batch)
        return report.of_batch(batch)

    def _again(self, options, bar) -> dict:
        if not options["user"]:
            raise CommandError("--user USERNAME is needed to import")
        user = self._user(options["user"])
        batch = services.check_again(actor=user, batch=selectors.get_batch(user, options["again"]))
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

    @staticmethod
    def _needs(problems, headers: list[str], mapping: dict, batch=None) -> Unmapped:
        return Unmapped([p.as_dict() for p in problems], headers, mapping, batch)

    def _unmapped(self, exc: Unmapped, corrections: dict[str, str], as_json: bool) -> None:
        """Each problem, on the --map value that caused it or on the field still missing."""
        lines = []
        for p in exc.problems:
            field = p.get("field")
            message = p.get("message") or p.get("message_id")
            if field in corrections:
                lines.append(f"--map {field}={corrections[field]}: {message}")
            else:
                lines.append(f"{field}: {message}")
        missing = [p["field"] for p in exc.problems if p["code"] == CoreError.COLUMNS_MISSING]
        if missing:
            lines.append(
                "name the column of each missing field with --map FIELD=HEADER, "
                f'e.g. --map {missing[0]}="<column>"'
            )
        lines.append("columns in the file: " + ", ".join(exc.headers))
        if exc.batch:
            lines.append(f"batch #{exc.batch} waits for its columns (or map them on the web)")
        if as_json:
            unmapped = {
                "batch": exc.batch,
                "status": Status.NEEDS_MAPPING.value,
                "headers": exc.headers,
                "mapping": exc.mapping,
                "errors": exc.problems,
            }
            self.stdout.write(json.dumps(unmapped, indent=2, ensure_ascii=False))
        raise CommandError("\n".join(lines), returncode=2)

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
        for u in summary.get("unrecognised") or []:
            hint = f" (closest: {', '.join(u['suggestions'])})" if u["suggestions"] else ""
            decided = " [rejected]" if "decision" in u else ""
            self.stdout.write(
                f'  not recognised: {u["field"]}:"{u["value"]}" in {u["rows"]} row(s){hint}'
                f'{decided}; map it with --map-value {u["field"]}:"{u["value"]}"=CODE'
            )
        for r in summary["rejections"][:50]:
            reasons = "; ".join(x["message_id"] for x in r["reasons"])
            self.stdout.write(f"  row {r['row']}: {r['outcome']}: {reasons}")
        if len(summary["rejections"]) > 50:
            self.stdout.write(f"  … {len(summary['rejections']) - 50} more (use --json)")
