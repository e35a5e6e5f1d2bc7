"""Every read of capacity-building data, through the visibility helper (docs/handling.md,
"Capacity building").

- Activities and equipment are programme data: programme staff see all of them; a unit sees
  the activities it organises, hosts or benefits from, and the equipment it holds.
- Attendances follow their activity (counts and sex figures carry no name).
- A participant's record (the name) is seen by programme staff, the participant's own unit
  and the units that organised an activity the participant attended.
- Trainers: programme staff, task forces and national headquarters see all of them (they
  choose trainers for their activities); other units see those of the activities they see
  and those they recorded.
- Library documents: selectors_library.py."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from aircop.capacity.access import reach
from aircop.capacity.models import Activity, Attendance, Equipment, Participant, Topic, Trainer
from aircop.core.visibility import get_visible_or_404, register, visible_to
from aircop.network.models import Unit


@register(Topic)
def _topics_policy(qs, user):
    return qs  # the code list itself is open to every signed-in user


def _activities_q(r) -> Q:
    return (
        Q(organising_unit_id__in=r.units)
        | Q(host_unit_id__in=r.units)
        | Q(
            pk__in=Activity.beneficiary_units.through.objects.filter(unit_id__in=r.units).values(
                "activity_id"
            )
        )
    )


@register(Activity)
def _activities_policy(qs, user):
    r = reach(user)
    if r.programme_staff:
        return qs
    if not r.units:
        return qs.none()
    return qs.filter(_activities_q(r))


def _visible_activity_ids(user):
    return _activities_policy(Activity.objects.all(), user).values("pk")


@register(Attendance)
def _attendances_policy(qs, user):
    if reach(user).programme_staff:
        return qs
    return qs.filter(activity_id__in=_visible_activity_ids(user))


@register(Participant)
def _participants_policy(qs, user):
    r = reach(user)
    if r.programme_staff:
        return qs
    if not r.units:
        return qs.none()
    organised = Attendance.objects.filter(activity__organising_unit_id__in=r.units).values("participant_id")
    return qs.filter(Q(unit_id__in=r.units) | Q(pk__in=organised))


@register(Trainer)
def _trainers_policy(qs, user):
    # Trainers are the programme's experts, not its trainees: the task forces and national
    # headquarters that organise activities choose among all of them.
    r = reach(user)
    if r.programme_staff or r.community_units:
        return qs
    if not r.units:
        return qs.none()
    taught = Activity.trainers.through.objects.filter(activity_id__in=_visible_activity_ids(user))
    return qs.filter(Q(recorded_by_unit_id__in=r.units) | Q(pk__in=taught.values("trainer_id")))


@register(Equipment)
def _equipment_policy(qs, user):
    r = reach(user)
    if r.programme_staff:
        return qs
    return qs.filter(holding_unit_id__in=r.units)


# ------------------------------------------------------------------ activities
def topics(user):
    return visible_to(Topic, user).order_by("code")


def activities(user, *, kind=None, topic=None, year=None, country=None, level=None, unit=None, q=None):
    qs = visible_to(Activity, user).select_related("country", "organising_unit", "host_unit", "airport")
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if topic:
        qs = qs.filter(pk__in=Activity.topics.through.objects.filter(topic_id=topic).values("activity_id"))
    if year:
        qs = qs.filter(start_date__year=int(year))
    if country:
        qs = qs.filter(country_id=country.upper())
    if unit:
        qs = qs.filter(
            Q(organising_unit__code=unit)
            | Q(host_unit__code=unit)
            | Q(
                pk__in=Activity.beneficiary_units.through.objects.filter(unit__code=unit).values(
                    "activity_id"
                )
            )
        )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(city__icontains=q))
    return qs.annotate(participant_count=Count("attendances", distinct=True)).order_by("-start_date", "-id")


def activity(user, activity_id: int) -> Activity:
    return get_visible_or_404(
        visible_to(Activity, user)
        .select_related("country", "airport", "organising_unit", "host_unit", "created_by")
        .prefetch_related("topics", "beneficiary_units"),
        user,
        pk=activity_id,
    )


def activity_years(user) -> list[int]:
    dates = visible_to(Activity, user).dates("start_date", "year", order="DESC")
    return [d.year for d in dates]


def activity_trainers(user, activity_obj: Activity):
    return (
        visible_to(Trainer, user)
        .filter(activities=activity_obj)
        .select_related("nationality")
        .prefetch_related("expertise")
    )


# ------------------------------------------------------------------ participants
def attendances(user, activity_obj: Activity):
    """The activity's attendance rows, each with ``named``: whether this user sees the name."""
    rows = list(
        visible_to(Attendance, user)
        .filter(activity=activity_obj)
        .select_related("participant", "participant__unit")
        .order_by("participant__unit__code", "participant__family_name", "participant__given_names", "id")
    )
    named = set(
        visible_to(Participant, user).filter(attendances__activity=activity_obj).values_list("pk", flat=True)
    )
    for row in rows:
        row.named = row.participant_id in named
    return rows


