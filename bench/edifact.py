"""Speed of the UN/EDIFACT readers (aircop.passengers.parsers) against pydifact, and the cost of
storing a manifest.

    .venv/bin/python -m bench.edifact                     # 1,000 messages, SQLite and PostgreSQL
    .venv/bin/python -m bench.edifact --messages 10000    # the full size of the issue (~0.5 GB)
    .venv/bin/python -m bench.edifact --messages 100 --db sqlite
    .venv/bin/python -m bench.edifact --pg-url postgresql://postgres@127.0.0.1:5432/postgres

The corpus (bench.edifact_corpus, deterministic for --seed) is written to a temporary folder,
one interchange per file, one segment per line: D05B PAXLST lists of --travellers travellers
(passport for all, a visa for some, bag tags, addresses; release characters in a few names of
every other list) and, every --pnrgov-every-th message, a PNRGOV push of 30 PNRs (TIF, SSR
DOCS, TKT, MON, FOP, TVL, SSR SEAT, TBD). The default is 1,000 messages (~50 MB): the issue's
example, 10,000 lists of 300 travellers, is about ten times that and pydifact alone needs
some ten minutes for it on a small machine; --messages 10000 runs the full size.

Measured in this process, file by file (each file read from disk first, not timed; all the
measures run on one file before the next, so a busy machine slows them alike):
  (a) pydifact 0.2.3, the baseline: its Tokenizer over the text after the UNA (the token
      stream only), and its Parser (tokens grouped into segments, elements and components:
      the same output as ours);
  (b) our edifact.tokenize (separators, segments with their elements and components);
  (b2) our edifact.read: the whole EDIFACT reader (tokenize, then interchanges, groups and
      messages with their envelope and trailer checks), what pydifact's Parser does and more;
  (c) our full read: parsers.read_file on the file's bytes (decoding, edifact.read, then the
      PAXLST or PNRGOV reader: the normalised manifest or bookings).
Each prints messages/s and MB/s, per kind of message and in all; then the ratios ours / pydifact
Parser (like for like) and ours / pydifact Tokenizer (stricter: a token stream is less work than
segments), against the target of 10x or more.

Then (d), the store target: a PAXLST list of --store-passengers travellers read and stored by
services.ingest, --store-repeat times with distinct flights (after one warm-up that is not
counted), in a fresh deployment (`aircop migrate`) on the embedded SQLite and on a fresh
PostgreSQL database (dropped at the end; skipped when --pg-url is not reachable); p50 / p95
in ms against the 200 ms target. The storing runs in a worker process (this module with
--worker) in the deployment's environment. Exits 0 whatever the figures."""

from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from bench import edifact_corpus
from bench.common import DEFAULT_PG_URL, ROOT, Deployment, code_version, describe_machine, log, percentile

TARGET_RATIO = 10
STORE_TARGET_MS = 200
GROUPS = ("paxlst with release characters", "paxlst without", "pnrgov")
MEASURES = ("pydifact Tokenizer", "pydifact Parser", "edifact.tokenize", "edifact.read", "read_file")


# ============================================================================ corpus
def write_corpus(folder: Path, args) -> list[tuple[Path, str]]:
    files = []
    for index in range(args.messages):
        kind, text = edifact_corpus.message(
            index, travellers=args.travellers, pnrgov_every=args.pnrgov_every, seed=args.seed
        )
        if kind == "paxlst":
            kind = GROUPS[0] if "?" in text.split("UNB+", 1)[1] else GROUPS[1]
        path = folder / f"{index:06d}.edi"
        path.write_text(text, encoding="utf-8")
        files.append((path, kind))
    return files


# ============================================================================ throughput
class Tally:
    def __init__(self):
        self.seconds: dict[tuple[str, str], float] = collections.defaultdict(float)
        self.messages: dict[str, int] = collections.Counter()
        self.bytes: dict[str, int] = collections.Counter()

    def rate(self, measure: str, groups: tuple[str, ...]) -> tuple[float, float, float]:
        """(messages/s, MB/s, seconds) of a measure over some groups."""
        seconds = sum(self.seconds[(measure, g)] for g in groups)
        messages = sum(self.messages[g] for g in groups)
        size = sum(self.bytes[g] for g in groups)
        if not seconds:
            return float("nan"), float("nan"), 0.0
        return messages / seconds, size / 1e6 / seconds, seconds


def _same_segments(theirs: list, ours: list) -> bool:
    """pydifact's segments (after its UNA) against ours: tags, elements and components."""
    converted = [(s.tag, [e if isinstance(e, list) else [e] for e in s.elements]) for s in theirs[1:]]
    return converted == [(s.tag, s.elements) for s in ours]


