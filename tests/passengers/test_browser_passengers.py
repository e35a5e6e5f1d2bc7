"""An airline sends an API manifest through the web and a national headquarters reads the
flight's passengers, in Debian's Chromium (Playwright) against a real `aircop serve` (with
`aircop worker` when Redis is used)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import BROWSER_MARKS, sign_in

pytestmark = BROWSER_MARKS

PAXLST = Path(__file__).parent / "fixtures" / "paxlst_d05b_two_legs.edi"


def test_an_airline_sends_a_manifest_and_the_national_hq_reads_it(server, worker, page, browser):
    sign_in(page, server.url, "airline-af")
    page.wait_for_url(f"{server.url}/")
    page.click(".main-nav a[href='/passengers/']")
    assert "None of your units" in page.locator("main").inner_text()  # an airline sees no passengers
    page.click("a[href='/passengers/upload/']")
    page.set_input_files("#id_file", str(PAXLST))
    page.click("button.primary")
    page.wait_for_url(re.compile(r".*/passengers/upload/\d+/$"))
    page.wait_for_selector("text=Stored", timeout=60_000)  # the page reloads itself when done
    assert "AV0010 2026-03-14 BOG-FCO" in page.locator("main").inner_text()
    assert page.console_errors == []

    hq = browser.new_context().new_page()
    sign_in(hq, server.url, "coordinator-co")
    hq.wait_for_url(f"{server.url}/")
    hq.goto(f"{server.url}/passengers/?airport=BOG&date=2026-03-14")
    outbound = hq.locator("section", has_text="Outbound")
    assert "AV 0010" in outbound.inner_text() and "19:35" in outbound.inner_text()
    hq.click("a:has-text('AV 0010')")
    hq.wait_for_url(re.compile(r".*/passengers/flights/\d+/$"))
    text = hq.locator("main").inner_text()
    assert "RESTREPO GOMEZ" in text and "AX1234567" in text and "BOG → MAD · MAD → FCO" in text
    # Phone width: the manifest scrolls inside its box, the page itself does not.
    hq.set_viewport_size({"width": 360, "height": 740})
    assert hq.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