def sex_counts(user, activity_obj: Activity) -> dict[str, int]:
    """Participants by sex (F, M, X) and in all: figures, no names."""
    counts = {
        row["participant__sex"]: row["n"]
        for row in visible_to(Attendance, user)
        .filter(activity=activity_obj)
        .order_by()
        .values("participant__sex")
        .annotate(n=Count("id"))
    }
    result = {sex: counts.get(sex, 0) for sex in ("F", "M", "X")}
    result["total"] = sum(result.values())
    return result


def participant(user, participant_id: int) -> Participant:
    return get_visible_or_404(
        visible_to(Participant, user).select_related("unit", "unit__country"), user, pk=participant_id
    )


def participant_activities(user, participant_obj: Participant):
    return (
        visible_to(Activity, user)
        .filter(attendances__participant=participant_obj)
        .select_related("country")
        .order_by("-start_date", "-id")
    )


def participants(user, *, unit=None, q=None):
    qs = visible_to(Participant, user).select_related("unit")
    if unit:
        qs = qs.filter(unit__code=unit)
    if q:
        qs = qs.filter(Q(family_name__icontains=q) | Q(given_names__icontains=q))
    return qs.order_by("family_name", "given_names", "id")


# ------------------------------------------------------------------ trainers
def trainers(user, *, q=None, nationality=None, topic=None):
    qs = visible_to(Trainer, user).select_related("nationality").prefetch_related("expertise")
    if q:
        qs = qs.filter(
            Q(family_name__icontains=q) | Q(given_names__icontains=q) | Q(organisation__icontains=q)
        )
    if nationality:
        code = nationality.upper()
        qs = qs.filter(Q(nationality_id=code) | Q(nationality__iso3=code))
    if topic:
        qs = qs.filter(pk__in=Trainer.expertise.through.objects.filter(topic_id=topic).values("trainer_id"))
    return qs.annotate(activity_count=Count("activities", distinct=True)).order_by(
        "family_name", "given_names", "id"
    )


def trainer(user, trainer_id: int) -> Trainer:
    return get_visible_or_404(
        visible_to(Trainer, user)
        .select_related("nationality", "recorded_by_unit")
        .prefetch_related("expertise"),
        user,
        pk=trainer_id,
    )


def trainer_activities(user, trainer_obj: Trainer):
    return visible_to(Activity, user).filter(trainers=trainer_obj).order_by("-start_date", "-id")


# ------------------------------------------------------------------ equipment
def equipment(user, *, unit=None, category=None, condition=None, country=None):
    qs = visible_to(Equipment, user).select_related("holding_unit", "holding_unit__country")
    if unit:
        qs = qs.filter(holding_unit__code=unit)
    if category:
        qs = qs.filter(category=category)
    if condition:
        qs = qs.filter(condition=condition)
    if country:
        qs = qs.filter(holding_unit__country_id=country.upper())
    return qs.order_by("-provided_on", "-id")


def equipment_item(user, equipment_id: int) -> Equipment:
    return get_visible_or_404(
        visible_to(Equipment, user).select_related("holding_unit", "created_by"), user, pk=equipment_id
    )


def equipment_unit(user, code: str) -> Unit:
    """A unit whose equipment list the user may open: programme staff, or one of the user's
    own units; 404 otherwise (whether the unit exists or not)."""
    r = reach(user)
    found = visible_to(Unit, user).filter(code=code).select_related("country").first()
    if found is None or not (r.programme_staff or found.pk in r.units):
        raise Http404("not found")
    return found
