"""/api/v1/capacity/library: the good-practices library (search, one document, its file,
publishing and editing by programme staff). Part of the capacity router (api.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from aircop.capacity import library, selectors_library
from aircop.capacity.api_common import REFUSED, choice, page, refused
from aircop.capacity.codes import DocumentKind, Language, TopicCode
from aircop.core.api_schemas import DetailErrorOut, Offset
from aircop.core.errors import ServiceError

router = Router(tags=["capacity library"])


class DocumentPatch(Schema):
    kind: Any = Field(None, description="curriculum, sop or good_practice")
    title: Any = None
    summary: Any = None
    language: Any = Field(None, description="en, fr, es, pt or ar")
    topics: Any = Field(None, description=", ".join(TopicCode.values))
    readers: Any = Field(None, description="network, region, country or units")
    targets: Any = Field(None, description="region codes, countries (ISO 3166) or unit codes, per readers")


class CapacityDocumentOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    language: str
    topics: list[str]
    readers: str
    targets: list[str]
    owner_unit: str
    name: str
    content_type: str
    size: int
    sha256: str
    url: str
    created_at: datetime
    updated_at: datetime


def _out(user, document) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "title": document.title,
        "summary": document.summary,
        "language": document.language,
        "topics": sorted(t.code for t in document.topics.all()),
        "readers": document.readers,
        "targets": library.as_input(document)["targets"],
        "owner_unit": document.owner_unit.code,
        "name": document.name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "url": reverse("api:capacity_document_file", kwargs={"document_id": document.pk}),
        "created_at": document.created_at,
        "updated_at": document.updated_at,
    }


@router.get(
    "/capacity/library",
    response={200: list[CapacityDocumentOut], 400: DetailErrorOut},
    summary="Search the documents I may read",
)
def list_documents(
    request,
    q: Annotated[str | None, Query(description="words of the title or summary")] = None,
    topic: str | None = None,
    language: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: Offset = 0,
):
    qs = selectors_library.documents(
        request.user,
        q=q,
        topic=choice("topic", topic, TopicCode),
        language=choice("language", language, Language),
        kind=choice("kind", kind, DocumentKind),
    )
    return [_out(request.user, d) for d in page(qs, limit, offset)]


@router.post(
    "/capacity/library",
    response={201: CapacityDocumentOut, **REFUSED},
    summary="Publish a document (programme staff): multipart form with the file and its details",
)
def add_document(
    request,
    file: File[UploadedFile],
    kind: Form[str] = "",
    title: Form[str] = "",
    summary: Form[str] = "",
    language: Form[str] = "",
    topics: Form[str] = "",
    readers: Form[str] = "network",
    targets: Form[str] = "",
):
    """PDF, plain UTF-8 text, DOCX or ODT, at most 20 MB; the type is read from the content.
    ``topics`` and ``targets`` are comma-separated codes."""
    data = {
        "kind": kind,
        "title": title,
        "summary": summary,
        "language": language,
        "topics": topics,
        "readers": readers,
        "targets": targets,
    }
    try:
        document = library.add_document(actor=request.user, uploaded_file=file, data=data)
    except ServiceError as exc:
        return refused(exc)
    return Status(201, _out(request.user, selectors_library.document(request.user, document.pk)))


@router.get("/capacity/library/{document_id}", response=CapacityDocumentOut, summary="One document's details")
def get_document(request, document_id: int):
    return _out(request.user, selectors_library.document(request.user, document_id))


@router.put(
    "/capacity/library/{document_id}",
    response={200: CapacityDocumentOut, **REFUSED},
    summary="Change a document's details and readers (programme staff)",
)
def update_document(request, document_id: int, payload: DocumentPatch):
    document = selectors_library.document(request.user, document_id)
    try:
        library.update_document(actor=request.user, document=document, data=payload.dict(exclude_unset=True))
    except ServiceError as exc:
        return refused(exc)
    return _out(request.user, selectors_library.document(request.user, document_id))


@router.get(
    "/capacity/library/{document_id}/file",
    url_name="capacity_document_file",
    summary="The document's file (a download; audited)",
    openapi_extra={
        "responses": {
            "200": {"description": "The file", "content": {t: {} for t in library.ALLOWED}},
            "404": {"description": "No such document, or not for you to read"},
        }
    },
)
def document_file(request, document_id: int):
    return library.document_response(request.user, document_id)
