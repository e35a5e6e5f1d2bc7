"""Speed of the seizure analytics (aircop.analytics: dashboard figures and the summary) over a
large register, against the naive approach of loading the rows into Python.

    .venv/bin/python -m bench.analytics                        # 1,000,000 seizures, SQLite and PostgreSQL
    .venv/bin/python -m bench.analytics --seizures 100000 --db sqlite
    .venv/bin/python -m bench.analytics --pg-url postgresql://postgres@127.0.0.1:5432/postgres

For each database: a fresh AIRCOP_VAR_DIR (and for PostgreSQL a fresh database, dropped at the
end) gets `aircop migrate` and `aircop demo --no-seizures`. A worker process (this module with
--worker, in the deployment's environment) then draws --seizures records with the demo's
corridor logic (aircop.seizures.demo._one: same corridors, code lists, statuses and people;
deterministic for the seed and today's date) and writes them directly: SQLite with
executemany in one transaction per chunk, PostgreSQL with COPY; then ANALYZE. The two
databases are loaded at the same time (one worker each) and measured one after the other.

Measured in the worker, as the analyst demo user, over six scopes (network last 12 months,
network 2 years, one region, one country, one airport, and a past half-year of the network
that starts and ends mid-month): every figure function of
aircop.analytics.dashboard and queries.summary, --repeat times each (p50 / p95, ms); the
summary API end to end through Django's test client (in-process: URL routing, session
authentication, django-ninja validation and JSON rendering; no socket); and the baseline,
the naive approach in the same run and database: the scope's rows loaded with values_list
and aggregated in Python, for the summary and the concealment breakdown (the naive results
are checked against ours). The records bypass the services, so the monthly roll-up of the
figures is rebuilt once after loading (timed). Then the cost the roll-up adds to a write: one
seizure recorded and submitted through the service. Then `python -m bench.seizure_import` is
run once for the CSV import throughput. Exits 0 whatever the figures."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

from bench.common import DEFAULT_PG_URL, ROOT, Deployment, code_version, describe_machine, log, percentile

TARGET_MS = {"postgresql": 500, "sqlite": 2000}
CHUNK = 25_000
SEED = 2026


# ============================================================================ worker side
def _setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "aircop.settings"
    import django

    django.setup()


def _converters(model, connection):
    fields = list(model._meta.concrete_fields)
    columns = [f.column for f in fields]

    def row(values: dict) -> list:
        return [f.get_db_prep_save(values.get(f.attname, f.get_default()), connection) for f in fields]

    return model._meta.db_table, columns, row


def _write(connection, table: str, columns: list[str], rows: list[list]) -> None:
    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for r in rows:
                copy.write_row(r)
    else:
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",  # noqa: S608
                rows,
            )


def load(n: int, end: date) -> dict:
    """Draw ``n`` seizures along the demo corridors and write them in bulk. Returns counts."""
    from django.db import connection, transaction

    from aircop.network.models import Airport
    from aircop.network.services import ensure_airport
    from aircop.seizures import demo
    from aircop.seizures.models import Seizure, SeizureItem, SeizurePerson, item_copies

    ctx = demo._context(end)
    every_code = set().union(*(c.airports for c in demo.CORRIDORS))
    ctx.countries.update(demo._airport_countries(every_code))
    airports = dict(Airport.objects.filter(iata__in=every_code).values_list("iata", "pk"))
    for code in sorted(every_code - set(airports)):
        airports[code] = ensure_airport(actor=None, iata=code).pk
    corridors = [c for c in demo.CORRIDORS if c.airports & set(ctx.units)]
    weights = [c.weight for c in corridors]

    s_table, s_cols, s_row = _converters(Seizure, connection)
    i_table, i_cols, i_row = _converters(SeizureItem, connection)
    p_table, p_cols, p_row = _converters(SeizurePerson, connection)
    next_seizure = (Seizure.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    next_item = (SeizureItem.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    next_person = (SeizurePerson.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    counts = {"seizures": 0, "items": 0, "persons": 0}
    index = 0
    began = time.perf_counter()
    while counts["seizures"] < n:
        seizures, items, persons = [], [], []
        while len(seizures) < min(CHUNK, n - counts["seizures"]):
            rng = demo._rng(SEED, index)
            index += 1
            one = demo._one(rng, rng.choices(corridors, weights=weights)[0], ctx)
            if one is None:
                continue
            seizure, route, seized_at, item_rows, person_rows = one
            seizure.id = next_seizure
            next_seizure += 1
            seizure.airport_id = airports[seized_at]
            seizure.origin_id = airports[route[0]]
            seizure.destination_id = airports[route[-1]]
            seizures.append(s_row(seizure.__dict__))
            for position, item in enumerate(item_rows):
                items.append(
                    i_row(
                        {
                            **item,
                            "id": next_item,
                            "seizure_id": seizure.id,
                            "position": position,
                            **item_copies(seizure),
                        }
                    )
                )
                next_item += 1
            for position, person in enumerate(person_rows):
                persons.append(
                    p_row({**person, "id": next_person, "seizure_id": seizure.id, "position": position})
                )
                next_person += 1
        with transaction.atomic():
            _write(connection, s_table, s_cols, seizures)
            _write(connection, i_table, i_cols, items)
            _write(connection, p_table, p_cols, persons)
        counts["seizures"] += len(seizures)
        counts["items"] += len(items)
        counts["persons"] += len(persons)
        log(
            f"{connection.vendor}: {counts['seizures']:,} seizures written ({time.perf_counter() - began:.0f} s)"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Seizure, SeizureItem, SeizurePerson):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608 - model tables
                )
    counts["load_s"] = round(time.perf_counter() - began, 1)
    # The records bypassed the services, so the monthly roll-up of the figures is built once,
    # as `aircop seizures rebuild-figures` would.
    from aircop.seizures import figures

    t = time.perf_counter()
    counts["rollup_rows"] = figures.rebuild()
    counts["rollup_s"] = round(time.perf_counter() - t, 1)
    log(f"{connection.vendor}: roll-up rebuilt, {counts['rollup_rows']:,} rows in {counts['rollup_s']} s")
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["analyze_s"] = round(time.perf_counter() - t, 1)
    counts["counted"] = Seizure.objects.filter(status__in=("submitted", "validated")).count()
    return counts


def scopes(end: date):
    from aircop.analytics.queries import Scope, parse_scope
    from aircop.network.models import Airport

    lome = Airport.objects.select_related("country__region").get(iata="LFW")
    region = lome.country.region.code
    return [
        ("network, last 12 months", parse_scope(date_from=None, date_to=None, today=end)),
        ("network, 2 years", Scope(end - timedelta(days=729), end)),
        (f"region {region}, 12 months", parse_scope(date_from=None, date_to=None, region=region, today=end)),
        ("country NG, 12 months", parse_scope(date_from=None, date_to=None, country="NG", today=end)),
        ("airport LFW, 12 months", parse_scope(date_from=None, date_to=None, airport="LFW", today=end)),
        # The hardest case for the monthly roll-up: a past period that starts and ends in the
        # middle of a month, so about five weeks are read from the register itself.
        (
            "network, past half-year mid-month to mid-month",
            Scope(_mid(end, 20), _mid(end, 14) - timedelta(days=6)),
        ),
    ]


def _mid(end: date, months_back: int) -> date:
    """The 15th of the month ``months_back`` months before ``end``."""
    month = end.month - 1 - months_back
    return date(end.year + month // 12, month % 12 + 1, 15)


def naive_summary(scope) -> dict:
    """The baseline: every item row of the scope into Python, added up there."""
    from aircop.analytics import queries
    from aircop.seizures.models import SeizurePerson

    totals: dict = {}
    for cat, sub, unit, cur, kg, cnt, qty, sid in queries.counted_items(scope).values_list(
        "category", "subtype", "unit", "currency", "mass_kg", "count", "quantity", "seizure_id"
    ):
        t = totals.setdefault((cat, sub), {"mass_kg": 0, "count": 0, "amounts": {}, "seizures": set()})
        if kg is not None:
            t["mass_kg"] += kg
        if cnt is not None:
            t["count"] += cnt
        if unit == "currency":
            t["amounts"][cur] = t["amounts"].get(cur, 0) + qty
        t["seizures"].add(sid)
    ids = set(queries.counted_seizures(scope).values_list("id", flat=True))
    high_risk = sum(
        1
        for sid in SeizurePerson.objects.filter(role="high_risk").values_list("seizure_id", flat=True)
        if sid in ids
    )
    return {
        "seizures": len(ids),
        "high_risk_persons": high_risk,
        "totals": [
            {
                "category": cat,
                "subtype": sub,
                "mass_kg": float(round(t["mass_kg"], 3)),
                "count": int(t["count"]),
                "amounts": {c: float(round(a, 3)) for c, a in sorted(t["amounts"].items())},
                "seizures": len(t["seizures"]),
            }
            for (cat, sub), t in sorted(totals.items())
        ],
    }


def naive_concealment(scope) -> list:
    """The baseline for one breakdown: seizures and items of the scope into Python."""
    from aircop.analytics import queries

    of = dict(queries.counted_seizures(scope).values_list("id", "concealment"))
    seizures: dict[str, int] = {}
    for code in of.values():
        seizures[code] = seizures.get(code, 0) + 1
    masses: dict[str, float] = {}
    for sid, kg in queries.counted_items(scope).values_list("seizure_id", "mass_kg"):
        if kg is not None:
            masses[of[sid]] = masses.get(of[sid], 0) + kg
    return sorted(
        ([code, n, float(round(masses.get(code, 0), 3))] for code, n in seizures.items()),
        key=lambda r: (-r[1], r[0]),
    )


def _close(a, b) -> bool:
    """Equal, numbers within 0.002 + 1e-9 relative (the database adds in floating point on SQLite)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= 0.002 + 1e-9 * abs(b)
    return a == b


