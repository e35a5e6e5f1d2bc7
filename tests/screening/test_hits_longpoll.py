"""New hits reach a page without a WebSocket: GET /api/v1/events?hits=STATE carries the state
of the user's review queues (counts and the highest id, no names) and a long poll ends when
it changes."""

from __future__ import annotations

import pytest

from aircop.screening import services_hits
from aircop.screening.models import Hit, HitStatus
from tests.screening.test_hits_api import fresh_indexes, hits  # noqa: F401  fixtures

EVENTS = "/api/v1/events"


def state_of(user_hits) -> str:
    return f"{len(user_hits)}-{max(h.pk for h in user_hits)}"


class Clock:
    """Stands for the time module in aircop.messaging.api: sleeping moves the clock on at once,
    and ``during`` runs at each pause (what happens elsewhere meanwhile)."""

    def __init__(self, during=None):
        self.now = 0.0
        self.sleeps = []
        self.during = during

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        if self.during:
            self.during(len(self.sleeps))
        self.sleeps.append(seconds)
        self.now += seconds


def in_process(monkeypatch, clock: Clock) -> None:
    """Run the long poll on ``clock``. Between rounds the view lets Django close a stale
    connection; inside the test's transaction that would drop it (PostgreSQL), so here the
    connection stays."""
    monkeypatch.setattr("aircop.messaging.api.time", clock)
    monkeypatch.setattr("aircop.messaging.api.close_old_connections", lambda: None)


def test_the_state_counts_the_open_hits_of_ones_queues_without_names(api_as, hits):  # noqa: F811
    response = api_as("officer-lfw").get(EVENTS, {"hits": ""})
    assert response.status_code == 200
    data = response.json()
    expected = state_of(hits.values())
    assert data["hits"] == {"open": 2, "latest": max(h.pk for h in hits.values()), "state": expected}
    assert "ABDULLAH" not in response.content.decode()
    # A user whose units have no hits learns nothing of Lomé's.
    for outsider in ("officer-dss", "officer-bog", "analyst", "admin"):
        assert api_as(outsider).get(EVENTS, {"hits": ""}).json()["hits"] == {
            "open": 0,
            "latest": 0,
            "state": "0-0",
        }, outsider
    # Without ?hits= the answer is as before.
    assert api_as("officer-lfw").get(EVENTS).json()["hits"] is None


def test_a_stale_state_ends_the_long_poll_at_once(api_as, hits, monkeypatch):  # noqa: F811
    client = api_as("officer-lfw")
    cursor = client.get(EVENTS).json()["cursor"]

    clock = Clock()
    in_process(monkeypatch, clock)
    data = client.get(EVENTS, {"after": cursor, "wait": 25, "hits": "0-0"}).json()
    assert data["events"] == [] and data["hits"]["state"] == state_of(hits.values())
    # An empty state (the page's first poll) is answered at once too.
    assert client.get(EVENTS, {"after": cursor, "wait": 25, "hits": ""}).json()["hits"]["open"] == 2
    assert clock.sleeps == []


def test_a_hit_dismissed_during_the_long_poll_ends_it(api_as, user_named, hits, monkeypatch):  # noqa: F811
    client = api_as("officer-lfw")
    cursor = client.get(EVENTS).json()["cursor"]
    state = state_of(hits.values())

    def meanwhile(pause):
        if pause == 0:  # during the first pause another officer of Lomé dismisses one hit
            services_hits.dismiss(actor=user_named("head-lfw"), hit=hits["I-1"], reason="not the person")

    clock = Clock(meanwhile)
    in_process(monkeypatch, clock)
    data = client.get(EVENTS, {"after": cursor, "wait": 25, "hits": state}).json()
    assert data["hits"] == {"open": 1, "latest": hits["W-1"].pk, "state": f"1-{hits['W-1'].pk}"}
    assert len(clock.sleeps) == 5  # the queues are looked at every fifth round of 0.5 s
    assert Hit.objects.get(pk=hits["I-1"].pk).status == HitStatus.DISMISSED


def test_an_unchanged_state_waits_like_any_long_poll(api_as, hits, monkeypatch):  # noqa: F811
    client = api_as("officer-lfw")
    cursor = client.get(EVENTS).json()["cursor"]
    clock = Clock()
    in_process(monkeypatch, clock)
    data = client.get(EVENTS, {"after": cursor, "wait": 3, "hits": state_of(hits.values())}).json()
    assert data["hits"]["state"] == state_of(hits.values()) and data["events"] == []
    assert clock.now == 3.0  # it waited for the deadline


@pytest.mark.parametrize("bad", ["2", "a-b", "1-2-3", "-1-2"])
def test_a_malformed_state_is_refused_naming_it(api_as, bad):
    response = api_as("officer-lfw").get(EVENTS, {"hits": bad})
    assert response.status_code == 422
    assert "hits" in response.json()["detail"]
