"""The capacity-building section of the programme dashboard (programme_sections.SECTIONS):
activities by kind and level, personnel trained with the share of women, trainers by
nationality, equipment by category, from aircop.capacity.figures."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from aircop.analytics.dashboard import Table, fmt
from aircop.analytics.programme_sections import Card, Figure, Section, _bars, _count, share
from aircop.capacity.codes import ActivityKind, EquipmentCategory, Level
from aircop.network import reference


def country_name(code: str) -> str:
    record = reference.country_record(code) if code else None
    return record.name if record is not None else (code or "—")


def _of(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class ProgrammeActivitiesOut(Schema):
    total: int
    by_kind: dict[str, int]
    by_level: dict[str, int]


class ProgrammeWomenOut(Schema):
    trained: int
    women: int
    men: int
    unspecified: int
    share_women: float | None


class ProgrammeEquipmentCategoryOut(Schema):
    items: int
    value: dict[str, float]


class ProgrammeEquipmentOut(Schema):
    items: int
    value: dict[str, float] = Field(description="summed per currency, never converted")
    by_category: dict[str, ProgrammeEquipmentCategoryOut]


class ProgrammeCapacityOut(Schema):
    activities: ProgrammeActivitiesOut
    personnel_trained: int = Field(description="distinct persons who attended an activity held by the date")
    women: ProgrammeWomenOut
    trainer_nationalities: dict[str, int] = Field(
        description="distinct trainers by nationality (ISO alpha-3)"
    )
    equipment: ProgrammeEquipmentOut


# --------------------------------------------------------------------------- capacity building
def _capacity_cards(data: dict) -> list[Card]:
    return [
        Card("activities", _count(data["activities"]["total"]), _("Capacity-building activities")),
        Card("trained", _count(data["personnel_trained"]), _("Personnel trained")),
        Card("share_women", share(data["women"]["share_women"]), _("Women among them")),
    ]


def _capacity_figures(data: dict) -> list[Figure]:
    kinds, categories = dict(ActivityKind.choices), dict(EquipmentCategory.choices)
    activities = Table(
        "activities_by_kind",
        _("Activities by kind"),
        [("label", _("Kind of activity")), ("activities", _("Activities"))],
        sorted(
            ([str(kinds.get(k, k)), n] for k, n in data["activities"]["by_kind"].items()),
            key=lambda r: (-r[1], r[0]),
        ),
        note=_("National: %(national)s; regional: %(regional)s.")
        % {
            "national": _count(data["activities"]["by_level"].get(Level.NATIONAL, 0)),
            "regional": _count(data["activities"]["by_level"].get(Level.REGIONAL, 0)),
        },
    )
    women = data["women"]
    trained = Table(
        "trained_by_sex",
        _("Personnel trained, by sex"),
        [("label", _("Sex")), ("people", _("Persons")), ("share", _("Share"))],
        [
            [_("Women"), women["women"], _of(women["women"], women["trained"])],
            [_("Men"), women["men"], _of(women["men"], women["trained"])],
            [_("Not stated"), women["unspecified"], _of(women["unspecified"], women["trained"])],
        ],
    )
    nationalities = Table(
        "trainer_nationalities",
        _("Trainers by nationality"),
        [("label", _("Nationality")), ("trainers", _("Trainers"))],
        [[country_name(code), n] for code, n in data["trainer_nationalities"].items()],
    )
    equipment = Table(
        "equipment_by_category",
        _("Equipment provided, by category"),
        [("label", _("Category")), ("items", _("Items")), ("value_text", _("Value"))],
        sorted(
            (
                [
                    str(categories.get(k, k)),
                    row["items"],
                    ", ".join(f"{fmt(v)} {c}" for c, v in sorted(row["value"].items())) or "—",
                ]
                for k, row in data["equipment"]["by_category"].items()
            ),
            key=lambda r: (-r[1], r[0]),
        ),
        note=_("Values are added up per currency, never converted."),
    )
    return [
        Figure(activities, _bars("activities", _("Activities"), _("No activity"))),
        Figure(trained, _bars("people", _("Persons"), _("Nobody trained"))),
        Figure(nationalities, _bars("trainers", _("Trainers"), _("No trainer"))),
        Figure(equipment, _bars("items", _("Items"), _("No equipment"))),
    ]


SECTION = Section(
    "capacity",
    gettext_lazy("Capacity building"),
    ProgrammeCapacityOut,
    _capacity_cards,
    _capacity_figures,
    description=gettext_lazy(
        "Trainings, mentoring, study visits, exchanges and meetings held up to the date; the "
        "persons who attended them (each counted once) and their trainers; equipment provided."
    ),
)
