"""Reliability of live delivery: alerts sent while WebSocket clients come and go at random.

    .venv/bin/python -m bench.reliability                # embedded: 1 process, SQLite, in-memory layer
    .venv/bin/python -m bench.reliability --redis        # 2 processes, PostgreSQL + Redis pub/sub

--clients (default 100) clients, as a mix of demo users (task-force officers and heads,
national coordinators, liaison officers, airline contacts, the analyst; about one user in
five has two connections), connect to the server(s). Then --senders users send --alerts
alerts (default 2,000) at --rate per second in total, each to a random audience: named
units, a country, a region, a group, a unit plus a country, or rarely the whole network,
with a TLP label that allows it. Meanwhile every client stays connected for a random time
(exponential, mean --online seconds) or, for a share of connections (--cut-mid-stream),
only until it has read 1 to 5 messages; it disconnects (half the time cleanly, half by
dropping the TCP connection), stays away up to --offline seconds and resumes with
``?after=<cursor>&have=<ids above the cursor it holds>``, keeping the cursor of every
message it reads, as consumers.py describes. A client's first connection always waits for
its hello: the run starts once every client holds a cursor. After the last alert every
client reconnects; the run ends when all are back and no event has arrived for --settle
seconds.

Then, for each client, the alerts it is entitled to are what GET /api/v1/alerts lists for
its user (the database is fresh: every alert in it was sent by this run), and the alerts it
received are its alert.created events:
  lost = entitled - received, duplicated = events received more than once (by event id),
  leaked = received - entitled.
A measurement, not a test: the exit code is 0 whatever the counts."""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import math
import multiprocessing
import random
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import (
    Deployment,
    Http,
    code_version,
    describe_machine,
    log,
    percentile,
    raise_nofile,
    run_async,
    ws_connect,
)

POLL_WAIT = 10  # seconds a long-poll client asks the server to wait (live.js: 25)
SENDERS = ["officer-dss", "head-bog", "coordinator-ng", "liaison-gh", "airline-et", "officer-cdg", "head-los"]
UNITS_ONLY_ROLES = ("liaison-", "airline-")  # may address named units only


# -- clients -------------------------------------------------------------------------------
class Client:
    def __init__(self, idx: int, user: str, token: str, url: str):
        self.idx, self.user, self.token, self.url = idx, user, token, url
        self.cursor: int | None = None
        self.have: set[int] = set()
        # event id, type, alert id, session, cursor carried by the message
        self.events: list[tuple[int, str, int | None, int, int | None]] = []
        # (session, index in events at that point, cursor) for every message that moved the cursor
        self.cursors: list[tuple[int, int, int, str]] = []
        self.sessions: list[dict] = []
        self.failures = 0
        self.cursor_went_back = 0
        self.online = False  # connected and greeted

    def resume_url(self) -> str:
        if self.cursor is None:
            return self.url
        query = f"?after={self.cursor}"
        if self.have:
            query += "&have=" + ",".join(str(i) for i in sorted(self.have))
        return self.url + query

    @property
    def polls(self) -> bool:
        """A long-poll client (GET /api/v1/events) rather than a WebSocket one."""
        return self.url.startswith("http")

    def poll_url(self, wait: int) -> str:
        if self.cursor is None:
            return self.url
        return f"{self.resume_url()}&wait={wait}"

    def handle(self, raw: str) -> None:
        self.handle_message(json.loads(raw))

    def handle_poll(self, answer: dict) -> None:
        """A long-poll answer: its events, then its cursor (which comes after all of them)."""
        for event in answer["events"]:
            self.handle_message({"type": "event", "event": event})
        self.handle_message({"type": "hello" if not self.online else "poll", "cursor": answer["cursor"]})

    def handle_message(self, message: dict) -> None:
        cursor = message.get("cursor")
        if message.get("type") == "hello":
            self.online = True
        if message.get("type") == "event":
            event = message["event"]
            alert = event.get("alert") or {}
            self.events.append((event["id"], event["type"], alert.get("id"), len(self.sessions) - 1, cursor))
            if cursor is None or event["id"] > cursor:
                self.have.add(event["id"])
        if cursor is not None:
            if self.cursor is not None and cursor < self.cursor:
                self.cursor_went_back += 1
            if cursor != self.cursor:
                self.cursors.append((len(self.sessions) - 1, len(self.events), cursor, message.get("type")))
            self.cursor = cursor
            self.have = {i for i in self.have if i > cursor}
        self.sessions[-1]["last_cursor"] = self.cursor

    def report(self) -> dict:
        return {
            "idx": self.idx,
            "user": self.user,
            "longpoll": self.polls,
            "events": self.events,
            "cursors": self.cursors,
            "sessions": self.sessions,
            "failures": self.failures,
            "cursor_went_back": self.cursor_went_back,
        }


