"""The capacity-building demo: sizes and proportions, the services' rules honoured (nobody in
two places at once, exchanges with two units), the library's files, idempotence and
determinism."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from aircop.audit.models import AuditEntry
from aircop.capacity import demo, figures, library
from aircop.capacity.models import Activity, Attendance, Document, Equipment, Participant, Trainer
from aircop.capacity.services import CLASH_EXEMPT_KINDS

END = date(2025, 12, 31)


@pytest.fixture
def generated(db):
    counts = demo.generate(seed=1, end=END)
    assert counts
    return counts


def _signature():
    return [
        (a.kind, a.title, a.start_date, a.end_date, a.organising_unit_id, a.attendances.count())
        for a in Activity.objects.filter(notes=demo.DEMO_NOTE).order_by("id")[:60]
    ]


def test_sizes_and_proportions(generated):
    assert 400 <= generated["activities"] == Activity.objects.count()
    assert 2000 <= generated["participants"] <= 5000
    assert generated["attendances"] == Attendance.objects.count() > generated["participants"]
    assert 40 <= generated["documents"] == Document.objects.count() <= 60
    assert generated["equipment"] == Equipment.objects.count() >= 100
    women = figures.women_share(END)
    assert women["trained"] == generated["participants"]
    assert 0.2 <= women["share_women"] <= 0.3
    assert len(figures.trainer_nationalities(END)) >= 8
    kinds = figures.activities(END)["by_kind"]
    assert all(kinds[k] > 0 for k in kinds), kinds
    years = {a.start_date.year for a in Activity.objects.all()}
    assert min(years) == 2011 and max(years) == END.year
    assert AuditEntry.objects.filter(action="capacity.demo_generated").count() == 1


def test_activities_keep_the_services_rules(generated):
    for a in Activity.objects.prefetch_related("beneficiary_units", "topics").select_related(
        "organising_unit"
    ):
        assert a.start_date <= a.end_date <= END
        assert (a.end_date - a.start_date).days < 366
        assert a.topics.all(), a.title
        assert a.organising_unit.kind in ("jaitf", "national_hq", "regional_office")
        if a.kind == "exchange":
            beneficiaries = list(a.beneficiary_units.all())
            assert a.host_unit_id and len(beneficiaries) == 1 and beneficiaries[0].pk != a.host_unit_id


def test_nobody_is_in_two_places_at_once(generated):
    places = {
        a.pk: (a.start_date, a.end_date, a.city.lower(), a.country_id)
        for a in Activity.objects.exclude(kind__in=CLASH_EXEMPT_KINDS)
    }
    for rows in (
        Attendance.objects.values_list("participant_id", "activity_id"),
        Activity.trainers.through.objects.values_list("trainer_id", "activity_id"),
    ):
        by_person = defaultdict(list)
        for person, activity in rows:
            if activity in places:
                by_person[person].append(places[activity])
        for spans in by_person.values():
            spans.sort()
            for i, (_s1, e1, c1, k1) in enumerate(spans):
                for s2, _e2, c2, k2 in spans[i + 1 :]:
                    if s2 > e1:
                        break
                    assert (c1, k1) == (c2, k2), spans


def test_basic_trainings_come_with_the_connection(generated):
    for a in Activity.objects.filter(kind="basic_training").select_related("host_unit"):
        connected = a.host_unit.connected_on
        assert connected - timedelta(days=121) <= a.start_date or a.start_date == date(2011, 1, 3)


def test_library_files_are_stored_and_match_their_rows(generated):
    folder = Path(settings.MEDIA_ROOT) / library.KIND
    for document in Document.objects.all():
        data = (folder / document.stored_name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == document.sha256 and len(data) == document.size
    assert Document.objects.exclude(readers="network").count() >= 5
    assert set(Document.objects.values_list("language", flat=True)) == {"en", "fr", "es", "pt", "ar"}


def test_a_second_run_adds_nothing(generated):
    counts = [m.objects.count() for m in (Activity, Participant, Attendance, Trainer, Document, Equipment)]
    audit = AuditEntry.objects.count()
    assert demo.generate(seed=1, end=END) == {}
    assert demo.generate(seed=2) == {}
    assert [
        m.objects.count() for m in (Activity, Participant, Attendance, Trainer, Document, Equipment)
    ] == counts
    assert AuditEntry.objects.count() == audit


def test_deterministic_for_a_seed(generated):
    first = _signature()
    for model in (Activity, Participant, Trainer, Document, Equipment):
        model.objects.all().delete()
    assert demo.generate(seed=1, end=END)
    assert _signature() == first


def test_nothing_without_the_network(db):
    Activity.objects.all().delete()
    from aircop.network.models import Unit

    Unit.objects.filter(code=demo.PCU).update(code="renamed-pcu")
    assert demo.generate(seed=1, end=END) == {}