def measure_throughput(files: list[tuple[Path, str]]) -> tuple[Tally, list[str]]:
    from pydifact import Characters, Parser, Tokenizer

    from aircop.passengers import parsers
    from aircop.passengers.parsers import edifact

    warnings.simplefilter("ignore")  # pydifact warns about the directories it has no XML for
    tally = Tally()
    problems: list[str] = []
    clock = time.perf_counter

    def timed(measure: str, group: str, work, *args):
        # Each measure starts on a clean heap and pays for its own garbage collection.
        gc.collect()
        began = clock()
        result = work(*args)
        tally.seconds[(measure, group)] += clock() - began
        return result

    def pydifact_tokens(text: str) -> None:
        body, characters = text[9:].lstrip("\r\n"), Characters.from_str(text[:9])
        collections.deque(Tokenizer().get_tokens(body, characters), maxlen=0)

    def pydifact_segments(text: str) -> list:
        return list(Parser().parse(text))

    # Imports and first-use caches (country and airport tables) out of the way.
    parsers.read_file(files[0][0].read_bytes(), "warm-up")
    pydifact_segments(files[0][0].read_text(encoding="utf-8"))
    for n, (path, group) in enumerate(files):
        data = path.read_bytes()
        text = data.decode("utf-8")
        tally.messages[group] += 1
        tally.bytes[group] += len(data)
        timed("pydifact Tokenizer", group, pydifact_tokens, text)
        theirs = len(timed("pydifact Parser", group, pydifact_segments, text))
        ours = len(timed("edifact.tokenize", group, edifact.tokenize, text)[1])
        timed("edifact.read", group, edifact.read, text)
        parsed = timed("read_file", group, parsers.read_file, data, path.name)
        if theirs - 1 != ours:
            problems.append(f"{path.name}: pydifact {theirs - 1} segments, ours {ours}")
        if parsed.errors or not all(m.ok for m in parsed.messages):
            problems.append(f"{path.name}: read with errors {parsed.errors or parsed.messages[0].errors}")
        del parsed
        if (n + 1) % 100 == 0:
            log(f"{n + 1} / {len(files)} messages measured")
    # Not timed: the same segments, elements and components from both, on a few files.
    for path, _ in files[:20]:
        text = path.read_text(encoding="utf-8")
        if not _same_segments(pydifact_segments(text), edifact.tokenize(text)[1]):
            problems.append(f"{path.name}: pydifact and edifact.tokenize give different segments")
    return tally, problems


def report_throughput(tally: Tally) -> None:
    columns = [(g, (g,)) for g in GROUPS if tally.messages[g]] + [("all", GROUPS)]
    print()
    print("== throughput: messages/s and MB/s (in one process, file by file)")
    print(
        "   | measure | "
        + " | ".join(f"{name} ({sum(tally.messages[g] for g in gs):,})" for name, gs in columns)
        + " |"
    )
    print("   |" + "---|" * (len(columns) + 1))
    for measure in MEASURES:
        cells = []
        for _, groups in columns:
            per_s, mb_s, _ = tally.rate(measure, groups)
            cells.append(f"{per_s:,.1f} msg/s, {mb_s:.2f} MB/s")
        print(f"   | {measure} | " + " | ".join(cells) + " |")
    size = sum(tally.bytes.values()) / 1e6
    print(f"   corpus: {sum(tally.messages.values()):,} messages, {size:.1f} MB")
    for ours, label in (
        ("edifact.tokenize", "(b) tokenize"),
        ("edifact.read", "(b2) EDIFACT reader"),
        ("read_file", "(c) full read"),
    ):
        for theirs in ("pydifact Parser", "pydifact Tokenizer"):
            ratios = []
            for name, groups in columns:
                a, b = tally.rate(ours, groups)[0], tally.rate(theirs, groups)[0]
                ratios.append(f"{name} {a / b:.1f}x")
            overall = tally.rate(ours, GROUPS)[0] / tally.rate(theirs, GROUPS)[0]
            verdict = "met" if overall >= TARGET_RATIO else "missed"
            print(
                f"   ratio {label} / {theirs}: {', '.join(ratios)} "
                f"(target {TARGET_RATIO}x or more: {verdict})"
            )


# ============================================================================ store (worker side)
def worker(args) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "aircop.settings"
    import django

    django.setup()
    from django.db import connection

    from aircop.passengers import parsers, services

    texts = [
        edifact_corpus.paxlst(900_000 + i, args.store_passengers, seed=args.seed).encode("utf-8")
        for i in range(args.store_repeat + 1)
    ]
    # services.ingest is timed whole (it reads the file again); parsers.read_file is timed apart
    # on the same bytes just before, to tell reading from storing.
    parse_ms, ingest_ms, queries, problems = [], [], [], []

    def count(execute, sql, params, many, context):
        queries[-1] += 1
        return execute(sql, params, many, context)

    for i, data in enumerate(texts):
        gc.collect()
        began = time.perf_counter()
        parsers.read_file(data, f"store-{i}.edi")
        parsed = time.perf_counter()
        queries.append(0)
        with connection.execute_wrapper(count):
            report = services.ingest(data, name=f"store-{i}.edi", source="cli")
        done = time.perf_counter()
        statuses = [m.status for m in report.messages]
        if statuses != ["stored"] or report.messages[0].travellers != args.store_passengers:
            problems.append(f"message {i}: {statuses} {[m.errors for m in report.messages]}")
        if i:  # the first is the warm-up
            parse_ms.append((parsed - began) * 1000)
            ingest_ms.append((done - parsed) * 1000)
    result = {
        "vendor": connection.vendor,
        "parse_ms": parse_ms,
        "ingest_ms": ingest_ms,
        "queries": queries[1:],
        "problems": problems,
    }
    print(json.dumps({"result": result}), flush=True)


