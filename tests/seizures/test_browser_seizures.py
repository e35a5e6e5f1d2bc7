"""A task force records a seizure, imports a file and reads the analysis, in Debian's
Chromium (Playwright) against a real `aircop serve` (with `aircop worker` when Redis is used)."""

from __future__ import annotations

import re

from tests.conftest import BROWSER_MARKS, sign_in

pytestmark = BROWSER_MARKS

CSV = (
    "date,airport,flow,phase,direction,flight,origin,transit,destination,category,subtype,quantity,unit,"
    "concealment,detection,offender_nationality,offender_sex,offender_age\n"
    "2026-03-02,LFW,cargo,arrival,inbound,ET509,FIH,ADD,LFW,wildlife,pangolin_scales,350,kg,"
    "cargo_consignment,xray,,,\n"
    "2026-03-03,LFW,cargo,arrival,inbound,ET509,FIH,ADD,LFW,wildlife,pangolin_scales,350,kg,"
    "cargo_consignment,dog,,,\n"
)


def test_record_import_and_analyse(server, worker, page, tmp_path):
    sign_in(page, server.url, "officer-lfw")
    page.wait_for_url(f"{server.url}/")
    page.click(".main-nav a[href='/seizures/']")
    page.click("a[href='/seizures/new/']")
    page.fill("#id_occurred_date", "2026-03-14")
    page.fill("#id_occurred_time", "08:30")
    page.fill("#id_airport", "LFW")
    page.select_option("#id_flow", "checked_baggage")
    page.select_option("#id_phase", "arrival")
    page.select_option("#id_direction", "inbound")
    page.fill("#id_origin", "GRU")
    page.fill("#id_transit", "ADD")
    page.fill("#id_destination", "LFW")
    page.select_option("#id_concealment", "baggage_lining")
    page.select_option("#id_detection", "xray")
    page.select_option("#id_item-0-category", "drugs")
    page.select_option("#id_item-0-subtype", "cocaine")
    page.fill("#id_item-0-quantity", "4.2")
    page.select_option("#id_item-0-unit", "kg")
    page.select_option("#id_person-0-role", "courier")
    page.fill("#id_person-0-nationality", "BRA")
    page.fill("#id_person-0-surname", "Silva")
    page.click("button[value='submit']")
    page.wait_for_url(re.compile(r".*/seizures/\d+/$"))
    text = page.locator("main").inner_text()
    assert "GRU > ADD > LFW" in text and "Silva" in text

    # Import two more records from a file, with the progress page.
    csv = tmp_path / "march.csv"
    csv.write_text(CSV)
    page.goto(f"{server.url}/seizures/import/")
    page.set_input_files("#id_file", str(csv))
    page.click("button.primary")
    page.wait_for_url(re.compile(r".*/seizures/import/\d+/$"))
    page.wait_for_selector("text=2 seizures imported", timeout=60_000)  # the page reloads itself when done

    # The analysis shows the imported and the recorded seizures.
    page.goto(f"{server.url}/analytics/?from=2026-01-01&to=2026-12-31&airport=LFW")
    content = page.locator("main").inner_text()
    assert "700" in content and "4.2" in content
    assert page.locator("img[src*='format=svg']").count() >= 1
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