def _timed(call, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - t) * 1000)
    return sorted(times), result


def measure(end: date, repeat: int, naive_repeat: int) -> dict:
    from django.db import connection
    from django.test import Client

    from aircop.accounts.models import User
    from aircop.analytics import dashboard, queries

    analyst = User.objects.get(username="analyst")
    figures = {
        "summary": lambda s: queries.summary(analyst, s),
        "headline": lambda s: dashboard.headline(s),
        "trend": lambda s: dashboard.trend(s),
        "routes": lambda s: dashboard.routes(analyst, s),
        "concealment": lambda s: dashboard.concealment(s),
        "detection": lambda s: dashboard.detection(s),
        "nationality": lambda s: dashboard.nationality(analyst, s),
        "sex": lambda s: dashboard.sex(analyst, s),
        "tipoff": lambda s: dashboard.tipoff(s),
        "outcomes": lambda s: dashboard.outcomes(analyst),
    }
    client = Client()
    client.force_login(analyst)
    out = {"vendor": connection.vendor, "scopes": []}
    for label, scope in scopes(end):
        log(f"{connection.vendor}: measuring {label}")
        entry = {"label": label, "figures": {}, "naive": {}}
        results = {}
        for name, call in figures.items():
            times, results[name] = _timed(lambda call=call, scope=scope: call(scope), repeat)
            entry["figures"][name] = times
            log(
                f"{connection.vendor}: {label}: {name} p50 {percentile(times, 50):.0f} ms, max {times[-1]:.0f} ms"
            )
        entry["seizures"] = results["summary"]["seizures"]
        entry["items"] = queries.counted_items(scope).count()
        # The summary API end to end (Django test client, session of the analyst).
        params = {k: v for k, v in {**scope.describe()}.items() if v}
        params["from"], params["to"] = scope.date_from.isoformat(), scope.date_to.isoformat()

        def api(params=params):
            response = client.get("/api/v1/analytics/seizures/summary", params)
            assert response.status_code == 200, response.content[:300]
            return response.json()

        times, body = _timed(api, repeat)
        entry["figures"]["summary API (test client)"] = times
        assert body["seizures"] == entry["seizures"]
        if naive_repeat:
            ours = results["summary"]
            times, naive = _timed(lambda scope=scope: naive_summary(scope), naive_repeat)
            mine = {k: ours[k] for k in ("seizures", "high_risk_persons", "totals")}
            entry["naive"]["summary"] = {"times": times, "same": _close(naive, mine)}
            times, naive = _timed(lambda scope=scope: naive_concealment(scope), naive_repeat)
            ref = [[r[0], r[2], r[3]] for r in results["concealment"].rows]
            entry["naive"]["concealment"] = {"times": times, "same": _close(naive, ref)}
        out["scopes"].append(entry)
    out["writes"] = measure_writes(end, repeat)
    return out


