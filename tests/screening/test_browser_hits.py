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
MANIFEST = (
    "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,scheduled_arrival,"
    "surname,given_names,sex,date_of_birth,nationality,document_type,document_number,document_issuing_country\n"
    "ET,0935,ADD,LFW,2026-11-24T08:00,2026-11-24T13:00,HADAD,YUSUF,M,1984-02-29,SYR,P,N0011223,SYR\n"
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
