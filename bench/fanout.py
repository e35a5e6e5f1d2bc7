"""Fan-out latency of alerts to WebSocket clients, AIRCOP against a bare broadcast baseline.

    .venv/bin/python -m bench.fanout                      # embedded: 1 process, SQLite, in-memory layer
    .venv/bin/python -m bench.fanout --redis --rate 50    # 2 processes, PostgreSQL + Redis pub/sub

N clients (--clients, default 500) spread over --units task forces (default 40) connect to
the server(s); a sender posts alerts at --rate per second for --seconds (after --warmup
seconds that are not counted), each addressed to --audience units chosen at random among
those units. Latency, per recipient = time the client read the alert.created event - time
the POST started (one machine clock, time.time()). Server memory per connection = (RSS
after all clients connected - RSS before) / N.

The baseline runs first in the same invocation: bench/baseline_app.py in the same number
of uvicorn processes on the same channel layer class and config, with the same clients,
units, rate and audiences, but no database and no visibility checks. It is a measurement,
not a test: the exit code is 0 whatever the figures."""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import math
import multiprocessing
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import (
    Deployment,
    Http,
    code_version,
    cpu_seconds,
    describe_machine,
    jaitf_units,
    load_average,
    log,
    percentile,
    raise_nofile,
    run_async,
    users_of,
    ws_connect,
)

TARGETS = {False: (20, 150.0), True: (50, 250.0)}  # redis? -> (alerts/s, p99 ms)


# -- client processes ----------------------------------------------------------------------
def client_worker(conn, specs: list[tuple[int, str, str | None]], parallel: int) -> None:
    """Open every connection in ``specs`` (client index, ws url, token), report, then record
    (client, alert id, receipt time) of every alert.created event until told to stop."""
    raise_nofile()
    run_async(_client_main(conn, specs, parallel))


async def _client_main(conn, specs, parallel: int) -> None:
    import websockets

    loop = asyncio.get_running_loop()
    sem = asyncio.Semaphore(parallel)
    records: list[tuple[int, int, float]] = []
    sockets: dict[int, object] = {}
    errors: list[str] = []
    closed_early = 0

    async def open_one(idx: int, url: str, token: str | None) -> None:
        async with sem:
            for attempt in range(5):
                try:
                    ws = await ws_connect(url, token)
                    hello = json.loads(await asyncio.wait_for(ws.recv(), 60))
                    if hello.get("type") != "hello":
                        raise RuntimeError(f"expected hello, got {hello}")
                    sockets[idx] = ws
                    return
                except Exception as exc:  # report and retry: a refused handshake is a figure too
                    errors.append(f"client {idx} attempt {attempt + 1}: {type(exc).__name__}: {exc}")
                    await asyncio.sleep(1)

    async def read(idx: int, ws) -> None:
        nonlocal closed_early
        try:
            async for raw in ws:
                t = time.time()
                message = json.loads(raw)
                if message.get("type") == "event":
                    event = message["event"]
                    if event.get("type") == "alert.created":
                        records.append((idx, event["alert"]["id"], t))
        except websockets.ConnectionClosed:
            pass
        if not stopping:
            closed_early += 1

    stopping = False
    await asyncio.gather(*(open_one(*spec) for spec in specs))
    conn.send(("connected", len(sockets), errors[:10]))
    readers = [asyncio.create_task(read(idx, ws)) for idx, ws in sockets.items()]
    while (command := await loop.run_in_executor(None, conn.recv)) != "stop":
        if command == "count":
            conn.send(("count", len(records)))
    stopping = True
    for ws in sockets.values():
        ws.transport.abort()
    await asyncio.gather(*readers, return_exceptions=True)
    conn.send(("done", records, {"closed_early": closed_early, "errors": len(errors)}))


# -- one scenario --------------------------------------------------------------------------
@dataclass
class Result:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    delivered: int = 0
    expected: int = 0
    duplicates: int = 0
    kb_per_conn: float = 0.0
    connected: int = 0
    post_ms: list[float] = field(default_factory=list)
    post_errors: int = 0
    sent: int = 0
    rate: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    notes: list[str] = field(default_factory=list)

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q)


