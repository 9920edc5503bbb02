"""Compliance benchmark: 50,000 businesses from the city's lists against 20,000 employers
registered with BPJS, on SQLite and PostgreSQL.

    flock /tmp/jaring-bench.lock .venv/bin/python bench/compliance_bench.py
    .venv/bin/python bench/compliance_bench.py --db sqlite --businesses 5000 --registered 2000

Employers are made here (seeded): registered ones with an NPP, workers and a wage bill; of the
businesses, 30 % are registered ones written differently (legal form moved or dropped, upper
case, a typo in one word, the address abbreviated), 5 % carry a registered one's NIB, the rest
are not registered. Loaded with bulk_create (not timed). Timed:
1. `matching.link` alone (DuckDB over Polars frames): blocking and Jaro-Winkler;
2. `matching.find_leads` end to end: read, link, merge the linked businesses into their
   registered employers (audited), assess every employer, write the leads.
"""

from __future__ import annotations

import datetime as dt
import random
import time

import common

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_compliance_bench"
CITY = "61.71"
ON = dt.date(2026, 6, 1)
WORDS = (
    "sinar",
    "jaya",
    "abadi",
    "maju",
    "bersama",
    "berkah",
    "selalu",
    "harapan",
    "makmur",
    "sentosa",
    "mulia",
    "indah",
    "sejahtera",
    "karya",
    "mandiri",
    "putra",
    "putri",
    "bintang",
    "timur",
    "barat",
    "utara",
    "selatan",
    "baru",
    "lama",
    "agung",
    "cahaya",
    "terang",
    "sumber",
    "rejeki",
    "rezeki",
    "mitra",
    "usaha",
    "sukses",
    "teknik",
    "kreasi",
    "prima",
    "utama",
    "kapuas",
    "khatulistiwa",
    "borneo",
    "equator",
    "pontianak",
    "tanjung",
    "pura",
    "gajah",
    "mada",
    "merdeka",
    "pahlawan",
    "sungai",
    "raya",
    "kota",
)
FORMS = ("PT", "CV", "UD", "Toko", "Warung", "")
STREETS = ("Jl. Tanjungpura", "Jl. Gajah Mada", "Jl. Merdeka", "Jl. Pahlawan", "Jl. Sungai Raya")


def main() -> None:
    parser = common.parser(__doc__)
    parser.add_argument("--businesses", type=int, default=50_000)
    parser.add_argument("--registered", type=int, default=20_000)
    args = parser.parse_args()
    common.report(__file__, args, run, markdown)


def _name(rng: random.Random, taken: set[str]) -> str:
    """A name no employer has yet (kept in `taken`)."""
    while True:
        name = " ".join(rng.sample(WORDS, rng.choice((2, 3, 3, 4)))).title()
        if name.lower() not in taken:
            taken.add(name.lower())
            return name


def _variant(rng: random.Random, name: str, form: str) -> str:
    words = name.split()
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        w = words[i]
        j = rng.randrange(len(w))
        words[i] = w[:j] + w[j + 1 :] if len(w) > 3 else w
    text = " ".join(words)
    text = rng.choice((f"{text} {form}".strip(), text, f"{form}. {text}".strip(". ")))
    return text.upper() if rng.random() < 0.5 else text