def measure_writes(end: date, repeat: int) -> dict:
    """What keeping the roll-up costs a write: one seizure recorded and submitted through the
    service (which recomputes its month and airport's cells) at LFW, --repeat times."""
    from aircop.accounts.models import User
    from aircop.seizures import services

    officer = User.objects.get(username="officer-lfw")
    day = end - timedelta(days=3)
    data = {
        "occurred_at": f"{day.isoformat()}T08:30",
        "airport": "LFW",
        "flow": "checked_baggage",
        "phase": "arrival",
        "direction": "inbound",
        "origin": "GRU",
        "transit": "ADD",
        "destination": "LFW",
        "concealment": "baggage_lining",
        "detection": "xray",
        "items": [{"category": "drugs", "subtype": "cocaine", "quantity": "4.2", "unit": "kg"}],
        "persons": [{"role": "courier", "nationality": "BRA", "sex": "F", "age": "31"}],
    }
    times, _ = _timed(lambda: services.create_seizure(actor=officer, data=data, submit=True), repeat)
    return {"create_submit": times}


def worker(args) -> None:
    _setup_django()
    end = date.today()
    counts = load(args.seizures, end)
    print(json.dumps({"loaded": counts}), flush=True)
    # Wait for the go: the parent measures one database at a time.
    sys.stdin.readline()
    result = measure(end, args.repeat, args.naive_repeat)
    result["loaded"] = counts
    print(json.dumps({"result": result}), flush=True)


