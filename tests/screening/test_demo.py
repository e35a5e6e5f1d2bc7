"""The screening part of `aircop demo`: lists, screened manifests, a tested and active rule,
hits in the queues; a second run adds nothing."""

from __future__ import annotations

from aircop.screening import demo, runner
from aircop.screening.models import Hit, HitStatus, RiskRule, Watchlist


def test_the_demo_fills_the_queues_once(db):
    runner.forget()
    made = demo.generate(entries=60, days=1)
    assert made["flights"] == len(demo.FLIGHTS) and made["hits"] == Hit.objects.count() > 0
    assert set(Watchlist.objects.values_list("name", flat=True)) >= {demo.WANTED, demo.DOCUMENTS}
    rule = RiskRule.objects.get(name=demo.RULE)
    assert rule.active_version is not None and rule.active_version.last_test["travellers"] > 0
    sources = set(Hit.objects.values_list("watchlist__name", "rule__name"))
    assert (demo.DOCUMENTS, None) in sources and (None, demo.RULE) in sources
    assert not Hit.objects.filter(units__isnull=True).exists()
    assert set(Hit.objects.values_list("status", flat=True)) == {HitStatus.OPEN}
    assert demo.generate(entries=60, days=1) == {}
    runner.forget()
