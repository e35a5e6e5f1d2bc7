"""/api/v1/capacity/trainers: the programme's trainers (list, one, record, change). Part of
the capacity router (api.py)."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Query, Router, Schema, Status

from aircop.capacity import selectors, services_people
from aircop.capacity.api_common import REFUSED, choice, page, refused
from aircop.capacity.codes import TopicCode
from aircop.core.api_schemas import DetailErrorOut, Offset
from aircop.core.errors import ServiceError

router = Router(tags=["capacity trainers"])


class TrainerIn(Schema):
    family_name: Any = None
    given_names: Any = None
    sex: Any = Field(None, description="F, M or X")
    agency: Any = None
    organisation: Any = None
    nationality: Any = Field(None, description="ISO 3166 alpha-2 or alpha-3")
    expertise: Any = Field(None, description="topics")


class TrainerOut(Schema):
    id: int
    family_name: str
    given_names: str
    sex: str
    agency: str
    organisation: str
    nationality: str = Field(description="ISO 3166 alpha-3")
    expertise: list[str]


def _trainer_out(t) -> dict:
    return {
        "id": t.pk,
        "family_name": t.family_name,
        "given_names": t.given_names,
        "sex": t.sex,
        "agency": t.agency,
        "organisation": t.organisation,
        "nationality": t.nationality.iso3,
        "expertise": sorted(x.code for x in t.expertise.all()),
    }


@router.get(
    "/capacity/trainers", response={200: list[TrainerOut], 400: DetailErrorOut}, summary="Trainers I may see"
)
def list_trainers(
    request,
    q: str | None = None,
    nationality: Annotated[str | None, Query(description="ISO 3166 alpha-2 or alpha-3")] = None,
    topic: str | None = None,
    limit: int = 100,
    offset: Offset = 0,
):
    qs = selectors.trainers(
        request.user, q=q, nationality=nationality, topic=choice("topic", topic, TopicCode)
    )
    return [_trainer_out(t) for t in page(qs, limit, offset)]


@router.post("/capacity/trainers", response={201: TrainerOut, **REFUSED}, summary="Record a trainer")
def create_trainer(request, payload: TrainerIn):
    try:
        trainer = services_people.create_trainer(actor=request.user, data=payload.dict(exclude_unset=True))
    except ServiceError as exc:
        return refused(exc)
    return Status(201, _trainer_out(selectors.trainer(request.user, trainer.pk)))


@router.get("/capacity/trainers/{trainer_id}", response=TrainerOut, summary="One trainer")
def get_trainer(request, trainer_id: int):
    return _trainer_out(selectors.trainer(request.user, trainer_id))


@router.put(
    "/capacity/trainers/{trainer_id}", response={200: TrainerOut, **REFUSED}, summary="Change a trainer"
)
def update_trainer(request, trainer_id: int, payload: TrainerIn):
    trainer = selectors.trainer(request.user, trainer_id)
    try:
        services_people.update_trainer(
            actor=request.user, trainer=trainer, data=payload.dict(exclude_unset=True)
        )
    except ServiceError as exc:
        return refused(exc)
    return _trainer_out(selectors.trainer(request.user, trainer_id))
