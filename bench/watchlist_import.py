"""Speed of `aircop watchlist import` (issue 6: 1,000,000 entries in under a minute), against
recording entries one by one through the ORM, in the same run.

    .venv/bin/python -m bench.watchlist_import                     # 1,000,000 entries, SQLite and PostgreSQL
    .venv/bin/python -m bench.watchlist_import --entries 100000 --db sqlite

Per database: a fresh deployment (bench.common.Deployment: a var dir under /tmp, for PostgreSQL
a fresh database dropped at the end), `aircop migrate`, `aircop demo --no-seizures`, `aircop
watchlist create`. A deterministic CSV of --entries lines (a name and an alias, a full date of
birth, nationality, sex, a passport for one entry in three) is written once. The import is
`aircop watchlist import FILE --list big` run as a user would (its wall-clock time, and the
peak memory of the process from getrusage). Baseline: `WatchlistEntry.objects.create` per
entry for --naive entries in a worker process of the same deployment, extrapolated to the
same number of entries (said so in the output). Exits 0 whatever the figures."""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import AIRCOP_BIN, DEFAULT_PG_URL, Deployment, code_version, describe_machine, log

FIRST = [
    "Mohammed",
    "Ahmed",
    "Ali",
    "Omar",
    "Ibrahim",
    "Youssef",
    "Hassan",
    "Hussein",
    "Abdullah",
    "Khalid",
    "Amadou",
    "Moussa",
    "Ivan",
    "Sergei",
    "Juan",
    "Carlos",
    "Maria",
    "Fatima",
    "Aisha",
    "Olga",
]
LAST = [
    "Abdullah",
    "Rahman",
    "Haddad",
    "Diallo",
    "Traore",
    "Petrov",
    "Ivanov",
    "Gonzalez",
    "Rodriguez",
    "Mensah",
    "Okafor",
    "Kamara",
    "Sow",
    "Ba",
    "Nasser",
    "Saleh",
    "Karimov",
    "Aliyev",
    "Silva",
    "Santos",
]
TARGET_S = 60

NAIVE = """
import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "aircop.settings"
import django
django.setup()
from django.utils import timezone
from aircop.screening.models import Watchlist, WatchlistEntry
wl = Watchlist.objects.get(name="big")
n = int(sys.argv[1])
began = time.perf_counter()
for i in range(n):
    now = timezone.now()
    WatchlistEntry.objects.create(watchlist=wl, reference=f"N{i}", names=["Ali Haddad", "Ali Hadad"],
        date_of_birth="1980-01-02", nationality="SDN", sex="M", documents=[], added_at=now, updated_at=now)
print(time.perf_counter() - began)
"""


def write_csv(path: Path, n: int) -> None:
    rng = random.Random(2026)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "reference,names,date_of_birth,nationality,sex,document_number,document_country,document_type,reason\n"
        )
        for i in range(n):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"
            alias = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            dob = f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            doc = f"P{rng.randint(1000000, 9999999)}" if i % 3 == 0 else ""
            country = "SDN" if doc else ""
            out.write(
                f"E{i},{name}|{alias},{dob},{rng.choice(['SDN', 'EGY', 'NGA', 'RUS', 'COL'])},{rng.choice('MF')},"
                f"{doc},{country},{'P' if doc else ''},\n"
            )


def run(kind: str, csv_path: Path, args) -> None:
    deployment = Deployment("aircop", redis=False, pg_url=args.pg_url if kind == "postgresql" else None)
    try:
        log(f"{kind}: migrate, demo --no-seizures in {deployment.var_dir}")
        deployment.aircop("migrate", "-v", "0")
        deployment.aircop("demo", "--no-seizures")
        deployment.aircop(
            "watchlist", "create", "big", "--kind", "wanted", "--owner", "jaitf-lfw", "--source", "bench"
        )
        log(f"{kind}: importing {args.entries:,} entries")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        began = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own command
            [str(AIRCOP_BIN), "watchlist", "import", str(csv_path), "--list", "big"],
            env=deployment.env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - began
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if done.returncode:
            print(f"== {kind}: import failed: {done.stderr.strip()[-500:]}")
            return
        naive = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", NAIVE, str(args.naive)], env=deployment.env, capture_output=True, text=True
        )
        naive_s = float(naive.stdout.strip().splitlines()[-1]) if naive.returncode == 0 else float("nan")
        naive_rate = args.naive / naive_s
        rate = args.entries / seconds
        print()
        print(f"== {kind}: {args.entries:,} entries ({csv_path.stat().st_size / 1e6:.1f} MB CSV)")
        print(f"   {done.stdout.strip()}")
        print(
            f"   aircop watchlist import: {seconds:.1f} s = {rate:,.0f} entries/s; peak memory of the command "
            f"{max(peak, before) / 1024:,.0f} MB (the largest child process so far)"
        )
        print(f"   target under {TARGET_S} s: {'met' if seconds < TARGET_S else 'missed'}")
        print(
            f"   baseline, WatchlistEntry.objects.create one by one: {args.naive:,} entries in {naive_s:.1f} s = "
            f"{naive_rate:,.0f} entries/s, extrapolated {args.entries / naive_rate:,.0f} s; ratio {rate / naive_rate:.1f}x"
        )
        print(f"   {describe_machine()}")
    finally:
        deployment.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--naive", type=int, default=5000, help="entries of the one-by-one baseline (5,000)")
    parser.add_argument("--db", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    args = parser.parse_args()
    print(describe_machine())
    print(code_version())
    with tempfile.TemporaryDirectory(prefix="aircop-bench-watchlist-") as folder:
        csv_path = Path(folder) / "watchlist.csv"
        write_csv(csv_path, args.entries)
        for kind in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
            run(kind, csv_path, args)


if __name__ == "__main__":
    main()
