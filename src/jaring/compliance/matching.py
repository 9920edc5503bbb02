"""Leads: the city's lists matched against BPJS's registered employers, and every gap found.

1. Link: a business in the city's lists that is not registered under its own record is looked
   for among the registered employers of the same city: the same NIB, or (blocking on words
   of the cleaned name, `_LINK_SQL`) a name that is nearly the same by Jaro-Winkler, as a
   whole and word by word, helped by the address. The linkage runs in DuckDB over Polars
   frames, the engine dedupe's Splink runs on; a pair scores 0.75 × name + 0.25 × address
   (name alone when either address is missing) and links at `THRESHOLD`.
2. Merge: a linked business becomes part of the registered employer (its list entries move, its
   figures and identity fill the gaps), audited with the score, so that each employer is one
   record with BPJS's figures and the others side by side. Each link is kept (`EmployerLink`:
   the business as it was, what it filled and brought) so that an officer can undo a wrong one
   (`services.unlink`); an undone pair is not linked again.
3. Assess every employer with `findings.assess` and keep one open lead per employer and kind:
   new ones created, changed ones updated, gone ones resolved.
Cost: 50,000 businesses against 20,000 registered employers end to end in 17–25 s on 2 shared
cores under load 7, the link step 3–4 s of it (bench/compliance_bench.py; bench/RESULTS.md).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import polars as pl
from django.db import connection, transaction
from django.db.models import Q

from jaring.accounts import audit
from jaring.accounts.scope import Actor
from jaring.compliance import bulk
from jaring.compliance.findings import Figures, assess, city_umk
from jaring.compliance.models import (
    Case,
    Employer,
    EmployerLink,
    Lead,
    LeadStatus,
    SourceEntry,
)
from jaring.compliance.names import address_key
from jaring.compliance.permissions import COMPLIANCE
from jaring.core.table_load import load_frame
from jaring.regions.models import Region
from jaring.rules.compliance import default_compliance_tables

THRESHOLD = 0.9
# Candidate pairs come from three blocking rules, each narrow enough that a common word
# ("jaya", "berkah") does not pair every business with every employer: the same NIB; the same
# first and last word; the same first word and first three letters of the second. A typo after
# a word's third letter keeps a pair in the last two rules.
_LINK_SQL = """
WITH candidates AS (
    SELECT o.id AS other_id, b.id AS bpjs_id FROM others o JOIN bpjs b ON o.nib = b.nib
    WHERE o.nib <> ''
    UNION
    SELECT o.id, b.id FROM others o
    JOIN bpjs b ON o.first_word = b.first_word AND o.last_word = b.last_word
    UNION
    SELECT o.id, b.id FROM others o
    JOIN bpjs b ON o.first_word = b.first_word AND o.second_prefix = b.second_prefix
), whole AS (
    SELECT c.other_id, c.bpjs_id, o.nib <> '' AND o.nib = b.nib AS same_nib,
           o.words AS o_words, b.words AS b_words,
           jaro_winkler_similarity(o.name_key, b.name_key) AS whole_sim,
           CASE WHEN o.address_key = '' OR b.address_key = '' THEN NULL
                ELSE jaro_winkler_similarity(o.address_key, b.address_key) END AS address_sim
    FROM candidates c JOIN others o ON o.id = c.other_id JOIN bpjs b ON b.id = c.bpjs_id
    -- "Toko Sinar Jaya 2" is not "Sinar Jaya": numbers in names must agree.
    WHERE (o.nib <> '' AND o.nib = b.nib) OR o.digits = b.digits
), hopeful AS (
    -- The word-by-word half (below) costs most; a pair whose whole-name score leaves it short
    -- of the threshold even with every word alike is dropped first. The name score a pair
    -- needs is the threshold (no address) or (threshold - 0.25 × address) / 0.75; half of it
    -- is the whole name's, so the whole name needs at least 2 × that - 1. Exact: no pair that
    -- could link is lost.
    SELECT * FROM whole
    WHERE same_nib OR whole_sim >= 2 * (CASE WHEN address_sim IS NULL THEN ?
                                             ELSE (? - 0.25 * address_sim) / 0.75 END) - 1
), pairs AS (
    SELECT other_id, bpjs_id, same_nib, address_sim,
           -- Jaro-Winkler over the whole name rewards a long shared start: "sinar jaya abadi"
           -- and "sinar jaya mulia" score 0.91. Half the score is therefore word by word: each
           -- word of either name against its closest word in the other, the worst counting
           -- (0.48 there; a typo, "rejeki" for "rezeki", keeps 0.91).
           CASE WHEN same_nib THEN 1.0 ELSE (whole_sim + least(
               list_min(list_transform(o_words, lambda w: list_max(list_transform(
                   b_words, lambda v: jaro_winkler_similarity(w, v))))),
               list_min(list_transform(b_words, lambda w: list_max(list_transform(
                   o_words, lambda v: jaro_winkler_similarity(w, v)))))
           )) / 2 END AS name_sim
    FROM hopeful
), scored AS (
    SELECT other_id, bpjs_id,
           CASE WHEN same_nib THEN 1.0
                WHEN address_sim IS NULL THEN name_sim
                ELSE 0.75 * name_sim + 0.25 * address_sim END AS score,
           CASE WHEN same_nib THEN 'nib' ELSE 'name_address' END AS method
    FROM pairs
)
SELECT other_id, bpjs_id, score, method FROM scored
WHERE score >= ?
QUALIFY row_number() OVER (PARTITION BY other_id ORDER BY score DESC, bpjs_id) = 1
"""


@dataclass
class MatchResult:
    region: str
    employers: int
    linked: int
    leads_new: int
    leads_updated: int
    leads_resolved: int
    by_kind: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def frame(rows: list[dict]) -> pl.DataFrame:
    frame = pl.DataFrame(
        rows,
        schema={"id": pl.Int64, "name_key": pl.String, "nib": pl.String, "address": pl.String},
    )
    words = pl.col("name_key").str.split(" ")
    return frame.with_columns(
        words=words,
        first_word=words.list.first(),
        last_word=words.list.last(),
        second_prefix=words.list.get(1, null_on_oob=True).str.slice(0, 3).fill_null(""),
        digits=pl.col("name_key").str.replace_all(r"\D", ""),
        address_key=pl.col("address").map_elements(address_key, return_dtype=pl.String),
    )


def link(others: pl.DataFrame, bpjs: pl.DataFrame, threshold: float = THRESHOLD) -> pl.DataFrame:
    """Each business of `others` with its best registered employer in `bpjs` at `threshold`:
    columns other_id, bpjs_id, score, method."""
    con = duckdb.connect(":memory:")
    try:
        con.register("others", others.to_arrow())
        con.register("bpjs", bpjs.to_arrow())
        return con.sql(_LINK_SQL, params=[threshold, threshold, threshold]).pl()
    finally:
        con.close()


_FIELDS = ("id", "name_key", "nib", "address")


_FILLED = ("nib", "kbli", "address", "capital", "turnover", "risk_class")
_LARGEST = ("other_workers", "other_wage_bill")
# What a linked business was: restored as it was when its link is undone.
SNAPSHOT = (
    "name",
    "name_key",
    "nib",
    "npp",
    "kbli",
    "address",
    "region_code",
    "regency_code",
    "size_class",
    "size_criterion",
    "capital",
    "turnover",
    "risk_class",
    "other_workers",
    "other_wage_bill",
)


def _kept_apart(city: str, links: pl.DataFrame) -> pl.DataFrame:
    """The links found less the pairs an officer has taken apart before."""
    apart = list(
        EmployerLink.objects.filter(regency_code=city, undone_at__isnull=False).values_list(
            "linked_id", "employer_id"
        )
    )
    if not apart or links.is_empty():
        return links
    undone = pl.DataFrame(
        apart,
        schema={"other_id": links["other_id"].dtype, "bpjs_id": links["bpjs_id"].dtype},
        orient="row",
    )
    return links.join(undone, on=["other_id", "bpjs_id"], how="anti")


def _grouped(model, ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for pk, employer_id in model.objects.filter(employer_id__in=ids).values_list(
        "id", "employer_id"
    ):
        out.setdefault(employer_id, []).append(pk)
    return out


def _merge(actor: Actor, region: str, links: pl.DataFrame, on: dt.date) -> int:
    """Each linked business folded into its registered employer: identity gaps filled from it,
    the larger of the other sources' figures kept, its list entries and cases moved to it; the
    link kept with what it changed."""
    if links.is_empty():
        return 0
    pairs = dict(zip(links["other_id"].to_list(), links["bpjs_id"].to_list(), strict=True))
    scores = {r["other_id"]: r for r in links.iter_rows(named=True)}
    others = {
        r["id"]: r for r in Employer.objects.filter(pk__in=list(pairs)).values("id", *SNAPSHOT)
    }
    columns = ("id", "region_code", *_FILLED, *_LARGEST)
    targets = {
        r["id"]: r for r in Employer.objects.filter(pk__in=set(pairs.values())).values(*columns)
    }
    filled: dict[int, list[str]] = {}
    for other_id, target_id in pairs.items():
        o, t = others[other_id], targets[target_id]
        filled[other_id] = [a for a in _FILLED if not t[a] and o[a]]
        for attr in _FILLED:
            t[attr] = t[attr] or o[attr]
        for attr in _LARGEST:
            t[attr] = max((v for v in (t[attr], o[attr]) if v is not None), default=None)
    entries, cases = _grouped(SourceEntry, list(pairs)), _grouped(Case, list(pairs))
    kept = pl.DataFrame(
        {
            "employer_id": list(pairs.values()),
            "linked_id": list(pairs),
            "score": [float(scores[o]["score"]) for o in pairs],
            "method": [scores[o]["method"] for o in pairs],
            "business": [
                json.dumps({k: v for k, v in others[o].items() if k != "id"}) for o in pairs
            ],
            "filled": [json.dumps(filled[o]) for o in pairs],
            "entries": [json.dumps(entries.get(o, [])) for o in pairs],
            "cases": [json.dumps(cases.get(o, [])) for o in pairs],
            "region_code": [targets[t]["region_code"] for t in pairs.values()],
            "regency_code": [region] * len(pairs),
            "linked_on": [on] * len(pairs),
        },
        schema_overrides={"linked_on": pl.Date},
    )
    with connection.cursor() as cursor:
        load_frame(cursor, EmployerLink._meta.db_table, kept)
    bulk.update_rows(
        Employer,
        [*_FILLED, *_LARGEST],
        ([*(t[a] for a in (*_FILLED, *_LARGEST)), t["id"]] for t in targets.values()),
    )
    bulk.move_rows(SourceEntry, "employer_id", pairs)
    bulk.move_rows(Case, "employer_id", pairs)
    # A lead of the business alone (not registered) is answered by the link.
    Lead.objects.filter(employer_id__in=list(pairs), status=LeadStatus.OPEN).delete()
    audit.record_many(
        actor=actor,
        action="compliance.link",
        model=Employer,
        changes=[
            audit.Change(
                target_id=target_id,
                region_code=region,
                before=None,
                after={
                    "linked": other_id,
                    "name": others[other_id]["name"],
                    "score": round(scores[other_id]["score"], 3),
                    "method": scores[other_id]["method"],
                },
            )
            for other_id, target_id in pairs.items()
        ],
    )
    bulk.delete_rows(Employer, list(pairs))
    return len(pairs)


@transaction.atomic
def find_leads(*, actor: Actor, region_code: str, on: dt.date) -> MatchResult:
    """Link, merge and assess one city's employers (`region_code` is the city)."""
    COMPLIANCE.check(actor, "match")
    city = region_code[:5]
    employers = Employer.objects.filter(regency_code=city)
    rows = list(employers.values(*_FIELDS, "bpjs_list_id"))
    bpjs = frame([{k: r[k] for k in _FIELDS} for r in rows if r["bpjs_list_id"] is not None])
    others = frame([{k: r[k] for k in _FIELDS} for r in rows if r["bpjs_list_id"] is None])
    linked = _merge(actor, city, _kept_apart(city, link(others, bpjs)), on)
    result = _store(city, _findings(employers, city, on), on)
    result.employers, result.linked = len(rows) - linked, linked
    audit.record(
        actor=actor,
        action="compliance.find_leads",
        target=Region.objects.get(code=city),
        region_code=city,
        before=None,
        after=result.as_dict(),
    )
    return result


