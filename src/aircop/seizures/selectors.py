"""Every read of seizure records, through the visibility helper (docs/handling.md,
"Seizures").

A user sees a seizure record when:
  1. one of their units recorded it (any label, drafts included); otherwise only submitted
     or validated records, and never a TLP:RED one:
  2. it happened in a country whose national headquarters is one of their units, or they
     are the national coordinator of that country;
  3. it is linked to an alert that one of their units sent (the tip-off loop: the sender
     sees what came of its alert);
  4. TLP:CLEAR, GREEN or AMBER, and one of their units is the programme office of its region;
  5. TLP:CLEAR or GREEN, and they belong to a task force, a national headquarters or a
     programme office (the community).

Nominal data of the persons involved (names, documents, date of birth) is shown under 1, 2
and 3 only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from aircop.accounts.models import Role
from aircop.core.visibility import get_visible_or_404, register, visible_to
from aircop.messaging.models import Alert, Tlp
from aircop.network.models import Unit, UnitKind
from aircop.seizures.codes import Status
from aircop.seizures.models import Seizure, SeizureItem, SeizurePerson, SeizurePhoto

COMMUNITY_KINDS = (UnitKind.JAITF, UnitKind.NATIONAL_HQ, UnitKind.REGIONAL_OFFICE)


@dataclass(frozen=True)
class Reach:
    """What a user's units and role give them, read once per request."""

    units: tuple[int, ...]
    hq_countries: tuple[str, ...]
    regions: tuple[int, ...]
    community: bool


def reach(user) -> Reach:
    cached = getattr(user, "_seizure_reach", None)
    if cached is not None:
        return cached
    units = list(
        Unit.objects.filter(pk__in=user.unit_ids()).values_list("pk", "kind", "country_id", "region_id")
    )
    hq = {c for _, kind, c, _r in units if kind == UnitKind.NATIONAL_HQ}
    if user.role == Role.COORDINATOR:
        hq |= set(user.country_codes())
    result = Reach(
        units=tuple(u for u, *_ in units),
        hq_countries=tuple(sorted(hq)),
        regions=tuple(r for _, kind, _c, r in units if kind == UnitKind.REGIONAL_OFFICE and r),
        community=any(kind in COMMUNITY_KINDS for _, kind, _c, _r in units),
    )
    user._seizure_reach = result
    return result


def _nominal_q(r: Reach, prefix: str = "") -> Q:
    """Records whose persons' nominal data the user sees (rules 1 to 3)."""
    shared = Q(**{f"{prefix}status__in": (Status.SUBMITTED, Status.VALIDATED)}) & ~Q(
        **{f"{prefix}tlp": Tlp.RED}
    )
    sent_alerts = Alert.objects.filter(sender_unit_id__in=r.units).values("pk")
    return (
        Q(**{f"{prefix}unit_id__in": r.units})
        | (shared & Q(**{f"{prefix}country_id__in": r.hq_countries}))
        | (shared & Q(**{f"{prefix}alerts__in": sent_alerts}))
    )


def _record_q(r: Reach, prefix: str = "") -> Q:
    shared = Q(**{f"{prefix}status__in": (Status.SUBMITTED, Status.VALIDATED)})
    q = _nominal_q(r, prefix)
    if r.regions:
        q |= shared & Q(
            **{f"{prefix}tlp__in": (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER), f"{prefix}region_id__in": r.regions}
        )
    if r.community:
        q |= shared & Q(**{f"{prefix}tlp__in": (Tlp.CLEAR, Tlp.GREEN)})
    return q


@register(Seizure)
def _seizures_policy(qs, user):
    r = reach(user)
    # The alert join of rule 3 can repeat a row: keep each record once.
    return qs.filter(pk__in=Seizure.objects.filter(_record_q(r)).values("pk"))


@register(SeizureItem)
def _items_policy(qs, user):
    return qs.filter(seizure__in=_seizures_policy(Seizure.objects.all(), user).values("pk"))


@register(SeizurePerson)
def _persons_policy(qs, user):
    return qs.filter(seizure__in=_seizures_policy(Seizure.objects.all(), user).values("pk"))


@register(SeizurePhoto)
def _photos_policy(qs, user):
    # A photo of a person or a document follows the nominal-data rule.
    r = reach(user)
    visible = _seizures_policy(Seizure.objects.all(), user).values("pk")
    nominal_ok = Seizure.objects.filter(_nominal_q(r)).values("pk")
    return qs.filter(seizure__in=visible).filter(Q(nominal=False) | Q(seizure__in=nominal_ok))


def photos(user, seizure_obj: Seizure):
    return visible_to(SeizurePhoto, user).filter(seizure=seizure_obj).order_by("created_at", "id")


def sees_nominal(user, seizure: Seizure) -> bool:
    return Seizure.objects.filter(_nominal_q(reach(user)), pk=seizure.pk).exists()


def seizures(
    user,
    *,
    category=None,
    subtype=None,
    airport=None,
    country=None,
    status=None,
    date_from=None,
    date_to=None,
):
    qs = visible_to(Seizure, user).select_related("airport", "unit", "origin", "destination")
    if category:
        qs = qs.filter(items__category=category).distinct()
    if subtype:
        qs = qs.filter(items__subtype=subtype).distinct()
    if airport:
        qs = qs.filter(airport__iata=airport.upper())
    if country:
        qs = qs.filter(country_id=country.upper())
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs.order_by("-occurred_at", "-id")


def seizure(user, seizure_id: int) -> Seizure:
    return get_visible_or_404(
        visible_to(Seizure, user).select_related(
            "airport",
            "unit",
            "origin",
            "destination",
            "goods_origin_country",
            "triggering_alert",
            "created_by",
            "validated_by",
        ),
        user,
        pk=seizure_id,
    )


def items(user, seizure_obj: Seizure):
    return visible_to(SeizureItem, user).filter(seizure=seizure_obj).order_by("position", "id")


def persons(user, seizure_obj: Seizure):
    return (
        visible_to(SeizurePerson, user)
        .filter(seizure=seizure_obj)
        .select_related("nationality")
        .order_by("position", "id")
    )


def linked_alerts(user, seizure_obj: Seizure):
    """The alerts linked to the record that this user may see (an alert keeps its own rules)."""
    return (
        visible_to(Alert, user)
        .filter(seizures=seizure_obj)
        .select_related("sender_unit")
        .order_by("created_at")
    )


def seizures_of_alert(user, alert: Alert):
    """The records linked to an alert that this user may see (shown on the alert's page)."""
    return visible_to(Seizure, user).filter(alerts=alert).select_related("airport").order_by("occurred_at")
