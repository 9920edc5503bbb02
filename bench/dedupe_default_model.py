"""Builds Jaring's default duplicate model (src/jaring/dedupe/data/default_model.json).

    .venv/bin/python bench/dedupe_default_model.py [--people 40000] [--seed 1001]

m (how one person's records differ) is counted over the true duplicate pairs of a generated
population (`demo.population.make_population`: look-alikes and hard duplicates as a city has
them), u (how strangers agree) by random sampling of its records, the prior from its true number
of duplicate pairs. The seed differs from bench/dedupe_quality.py's, so the quality figures are
not measured on the data the model was estimated on. Re-run it when the comparisons change
(linkage.MODEL_VERSION) and say so in docs/decisions/0005-dedupe-model.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time

import common

TODAY = dt.date(2026, 11, 22)
OUT = common.ROOT / "src" / "jaring" / "dedupe" / "data" / "default_model.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=1001)
    args = parser.parse_args()
    sys.path.insert(0, str(common.ROOT / "src"))
    from jaring.dedupe import linkage
    from jaring.demo.population import make_population

    start = time.perf_counter()
    pop = make_population(args.people, seed=args.seed, today=TODAY)
    records = pop.records.rename({"record_id": "unique_id"})
    model = linkage.estimate_default(records, records["person_id"])
    model.source = {
        "generator": "jaring.demo.population.make_population",
        "people": args.people,
        "seed": args.seed,
        "records": len(records),
        "duplicate_pairs": len(pop.duplicates),
        "built": dt.date.today().isoformat(),
    }
    model.timings = {"total": round(time.perf_counter() - start, 1)}
    OUT.write_text(json.dumps(model.as_dict(), indent=1) + "\n")
    for comparison, levels in model.comparison_levels().items():
        for level in levels:
            weight = f"{__import__('math').log2(level['m'] / level['u']):+.1f}"
            print(f"{comparison:10} {level['label']:55} {weight}")
    print(f"matches per record {model.matches_per_record:.4f}; written to {OUT}")


if __name__ == "__main__":
    main()
