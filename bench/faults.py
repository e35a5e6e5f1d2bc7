"""Faults under load: the production topology (nginx → `aircop serve --workers 2`, `aircop
worker`, PostgreSQL, Redis; started by `aircop production`) receives a stream of alerts,
passenger-data uploads and attachments while live clients listen on /ws/events, and the
run injects, in turn:

  1. kill -9 of one web worker process (uvicorn's supervisor starts another);
  2. a Redis restart (stopped, 3 s down, started empty);
  3. a PostgreSQL restart (pg_ctl restart -m fast: every connection cut);
  4. the attachment store's disk filled for 10 s, then freed.

    .venv/bin/python -m bench.faults                  # about 4 minutes
    .venv/bin/python -m bench.faults --seconds 60 --clients 30

PostgreSQL, Redis and the attachment disk are the run's own (a private cluster started as
the postgres user, a private redis-server, a tmpfs), so restarting them disturbs nothing else
on the machine; it needs root for the tmpfs and to start PostgreSQL as postgres.

After the stream, every background task has finished and the clients have reconnected and
settled. Then it counts:
- alerts: for every client, the alerts of this run it may list (GET /api/v1/alerts as its
  user) against the alert.created events it received: lost, duplicated, leaked. Each alert
  carries an Idempotency-Key and is sent again under it while the answer is none, 502, 503 or
  504 (--no-resend: once, without a key); the database must then hold each alert answered
  200/201 exactly once. Alerts whose last answer was an error are looked up: committed or not;
- uploads: every PAXLST sent is either stored whole (its message row says so and the flight
  holds every traveller of the file) or absent; half-stored ones are counted;
- attachments: every row has its file, with the SHA-256 recorded; no file in the store
  without its row (a partly written or orphaned file);
- the audit chain: `aircop audit verify`.
A measurement, not a test: the exit code is 1 when anything was lost (an alert not delivered,
an upload accepted with 202 and never stored), duplicated, leaked or half-stored, when a task
never finished, or when the chain does not verify; else 0."""

from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from aircop.web.production import web_workers
from bench.common import (
    AIRCOP_BIN,
    PrivateRedis,
    code_version,
    describe_machine,
    free_port,
    log,
    raise_nofile,
)
from bench.edifact_corpus import paxlst
from bench.fault_kit import (
    Https,
    PrivatePostgres,
    SmallDisk,
    kill9,
    multipart,
    png,
    wait_for,
)
from bench.reliability import (
    SENDERS,
    SPECIAL_USERS,
    Directory,
    client_worker,
    compare_delivery,
    listable_alerts,
)

UPLOADER = "airline-et"
ATTACHER = "officer-dss"
RESEND_ON = (0, 502, 503, 504)  # no answer, or one that says nothing was done or it is unknown
RESENDS = 10
INGEST_BASE = 700_000  # PAXLST interchange numbers of this run (the demo uses small ones)


