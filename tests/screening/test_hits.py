"""Hits end to end: a manifest arrives, the background task screens it against the active
lists, the hits land in the queue of the destination's task force, live, and are reviewed
there; a confirmed hit becomes an alert with the outcome loop, and the counts per list follow."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile  # noqa: F401

from aircop.audit.models import AuditEntry
from aircop.core.errors import ServiceError
from aircop.core.tasks import run_queued
from aircop.messaging.models import Alert, Recipient
from aircop.passengers import services as passengers
from aircop.passengers.models import Traveller
from aircop.screening import runner, selectors_hits, services_hits
from aircop.screening.importer import import_entries
from aircop.screening.models import Hit, HitStatus
from aircop.screening.services import create_watchlist

HEADER = (
    "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,scheduled_arrival,type,"
    "surname,given_names,sex,date_of_birth,nationality,residence_country,place_of_birth,document_type,"
    "document_number,document_issuing_country,document_expiry_date,embarkation,debarkation,"
    "booking_reference,seat,bag_tags\n"
)
ROW = "KP,0044,BOG,LFW,2026-11-20T10:00,2026-11-20T22:00,passenger,{surname},{given},{sex},{dob},{nat},,,P,{doc},{nat},2031-01-01,BOG,LFW,ABC123,12A,\n"


def manifest(*people) -> bytes:
    rows = [ROW.format(surname=s, given=g, sex=x, dob=d, nat=n, doc=doc) for s, g, x, d, n, doc in people]
    return (HEADER + "".join(rows)).encode()


LIST = b"""reference,names,date_of_birth,nationality,sex,document_number,document_country,reason
W-1,Mohammed Abdullah|\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xb9\xd8\xa8\xd8\xaf \xd8\xa7\xd9\x84\xd9\x84\xd9\x87,1980-05-17,SDN,M,,,wanted for trafficking
W-2,Maria Gonzalez,1975,COL,F,,,courier
"""


@pytest.fixture(autouse=True)
def fresh_indexes():
    runner.forget()
    yield
    runner.forget()


@pytest.fixture
def wanted(db, user_named):
    owner = user_named("officer-dss")
    watchlist = create_watchlist(
        actor=owner,
        name="wanted-test",
        title="Wanted (test)",
        kind="wanted",
        source="test",
        owner="jaitf-dss",
    )
    report = import_entries(actor=owner, watchlist=watchlist, data=LIST, name="w.csv")
    assert report.ok, report.problems
    return watchlist


PEOPLE = (
    ("ABDULLAH", "MUHAMMAD", "M", "1980-05-17", "SDN", "P1111111"),
    ("GONZALES", "MARIA", "F", "1975-02-03", "COL", "P2222222"),
    ("SMITH", "JOHN", "M", "1970-01-01", "GBR", "P3333333"),
)


def arrive(data: bytes = None):
    report = passengers.ingest(data or manifest(*PEOPLE), name="kp44.csv", source="cli")
    assert report.ok, report.as_json()
    run_queued()


def test_an_arriving_manifest_is_screened_and_hits_reach_the_destination_queue(wanted, user_named):
    arrive()
    hits = list(Hit.objects.order_by("entry_reference"))
    assert [(h.entry_reference, h.traveller.surname) for h in hits] == [
        ("W-1", "ABDULLAH"),
        ("W-2", "GONZALES"),
    ]
    assert all(h.status == HitStatus.OPEN and h.severity == "high" for h in hits)
    assert {u.code for u in hits[0].units.all()} == {"jaitf-lfw"}
    assert any("date of birth: same" in r for r in hits[0].explanation)
    # Lomé's officer sees them in the queue; Dakar's (the list's owner) and Bogotá's do not.
    assert selectors_hits.hits(user_named("officer-lfw")).count() == 2
    assert selectors_hits.hits(user_named("officer-dss")).count() == 0
    assert selectors_hits.hits(user_named("officer-bog")).count() == 0
    # One audit entry for the run (hit ids and counts, no name).
    entry = AuditEntry.objects.get(action="screening.hits")
    assert "ABDULLAH" not in str(entry.data) and len(entry.data["hits"]) == 2
    # The same manifest again (an update) makes no second hit.
    runner.screen_flights([hits[0].flight_id])
    assert Hit.objects.count() == 2


def test_confirming_sends_an_alert_to_the_units_concerned_with_the_outcome_loop(wanted, user_named):
    arrive()
    hit = Hit.objects.get(entry_reference="W-1")
    officer = user_named("officer-lfw")
    with pytest.raises(ServiceError) as refused:
        services_hits.confirm(actor=user_named("officer-bog"), hit=hit)
    assert refused.value.code == "forbidden"
    hit = services_hits.confirm(actor=officer, hit=hit, note="same passport photo")
    assert hit.status == HitStatus.CONFIRMED and hit.alert is not None
    alert = Alert.objects.get(pk=hit.alert_id)
    assert alert.priority == "flash" and alert.nominal["surname"] == "ABDULLAH"
    # The alert goes to the departure airport's task force and the list's owner.
    assert {r.unit.code for r in Recipient.objects.filter(alert=alert)} == {"jaitf-bog", "jaitf-dss"}
    # The traveller is kept beyond the retention schedule.
    assert Traveller.objects.get(pk=hit.traveller_id).hold_reason
    # Twice is refused.
    with pytest.raises(ServiceError):
        services_hits.confirm(actor=officer, hit=hit)
    services_hits.record_outcome(actor=officer, hit=hit, result="seized", note="2 kg cocaine")
    counts = selectors_hits.watchlist_counts(wanted)
    assert counts["confirmed"] == 1 and counts["open"] == 1
    assert counts["outcomes"]["seized"] == 1 and counts["outcome_rate"] == 1.0


def test_dismissal_needs_a_reason(wanted, user_named):
    arrive()
    hit = Hit.objects.get(entry_reference="W-2")
    officer = user_named("officer-lfw")
    with pytest.raises(ServiceError) as refused:
        services_hits.dismiss(actor=officer, hit=hit, reason="  ")
    assert refused.value.field == "reason"
    hit = services_hits.dismiss(actor=officer, hit=hit, reason="other date of birth on the passport")
    assert hit.status == HitStatus.DISMISSED
    with pytest.raises(ServiceError):
        services_hits.record_outcome(actor=officer, hit=hit, result="seized")
    assert AuditEntry.objects.filter(action="hit.dismissed").count() == 1
    counts = selectors_hits.watchlist_counts(wanted)
    assert counts["dismissed"] == 1 and counts["confirmation_rate"] == 0.0


def test_an_inactive_list_screens_nothing(wanted):
    wanted.is_active = False
    wanted.save()
    arrive()
    assert Hit.objects.count() == 0


def test_retention_takes_the_names_out_of_hits_and_keeps_the_counts(wanted, user_named, settings):
    from datetime import timedelta

    from django.utils import timezone

    from aircop.passengers import retention

    arrive()
    confirmed = services_hits.confirm(
        actor=user_named("officer-lfw"), hit=Hit.objects.get(entry_reference="W-1")
    )
    later = timezone.now() + timedelta(days=settings.AIRCOP_PASSENGER_DELETE_DAYS + 400)
    retention.run(now=later)
    kept = Hit.objects.get(pk=confirmed.pk)
    assert kept.traveller is not None and kept.explanation  # held: the confirmed hit rests on it
    gone = Hit.objects.get(entry_reference="W-2")
    assert gone.traveller is None and gone.explanation == []
    assert selectors_hits.watchlist_counts(wanted)["hits"] == 2


def test_new_hits_are_pushed_to_the_destination_units_sockets(wanted, django_capture_on_commit_callbacks):
    import asyncio

    from asgiref.sync import async_to_sync, sync_to_async
    from channels.layers import get_channel_layer

    from aircop.network.models import Unit

    layer = get_channel_layer()
    lome = Unit.objects.get(code="jaitf-lfw")
    group = f"unit.{lome.pk}"

    def store_and_screen():
        with django_capture_on_commit_callbacks(execute=True):
            arrive()

    async def listen():
        # As a consumer does: a channel of this event loop in the unit's group (the Redis
        # layer only delivers to channels made in-process).
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        try:
            await sync_to_async(store_and_screen)()
            return await asyncio.wait_for(layer.receive(channel), 10)
        finally:
            await layer.group_discard(group, channel)

    message = async_to_sync(listen)()
    # Counts and severity only: the page fetches what the officer may see.
    assert (message["type"], message["unit"], len(message["hits"]), message["severity"]) == (
        "aircop.hits",
        lome.pk,
        2,
        "high",
    )
    assert "ABDULLAH" not in str(message)


def test_the_lists_counts_on_its_page_and_the_api(wanted, user_named, client_for):
    from aircop.accounts.services import create_token

    arrive()
    officer = user_named("officer-lfw")
    services_hits.confirm(actor=officer, hit=Hit.objects.get(entry_reference="W-1"))
    services_hits.dismiss(actor=officer, hit=Hit.objects.get(entry_reference="W-2"), reason="other person")
    page = client_for("officer-dss").get("/watchlists/wanted-test/")
    assert page.status_code == 200 and b'id="hit-counts"' in page.content
    _row, raw = create_token(actor=None, user=user_named("officer-dss"), days=1)
    from django.test import Client

    counts = (
        Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/watchlists/wanted-test/hit-counts").json()
    )
    assert (counts["hits"], counts["confirmed"], counts["dismissed"], counts["confirmation_rate"]) == (
        2,
        1,
        1,
        0.5,
    )
    # Another unit does not see the list at all.
    _row, raw = create_token(actor=None, user=user_named("officer-bog"), days=1)
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        .get("/api/v1/watchlists/wanted-test/hit-counts")
        .status_code
        == 404
    )


def test_listing_the_queue_is_an_audited_read(wanted, client_for):
    arrive()
    client_for("officer-lfw").get("/hits/")
    entry = AuditEntry.objects.filter(action="hits.listed").latest("seq")
    assert sorted(entry.data["hits"]) == sorted(Hit.objects.values_list("pk", flat=True))
    assert entry.data["via"] == "page" and "ABDULLAH" not in str(entry.data)