def listable_alerts(get, user: str, token: str, after_id: int = 0) -> set[int]:
    """Ids above ``after_id`` of the alerts ``user`` may list (GET /api/v1/alerts, paged);
    ``get(path, token)`` answers (status, parsed body)."""
    ids: set[int] = set()
    offset = 0
    while True:
        status, page = get(f"/api/v1/alerts?limit=200&offset={offset}", token)
        if status != 200:
            raise RuntimeError(f"GET /api/v1/alerts as {user}: {status} {page}")
        ids.update(a["id"] for a in page if a["id"] > after_id)
        if len(page) < 200:
            return ids
        offset += 200


def compare_delivery(report: dict, entitled: set[int], after_id: int = 0):
    """(lost, leaked, events received per id) of one client: the alerts above ``after_id`` it
    may list against the alert.created events it received."""
    counts = collections.Counter(e[0] for e in report["events"])
    received = {e[2] for e in report["events"] if e[1] == "alert.created" and e[2] and e[2] > after_id}
    return entitled - received, received - entitled, counts


def client_worker(conn, specs: list[tuple[int, str, str, str]], args: dict) -> None:
    raise_nofile()
    run_async(_client_main(conn, specs, args))


async def _client_main(conn, specs, args: dict) -> None:
    import websockets

    loop = asyncio.get_running_loop()
    rng = random.Random(args["seed"] * 1000 + specs[0][0])
    clients = [Client(*spec) for spec in specs]
    state = {"mode": "churn"}
    settle = asyncio.Event()
    stop = asyncio.Event()
    ready = asyncio.Semaphore(0)
    handshakes = asyncio.Semaphore(args["connect_parallel"])
    open_sockets: dict[int, object] = {}

    async def run(client: Client) -> None:
        first = True
        while not stop.is_set():
            url = client.resume_url()
            attempt = time.time()
            try:
                async with handshakes:
                    ws = await ws_connect(url, client.token, open_timeout=60)
            except Exception as exc:  # a refused or timed-out handshake: try again shortly
                client.failures += 1
                client.sessions.append({"t": time.time(), "failed": f"{type(exc).__name__}: {exc}"[:200]})
                await asyncio.sleep(rng.uniform(0.2, 1.0))
                continue
            open_sockets[client.idx] = ws
            client.sessions.append(
                {
                    "t": time.time(),
                    "handshake_s": round(time.time() - attempt, 3),
                    "after": client.cursor,
                    "have": sorted(client.have),
                    "url": url,
                }
            )
            if first:
                # A client is entitled to alerts from its first hello on: it needs that
                # cursor before it may drop the connection, or it has nothing to resume from.
                try:
                    client.handle(await asyncio.wait_for(ws.recv(), 60))
                except (TimeoutError, websockets.ConnectionClosed):
                    client.sessions[-1]["failed"] = "no hello"
                    ws.transport.abort()
                    continue
                first = False
                ready.release()
            # The connection drops after a random time or, sometimes, right after a random
            # few messages (mid-stream, e.g. in the middle of a catch-up).
            online = rng.expovariate(1 / args["online"])
            end = loop.time() + online
            cut_after = rng.randint(1, 5) if rng.random() < args["cut_mid_stream"] else None
            client.sessions[-1]["plan"] = f"{cut_after} messages" if cut_after else f"{online:.2f} s"
            read = 0
            reason = "server"
            try:
                while True:
                    if state["mode"] == "churn":
                        timeout = end - loop.time()
                        if timeout <= 0 or (cut_after is not None and read >= cut_after):
                            reason = "planned"
                            break
                        try:
                            raw = await asyncio.wait_for(ws.recv(), timeout)
                        except TimeoutError:
                            continue
                    else:
                        raw = await ws.recv()
                    client.handle(raw)
                    read += 1
            except websockets.ConnectionClosed:
                reason = "stop" if stop.is_set() else "server"
            client.online = False
            client.sessions[-1]["end"] = time.time()
            client.sessions[-1]["reason"] = reason
            open_sockets.pop(client.idx, None)
            if reason == "planned":
                if rng.random() < 0.5:
                    client.sessions[-1]["how"] = "abort"
                    ws.transport.abort()
                else:
                    client.sessions[-1]["how"] = "close"
                    with contextlib.suppress(Exception):  # a failed close is still a disconnect
                        await ws.close()
                # Away for a while, unless the run is settling.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(settle.wait(), rng.uniform(0, args["offline"]))
            elif reason == "server" and not stop.is_set():
                client.sessions[-1]["how"] = "closed by server"
                await asyncio.sleep(rng.uniform(0.1, 0.5))

    pollers = [c for c in clients if c.polls]
    http_threads = ThreadPoolExecutor(max_workers=len(pollers) + 1) if pollers else None

    def get(url: str, token: str, timeout: float):
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the run's server
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:
            return 0, f"{type(exc).__name__}: {exc}"[:200]

    async def poll(client: Client) -> None:
        """The long-poll fallback as live.js runs it: wait up to POLL_WAIT s for events after
        the cursor; after an error (none, 502, 503), wait a little and ask again from the
        same cursor."""
        client.sessions.append({"t": time.time(), "after": None, "url": client.url})
        first = True
        while not stop.is_set():
            status, answer = await loop.run_in_executor(
                http_threads, get, client.poll_url(POLL_WAIT), client.token, POLL_WAIT + 30
            )
            if status != 200:
                client.failures += 1
                client.sessions[-1]["end"] = time.time()
                client.sessions[-1]["reason"] = f"{status} {answer}"[:200]
                client.sessions.append({"t": time.time(), "after": client.cursor, "url": client.url})
                await asyncio.sleep(rng.uniform(0.5, 1.5))
                continue
            client.handle_poll(answer)
            if first:
                first = False
                ready.release()

    tasks = [asyncio.create_task(poll(c) if c.polls else run(c)) for c in clients]
    for _ in clients:
        await ready.acquire()
    conn.send(("ready", len(clients)))
    while (command := await loop.run_in_executor(None, conn.recv)) != "stop":
        if command == "settle":
            state["mode"] = "settle"
            settle.set()
        elif command == "status":
            conn.send(("status", sum(c.online for c in clients), sum(len(c.events) for c in clients)))
    stop.set()
    for ws in list(open_sockets.values()):
        ws.transport.abort()
    await asyncio.wait(tasks, timeout=POLL_WAIT + 30)
    if http_threads:
        http_threads.shutdown(wait=False, cancel_futures=True)
    conn.send(("done", [c.report() for c in clients]))


