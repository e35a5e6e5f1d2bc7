"""The closed channel through a real `aircop serve`: an alert to the operation is pushed live
to its members and to nobody else."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
import websockets

from tests.live import LiveAircop, run_async


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = LiveAircop(tmp_path_factory.mktemp("operations"))
    try:
        server.prepare()
        server.url = server.serve()
        server.tokens = {
            name: server.aircop("token", name).stdout.strip()
            for name in ("coordinator-co", "officer-bog", "officer-lfw", "officer-bko")
        }
        yield server
    finally:
        server.stop()


def http(live, method, path, username, payload=None):
    request = urllib.request.Request(  # noqa: S310 - our local test server
        live.url + path,
        method=method,
        data=json.dumps(payload).encode() if payload is not None else None,
        headers={"Authorization": f"Bearer {live.tokens[username]}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our local test server
        return json.loads(response.read())


def connect(live, username):
    return websockets.connect(
        live.url.replace("http://", "ws://") + "/ws/events",
        additional_headers={"Authorization": f"Bearer {live.tokens[username]}"},
    )


async def next_event(ws, timeout):
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] == "event":
            return message["event"]


def test_an_alert_to_the_operation_is_pushed_to_its_members_only(live):
    now = datetime.now(UTC)
    http(
        live,
        "POST",
        "/api/v1/operations",
        "coordinator-co",
        {
            "name": "live-bridge",
            "title": "Live bridge",
            "lead_organisation": "WCO",
            "starts_at": (now - timedelta(days=1)).isoformat(),
            "ends_at": (now + timedelta(days=1)).isoformat(),
            "units": ["jaitf-bog", "jaitf-lfw"],
            "coordinator_unit": "hq-co",
        },
    )

    async def scenario():
        async with connect(live, "officer-lfw") as member, connect(live, "officer-bko") as outsider:
            assert json.loads(await member.recv())["type"] == "hello"
            assert json.loads(await outsider.recv())["type"] == "hello"
            sent = await asyncio.to_thread(
                http,
                live,
                "POST",
                "/api/v1/alerts",
                "officer-bog",
                {
                    "kind": "general",
                    "title": "To the operation",
                    "audience": [{"scope": "operation", "target": "live-bridge"}],
                },
            )
            event = await next_event(member, 10)
            assert event["type"] == "alert.created" and event["alert"]["id"] == sent["id"]
            assert event["alert"]["operation"] == "live-bridge"
            with pytest.raises(asyncio.TimeoutError):
                await next_event(outsider, 2)

    run_async(scenario())
    with pytest.raises(urllib.error.HTTPError) as err:
        http(live, "GET", "/api/v1/operations/live-bridge", "officer-bko")
    assert err.value.code == 404
