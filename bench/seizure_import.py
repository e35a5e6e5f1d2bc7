"""Speed of the seizure CSV import (aircop.seizures.importer) against the naive path.

    .venv/bin/python -m bench.seizure_import                  # 20,000 rows, embedded SQLite
    .venv/bin/python -m bench.seizure_import --rows 50000 --naive 1000
    .venv/bin/python -m bench.seizure_import --pg postgresql://postgres@127.0.0.1:5432/postgres

A fresh AIRCOP_VAR_DIR (and, with --pg, a fresh PostgreSQL database dropped at the end) gets
`aircop migrate` and `aircop demo`. Then --rows valid rows (random task-force airports,
routes with some airports not yet in the table, every category, offenders on most rows) are
written to a CSV file and imported in-process: all rows validated, then written in one
transaction with bulk inserts and one audit entry. The baseline, in the same run and the
same database, is the naive path: services.create_seizure once per row (its own
transaction and audit entry each) on a sample of --naive rows from the same file.
Prints rows/s for both and the ratio."""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.common import DEFAULT_PG_URL, Deployment, code_version, describe_machine, log

OTHER_AIRPORTS = ["CDG", "AMS", "BRU", "LIS", "MAD", "FRA", "IST", "DXB", "DOH", "GRU", "JFK", "MIA", "CMN"]
ITEMS = [
    ("drugs", "cocaine", "powder", "g", (50, 5000)),
    ("drugs", "cannabis_herb", "plant", "kg", (1, 80)),
    ("drugs", "heroin", "powder", "g", (10, 3000)),
    ("drugs", "methamphetamine", "crystal", "kg", (1, 20)),
    ("drugs", "tramadol", "tablets", "tablets", (100, 50000)),
    ("medicines", "falsified_antimalarials", "", "pieces", (10, 5000)),
    ("wildlife", "pangolin_scales", "", "kg", (5, 500)),
    ("wildlife", "ivory", "", "kg", (1, 100)),
    ("currency", "banknotes", "", "currency", (10000, 900000)),
    ("tobacco", "cigarettes", "", "pieces", (200, 100000)),
]
FLOWS = [
    ("passenger_body", "inside_body"),
    ("checked_baggage", "baggage_lining"),
    ("cabin_baggage", "clothing"),
    ("cargo", "cargo_consignment"),
    ("mail", "mail_item"),
]
DETECTIONS = ["risk_profiling", "intelligence", "random", "dog", "xray", "body_scanner", "behaviour"]
NATIONALITIES = ["TGO", "GHA", "NGA", "BRA", "COL", "FRA", "SEN", "CIV", "NLD", "ESP", "MLI", "CMR"]
HEADER = [
    "reference",
    "date",
    "time",
    "airport",
    "flow",
    "phase",
    "direction",
    "flight",
    "origin",
    "transit",
    "destination",
    "category",
    "subtype",
    "drug_form",
    "quantity",
    "unit",
    "currency",
    "concealment",
    "detection",
    "tlp",
    "offender_nationality",
    "offender_sex",
    "offender_age",
]


