"""Two officers at two airports in two browser contexts: one sends, the other sees the
alert appear without reloading and acknowledges, and the sender sees the acknowledgement
appear. Against a real `aircop serve`, in Debian's Chromium."""

from __future__ import annotations

import re

from tests.conftest import BROWSER_MARKS, sign_in

pytestmark = BROWSER_MARKS


def test_send_receive_acknowledge_live(server, browser):
    sender_ctx, receiver_ctx = browser.new_context(), browser.new_context()
    try:
        sender, receiver = sender_ctx.new_page(), receiver_ctx.new_page()
        errors = []
        for p in (sender, receiver):
            p.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        sign_in(receiver, server.url, "officer-lfw")
        receiver.wait_for_url(f"{server.url}/")
        receiver.goto(f"{server.url}/alerts/")
        receiver.wait_for_selector("#live-status[data-state=live]")
        unread_before = int(receiver.locator("#nav-unread").inner_text().strip() or 0)  # the demo's

        sign_in(sender, server.url, "officer-gru")
        sender.wait_for_url(f"{server.url}/")
        sender.goto(f"{server.url}/alerts/new/")
        sender.select_option("#id_kind", "passenger")
        sender.select_option("#id_priority", "flash")
        sender.fill("#id_title", "Courier on ET908 to Lome")
        sender.select_option("#id_to_units", "jaitf-lfw")
        sender.fill("#id_passenger__flight", "ET908")
        sender.fill("#id_passenger__route", "GRU-ADD-LFW")
        sender.fill("#id_passenger__surname", "DOE")
        assert sender.locator("fieldset[data-kind=cargo]").is_hidden()  # only the chosen kind's fields show
        sender.click("form.compose button[type=submit]")
        sender.wait_for_url(re.compile(r".*/alerts/\d+/$"))
        sender.wait_for_selector("#live-status[data-state=live]")
        assert "not yet" in sender.locator("#recipients").inner_text()

        # The receiver's inbox shows it without a reload, and the unread badge counts it.
        receiver.wait_for_selector("#inbox-table >> text=Courier on ET908 to Lome", timeout=10000)
        assert int(receiver.locator("#nav-unread").inner_text().strip()) == unread_before + 1
        receiver.click("text=Courier on ET908 to Lome")
        receiver.wait_for_url(re.compile(r".*/alerts/\d+/$"))
        assert "DOE" in receiver.content()
        receiver.click("#ack-button")
        receiver.wait_for_url(re.compile(r".*/alerts/\d+/$"))

        # The sender sees the acknowledgement appear without reloading.
        sender.wait_for_selector("#recipients >> text=officer-lfw", timeout=10000)
        assert "1 of 1 acknowledged" in sender.locator("#recipients").inner_text()
        assert errors == []  # no script error, nothing blocked by the Content-Security-Policy

        # Readable on a phone: nothing wider than a 360-pixel screen (tables scroll inside their box).
        for p in (sender, receiver):
            p.set_viewport_size({"width": 360, "height": 740})
            for path in ("/alerts/", p.url.replace(server.url, ""), "/alerts/new/"):
                p.goto(server.url + path)
                assert p.evaluate("document.documentElement.scrollWidth") <= 360, path
    finally:
        sender_ctx.close()
        receiver_ctx.close()