# ============================================================================ parent side
class Run:
    """One database: its deployment and its worker process."""

    def __init__(self, kind: str, args):
        self.kind = kind
        self.deployment = Deployment("aircop", redis=False)
        if kind == "postgresql":
            self.deployment._create_database(args.pg_url)
        self.args = args
        self.proc: subprocess.Popen | None = None
        self.loaded: dict | None = None
        self.error: str | None = None

    def start(self) -> None:
        log(f"{self.kind}: migrate, demo --no-seizures in {self.deployment.var_dir}")
        self.deployment.aircop("migrate", "-v", "0")
        self.deployment.aircop("demo", "--no-seizures")
        argv = [sys.executable, "-m", "bench.analytics", "--worker", "--seizures", str(self.args.seizures)]
        argv += ["--repeat", str(self.args.repeat), "--naive-repeat", str(self.args.naive_repeat)]
        self.proc = subprocess.Popen(  # noqa: S603 - our own command
            argv, env=self.deployment.env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def read(self, key: str):
        for line in self.proc.stdout:
            if line.startswith("{"):
                message = json.loads(line)
                if key in message:
                    return message[key]
        raise RuntimeError(f"{self.kind}: the worker ended with code {self.proc.wait()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.deployment.stop()


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def report(result: dict, machine_line: str) -> None:
    vendor = result["vendor"]
    target = TARGET_MS[vendor]
    loaded = result["loaded"]
    print()
    print(
        f"== {vendor}: {loaded['seizures']:,} seizures, {loaded['items']:,} items, {loaded['persons']:,} persons"
    )
    print(
        f"   loaded in {loaded['load_s']:.0f} s ({loaded['seizures'] / loaded['load_s']:,.0f} seizures/s with their "
        f"items and persons), ANALYZE {loaded['analyze_s']:.0f} s; {loaded['counted']:,} submitted or validated"
    )
    print(
        f"   roll-up rebuilt in {loaded['rollup_s']:.0f} s ({loaded['rollup_rows']:,} rows, "
        "`aircop seizures rebuild-figures`)"
    )
    print(f"   {machine_line}")
    names = list(result["scopes"][0]["figures"])
    labels = [s["label"] for s in result["scopes"]]
    print(f"   p50 / p95 in ms, target p95 < {target:,} ms per query")
    print("   | figure | " + " | ".join(labels) + " |")
    print("   |---" * (len(labels) + 1) + "|")
    missed = []
    for name in names:
        cells = []
        for s in result["scopes"]:
            times = s["figures"][name]
            p50, p95 = percentile(times, 50), percentile(times, 95)
            flag = ""
            if p95 > target and "API" not in name:
                flag = " (missed)"
                missed.append(f"{name} / {s['label']}")
            cells.append(f"{_ms(p50)} / {_ms(p95)}{flag}")
        print(f"   | {name} | " + " | ".join(cells) + " |")
    print("   | seizures counted | " + " | ".join(f"{s['seizures']:,}" for s in result["scopes"]) + " |")
    print("   | items in scope | " + " | ".join(f"{s['items']:,}" for s in result["scopes"]) + " |")
    for s in result["scopes"]:
        for name, n in s["naive"].items():
            ours = percentile(s["figures"][name], 50)
            theirs = percentile(n["times"], 50)
            same = "same result" if n["same"] else "RESULTS DIFFER"
            print(
                f"   baseline {name}, {s['label']}: naive p50 {_ms(theirs)} ms vs {_ms(ours)} ms = "
                f"{theirs / ours:.1f}x ({same})"
            )
    print(f"   target: {'met by every query' if not missed else 'missed by ' + ', '.join(missed)}")
    writes = result.get("writes", {}).get("create_submit")
    if writes:
        print(
            f"   one seizure recorded and submitted through the service (roll-up cell recomputed): "
            f"p50 {_ms(percentile(writes, 50))} ms, p95 {_ms(percentile(writes, 95))} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seizures", type=int, default=1_000_000, help="seizures generated (default 1,000,000)"
    )
    parser.add_argument("--repeat", type=int, default=7, help="runs of each query (default 7)")
    parser.add_argument(
        "--naive-repeat", type=int, default=3, help="runs of each naive baseline (3; 0 = none)"
    )
    parser.add_argument("--db", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument(
        "--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL server (a fresh database is made)"
    )
    parser.add_argument(
        "--import-rows", type=int, default=20000, help="rows for bench.seizure_import (0 = skip)"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    machine_line = describe_machine()
    print(machine_line)
    print(code_version())
    print(f"{args.seizures:,} seizures, {args.repeat} runs per query, {args.naive_repeat} per naive baseline")
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    runs = [Run(kind, args) for kind in kinds]
    try:
        # Load every database at the same time (one worker each), then measure one at a time.
        def start(run: Run) -> None:
            try:
                run.start()
                run.loaded = run.read("loaded")
            except Exception as exc:  # noqa: BLE001 - reported below, the other database goes on
                run.error = str(exc)

        threads = [threading.Thread(target=start, args=(run,)) for run in runs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for run in runs:
            if run.error:
                print(f"{run.kind}: loading failed: {run.error}")
                continue
            log(f"{run.kind}: loaded {run.loaded}")
            run.proc.stdin.write("go\n")
            run.proc.stdin.flush()
            try:
                result = run.read("result")
            except RuntimeError as exc:
                print(f"{run.kind}: measuring failed: {exc}")
                continue
            report(result, describe_machine())
            run.stop()
    finally:
        for run in runs:
            run.stop()

    if args.import_rows:
        log("running bench.seizure_import")
        done = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "bench.seizure_import", "--rows", str(args.import_rows)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        print()
        print(f"== CSV import (python -m bench.seizure_import --rows {args.import_rows}, embedded SQLite)")
        for line in done.stdout.splitlines():
            if line.startswith(("import:", "naive", "ratio")):
                print(f"   {line}")
        if done.returncode:
            print(f"   bench.seizure_import failed: {done.stderr.strip()[-500:]}")


if __name__ == "__main__":
    main()