def generate(path: Path, n: int, jaitf_airports: list[str], seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(n):
            here = rng.choice(jaitf_airports)
            far = rng.sample(sorted({*OTHER_AIRPORTS, *jaitf_airports} - {here}), 2)
            inbound = rng.random() < 0.6
            origin, destination = (far[0], here) if inbound else (here, far[0])
            transit = far[1] if rng.random() < 0.3 else ""
            category, subtype, form, unit, (low, high) = rng.choice(ITEMS)
            quantity = rng.randint(low, high)
            flow, concealment = rng.choice(FLOWS)
            when = start + timedelta(minutes=rng.randint(0, 60 * 24 * 600))
            has_offender = flow in ("passenger_body", "checked_baggage", "cabin_baggage")
            w.writerow(
                [
                    f"BENCH-{i}",
                    when.date().isoformat(),
                    when.strftime("%H:%M"),
                    here,
                    flow,
                    "arrival" if inbound else "departure",
                    "inbound" if inbound else "outbound",
                    f"{rng.choice(['ET', 'AF', 'KL', 'TK', 'AT'])}{rng.randint(1, 9999)}",
                    origin,
                    transit,
                    destination,
                    category,
                    subtype,
                    form,
                    quantity,
                    unit,
                    "EUR" if unit == "currency" else "",
                    concealment,
                    rng.choice(DETECTIONS),
                    rng.choice(["green", "amber", "amber"]),
                    rng.choice(NATIONALITIES) if has_offender else "",
                    rng.choice("MF") if has_offender else "",
                    rng.randint(18, 70) if has_offender else "",
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20000, help="rows in the imported file (default 20,000)")
    parser.add_argument("--naive", type=int, default=500, help="rows of the create_seizure baseline (500)")
    parser.add_argument(
        "--pg", nargs="?", const=DEFAULT_PG_URL, help="run on a fresh PostgreSQL database instead of SQLite"
    )
    args = parser.parse_args()

    deployment = Deployment("aircop", redis=False)
    set_up = False
    try:
        if args.pg:
            deployment._create_database(args.pg)
        log(f"preparing {deployment.var_dir} (migrate, demo)")
        deployment.prepare()
        # This process uses the deployment's database, exactly as its `aircop` commands did.
        for name in [n for n in os.environ if n.startswith("AIRCOP_")]:
            del os.environ[name]
        os.environ.update({k: v for k, v in deployment.env.items() if k.startswith("AIRCOP_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "aircop.settings"
        import django

        django.setup()
        set_up = True
        from django.db import connection

        from aircop.network.models import Unit, UnitKind
        from aircop.seizures import importer, services
        from aircop.seizures.models import Seizure

        airports = sorted(
            Unit.objects.filter(kind=UnitKind.JAITF, airport__isnull=False).values_list(
                "airport__iata", flat=True
            )
        )
        path = deployment.var_dir / "seizures.csv"
        generate(path, args.rows, airports)
        log(f"{args.rows} rows generated ({path.stat().st_size / 1e6:.1f} MB)")

        stages: dict[str, float] = {}

        def progress(stage, done, total):
            if done == total:
                stages[stage] = time.perf_counter()

        existing = Seizure.objects.count()  # the demo may hold seizures
        began = time.perf_counter()
        report = importer.import_csv(path, actor=None, progress=progress)
        elapsed = time.perf_counter() - began
        if not report.ok:
            for p in report.problems[:20]:
                print(p, file=sys.stderr)
            raise SystemExit(f"the generated file has {len(report.problems)} problems")
        assert Seizure.objects.count() == existing + args.rows
        rate = args.rows / elapsed
        validated = stages.get("validated", began) - began

        # The baseline: the same rows one by one through the service.
        sample = []
        with path.open(encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.DictReader(f)):
                if i >= args.naive:
                    break
                sample.append(importer._row_to_raw(row, None, i + 2, []))
        began = time.perf_counter()
        for raw in sample:
            services.create_seizure(actor=None, data=raw, submit=True)
        naive_elapsed = time.perf_counter() - began
        naive_rate = len(sample) / naive_elapsed

        print(describe_machine())
        print(f"{code_version()}; database {connection.vendor}")
        print(
            f"import: {args.rows} rows in {elapsed:.2f} s = {rate:,.0f} rows/s "
            f"(validation {validated:.2f} s, writing {elapsed - validated:.2f} s)"
        )
        print(
            f"naive create_seizure per row: {len(sample)} rows in {naive_elapsed:.2f} s = {naive_rate:,.0f} rows/s"
        )
        print(f"ratio: the import is {rate / naive_rate:.1f}x the naive path")
    finally:
        if set_up:
            from django.db import connections

            connections.close_all()
        deployment.stop()


if __name__ == "__main__":
    main()