def reassess(city: str, employer_ids: list[int], on: dt.date) -> MatchResult:
    """The leads of these employers only, found again (after a link was undone)."""
    employers = Employer.objects.filter(regency_code=city, pk__in=employer_ids)
    return _store(city, _findings(employers, city, on), on, employer_ids=employer_ids)


def _findings(employers, city: str, on: dt.date) -> dict:
    tables = default_compliance_tables()
    umk = city_umk(city, on.year)
    findings: dict = {}
    mandatory_by_size: dict[str, tuple[str, ...]] = {}
    for e in employers.values(
        "id",
        "region_code",
        "bpjs_list_id",
        "bpjs_workers",
        "bpjs_wage_bill",
        "bpjs_programmes",
        "other_workers",
        "other_wage_bill",
        "size_class",
    ):
        registered = e["bpjs_list_id"] is not None
        if not registered and not e["other_workers"]:
            continue  # nothing says it employs anyone
        bpjs_side = (
            Figures(
                e["bpjs_workers"],
                e["bpjs_wage_bill"],
                tuple(p for p in e["bpjs_programmes"].split(",") if p),
            )
            if registered
            else None
        )
        size = e["size_class"] or "micro"
        if size not in mandatory_by_size:
            mandatory_by_size[size] = tables.mandatory_programmes(size, on)
        mandatory = mandatory_by_size[size]
        for f in assess(
            bpjs=bpjs_side,
            other=Figures(e["other_workers"], e["other_wage_bill"]),
            umk=umk,
            mandatory=mandatory,
        ):
            findings[(e["id"], f.kind)] = (e, f)
    return findings