# -- audiences -----------------------------------------------------------------------------
class Directory:
    def __init__(self, units: list[dict], groups: list[dict]):
        self.units = sorted(u["code"] for u in units)
        self.countries = sorted({u["country"] for u in units if u["kind"] in ("jaitf", "national_hq")})
        self.regions = sorted({u["region"] for u in units if u.get("region")})
        self.groups = sorted(g["slug"] for g in groups)

    def audience(self, rng: random.Random, sender: str) -> tuple[list[dict], str]:
        def units(k: int) -> list[dict]:
            return [{"scope": "unit", "target": u} for u in rng.sample(self.units, k)]

        if sender.startswith(UNITS_ONLY_ROLES):
            return units(rng.randint(1, 4)), rng.choice(["green", "amber", "amber_strict", "red"])
        r = rng.random()
        if r < 0.40:
            return units(rng.randint(1, 4)), rng.choice(["clear", "green", "amber", "amber_strict", "red"])
        if r < 0.60:
            return [{"scope": "country", "target": rng.choice(self.countries)}], rng.choice(
                ["green", "amber", "amber_strict"]
            )
        if r < 0.75:
            return [{"scope": "group", "target": rng.choice(self.groups)}], rng.choice(
                ["green", "amber", "amber_strict"]
            )
        if r < 0.88:
            return [{"scope": "region", "target": rng.choice(self.regions)}], rng.choice(["green", "amber"])
        if r < 0.97:
            return units(1) + [{"scope": "country", "target": rng.choice(self.countries)}], "amber"
        return [{"scope": "network"}], rng.choice(["clear", "green"])