# ============================================================================ store (parent side)
def _pg_reachable(url: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def measure_store(kind: str, args) -> dict | str:
    deployment = Deployment("aircop", redis=False)
    try:
        if kind == "postgresql":
            deployment._create_database(args.pg_url)
        log(f"{kind}: migrate in {deployment.var_dir}")
        deployment.aircop("migrate", "-v", "0")
        argv = [sys.executable, "-m", "bench.edifact", "--worker", "--seed", str(args.seed)]
        argv += ["--store-repeat", str(args.store_repeat), "--store-passengers", str(args.store_passengers)]
        log(f"{kind}: storing {args.store_repeat} + 1 lists of {args.store_passengers} travellers")
        done = subprocess.run(  # noqa: S603 - our own command
            argv, env=deployment.env, cwd=ROOT, capture_output=True, text=True, timeout=1800
        )
        for line in done.stdout.splitlines():
            if line.startswith('{"result"'):
                return json.loads(line)["result"]
        return f"the worker ended with code {done.returncode}: {done.stderr.strip()[-1500:]}"
    except Exception as exc:  # noqa: BLE001 - reported, the other database goes on
        return str(exc)
    finally:
        deployment.stop()


def report_store(kind: str, result: dict | str, args) -> None:
    print()
    print(
        f"== (d) store: a PAXLST list of {args.store_passengers} travellers read and stored by "
        f"services.ingest, {args.store_repeat} distinct flights, {kind}"
    )
    if isinstance(result, str):
        print(f"   failed: {result}")
        return
    parse = sorted(result["parse_ms"])
    total = sorted(result["ingest_ms"])
    p50, p95 = percentile(total, 50), percentile(total, 95)
    print(
        f"   read + store (services.ingest): p50 {p50:.0f} ms, p95 {p95:.0f} ms; "
        f"target {STORE_TARGET_MS} ms: {'met' if p95 <= STORE_TARGET_MS else 'missed'} (p95)"
    )
    print(
        f"   of which reading alone (parsers.read_file, measured apart on the same bytes): "
        f"p50 {percentile(parse, 50):.0f} ms, p95 {percentile(parse, 95):.0f} ms"
    )
    print(f"   SQL statements per services.ingest: {percentile(sorted(result['queries']), 50)} (p50)")
    for problem in result["problems"][:5]:
        print(f"   PROBLEM: {problem}")


# ============================================================================ main
def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=1000, help="messages in the corpus (default 1,000)")
    parser.add_argument("--travellers", type=int, default=300, help="travellers per PAXLST list (300)")
    parser.add_argument(
        "--pnrgov-every", type=int, default=5, help="every n-th message is a PNRGOV push (5; 0 = none)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--store-repeat", type=int, default=20, help="lists stored, distinct flights (20)")
    parser.add_argument("--store-passengers", type=int, default=400, help="travellers per stored list (400)")
    parser.add_argument("--db", choices=("both", "sqlite", "postgresql", "none"), default="both")
    parser.add_argument(
        "--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL server (a fresh database is made)"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if args.messages < 1:
        parser.error("--messages must be at least 1")

    import pydifact

    print(describe_machine())
    print(code_version())
    pushes = f"one in {args.pnrgov_every} a PNRGOV push of 30 PNRs" if args.pnrgov_every else "no PNRGOV"
    print(
        f"{args.messages:,} messages ({args.travellers} travellers per PAXLST list, {pushes}), "
        f"seed {args.seed}; baseline pydifact {pydifact.__version__}"
    )
    folder = Path(tempfile.mkdtemp(prefix="aircop-bench-edifact-"))
    try:
        began = time.perf_counter()
        files = write_corpus(folder, args)
        size = sum(p.stat().st_size for p, _ in files) / 1e6
        log(
            f"{len(files)} messages written to {folder} ({size:.1f} MB) "
            f"in {time.perf_counter() - began:.0f} s"
        )
        tally, problems = measure_throughput(files)
        report_throughput(tally)
        for problem in problems[:10]:
            print(f"   PROBLEM: {problem}")
        if len(problems) > 10:
            print(f"   ... and {len(problems) - 10} more problems")
    finally:
        if os.environ.get("BENCH_KEEP"):
            log(f"BENCH_KEEP: corpus kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    kinds = {"both": ["sqlite", "postgresql"], "none": []}.get(args.db, [args.db])
    for kind in kinds:
        if kind == "postgresql":
            unreachable = _pg_reachable(args.pg_url)
            if unreachable:
                print()
                print(f"== (d) store, postgresql: skipped, {args.pg_url} is not reachable ({unreachable})")
                continue
        report_store(kind, measure_store(kind, args), args)
    print()
    print(describe_machine())


if __name__ == "__main__":
    main()
