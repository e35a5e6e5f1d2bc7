"""A listed person's manifest arrives while Lomé's officer has the hit queue open: the hit
appears without a reload, and the officer confirms it, in Debian's Chromium (Playwright)
against a real `aircop serve` (with `aircop worker` when Redis is used)."""

from __future__ import annotations

import re

from tests.conftest import BROWSER_MARKS, sign_in

pytestmark = BROWSER_MARKS

LIST = """reference,names,date_of_birth,nationality,sex,reason
BRW-1,Youssef Haddad|يوسف حداد,1984-02-29,SYR,M,browser test
"""
MANIFEST_HEADER = (
    "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,scheduled_arrival,"
    "surname,given_names,sex,date_of_birth,nationality,document_type,document_number,document_issuing_country\n"
)
MANIFEST = (
    MANIFEST_HEADER
    + "ET,0935,ADD,LFW,2026-11-24T08:00,2026-11-24T13:00,HADAD,YUSUF,M,1984-02-29,SYR,P,N0011223,SYR\n"
    "ET,0935,ADD,LFW,2026-11-24T08:00,2026-11-24T13:00,MENSAH,KOFI,M,1979-04-01,GHA,P,G7654321,GHA\n"
)


def test_a_hit_reaches_the_open_queue_live_and_is_confirmed(server, worker, page, tmp_path):
    listing = tmp_path / "brw.csv"
    listing.write_text(LIST, encoding="utf-8")
    server.aircop(
        "watchlist",
        "create",
        "browser-wanted",
        "--kind",
        "wanted",
        "--owner",
        "jaitf-dss",
        "--source",
        "test",
    )
    server.aircop("watchlist", "import", str(listing), "--list", "browser-wanted")
    sign_in(page, server.url, "officer-lfw")
    page.wait_for_url(f"{server.url}/")
    page.click(".main-nav a[href='/hits/']")
    page.wait_for_url(f"{server.url}/hits/")
    assert "HADAD" not in page.locator("#hits-table").inner_text()
    page.wait_for_function("document.getElementById('live-status').dataset.state === 'live'", timeout=20_000)

    manifest = tmp_path / "et935.csv"
    manifest.write_text(MANIFEST, encoding="utf-8")
    stored = server.aircop("ingest", str(manifest))
    assert stored.returncode == 0, stored.stdout + stored.stderr
    # The background task screens the flight; the push makes the page reload its live parts.
    page.wait_for_selector("#hits-table >> text=HADAD", timeout=60_000)
    page.click("#hits-table a:has-text('HADAD')")
    page.wait_for_url(re.compile(r".*/hits/\d+/$"))
    text = page.locator("main").inner_text()
    assert "hadad ~ haddad" in text and "date of birth: same" in text
    page.fill("#confirm-form textarea", "same face as the notice")
    page.click("#confirm-form button")
    page.wait_for_selector("text=Confirmed")
    assert page.console_errors == []


# A stand-in for a network that breaks WebSockets: every socket fails at once, as a proxy
# that refuses the upgrade makes it, so live.js falls back to long-polling /api/v1/events.
NO_WEBSOCKETS = """
window.WebSocket = function () {
  var socket = this;
  setTimeout(function () {
    if (socket.onerror) { socket.onerror(new Event("error")); }
    if (socket.onclose) { socket.onclose(new Event("close")); }
  }, 10);
};
window.WebSocket.prototype.close = function () {};
"""
LIST_2 = """reference,names,date_of_birth,nationality,sex,reason
BRW-2,Ivan Petrov|Иван Петров,1977-06-12,RUS,M,browser test without websockets
"""
MANIFEST_2 = (
    MANIFEST_HEADER
    + "ET,0937,ADD,LFW,2026-11-25T08:00,2026-11-25T13:00,PETROV,IVAN,M,1977-06-12,RUS,P,R5566778,RUS\n"
)


def test_without_websockets_the_long_poll_brings_the_new_hit(server, worker, page, tmp_path):
    listing = tmp_path / "brw2.csv"
    listing.write_text(LIST_2, encoding="utf-8")
    server.aircop(
        "watchlist",
        "create",
        "browser-wanted-2",
        "--kind",
        "wanted",
        "--owner",
        "jaitf-dss",
        "--source",
        "test",
    )
    server.aircop("watchlist", "import", str(listing), "--list", "browser-wanted-2")
    page.add_init_script(NO_WEBSOCKETS)
    sign_in(page, server.url, "officer-lfw")
    page.wait_for_url(f"{server.url}/")
    page.goto(f"{server.url}/hits/")
    assert "PETROV" not in page.locator("#hits-table").inner_text()
    # (not wait_for_function: the page's CSP forbids the eval it uses to poll)
    page.wait_for_selector("#live-status[data-state='polling']", state="attached", timeout=30_000)
    polls = []
    page.on("request", lambda r: polls.append(r.url) if "/api/v1/events" in r.url else None)
    page.wait_for_timeout(1_000)  # the first poll has recorded the queue's state

    manifest = tmp_path / "et937.csv"
    manifest.write_text(MANIFEST_2, encoding="utf-8")
    stored = server.aircop("ingest", str(manifest))
    assert stored.returncode == 0, stored.stdout + stored.stderr
    page.wait_for_selector("#hits-table >> text=PETROV", timeout=60_000)
    assert any("hits=" in url for url in polls)
    assert page.evaluate("document.getElementById('live-status').dataset.state") == "polling"
    assert page.console_errors == []
