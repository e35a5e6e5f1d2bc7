"""Writes about people: participants and their attendance at an activity, and trainers.
Atomic and audited; the audit entries name record numbers, never a person's name.

A participant is found again by unit and name (case, accents and spacing ignored): adding
"OKAFOR Adebayo" of jaitf-los to a second activity reuses the record made for the first.
Counting the same person twice in one activity is refused (and the database has the
constraint ``attendance_once``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.accounts.models import User
from aircop.audit.services import record
from aircop.capacity import validation as v
from aircop.capacity.access import may_edit_trainer, may_organise, reach
from aircop.capacity.models import Activity, Attendance, Participant, Trainer
from aircop.capacity.services import clash_message, clashes
from aircop.core.errors import ServiceError
from aircop.core.visibility import visible_to

PERSON_FIELDS = ("family_name", "given_names", "sex", "unit", "agency", "job_title", "user")
TRAINER_FIELDS = ("family_name", "given_names", "sex", "agency", "organisation", "nationality", "expertise")


def refuse_unless_organiser(actor, activity: Activity) -> None:
    if not may_organise(actor, activity.organising_unit_id):
        raise ServiceError(
            _("only programme staff and the organising unit change who attends"),
            field="participant",
            code="forbidden",
        )


def clean_person(p: v.Problems, data: dict, *, units=None) -> dict:
    """The fields of a new participant (the CSV import uses the same, column by column, with
    ``units``: a cache that looks each unit code up once)."""
    return {
        "family_name": v.text(p, data.get("family_name"), "family_name", limit=100, required=True),
        "given_names": v.text(p, data.get("given_names"), "given_names", limit=150),
        "sex": v.sex(p, data.get("sex")),
        "unit": units.clean(p, data.get("unit")) if units else v.unit(p, data.get("unit"), "unit"),
        "agency": v.agency(p, data.get("agency")),
        "job_title": v.text(p, data.get("job_title"), "job_title", limit=120),
    }


def same_person(p: v.Problems, c: dict, field: str = "family_name") -> Participant | None:
    """The participant already recorded for this unit under this name, if any; a problem
    when that record disagrees on sex or agency, or when the name is not enough to tell."""
    found = list(
        Participant.objects.filter(unit=c["unit"], name_key=v.name_key(c["family_name"], c["given_names"]))[
            :2
        ]
    )
    if len(found) > 1:
        p.add(field, _("several participants of this unit have this name: add this one by its number"))
        return None
    if not found:
        return None
    person = found[0]
    for name in ("sex", "agency"):
        if c[name] and getattr(person, name) != c[name]:
            p.add(
                name,
                _("participant %(id)s of this unit, with this name, is recorded with %(value)s")
                % {"id": person.pk, "value": getattr(person, name)},
            )
    return person


def _user(p: v.Problems, username, unit, *, current: Participant | None = None) -> User | None:
    username = ("" if username is None else str(username)).strip()
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        p.add("user", _("no user %(name)r") % {"name": username})
        return None
    if unit is not None and unit.pk not in user.unit_ids():
        p.add("user", _("%(name)s is not a member of %(unit)s") % {"name": username, "unit": unit.code})
    others = Participant.objects.filter(user=user)
    linked = (others.exclude(pk=current.pk) if current else others).first()
    if linked is not None:
        p.add(
            "user",
            _("%(name)s is already linked to participant %(id)s") % {"name": username, "id": linked.pk},
        )
    return user


def _visible_participant(actor, p: v.Problems, value) -> Participant | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        p.add("participant", _("not a participant number: %(value)r") % {"value": value})
        return None
    qs = Participant.objects.all() if actor is None else visible_to(Participant, actor)
    found = qs.filter(pk=pk).first()
    if found is None:
        p.add("participant", _("no participant %(id)s that you may see") % {"id": pk})
    return found


@transaction.atomic
def add_participant(*, actor, activity: Activity, data: dict) -> Attendance:
    """Add one participant: an existing record by its number (``participant``), or a person
    described by PERSON_FIELDS (found again by unit and name, or created)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    refuse_unless_organiser(actor, activity)
    p = v.Problems()
    created = False
    if data.get("participant") not in (None, ""):
        person, field = _visible_participant(actor, p, data["participant"]), "participant"
    else:
        field = "family_name"
        c = clean_person(p, data)
        p.raise_if_any()
        person = same_person(p, c)
        if person is None and not p:
            user = _user(p, data.get("user"), c["unit"])
            person = Participant(**c, user=user, name_key=v.name_key(c["family_name"], c["given_names"]))
            created = True
    p.raise_if_any()
    if not created and Attendance.objects.filter(activity=activity, participant=person).exists():
        raise v.CapacityInvalid([v.Problem(field, _("already attends this activity"))])
    found = clashes(
        kind=activity.kind,
        start=activity.start_date,
        end=activity.end_date,
        city=activity.city,
        country_id=activity.country_id,
        exclude_activity=activity,
        participants=[] if created else [person.pk],
    )
    if found:
        raise v.CapacityInvalid([v.Problem(field, clash_message(next(iter(found.values()))))])
    now = timezone.now()
    if created:
        person.created_by, person.created_at = actor, now
        person.save()
    attendance = Attendance.objects.create(
        activity=activity, participant=person, added_by=actor, added_at=now
    )
    record(
        actor,
        "activity.participant_added",
        activity,
        data={"participant": person.pk, "new_record": created, "unit": person.unit.code, "sex": person.sex},
    )
    return attendance


