"""Delivery through real `aircop serve` processes: WebSocket, resume without loss or
duplicates, long-poll. With AIRCOP_REDIS_URL (CI) the sender and the receiver talk to two
different server processes joined by Redis; embedded, both use the one process."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
import urllib.request

import pytest
import websockets

from tests.live import AIRCOP_BIN, LiveAircop, run_async

MULTI_PROCESS = bool(os.environ.get("AIRCOP_REDIS_URL"))


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = LiveAircop(tmp_path_factory.mktemp("delivery"))
    server.env["AIRCOP_WS_HEARTBEAT_SECONDS"] = "1"
    server.env["AIRCOP_WS_RECONCILE_SECONDS"] = "1"
    try:
        server.prepare()
        server.urls = [server.serve()]
        server.urls.append(server.serve() if MULTI_PROCESS else server.urls[0])
        server.tokens = {
            name: server.aircop("token", name).stdout.strip()
            for name in ("officer-gru", "officer-lfw", "head-lfw", "officer-acc")
        }
        yield server
    finally:
        server.stop()


def http(live, method, path, username, payload=None, server=0):
    request = urllib.request.Request(  # noqa: S310 - our local test server
        live.urls[server] + path,
        method=method,
        data=json.dumps(payload).encode() if payload is not None else None,
        headers={"Authorization": f"Bearer {live.tokens[username]}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our local test server
        return json.loads(response.read())


def alert(live, title, audience="jaitf-lfw", server=0):
    return http(
        live,
        "POST",
        "/api/v1/alerts",
        "officer-gru",
        {
            "kind": "general",
            "title": title,
            "priority": "flash",
            "audience": [{"scope": "unit", "target": audience}],
        },
        server=server,
    )


def ws_url(live, server, **query):
    base = live.urls[server].replace("http://", "ws://") + "/ws/events"
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


async def receive_events(ws, count, timeout=10.0):
    events = []
    deadline = time.monotonic() + timeout
    while len(events) < count:
        message = json.loads(await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic())))
        if message["type"] == "event":
            events.append(message)
    return events


def connect(live, username, server, **query):
    return websockets.connect(
        ws_url(live, server, **query), additional_headers={"Authorization": f"Bearer {live.tokens[username]}"}
    )


def test_receiver_sees_alert_live_and_sender_sees_the_ack(live):
    async def scenario():
        async with connect(live, "officer-lfw", 1) as receiver, connect(live, "officer-gru", 0) as sender:
            assert json.loads(await receiver.recv())["type"] == "hello"
            assert json.loads(await sender.recv())["type"] == "hello"
            started = time.monotonic()
            sent = await asyncio.to_thread(alert, live, "Live on another process")
            [got] = await receive_events(receiver, 1)
            assert got["event"]["type"] == "alert.created" and got["event"]["alert"]["id"] == sent["id"]
            assert time.monotonic() - started < 5
            [own] = await receive_events(sender, 1)  # the sender's unit hears of its own alert too
            assert own["event"]["alert"]["id"] == sent["id"]
            await asyncio.to_thread(
                http, live, "POST", f"/api/v1/alerts/{sent['id']}/ack", "officer-lfw", server=1
            )
            [ack] = await receive_events(sender, 1)
            assert ack["event"]["type"] == "ack.created" and ack["event"]["data"]["unit"] == "jaitf-lfw"

    run_async(scenario())


def test_resume_after_disconnect_loses_nothing_and_repeats_nothing(live):
    async def scenario():
        async with connect(live, "head-lfw", 1) as ws:
            cursor = json.loads(await ws.recv())["cursor"]
            first = await asyncio.to_thread(alert, live, "Before the cut")
            [event] = await receive_events(ws, 1)
            assert event["event"]["alert"]["id"] == first["id"]
            cursor, have = event["cursor"], {event["event"]["id"]} - set(range(event["cursor"] + 1))
        missed = [await asyncio.to_thread(alert, live, f"While offline {i}") for i in range(3)]
        await asyncio.to_thread(alert, live, "Not for Lome", audience="jaitf-acc")
        have_param = ",".join(str(i) for i in sorted(have))
        async with connect(live, "head-lfw", 1, after=cursor, have=have_param) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
            got = await receive_events(ws, 3)
            assert [e["event"]["alert"]["id"] for e in got] == [m["id"] for m in missed]
            ids = [e["event"]["id"] for e in got]
            assert ids == sorted(ids)
            # Nothing more arrives: no duplicate of the first alert, nothing addressed to Accra.
            with pytest.raises(TimeoutError):
                await receive_events(ws, 1, timeout=3)

    run_async(scenario())


def test_outsider_hears_nothing(live):
    async def scenario():
        async with connect(live, "officer-acc", 1) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
            await asyncio.to_thread(alert, live, "Lome only")
            with pytest.raises(TimeoutError):
                await receive_events(ws, 1, timeout=3)

    run_async(scenario())


def test_heartbeats_keep_the_connection_alive(live):
    async def scenario():
        async with connect(live, "officer-lfw", 1) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert message["type"] == "heartbeat" and "cursor" in message

    run_async(scenario())


def test_unauthenticated_and_cross_site_connections_are_refused(live):
    async def scenario():
        with pytest.raises(websockets.exceptions.WebSocketException):
            async with websockets.connect(ws_url(live, 0)) as ws:
                await ws.recv()
        with pytest.raises(websockets.exceptions.InvalidStatus):
            async with websockets.connect(
                ws_url(live, 0),
                origin="https://evil.example",
                additional_headers={"Authorization": f"Bearer {live.tokens['officer-lfw']}"},
            ):
                pass

    run_async(scenario())


def test_long_poll_fallback(live):
    start = http(live, "GET", "/api/v1/events", "officer-lfw", server=1)
    assert start["events"] == []

    def later():
        time.sleep(1)
        return alert(live, "Arrives during the poll")

    async def scenario():
        poll = asyncio.to_thread(
            http, live, "GET", f"/api/v1/events?after={start['cursor']}&wait=10", "officer-lfw", None, 1
        )
        sent, result = await asyncio.gather(asyncio.to_thread(later), poll)
        return sent, result

    sent, result = run_async(scenario())
    assert [e["alert"]["id"] for e in result["events"]] == [sent["id"]]
    assert result["cursor"] >= result["events"][0]["id"]
    again = http(live, "GET", f"/api/v1/events?after={result['cursor']}", "officer-lfw", server=1)
    assert again["events"] == []


def test_embedded_server_flags_unacknowledged_flash_alerts(tmp_path):
    """The periodic job runs inside the embedded server and its event reaches the sender."""
    if MULTI_PROCESS:
        pytest.skip("embedded mode only; with Redis the jobs run in `aircop worker`")
    server = LiveAircop(tmp_path)
    server.env.update({"AIRCOP_FLASH_CHECK_SECONDS": "1", "AIRCOP_FLASH_ACK_MINUTES": "1"})
    try:
        server.prepare()
        server.urls = [server.serve()]
        server.tokens = {"officer-gru": server.aircop("token", "officer-gru").stdout.strip()}

        async def scenario():
            async with connect(server, "officer-gru", 0) as ws:
                assert json.loads(await ws.recv())["type"] == "hello"
                sent = await asyncio.to_thread(alert, server, "Flash nobody acknowledges")
                await receive_events(ws, 1)
                # Age the alert past the acknowledgement period (a direct update, test set-up only).
                await asyncio.to_thread(
                    server.aircop,
                    "shell",
                    "-c",
                    "from datetime import timedelta; from django.utils import timezone; "
                    "from aircop.messaging.models import Alert; "
                    f"Alert.objects.filter(pk={sent['id']}).update(created_at=timezone.now() - timedelta(minutes=2))",
                )
                [flagged] = await receive_events(ws, 1, timeout=15)
                assert flagged["event"]["type"] == "alert.flagged"
                assert flagged["event"]["data"] == {"unacknowledged": ["jaitf-lfw"]}

        run_async(scenario())
    finally:
        server.stop()


def test_revoked_token_closes_the_open_socket(live):
    raw = live.aircop("token", "head-lfw", "--name", "to-revoke").stdout.strip()
    prefix = raw[: len("aircop_") + 5]

    async def scenario():
        async with websockets.connect(
            ws_url(live, 1), additional_headers={"Authorization": f"Bearer {raw}"}
        ) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
            await asyncio.to_thread(live.aircop, "token", "head-lfw", "--revoke", prefix)
            deadline = time.monotonic() + 15  # heartbeats keep coming until the socket closes
            with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
                while time.monotonic() < deadline:
                    await asyncio.wait_for(ws.recv(), 10)
            assert closed.value.rcvd.code == 4401

    run_async(scenario())


def test_catch_up_messages_carry_a_cursor_safe_to_resume_from(live):
    """Each caught-up event says 'you hold everything up to me', never more: a client that
    drops in the middle of a catch-up resumes without losing the rest."""
    start = http(live, "GET", "/api/v1/events", "head-lfw", server=1)["cursor"]
    sent = [alert(live, f"Backlog {i}") for i in range(4)]

    async def scenario():
        async with connect(live, "head-lfw", 1, after=start) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
            first, second = await receive_events(ws, 2)
        assert first["event"]["alert"]["id"] == sent[0]["id"]
        assert first["cursor"] == first["event"]["id"]
        # Resume from the first message's cursor: the other three arrive, nothing twice.
        async with connect(live, "head-lfw", 1, after=first["cursor"]) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
            rest = await receive_events(ws, 3)
            assert [e["event"]["alert"]["id"] for e in rest] == [a["id"] for a in sent[1:]]
            with pytest.raises(TimeoutError):
                await receive_events(ws, 1, timeout=2)

    run_async(scenario())


def alert_without_push(live, title, audience):
    """An alert written by another process whose push reaches no server: a one-off `aircop
    shell` with the in-memory channel layer (no AIRCOP_REDIS_URL). Only reconciliation from
    the database can bring it to the open sockets."""
    env = {k: v for k, v in live.env.items() if k != "AIRCOP_REDIS_URL"}
    code = (
        "from aircop.accounts.models import User\n"
        "from aircop.messaging import services\n"
        "a = services.send_alert(sender=User.objects.get(username='officer-gru'), kind='general',"
        f" title={title!r}, audience_entries=[{{'scope': 'unit', 'target': {audience!r}}}])\n"
        "print(a.pk)\n"
    )
    result = subprocess.run(
        [str(AIRCOP_BIN), "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def test_an_event_whose_push_was_lost_arrives_by_reconciliation(live):
    async def scenario():
        async with (
            connect(live, "officer-lfw", 1) as officer,
            connect(live, "head-lfw", 0) as head,
            connect(live, "officer-acc", 1) as outsider,
        ):
            for ws in (officer, head, outsider):
                assert json.loads(await ws.recv())["type"] == "hello"
            for_lome = await asyncio.to_thread(alert_without_push, live, "No push for Lome", "jaitf-lfw")
            for_dakar = await asyncio.to_thread(alert_without_push, live, "No push for Dakar", "jaitf-dss")
            for ws in (officer, head):  # the same audience: one query serves both sockets
                [got] = await receive_events(ws, 1, timeout=15)
                assert got["event"]["alert"]["id"] == for_lome
                assert got["cursor"] == got["event"]["id"]
            # Nothing twice, nothing of another unit's traffic.
            for ws in (officer, head, outsider):
                with pytest.raises(TimeoutError):
                    await receive_events(ws, 1, timeout=2.5)
            assert for_dakar > for_lome

    run_async(scenario())