# Users who hear of fewer alerts than a task force: national headquarters (countries and
# broad audiences), liaison posts, airline contacts and the programme unit (named units only).
SPECIAL_USERS = [f"coordinator-{c}" for c in ("sn", "tg", "ng", "co", "do", "jo")] + [
    "liaison-sn",
    "liaison-gh",
    "liaison-co",
    "airline-af",
    "airline-et",
    "airline-at",
    "analyst",
]


# -- the run -------------------------------------------------------------------------------
def run(args) -> dict:
    rng = random.Random(args.seed)
    deployment = Deployment(
        "aircop", redis=args.redis, redis_url=args.redis_url, pg_url=args.pg_url, src=args.src, env=args.env
    )
    http = Http()
    workers = []
    try:
        log(f"migrate + demo in {deployment.var_dir}")
        deployment.prepare()
        servers = [deployment.serve() for _ in range(2 if args.redis else 1)]
        log(f"{len(servers)} server(s) up: {', '.join(s.url for s in servers)}")
        probe = deployment.mint_tokens(["analyst"])["analyst"]
        status, units = http.request("GET", f"{servers[0].url}/api/v1/units", probe)
        status2, groups = http.request("GET", f"{servers[0].url}/api/v1/groups", probe)
        if status != 200 or status2 != 200:
            raise RuntimeError(f"directory: {status} {status2}")
        directory = Directory(units, groups)

        # Who connects: special roles first, then task-force officers and heads.
        special = list(SPECIAL_USERS)
        jaitf_users = [
            f"{role}-{u.removeprefix('jaitf-')}"
            for u in directory.units
            if u.startswith("jaitf-")
            for role in ("officer", "head")
        ]
        rng.shuffle(jaitf_users)
        distinct = math.ceil(args.clients * 0.8)
        pool = (special + jaitf_users)[:distinct]
        users = pool + [pool[i % len(pool)] for i in range(args.clients - len(pool))]
        senders = SENDERS[: args.senders]
        log(f"minting tokens for {len(set(users + senders))} users")
        tokens = deployment.mint_tokens(users + senders)

        ctx = multiprocessing.get_context("spawn")
        worker_args = {
            "seed": args.seed,
            "online": args.online,
            "offline": args.offline,
            "connect_parallel": args.connect_parallel,
            "cut_mid_stream": args.cut_mid_stream,
        }
        for w in range(args.client_procs):
            share = list(range(w, args.clients, args.client_procs))
            specs = [
                (i, users[i], tokens[users[i]], f"{servers[i % len(servers)].ws_base}/ws/events")
                for i in share
            ]
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=client_worker, args=(child, specs, worker_args), daemon=True)
            proc.start()
            workers.append((proc, parent))
        for _proc, pipe in workers:
            assert pipe.recv()[0] == "ready"
        log(
            f"{args.clients} clients connected; sending {args.alerts} alerts at {args.rate:g}/s while they churn"
        )

        def get(path: str, token: str):
            return http.request("GET", f"{servers[0].url}{path}", token)

        # Alerts from before the stream (the demo's joint operations have some) are not counted.
        baseline = max(
            (max(ids, default=0) for ids in (listable_alerts(get, u, tokens[u]) for u in sorted(set(users)))),
            default=0,
        )

        # Senders.
        plan = []
        for j in range(args.alerts):
            sender = senders[j % len(senders)]
            audience, tlp = directory.audience(rng, sender)
            plan.append((sender, audience, tlp))

        def send(j: int):
            sender, audience, tlp = plan[j]
            payload = {
                "kind": "general",
                "title": f"reliability {j}",
                "priority": "routine",
                "tlp": tlp,
                "audience": audience,
            }
            status, body = http.request(
                "POST", f"{servers[j % len(servers)].url}/api/v1/alerts", tokens[sender], payload
            )
            return status, body

        started = time.monotonic()
        with ThreadPoolExecutor(args.senders * 4) as pool_:
            futures = []
            for j in range(args.alerts):
                delay = started + j / args.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool_.submit(send, j))
            outcomes = [f.result() for f in futures]
        elapsed = time.monotonic() - started
        statuses = collections.Counter(status for status, _ in outcomes)
        log(f"sent in {elapsed:.1f} s: {dict(statuses)}; every client reconnects")
        for _proc, pipe in workers:
            pipe.send("settle")
        # Settled: every client connected and greeted, then no event for --settle seconds.
        settle_start = time.monotonic()
        all_online_at = None
        last, last_change = -1, time.monotonic()
        while time.monotonic() - settle_start < args.settle_max:
            time.sleep(0.5)
            for _proc, pipe in workers:
                pipe.send("status")
            replies = [pipe.recv() for _proc, pipe in workers]
            online, events = sum(r[1] for r in replies), sum(r[2] for r in replies)
            if events != last:
                last, last_change = events, time.monotonic()
            if online == args.clients and all_online_at is None:
                all_online_at = time.monotonic() - settle_start
            if all_online_at is not None and time.monotonic() - last_change >= args.settle:
                break
        settled = all_online_at is not None and time.monotonic() - last_change >= args.settle
        log(
            f"all clients back after {all_online_at if all_online_at is not None else float('nan'):.1f} s; "
            + ("settled" if settled else f"NOT settled after {args.settle_max:g} s")
        )
        for _proc, pipe in workers:
            pipe.send("stop")
        reports = []
        for _proc, pipe in workers:
            tag, got = pipe.recv()
            reports.extend(got)
        for proc, _pipe in workers:
            proc.join(10)

        # Entitlement: what each user may list.
        entitled = {user: listable_alerts(get, user, tokens[user], baseline) for user in sorted(set(users))}

        lost = duplicated = leaked = 0
        examples = []
        event_ids: dict[str, dict[int, int]] = {}

        def event_of(user: str, alert_id: int) -> int | None:
            """The id of an alert's alert.created event, from the long-poll catch-up."""
            if user not in event_ids:
                status, body = http.request("GET", f"{servers[0].url}/api/v1/events?after=0", tokens[user])
                event_ids[user] = {
                    e["alert"]["id"]: e["id"]
                    for e in (body or {}).get("events", [])
                    if e["type"] == "alert.created"
                }
            return event_ids[user].get(alert_id)

        def why_lost(report: dict, alert_id: int) -> str:
            """Which message moved the client's cursor past the lost event before it arrived."""
            event_id = event_of(report["user"], alert_id)
            if event_id is None:
                return f"alert {alert_id}: no alert.created event found"
            for session, position, cursor, kind in report["cursors"]:
                if cursor >= event_id:
                    carried = report["events"][position - 1] if kind == "event" else None
                    later = [e[0] for e in report["events"][position:] if e[3] == session]
                    info = report["sessions"][session]
                    return (
                        f"event {event_id} (alert {alert_id}): the cursor passed it in session {session} with a "
                        f"{kind} message"
                        + (f" for event {carried[0]}" if carried else "")
                        + f" (cursor {cursor}); "
                        f"that session then received {later[:5]} and ended ({info.get('reason')}, {info.get('how')})"
                    )
            return f"event {event_id} (alert {alert_id}): the cursor never passed it"

        for report in reports:
            lost_ids, leaked_ids, counts = compare_delivery(report, entitled[report["user"]], baseline)
            dup = sum(c - 1 for c in counts.values() if c > 1)
            lost += len(lost_ids)
            duplicated += dup
            leaked += len(leaked_ids)
            if lost_ids or leaked_ids or dup:
                examples.append(
                    {
                        "client": report["idx"],
                        "user": report["user"],
                        "lost": sorted(lost_ids),
                        "leaked": sorted(leaked_ids),
                        "duplicated": sorted(e for e, c in counts.items() if c > 1),
                        "why_lost": [why_lost(report, a) for a in sorted(lost_ids)[:3]],
                    }
                )
        sessions = sum(len([s for s in r["sessions"] if "failed" not in s]) for r in reports)
        handshakes = sorted(s["handshake_s"] for r in reports for s in r["sessions"] if "handshake_s" in s)
        failures = sum(r["failures"] for r in reports)
        by_server = sum(1 for r in reports for s in r["sessions"] if s.get("reason") == "server")
        result = {
            "mode": "redis+pg, 2 procs" if args.redis else "embedded, 1 proc",
            "reconnect_seconds": round(all_online_at, 1) if all_online_at is not None else None,
            "settled": settled,
            "clients": args.clients,
            "alerts_sent": statuses.get(201, 0),
            "refused": args.alerts - statuses.get(201, 0),
            "statuses": dict(statuses),
            "send_seconds": round(elapsed, 1),
            "reconnects": sessions - args.clients,
            "failed_handshakes": failures,
            "handshake_p50_s": percentile(handshakes, 50),
            "handshake_p99_s": percentile(handshakes, 99),
            "handshake_max_s": handshakes[-1] if handshakes else None,
            "closed_by_server": by_server,
            "deliveries": sum(len(r["events"]) for r in reports),
            "entitled": sum(len(entitled[r["user"]]) for r in reports),
            "cursor_went_back": sum(r["cursor_went_back"] for r in reports),
            "lost": lost,
            "duplicated": duplicated,
            "leaked": leaked,
            "examples": examples[:20],
        }
        if args.dump:
            Path(args.dump).write_text(json.dumps({"result": result, "reports": reports}, indent=1))
        return result
    finally:
        for proc, _pipe in workers:
            if proc.is_alive():
                proc.kill()
        deployment.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--senders", type=int, default=len(SENDERS), help=f"at most {len(SENDERS)}")
    parser.add_argument("--rate", type=float, default=25.0, help="alerts per second, all senders together")
    parser.add_argument("--online", type=float, default=3.0, help="mean seconds connected between cuts")
    parser.add_argument(
        "--cut-mid-stream",
        type=float,
        default=0.25,
        help="share of connections that drop right after 1-5 messages instead of after a random time",
    )
    parser.add_argument("--offline", type=float, default=1.5, help="longest time away")
    parser.add_argument(
        "--settle", type=float, default=8.0, help="at the end: seconds without an event once all are back"
    )
    parser.add_argument(
        "--settle-max", type=float, default=300.0, help="longest wait for the clients to settle"
    )
    parser.add_argument("--redis", action="store_true", help="2 server processes, PostgreSQL + Redis pub/sub")
    parser.add_argument("--redis-url", help="use this Redis instead of a private redis-server")
    parser.add_argument("--pg-url", help="PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/)")
    parser.add_argument("--src", help="run AIRCOP from this source tree (its src/), e.g. to compare a change")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="extra server setting"
    )
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--connect-parallel", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dump", help="write every client's sessions and events to this JSON file")
    args = parser.parse_args(argv)
    args.senders = max(1, min(args.senders, len(SENDERS)))
    raise_nofile()
    print(describe_machine())
    print(f"code: {code_version(args.src)}", flush=True)
    r = run(args)
    print(
        f"reliability {r['mode']}: {r['clients']} clients, {r['alerts_sent']} alerts sent "
        f"({r['refused']} refused) in {r['send_seconds']} s, {r['reconnects']} reconnects "
        f"({r['closed_by_server']} closed by the server, {r['failed_handshakes']} failed handshakes), "
        f"{r['deliveries']} events delivered for {r['entitled']} entitled; WebSocket handshake p50 "
        f"{r['handshake_p50_s']:.2f} s, p99 {r['handshake_p99_s']:.2f} s, max {r['handshake_max_s']:.2f} s"
    )
    print(
        f"at the end all clients were back after {r['reconnect_seconds']} s"
        + ("" if r["settled"] else f" but deliveries had not settled after {args.settle_max:g} s")
    )
    print(f"lost {r['lost']}  duplicated {r['duplicated']}  leaked {r['leaked']}", flush=True)
    if r["cursor_went_back"]:
        print(f"note: the cursor went backwards {r['cursor_went_back']} times")
    for example in r["examples"][:5]:
        why = example.pop("why_lost")
        print(f"  client {example['client']} ({example['user']}): {json.dumps(example)[:300]}")
        for reason in why:
            print(f"    {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