@transaction.atomic
def remove_participant(*, actor, attendance: Attendance) -> None:
    refuse_unless_organiser(actor, attendance.activity)
    activity, participant_id = attendance.activity, attendance.participant_id
    attendance.delete()
    record(actor, "activity.participant_removed", activity, data={"participant": participant_id})


@transaction.atomic
def update_participant(*, actor, participant: Participant, data: dict) -> Participant:
    """Correct a participant's record: programme staff, or the participant's own unit."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not may_organise(actor, participant.unit_id):
        raise ServiceError(
            _("only programme staff and the participant's unit correct this record"),
            field="unit",
            code="forbidden",
        )
    p = v.Problems()
    for name in sorted(set(data) - set(PERSON_FIELDS)):
        p.add(name, _("not a field of a participant"))
    current = {
        "family_name": participant.family_name,
        "given_names": participant.given_names,
        "sex": participant.sex,
        "unit": participant.unit.code,
        "agency": participant.agency,
        "job_title": participant.job_title,
    }
    c = clean_person(p, {**current, **data})
    user = participant.user
    if "user" in data:
        user = _user(p, data["user"], c["unit"], current=participant)
    p.raise_if_any()
    if c["unit"].pk != participant.unit_id and not may_organise(actor, c["unit"].pk):
        raise ServiceError(
            _("you cannot move a participant to %(unit)s") % {"unit": c["unit"].code},
            field="unit",
            code="forbidden",
        )
    changed = sorted(k for k, value in c.items() if (value.code if k == "unit" else value) != current[k])
    for name, value in c.items():
        setattr(participant, name, value)
    participant.user = user
    participant.name_key = v.name_key(c["family_name"], c["given_names"])
    participant.save()
    record(actor, "participant.updated", participant, data={"changed": changed, "unit": c["unit"].code})
    return participant


# ------------------------------------------------------------------ trainers
def clean_trainer(data: dict) -> dict:
    p = v.Problems()
    for name in sorted(set(data) - set(TRAINER_FIELDS)):
        p.add(name, _("not a field of a trainer"))
    c = {
        "family_name": v.text(p, data.get("family_name"), "family_name", limit=100, required=True),
        "given_names": v.text(p, data.get("given_names"), "given_names", limit=150),
        "sex": v.sex(p, data.get("sex")),
        "agency": v.agency(p, data.get("agency"), required=False),
        "organisation": v.text(p, data.get("organisation"), "organisation", limit=200),
        "nationality": v.country(p, data.get("nationality"), "nationality"),
        "expertise": v.topics(p, data.get("expertise"), "expertise", required=False),
    }
    p.raise_if_any()
    return c


def _may_record_trainers(actor):
    if actor is None:
        return None
    r = reach(actor)
    if not (r.programme_writer or r.organiser_units):
        raise ServiceError(_("your role cannot record trainers"), field="trainer", code="forbidden")
    return r


def _trainer_summary(trainer: Trainer, c: dict) -> dict:
    return {"nationality": c["nationality"].iso3, "sex": c["sex"], "expertise": c["expertise"]}


@transaction.atomic
def create_trainer(*, actor, data: dict) -> Trainer:
    r = _may_record_trainers(actor)
    c = clean_trainer(data)
    expertise = c.pop("expertise")
    now = timezone.now()
    unit_id = (r.organiser_units or r.units or (None,))[0] if r else None
    trainer = Trainer.objects.create(
        **c, recorded_by_unit_id=unit_id, created_by=actor, created_at=now, updated_at=now
    )
    trainer.expertise.set(expertise)
    record(actor, "trainer.created", trainer, data=_trainer_summary(trainer, {**c, "expertise": expertise}))
    return trainer


def as_trainer_input(trainer: Trainer) -> dict:
    return {
        "family_name": trainer.family_name,
        "given_names": trainer.given_names,
        "sex": trainer.sex,
        "agency": trainer.agency,
        "organisation": trainer.organisation,
        "nationality": trainer.nationality_id,
        "expertise": sorted(trainer.expertise.values_list("code", flat=True)),
    }


@transaction.atomic
def update_trainer(*, actor, trainer: Trainer, data: dict) -> Trainer:
    """Programme staff, or the unit that recorded the trainer."""
    trainer = Trainer.objects.select_for_update().get(pk=trainer.pk)
    _may_record_trainers(actor)
    if not may_edit_trainer(actor, trainer):
        raise ServiceError(
            _("only programme staff and the unit that recorded this trainer change the record"),
            field="trainer",
            code="forbidden",
        )
    c = clean_trainer({**as_trainer_input(trainer), **data})
    expertise = c.pop("expertise")
    for name, value in c.items():
        setattr(trainer, name, value)
    trainer.updated_at = timezone.now()
    trainer.save()
    trainer.expertise.set(expertise)
    record(actor, "trainer.updated", trainer, data=_trainer_summary(trainer, {**c, "expertise": expertise}))
    return trainer