def run_scenario(kind: str, args) -> Result:
    result = Result(kind)
    deployment = Deployment(
        kind, redis=args.redis, redis_url=args.redis_url, pg_url=args.pg_url, src=args.src, env=args.env
    )
    http = Http()
    workers: list[tuple[multiprocessing.Process, object]] = []
    try:
        if kind == "aircop":
            log(f"{kind}: migrate + demo in {deployment.var_dir}")
            deployment.prepare()
        servers = [deployment.serve() for _ in range(2 if args.redis else 1)]
        log(f"{kind}: {len(servers)} server(s) up: {', '.join(s.url for s in servers)}")

        # Units, users and tokens (AIRCOP) or unit numbers (baseline).
        rng = random.Random(args.seed)
        if kind == "aircop":
            probe = deployment.mint_tokens(["officer-dss"])["officer-dss"]
            codes = jaitf_units(http, servers[0].url, probe)
            if args.units > len(codes) - 1:
                raise SystemExit(f"--units: at most {len(codes) - 1} (one task force is left to send)")
            client_units = codes[: args.units]
            sender_users = [users_of(c)[0] for c in codes[args.units :]][:4]
            client_users = [
                users_of(client_units[i % args.units])[(i // args.units) % 2] for i in range(args.clients)
            ]
            log(f"{kind}: minting tokens for {len(set(client_users + sender_users))} users")
            tokens = deployment.mint_tokens(client_users + sender_users)
        else:
            client_units = list(range(args.units))
            sender_users, client_users, tokens = ["baseline"], [None] * args.clients, {None: None}

        def ws_url(i: int) -> str:
            server = servers[(i // args.units) % len(servers)]  # each unit's clients on every server
            if kind == "aircop":
                return f"{server.ws_base}/ws/events"
            return f"{server.ws_base}/ws?units={i % args.units}"

        failures: list[tuple[int, str]] = []

        def post(j: int, audience: list[int], server_index: int) -> tuple[int, float, float, int]:
            server = servers[server_index]
            if kind == "aircop":
                payload = {
                    "kind": "general",
                    "title": f"bench alert {j}",
                    "priority": "routine",
                    "tlp": "green",
                    "audience": [{"scope": "unit", "target": client_units[u]} for u in audience],
                }
                user = sender_users[j % len(sender_users)]
                t0 = time.time()
                status, body = http.request("POST", f"{server.url}/api/v1/alerts", tokens[user], payload)
            else:
                t0 = time.time()
                status, body = http.request(
                    "POST", f"{server.url}/send", None, {"id": j + 1, "units": audience}
                )
            t1 = time.time()
            alert_id = body["id"] if status == 201 and isinstance(body, dict) else -1
            if status != 201 and j >= 0:
                failures.append((status, str(body)[:200]))
            return alert_id, t0, t1, status

        # Warm the code paths, then memory before any client.
        for k in range(len(servers)):
            post(-1 - k, [0], k)

            async def touch(url: str, token: str | None) -> None:
                async with ws_connect(url, token) as ws:
                    await ws.recv()

            run_async(touch(ws_url(k * args.units), tokens[client_users[0]]))
        time.sleep(1.0)
        rss_before = deployment.rss_kb()

        # Clients.
        ctx = multiprocessing.get_context("spawn")
        per = [list(range(w, args.clients, args.client_procs)) for w in range(args.client_procs)]
        for share in per:
            parent, child = ctx.Pipe()
            specs = [(i, ws_url(i), tokens[client_users[i]]) for i in share]
            proc = ctx.Process(target=client_worker, args=(child, specs, args.connect_parallel), daemon=True)
            proc.start()
            workers.append((proc, parent))
        started = time.monotonic()
        for _proc, pipe in workers:
            _tag, count, errors = pipe.recv()
            result.connected += count
            for e in errors[:3]:
                result.notes.append(e)
        log(
            f"{kind}: {result.connected}/{args.clients} clients connected in {time.monotonic() - started:.1f} s"
        )
        time.sleep(2.0)
        rss_after = deployment.rss_kb()
        result.kb_per_conn = (rss_after - rss_before) / max(1, result.connected)

        # Send: open loop at the target rate; warm-up first, not counted.
        total_warm = int(args.warmup * args.rate)
        total = total_warm + int(args.seconds * args.rate)
        audiences = [rng.sample(range(args.units), args.audience) for _ in range(total)]
        futures = []
        cpu0 = wall0 = None
        profilers = []
        with ThreadPoolExecutor(64) as pool:
            start = time.monotonic() + 0.2
            for j in range(total):
                if j == total_warm:
                    cpu0 = (
                        [cpu_seconds(s.proc.pid) for s in servers],
                        [cpu_seconds(p.pid) for p, _ in workers],
                    )
                    wall0 = time.monotonic()
                    if args.py_spy and kind in args.profile:
                        profilers = [profile(args, kind, s, args.seconds) for s in servers]
                delay = start + j / args.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(post, j, audiences[j], j % len(servers)))
            cpu1 = [cpu_seconds(s.proc.pid) for s in servers], [cpu_seconds(p.pid) for p, _ in workers]
            wall1 = time.monotonic()
            sends = [f.result() for f in futures]
        result.server_cpu = (sum(cpu1[0]) - sum(cpu0[0])) / (wall1 - wall0) * 100
        result.client_cpu = (sum(cpu1[1]) - sum(cpu0[1])) / (wall1 - wall0) * 100
        # Wait until every expected delivery arrived, or no progress for --drain seconds.
        clients_per_unit = [0] * args.units
        for i in range(args.clients):
            clients_per_unit[i % args.units] += 1
        expected_all = sum(
            sum(clients_per_unit[u] for u in a) for a, s in zip(audiences, sends, strict=True) if s[3] == 201
        )
        last, last_change, drain_start = -1, time.monotonic(), time.monotonic()
        while True:
            for _proc, pipe in workers:
                pipe.send("count")
            got = sum(pipe.recv()[1] for _proc, pipe in workers)
            now = time.monotonic()
            if got != last:
                last, last_change = got, now
            if got >= expected_all or now - last_change > args.drain or now - drain_start > args.drain_max:
                break
            time.sleep(0.5)
        for proc, path in profilers:
            proc.wait(timeout=60)
            result.notes.append(f"py-spy profile (collapsed stacks): {path}")

        records: list[tuple[int, int, float]] = []
        for _proc, pipe in workers:
            pipe.send("stop")
        for _proc, pipe in workers:
            _tag, got, stats = pipe.recv()
            records.extend(got)
            if stats["closed_early"]:
                result.notes.append(
                    f"{stats['closed_early']} connections closed by the server during the run"
                )
        for proc, _pipe in workers:
            proc.join(10)

        # Latency per (recipient, alert) of the measured alerts.
        measured = {}
        units_of = {}
        for j, (alert_id, t0, t1, status) in enumerate(sends):
            if status != 201:
                result.post_errors += j >= total_warm
                continue
            if j >= total_warm:
                measured[alert_id] = t0
                units_of[alert_id] = audiences[j]
                result.post_ms.append((t1 - t0) * 1000)
        result.sent = len(measured)
        result.rate = result.sent / args.seconds
        result.expected = sum(sum(clients_per_unit[u] for u in units_of[a]) for a in measured)
        seen = set()
        for client, alert_id, t in records:
            if alert_id not in measured:
                continue
            if (client, alert_id) in seen:
                result.duplicates += 1
                continue
            seen.add((client, alert_id))
            result.latencies_ms.append((t - measured[alert_id]) * 1000)
        result.delivered = len(seen)
        # An alert that never arrived counts as infinitely late.
        result.latencies_ms.extend([math.inf] * max(0, result.expected - result.delivered))
        result.latencies_ms.sort()
        result.post_ms.sort()
        if failures:
            by_status = collections.Counter(status for status, _ in failures)
            result.notes.append(
                f"{len(failures)} POSTs failed ({result.post_errors} of them measured): {dict(by_status)}, "
                f"e.g. {failures[0][1]!r}"
            )
        return result
    finally:
        for proc, _pipe in workers:
            if proc.is_alive():
                proc.kill()
        deployment.stop()


def profile(args, kind: str, server, seconds: float):
    """py-spy record of one server process during the measured phase (collapsed stacks):
    every thread, idle ones included so that waits show, or with --profile-gil only the
    thread holding the GIL, which shows where the process's Python time goes."""
    Path(args.profile_dir).mkdir(parents=True, exist_ok=True)
    layout = "redis" if args.redis else "embedded"
    path = Path(args.profile_dir) / f"{kind}-{layout}{'-gil' if args.profile_gil else ''}-{server.port}.txt"
    argv = [args.py_spy, "record", "--pid", str(server.proc.pid), "--duration", str(int(seconds))]
    argv += ["--rate", "200", "--format", "raw", "--threads", "--nonblocking", "--output", str(path)]
    argv += ["--gil"] if args.profile_gil else ["--idle"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    return proc, path


def line(result: Result, args, baseline: Result | None) -> str:
    mode = "redis+pg, 2 procs" if args.redis else "embedded, 1 proc"
    text = (
        f"{result.name:8} {mode}: p50 {result.p(50):7.1f}  p95 {result.p(95):7.1f}  p99 {result.p(99):7.1f}  "
        f"max {(result.latencies_ms or [float('nan')])[-1]:7.1f} ms | delivered {result.delivered}/{result.expected}"
        f" dup {result.duplicates} | server {result.kb_per_conn:5.1f} KB/conn, CPU {result.server_cpu:3.0f}%"
        f" (clients {result.client_cpu:3.0f}%)"
        f" | POST p50 {percentile(result.post_ms, 50):.1f} p99 {percentile(result.post_ms, 99):.1f} ms,"
        f" {result.rate:.1f} alerts/s"
    )
    if baseline is not None:
        text += f" | p99 = {result.p(99) / baseline.p(99):.1f}x baseline"
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument(
        "--rate", type=float, default=None, help="alerts per second (default 20, 50 with --redis)"
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="measured sending time")
    parser.add_argument("--warmup", type=float, default=5.0, help="sending time before measuring")
    parser.add_argument(
        "--drain", type=float, default=5.0, help="stop waiting for deliveries after this long without one"
    )
    parser.add_argument(
        "--drain-max", type=float, default=60.0, help="longest wait for deliveries after the last POST"
    )
    parser.add_argument("--audience", type=int, default=3, help="units per alert, chosen at random")
    parser.add_argument("--redis", action="store_true", help="2 server processes, PostgreSQL + Redis pub/sub")
    parser.add_argument("--redis-url", help="use this Redis instead of a private redis-server")
    parser.add_argument("--pg-url", help="PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/)")
    parser.add_argument("--src", help="run AIRCOP from this source tree (its src/), e.g. to compare a change")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="extra server setting"
    )
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument(
        "--connect-parallel", type=int, default=16, help="handshakes in flight per client process"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["baseline", "aircop"], help="run one side only")
    parser.add_argument("--py-spy", metavar="PATH", help="py-spy binary: profile the servers while measuring")
    parser.add_argument("--profile", default="aircop", help="which side to profile: aircop, baseline or both")
    parser.add_argument("--profile-gil", action="store_true", help="sample only the thread holding the GIL")
    parser.add_argument("--profile-dir", default=str(Path(tempfile.gettempdir()) / "aircop-bench-profiles"))
    args = parser.parse_args(argv)
    args.profile = ["aircop", "baseline"] if args.profile == "both" else [args.profile]
    target_rate, target_p99 = TARGETS[args.redis]
    if args.rate is None:
        args.rate = target_rate
    raise_nofile()

    print(describe_machine())
    print(f"code: {code_version(args.src)}")
    print(
        f"fanout: {args.clients} clients over {args.units} units, {args.client_procs} client processes; "
        f"{args.rate:g} alerts/s for {args.seconds:g} s (+{args.warmup:g} s warm-up); each alert to "
        f"{args.audience} random units of the {args.units} (~{args.clients / args.units * args.audience:.1f} "
        f"recipients); kind general, priority routine, tlp green"
    )
    sys.stdout.flush()
    results = {}
    for kind in ("baseline", "aircop"):
        if args.only and args.only != kind:
            continue
        results[kind] = run_scenario(kind, args)
        print(line(results[kind], args, results.get("baseline") if kind == "aircop" else None), flush=True)
        for note in results[kind].notes:
            print(f"         note: {note}")
    if "aircop" in results:
        r = results["aircop"]
        if args.rate == target_rate:
            verdict = "met" if r.p(99) < target_p99 else "MISSED"
            print(f"target: p99 < {target_p99:g} ms at {target_rate:g} alerts/s: {verdict}")
        print(f"load average now {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
