"""Adding rule-table versions: an admin's TOML or JSON file, validated with everything else.

The file has the structure of `rules/data/*.toml` (one or more tables, each a list of versions).
It is refused whole when any version is malformed or when its dates overlap a version already
in force, unless the admin asks to close the version open on the new one's start date (it then
ends the day before, as when a regulation replaces another). Versions are never edited or
deleted afterwards: bills keep the id of the version they were priced with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import transaction

from jaring.accounts import audit
from jaring.accounts.scope import Actor, as_user
from jaring.contributions.errors import ContributionError
from jaring.contributions.models import Bill, RateImport
from jaring.contributions.permissions import CONTRIBUTIONS
from jaring.contributions.rate_tables import DISCOUNTS, _cache, documents
from jaring.core.errors import CoreError, Problem, ValidationFailed
from jaring.programs.budget import rule_problem
from jaring.rules.errors import RuleCode, RuleError
from jaring.rules.rates import TABLES, build_tables, parse_toml
from jaring.rules.tables import with_new_version

MAX_BYTES = 2_000_000


def _refused(code: str, message_id: str, message_en: str) -> ValidationFailed:
    return ValidationFailed(Problem(code, message_id, message_en, field="file"))


def _plain(value: object) -> object:
    """The parsed file as JSON: dates as ISO text (the tables read both)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def parse_document(text: str, file_name: str) -> dict[str, object]:
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise _refused(
            CoreError.FILE_TOO_LARGE,
            "Berkas tabel terlalu besar (paling besar 2 MB).",
            "The table file is too large (2 MB at most).",
        )
    if file_name.lower().endswith(".json") or text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _refused(
                RuleCode.TABLE_SYNTAX,
                f"Berkas tabel tidak bisa dibaca: {exc}",
                f"The table file cannot be read: {exc}",
            ) from None
    else:
        try:
            document = parse_toml(text)
        except RuleError as err:
            raise ValidationFailed(rule_problem(err, "file")) from None
    if not isinstance(document, dict) or not document:
        raise _refused(
            ContributionError.TABLE_EMPTY,
            "Berkas tidak memuat satu tabel pun.",
            "The file holds no table.",
        )
    return _plain(document)


def _closes(current: list[dict], document: dict[str, object]) -> list[dict[str, str]]:
    """End dates for the versions open on each new version's start date."""
    merged: dict[str, list] = {}
    for doc in current:
        for table, versions in doc.items():
            merged.setdefault(table, []).extend(versions)
    out = []
    for table, versions in document.items():
        # Unknown tables and malformed lists are left for `build_tables` to refuse.
        if table == DISCOUNTS or table not in TABLES or not isinstance(versions, list):
            continue
        for new in versions:
            if not isinstance(new, dict):
                continue
            before = merged.get(table, [])
            after = with_new_version(before, new)
            for old, changed in zip(before, after, strict=False):
                if old.get("effective_to") != changed.get("effective_to"):
                    end = changed["effective_to"]
                    out.append({"table": table, "id": old["id"], "effective_to": end.isoformat()})
            merged[table] = after
    return out


def _digest(document: dict, closes: list) -> str:
    text = json.dumps({"document": document, "closes": closes}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def import_rates(
    *,
    actor: Actor,
    text: str,
    file_name: str,
    close_previous: bool = False,
    note: str = "",
    dry_run: bool = False,
) -> RateImport:
    """Validates the file with every table in force and stores it (unless `dry_run`).

    The returned import (unsaved on a dry run) carries `bills_in_range`: bills already made for
    months the new versions cover, which keep the versions they were priced with.
    """
    CONTRIBUTIONS.check(actor, "rates")
    document = parse_document(text, file_name)
    imports = list(RateImport.objects.select_for_update().order_by("id"))
    try:
        closes = _closes(documents(imports), document) if close_previous else []
        candidate = RateImport(
            file_name=file_name[:200], document=document, closes=closes, note=note.strip()
        )
        tables = build_tables(*documents([*imports, candidate]))
    except RuleError as err:
        problem = rule_problem(err, "file")
        if err.code == RuleCode.TABLE_VERSIONS_OVERLAP and not close_previous:
            problem = Problem(
                problem.code,
                problem.message_id
                + " Atau pilih 'tutup versi sebelumnya' agar versi yang berlaku berakhir sehari "
                "sebelum versi baru.",
                problem.message_en
                + " Or choose 'close the previous version' to end the version in force the day "
                "before the new one starts.",
                field="file",
            )
        raise ValidationFailed(problem) from None
    candidate.sha256 = _digest(document, closes)
    starts = [
        version.meta.effective_from
        for name in document
        if name != DISCOUNTS
        for version in getattr(tables, name)
        if any(isinstance(v, dict) and v.get("id") == version.meta.id for v in document[name])
    ]
    candidate.bills_in_range = (
        Bill.objects.filter(month__gte=min(starts).replace(day=1)).count() if starts else 0
    )
    if dry_run:
        return candidate
    candidate.created_by = as_user(actor)
    candidate.save()
    _cache.clear()
    audit.record(
        actor=actor,
        action="rates.import",
        target=candidate,
        region_code="",
        before=None,
        after={
            "file": candidate.file_name,
            "sha256": candidate.sha256,
            "versions": {k: [v.get("id") for v in vs] for k, vs in document.items()},
            "closes": closes,
        },
        reason=candidate.note,
    )
    return candidate