def _store(
    city: str, findings: dict, on: dt.date, employer_ids: list[int] | None = None
) -> MatchResult:
    leads = Lead.objects.filter(regency_code=city)
    if employer_ids is not None:
        leads = leads.filter(employer_id__in=employer_ids)
    open_leads = {
        (lead.employer_id, lead.kind): lead for lead in leads.filter(status=LeadStatus.OPEN)
    }
    in_case = set(leads.filter(status=LeadStatus.IN_CASE).values_list("employer_id", "kind"))
    new, changed = [], []
    for key, (e, f) in findings.items():
        if key in in_case:
            continue
        lead = open_leads.get(key)
        values = {"figures": f.figures, "reason_id": f.reason_id, "reason_en": f.reason_en}
        if lead is None:
            new.append(
                {
                    "employer_id": e["id"],
                    "kind": f.kind,
                    "status": LeadStatus.OPEN.value,
                    "from_public": False,
                    "figures": json.dumps(f.figures),
                    "reason_id": f.reason_id,
                    "reason_en": f.reason_en,
                    "region_code": e["region_code"],
                    "regency_code": city,
                    "found_on": on,
                }
            )
        elif any(getattr(lead, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(lead, k, v)
            changed.append(lead)
    if new:
        with connection.cursor() as cursor:
            load_frame(cursor, Lead._meta.db_table, pl.DataFrame(new))
    bulk.update_rows(
        Lead,
        ["figures", "reason_id", "reason_en"],
        ([json.dumps(x.figures), x.reason_id, x.reason_en, x.pk] for x in changed),
    )
    gone = [lead.pk for key, lead in open_leads.items() if key not in findings]
    Lead.objects.filter(pk__in=gone).exclude(Q(from_public=True)).update(status=LeadStatus.RESOLVED)
    by_kind: dict[str, int] = {}
    for _, f in findings.values():
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    return MatchResult(city, 0, 0, len(new), len(changed), len(gone), by_kind)