class Run:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.folder = Path(tempfile.mkdtemp(prefix="aircop-faults-"))
        self.var = self.folder / "var"
        self.var.mkdir()
        self.stop_stream = threading.Event()
        self.t0 = 0.0
        self.alerts: dict[int, dict] = {}
        self.uploads: dict[int, dict] = {}
        self.attachments: list[dict] = []
        self.faults: list[dict] = []
        self.lock = threading.Lock()
        self.pg = self.redis = self.disk = self.production = None

    # -- set-up ---------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIRCOP_")}
        env.update(
            AIRCOP_VAR_DIR=str(self.var),
            AIRCOP_DATABASE_URL=self.pg.url,
            AIRCOP_REDIS_URL=self.redis.url,
            AIRCOP_RATE_LIMITS="off",
            AIRCOP_LOG_FORMAT="json",
        )
        return env

    def aircop(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603 - our own command
            [str(AIRCOP_BIN), *argv], env=self.env(), capture_output=True, text=True, timeout=600
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"aircop {' '.join(argv)}: {result.stderr.strip()[-2000:]}")
        return result

    def sql(self, query: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.pg.url) as conn:
            return conn.execute(query, params).fetchall()

    def start(self) -> None:
        log(f"private PostgreSQL, Redis and a {self.args.store_mb} MB attachment disk in {self.folder}")
        self.pg = PrivatePostgres(self.folder / "db")
        self.redis = PrivateRedis(self.folder)
        self.disk = SmallDisk(self.var / "files", self.args.store_mb)
        if not self.disk.mounted:
            log(f"no tmpfs ({self.disk.reason}): the full-disk fault will be SKIPPED")
        self.port, self.app_port = free_port(), free_port()
        self.production_log = self.folder / "production.log"
        self.production = subprocess.Popen(  # noqa: S603 - our own command
            [
                str(AIRCOP_BIN),
                "production",
                "--demo",
                "--workers",
                "2",
                "--port",
                str(self.port),
                "--app-port",
                str(self.app_port),
            ],
            env=self.env(),
            stdout=open(self.production_log, "w"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        state_file = self.var / "run" / "production.json"
        if not wait_for(lambda: state_file.exists(), 300):
            raise RuntimeError(f"aircop production did not start: {self.production_log.read_text()[-3000:]}")
        self.state = json.loads(state_file.read_text())
        self.cafile = str(self.var / "tls" / "cert.pem")
        self.https = Https(self.state["url"], self.cafile)
        log(f"topology up on {self.state['url']} (web supervisor {self.state['processes']['web']['pid']})")

    def mint_tokens(self, users: list[str]) -> dict[str, str]:
        """API tokens for many users in one process (`aircop token` once per user costs a
        process start each)."""
        code = (
            "import json\n"
            "from aircop.accounts.models import User\n"
            "from aircop.accounts.services import create_token\n"
            f"names = {sorted(set(users))!r}\n"
            "print(json.dumps({n: create_token(actor=None, user=User.objects.get(username=n), days=1)[1]"
            " for n in names}))\n"
        )
        out = self.aircop("shell", "-c", code).stdout.strip().splitlines()[-1]
        return json.loads(out)

    def healthy(self) -> bool:
        status, _ = Https(self.state["url"], self.cafile).request("GET", "/healthz", "none")
        return status == 200

    # -- the stream -----------------------------------------------------------------------
    def send_alerts(self, sender: str, js: list[int]) -> None:
        for j in js:
            at = self.t0 + j / self.args.rate
            delay = at - time.monotonic()
            if delay > 0 and self.stop_stream.wait(delay):
                return
            audience, tlp = self.plan[j]
            title = f"fault run alert {j}"
            payload = {
                "kind": "general",
                "title": title,
                "priority": "routine",
                "tlp": tlp,
                "audience": audience,
            }
            key = f"faults-{self.args.seed}-{j}"
            attempts = []
            while True:  # resent under the same Idempotency-Key while no answer says what happened
                status, body = self.https.request(
                    "POST",
                    "/api/v1/alerts",
                    self.tokens[sender],
                    payload=payload,
                    headers={"Idempotency-Key": key} if self.args.resend else None,
                )
                attempts.append(status)
                if not self.args.resend or status not in RESEND_ON or len(attempts) > RESENDS:
                    break
                time.sleep(1.0)
            with self.lock:
                self.alerts[j] = {
                    "t": round(time.monotonic() - self.t0, 2),
                    "sender": sender,
                    "status": status,
                    "attempts": attempts,
                    "id": body.get("id") if isinstance(body, dict) and status in (200, 201) else None,
                    "error": None if status in (200, 201) else str(body)[:200],
                }

    def send_uploads(self) -> None:
        j = 0
        while not self.stop_stream.wait(self.args.ingest_every):
            text = paxlst(INGEST_BASE + j, travellers=self.args.travellers, seed=self.args.seed)
            status, body = self.https.request(
                "POST",
                f"/api/v1/passenger-data?name=fault-{j}.edi",
                self.tokens[UPLOADER],
                body=text.encode(),
                content_type="text/plain",
            )
            with self.lock:
                self.uploads[j] = {
                    "t": round(time.monotonic() - self.t0, 2),
                    "status": status,
                    "task": body.get("id") if isinstance(body, dict) and status == 202 else None,
                    "error": None if status == 202 else str(body)[:200],
                }
            j += 1

    def send_attachments(self) -> None:
        k = 0
        while not self.stop_stream.wait(self.args.attach_every):
            with self.lock:
                own = [a["id"] for a in self.alerts.values() if a["sender"] == ATTACHER and a["id"]]
            if not own:
                continue
            data = png(k)
            body, content_type = multipart("file", f"photo-{k}.png", data, "image/png")
            status, answer = self.https.request(
                "POST",
                f"/api/v1/alerts/{own[-1]}/attachments",
                self.tokens[ATTACHER],
                body=body,
                content_type=content_type,
            )
            with self.lock:
                self.attachments.append(
                    {
                        "t": round(time.monotonic() - self.t0, 2),
                        "status": status,
                        "sha256": hashlib.sha256(data).hexdigest(),
                        "id": answer.get("id") if isinstance(answer, dict) and status == 201 else None,
                        "error": None if status == 201 else str(answer)[:200],
                    }
                )
            k += 1

    def inject(self) -> None:
        schedule = [
            (self.args.seconds * 0.12, "kill -9 a web worker", self.fault_kill_worker),
            (self.args.seconds * 0.32, "restart Redis", self.fault_redis),
            (self.args.seconds * 0.52, "restart PostgreSQL", self.fault_postgres),
            (self.args.seconds * 0.72, "fill the attachment disk", self.fault_disk),
        ]
        for at, name, action in schedule:
            if self.stop_stream.wait(max(0.0, self.t0 + at - time.monotonic())):
                return
            started = time.monotonic()
            log(f"fault: {name}")
            detail = action()
            recovered = wait_for(self.healthy, 120, 0.25)
            self.faults.append(
                {
                    "fault": name,
                    "t": round(started - self.t0, 1),
                    "detail": detail,
                    "healthy_again_s": round(time.monotonic() - started, 1) if recovered else None,
                }
            )
            log(f"fault: {name}: {detail}; healthy again after {self.faults[-1]['healthy_again_s']} s")

    def fault_kill_worker(self) -> str:
        supervisor = self.state["processes"]["web"]["pid"]
        before = web_workers(supervisor)
        kill9(before[0])
        replaced = wait_for(lambda: len(set(web_workers(supervisor)) - set(before)) >= 1, 60, 0.2)
        return f"killed pid {before[0]} of {before}; " + ("replaced" if replaced else "NOT replaced in 60 s")

    def fault_redis(self) -> str:
        self.redis.restart(down_seconds=3)
        return "down 3 s, started again empty"

    def fault_postgres(self) -> str:
        took = self.pg.restart()
        return f"pg_ctl restart -m fast took {took:.1f} s"

    def fault_disk(self) -> str:
        if not self.disk.mounted:
            return "SKIPPED: no tmpfs"
        filled = self.disk.fill()
        time.sleep(10)
        self.disk.free()
        return f"filled ({filled // 1_048_576} MB) for 10 s, then freed"

    # -- checks ---------------------------------------------------------------------------
    def wait_tasks(self) -> dict:
        def idle():
            rows = self.sql("SELECT count(*) FROM core_task WHERE status IN ('queued', 'running')")
            return rows[0][0] == 0

        finished = wait_for(idle, self.args.settle_max, 1.0)
        counts = dict(self.sql("SELECT status, count(*) FROM core_task GROUP BY status"))
        return {"finished": finished, "by_status": counts}

    def check_uploads(self) -> dict:
        expected = self.args.travellers
        stored = {
            ref: (status, travellers)
            for ref, status, travellers in self.sql(
                "SELECT interchange_ref, status, travellers FROM passengers_receivedmessage"
            )
        }
        whole = absent = half = 0
        problems = []
        for j in sorted(self.uploads):
            text = paxlst(INGEST_BASE + j, travellers=expected, seed=self.args.seed)
            ref = text.split("++APIS'")[0].rsplit("+", 1)[1]
            found = stored.get(ref)
            if found is None:
                absent += 1
                continue
            status, travellers = found
            rows = self.sql(
                "SELECT count(*) FROM passengers_traveller t JOIN passengers_receivedmessage_flights mf "
                "ON mf.flight_id = t.flight_id JOIN passengers_receivedmessage m ON m.id = mf.receivedmessage_id "
                "WHERE m.interchange_ref = %s AND m.status = 'stored'",
                (ref,),
            )[0][0]
            if status == "stored" and travellers == expected and rows == expected:
                whole += 1
            else:
                half += 1
                problems.append(
                    {"upload": j, "ref": ref, "status": status, "travellers": travellers, "rows": rows}
                )
        answered = collections.Counter(u["status"] for u in self.uploads.values())
        return {
            "sent": len(self.uploads),
            "answers": dict(answered),
            "stored_whole": whole,
            "absent": absent,
            "half_stored": half,
            "absent_after_202": sum(
                1
                for j, u in self.uploads.items()
                if u["status"] == 202
                and paxlst(INGEST_BASE + j, travellers=expected, seed=self.args.seed)
                .split("++APIS'")[0]
                .rsplit("+", 1)[1]
                not in stored
            ),
            "problems": problems[:10],
        }

    def check_attachments(self) -> dict:
        store = self.var / "files" / "attachments"
        rows = self.sql("SELECT id, stored_name, sha256, has_thumbnail FROM messaging_attachment")
        missing, bad_hash, referenced = [], [], set()
        for attachment_id, stored_name, sha256, has_thumbnail in rows:
            path = store / stored_name
            referenced.add(stored_name)
            if has_thumbnail:
                referenced.add(stored_name + "-thumb.jpg")
            if not path.exists():
                missing.append(attachment_id)
            elif hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
                bad_hash.append(attachment_id)
        on_disk = {p.name for p in store.iterdir()} if store.exists() else set()
        thumbs = {n for n in on_disk if not n.isalnum()}
        orphans = sorted((on_disk - thumbs) - referenced)
        orphan_thumbs = sorted(t for t in thumbs if t not in referenced)
        answered = collections.Counter(a["status"] for a in self.attachments)
        ids = {a["id"] for a in self.attachments if a["id"]}
        return {
            "sent": len(self.attachments),
            "answers": dict(answered),
            "stored": len(ids),
            "rows_without_file": len(missing),
            "file_hash_mismatch": len(bad_hash),
            "files_without_row": len(orphans) + len(orphan_thumbs),
        }

    def check_alerts(self, reports: list[dict], baseline: int) -> dict:
        committed = {
            int(title.rsplit(" ", 1)[1]): alert_id
            for alert_id, title in self.sql(
                "SELECT id, title FROM messaging_alert WHERE id > %s AND title LIKE 'fault run alert %%'",
                (baseline,),
            )
        }
        duplicates_in_db = len(
            self.sql(
                "SELECT title FROM messaging_alert WHERE id > %s GROUP BY title HAVING count(*) > 1",
                (baseline,),
            )
        )
        answered = collections.Counter(a["status"] for a in self.alerts.values())
        first_answers = collections.Counter(a["attempts"][0] for a in self.alerts.values())
        resent = [a for a in self.alerts.values() if len(a["attempts"]) > 1]
        failed = [j for j, a in self.alerts.items() if a["status"] not in (200, 201)]
        unsaved_answered_ok = [
            j for j, a in self.alerts.items() if a["status"] in (200, 201) and j not in committed
        ]
        committed_anyway = [j for j in failed if j in committed]
        entitled = {
            user: listable_alerts(
                lambda path, token: self.https.request("GET", path, token), user, self.tokens[user], baseline
            )
            for user in sorted({r["user"] for r in reports})
        }
        lost = duplicated = leaked = 0
        examples = []
        polled = {
            "clients": 0,
            "entitled": 0,
            "events": 0,
            "lost": 0,
            "duplicated": 0,
            "leaked": 0,
            "errors": 0,
        }
        for report in reports:
            lost_ids, leaked_ids, counts = compare_delivery(report, entitled[report["user"]], baseline)
            dup = sum(c - 1 for c in counts.values() if c > 1)
            lost += len(lost_ids)
            duplicated += dup
            leaked += len(leaked_ids)
            if report.get("longpoll"):
                polled["clients"] += 1
                polled["entitled"] += len(entitled[report["user"]])
                polled["events"] += len(report["events"])
                polled["lost"] += len(lost_ids)
                polled["duplicated"] += dup
                polled["leaked"] += len(leaked_ids)
                polled["errors"] += report["failures"]
            if lost_ids or leaked_ids or dup:
                examples.append(
                    {
                        "user": report["user"],
                        "longpoll": report.get("longpoll", False),
                        "lost": sorted(lost_ids)[:5],
                        "leaked": sorted(leaked_ids)[:5],
                    }
                )
        return {
            "posted": len(self.alerts),
            "first_answers": dict(first_answers),
            "resent": len(resent),
            "resends": sum(len(a["attempts"]) - 1 for a in resent),
            "answers": dict(answered),
            "answered_ok_but_not_saved": len(unsaved_answered_ok),
            "committed": len(committed),
            "failed_answer_but_committed": len(committed_anyway),
            "same_alert_twice_in_db": duplicates_in_db,
            "deliveries": sum(len(r["events"]) for r in reports),
            "entitled": sum(len(entitled[r["user"]]) for r in reports),
            "lost": lost,
            "duplicated": duplicated,
            "leaked": leaked,
            "reconnects": sum(len([s for s in r["sessions"] if "failed" not in s]) for r in reports)
            - len(reports),
            "longpoll": polled,
            "failed_handshakes": sum(r["failures"] for r in reports),
            "refusals": dict(collections.Counter(a["error"] for a in self.alerts.values() if a["error"])),
            "examples": examples[:5],
        }

    # -- the whole run --------------------------------------------------------------------
    def run(self) -> dict:
        args = self.args
        self.start()
        probe = self.mint_tokens(["analyst"])["analyst"]
        _, units = self.https.request("GET", "/api/v1/units", probe)
        _, groups = self.https.request("GET", "/api/v1/groups", probe)
        directory = Directory(units, groups)
        jaitf_users = [
            f"{role}-{u.removeprefix('jaitf-')}"
            for u in directory.units
            if u.startswith("jaitf-")
            for role in ("officer", "head")
        ]
        self.rng.shuffle(jaitf_users)
        clients = (SPECIAL_USERS + jaitf_users)[: args.clients]
        senders = SENDERS
        log(f"tokens for {len(set(clients + senders + [UPLOADER, ATTACHER]))} users")
        self.tokens = self.mint_tokens(sorted(set(clients + senders + [UPLOADER, ATTACHER, "analyst"])))
        total = int(args.seconds * args.rate)
        self.plan = [directory.audience(self.rng, senders[j % len(senders)]) for j in range(total)]
        baseline = self.sql("SELECT coalesce(max(id), 0) FROM messaging_alert")[0][0]

        os.environ["SSL_CERT_FILE"] = self.cafile  # the client processes trust the run's certificate
        ctx = multiprocessing.get_context("spawn")
        ws_url = self.state["url"].replace("https://", "wss://") + "/ws/events"
        poll_url = self.state["url"] + "/api/v1/events"  # the last --longpoll clients use the fallback

        def url_of(i: int) -> str:
            return poll_url if i >= len(clients) - args.longpoll else ws_url

        worker_args = {
            "seed": args.seed,
            "online": 1e9,
            "offline": 0.0,
            "connect_parallel": 16,
            "cut_mid_stream": 0.0,
        }
        procs = []
        for w in range(2):
            specs = [(i, clients[i], self.tokens[clients[i]], url_of(i)) for i in range(w, len(clients), 2)]
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=client_worker, args=(child, specs, worker_args), daemon=True)
            proc.start()
            procs.append((proc, parent))
        for _proc, pipe in procs:
            assert pipe.recv()[0] == "ready"
        log(
            f"{len(clients)} clients connected; {args.seconds:g} s of alerts ({args.rate:g}/s), uploads and attachments"
        )

        self.t0 = time.monotonic()
        threads = [
            threading.Thread(target=self.send_alerts, args=(s, list(range(i, total, len(senders)))))
            for i, s in enumerate(senders)
        ]
        threads += [
            threading.Thread(target=f) for f in (self.send_uploads, self.send_attachments, self.inject)
        ]
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        self.stop_stream.set()
        for t in threads:
            t.join(180)
        log("stream over; waiting for the background tasks")
        tasks = self.wait_tasks()

        for _proc, pipe in procs:
            pipe.send("settle")
        last, last_change, started = -1, time.monotonic(), time.monotonic()
        all_online = False
        while time.monotonic() - started < args.settle_max:
            time.sleep(0.5)
            for _proc, pipe in procs:
                pipe.send("status")
            replies = [pipe.recv() for _proc, pipe in procs]
            online, events = sum(r[1] for r in replies), sum(r[2] for r in replies)
            all_online = online == len(clients)
            if events != last:
                last, last_change = events, time.monotonic()
            if all_online and time.monotonic() - last_change >= args.settle:
                break
        log(f"clients {'settled' if all_online else 'NOT all back'} after {time.monotonic() - started:.0f} s")
        for _proc, pipe in procs:
            pipe.send("stop")
        reports = []
        for _proc, pipe in procs:
            reports.extend(pipe.recv()[1])
        for proc, _pipe in procs:
            proc.join(10)

        audit = self.aircop("audit", "verify", check=False)
        restarts = json.loads((self.var / "run" / "production.json").read_text())["processes"]
        return {
            "faults": self.faults,
            "alerts": self.check_alerts(reports, baseline),
            "uploads": self.check_uploads(),
            "attachments": self.check_attachments(),
            "tasks": tasks,
            "audit": {"ok": audit.returncode == 0, "output": (audit.stdout or audit.stderr).strip()[-300:]},
            "process_starts": {name: p["starts"] for name, p in restarts.items()},
            "clients": len(clients),
        }

    def stop(self) -> None:
        if self.production and self.production.poll() is None:
            self.production.send_signal(signal.SIGTERM)
            try:
                self.production.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.production.pid, signal.SIGKILL)
        for part in (self.redis, self.pg):
            if part is not None:
                with contextlib.suppress(Exception):
                    part.stop()
        if self.disk is not None:
            self.disk.unmount()
        if self.args.keep:
            log(f"--keep: everything left in {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


def report(r: dict) -> int:
    a, u, f, audit = r["alerts"], r["uploads"], r["attachments"], r["audit"]
    print("faults:")
    for fault in r["faults"]:
        print(
            f"  t={fault['t']:>5} s  {fault['fault']}: {fault['detail']}; healthy again after {fault['healthy_again_s']} s"
        )
    print(
        f"alerts: {a['posted']} posted, first answers {a['first_answers']}; {a['resent']} resent "
        f"({a['resends']} resends) under their Idempotency-Key; last answers {a['answers']}"
    )
    print(
        f"  {a['committed']} committed ({a['failed_answer_but_committed']} of them without a 200/201 "
        f"reaching the sender); answered 200/201 but not saved: {a['answered_ok_but_not_saved']}; "
        f"same alert twice: {a['same_alert_twice_in_db']}"
    )
    print(
        f"live delivery to {r['clients']} clients: {a['deliveries']} events for {a['entitled']} entitled; "
        f"lost {a['lost']}  duplicated {a['duplicated']}  leaked {a['leaked']}; "
        f"{a['reconnects']} reconnects, {a['failed_handshakes']} failed handshakes or polls"
    )
    lp = a["longpoll"]
    print(
        f"  of which {lp['clients']} long-poll clients: {lp['events']} events for {lp['entitled']} entitled; "
        f"lost {lp['lost']}  duplicated {lp['duplicated']}  leaked {lp['leaked']}; {lp['errors']} polls answered "
        "with an error or none, asked again from the same cursor"
    )
    print(
        f"uploads: {u['sent']} sent, answers {u['answers']}; stored whole {u['stored_whole']}, absent "
        f"{u['absent']} ({u['absent_after_202']} of them after a 202), half-stored {u['half_stored']}"
    )
    print(
        f"attachments: {f['sent']} sent, answers {f['answers']}; {f['stored']} stored; rows without file "
        f"{f['rows_without_file']}, hash mismatches {f['file_hash_mismatch']}, files without row {f['files_without_row']}"
    )
    print(f"tasks: {r['tasks']}")
    print(f"audit: {audit['output']}")
    print(f"process starts: {r['process_starts']}")
    for error, count in a["refusals"].items():
        print(f"  alert refused {count}x: {error}")
    for example in a["examples"]:
        print(f"  example: {example}")
    for problem in u["problems"]:
        print(f"  upload problem: {problem}")
    bad = (
        a["lost"]
        + a["duplicated"]
        + a["leaked"]
        + a["same_alert_twice_in_db"]
        + a["answered_ok_but_not_saved"]
        + u["half_stored"]
        + f["rows_without_file"]
        + f["file_hash_mismatch"]
        + f["files_without_row"]
    )
    return 1 if bad or not audit["ok"] else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=100.0, help="length of the stream")
    parser.add_argument("--rate", type=float, default=8.0, help="alerts per second")
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument(
        "--longpoll", type=int, default=10, help="how many of the clients long-poll /api/v1/events instead"
    )
    parser.add_argument("--ingest-every", type=float, default=2.0, help="seconds between PAXLST uploads")
    parser.add_argument("--travellers", type=int, default=40, help="travellers per PAXLST")
    parser.add_argument("--attach-every", type=float, default=1.0, help="seconds between attachments")
    parser.add_argument("--store-mb", type=int, default=64, help="size of the attachment disk")
    parser.add_argument(
        "--settle", type=float, default=15.0, help="seconds without an event once all are back"
    )
    parser.add_argument("--settle-max", type=float, default=240.0)
    parser.add_argument(
        "--no-resend",
        dest="resend",
        action="store_false",
        help="post each alert once, without an Idempotency-Key (as before the key existed)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (logs, database)")
    args = parser.parse_args(argv)
    raise_nofile()
    print(describe_machine())
    print(f"code: {code_version()}", flush=True)
    run = Run(args)
    try:
        result = run.run()
    finally:
        run.stop()
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
    return report(result)


if __name__ == "__main__":
    sys.exit(main())