def run(args) -> dict:
    url = common.bench_database(
        args.db,
        pg_url=DEFAULT_PG,
        sqlite_path=common.ROOT / "var" / "compliance_bench.sqlite3",
    )
    common.setup_django(url)
    from django.utils import timezone

    from jaring.accounts.scope import SYSTEM
    from jaring.compliance import matching
    from jaring.compliance.models import Employer, EmployerList, Lead
    from jaring.compliance.names import name_key

    rng = random.Random(2026)
    out: dict = {"loadavg_before": common.loadavg()}
    started = time.perf_counter()
    bpjs_list = EmployerList.objects.create(
        kind="bpjs",
        regency_code=CITY,
        name="bench",
        rows=0,
        created=0,
        updated=0,
        imported_at=timezone.now(),
    )
    registered = []
    # The truth must be a truth: two registered employers never share a name (a real city's
    # would be told apart by the NIB, which this linkage is scored without), and a business
    # that is not registered never bears a registered one's name.
    taken: set[str] = set()
    for i in range(args.registered):
        plain = _name(rng, taken)
        name = f"{rng.choice(FORMS)} {plain}".strip()
        workers = rng.randint(1, 60)
        registered.append(
            Employer(
                name=name,
                name_key=name_key(name),
                nib=f"{9_000_000_000_000 + i}",
                npp=f"NPP{i:07d}",
                address=f"{rng.choice(STREETS)} No. {rng.randint(1, 300)}",
                region_code=CITY,
                regency_code=CITY,
                bpjs_list=bpjs_list,
                bpjs_workers=workers,
                bpjs_wage_bill=workers * rng.randint(2_500_000, 4_500_000),
                bpjs_programmes=rng.choice(("JKK,JKM,JHT", "JKK,JKM,JHT,JP", "JKK,JKM")),
                size_class=rng.choice(("micro", "small", "medium")),
            )
        )
    businesses, truth = [], {}
    for i in range(args.businesses):
        roll = rng.random()
        if roll < 0.35:
            source = rng.choice(registered)
            form = source.name.split()[0] if source.name.split()[0] in FORMS else "PT"
            plain = " ".join(w for w in source.name.split() if w not in FORMS)
            name = _variant(rng, plain, form)
            nib = source.nib if roll < 0.05 else f"{8_000_000_000_000 + i}"
            address = source.address.replace("Jl.", "Jalan") if rng.random() < 0.5 else ""
            workers = source.bpjs_workers + rng.choice((0, 0, 2, 5))
            truth[len(businesses)] = source
        else:
            name = f"{rng.choice(FORMS)} {_name(rng, taken)}".strip()
            nib, address = f"{8_000_000_000_000 + i}", f"{rng.choice(STREETS)} {i}"
            workers = rng.randint(1, 30)
        businesses.append(
            Employer(
                name=name,
                name_key=name_key(name),
                nib=nib,
                address=address,
                region_code=CITY,
                regency_code=CITY,
                other_workers=workers,
                other_wage_bill=workers * rng.randint(2_000_000, 4_000_000),
                size_class="small",
            )
        )
    Employer.objects.bulk_create(registered + businesses, batch_size=5000)
    same = {businesses[i].pk: source.pk for i, source in truth.items()}
    out["load_s"] = round(time.perf_counter() - started, 1)
    common.analyze()

    rows = list(Employer.objects.values("id", "name_key", "nib", "address", "bpjs_list_id"))
    fields = ("id", "name_key", "nib", "address")
    frames = [
        matching.frame([{k: r[k] for k in fields} for r in rows if bool(r["bpjs_list_id"]) == side])
        for side in (False, True)
    ]
    clock = common.Clock()
    links = matching.link(*frames)
    found = dict(zip(links["other_id"].to_list(), links["bpjs_id"].to_list(), strict=True))
    right = sum(same.get(o) == b for o, b in found.items())
    out["link"] = clock.read() | {
        "linked": links.height,
        "true_pairs": len(same),
        "precision": round(right / max(1, len(found)), 3),
        "recall": round(right / max(1, len(same)), 3),
    }
    clock.restart()
    result = matching.find_leads(actor=SYSTEM, region_code=CITY, on=ON)
    out["find_leads"] = clock.read() | result.as_dict()
    out["leads"] = Lead.objects.count()
    return {
        "db": args.db,
        "database": common.database_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": common.machine(),
        "businesses": args.businesses,
        "registered": args.registered,
        **out,
        "loadavg_after": common.loadavg(),
        "peak_mb": common.peak_mb(),
    }


def markdown(r: dict) -> str:
    return "\n".join(
        [
            f"### Compliance matching, {r['database']} ({r['date']})",
            f"{r['businesses']:,} businesses against {r['registered']:,} registered employers; "
            f"{common.describe(r['machine'])}; load {r['loadavg_before']} → {r['loadavg_after']}",
            "",
            "| step | wall s | result |",
            "|---|---|---|",
            f"| link (DuckDB) | {r['link']['wall']} | {r['link']['linked']:,} linked of "
            f"{r['link']['true_pairs']:,} true pairs: precision {r['link']['precision']}, "
            f"recall {r['link']['recall']} |",
            f"| find_leads end to end | {r['find_leads']['wall']} | "
            f"{r['find_leads']['linked']:,} linked, {r['leads']:,} leads "
            f"{r['find_leads']['by_kind']} |",
            f"Peak memory {r['peak_mb']} MiB; load {r['load_s']} s (not timed).",
        ]
    )


if __name__ == "__main__":
    main()
