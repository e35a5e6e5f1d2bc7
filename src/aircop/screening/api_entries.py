"""/api/v1/watchlists/{name}/entries and /import: a list's entries over REST (docs/screening.md,
"Managing lists on the web and the API"). Thin, like api.py (the lists): its routes go on the
same router (api_common.py), and refusals are answered as api.py's docstring says.

Only the members of the owning unit read the entries: a list the caller does not see answers
404, one whose entries the caller may not read (an administrator) 403. Listing entries and
reading one are audited reads. An import is all or nothing: a file with a wrong line answers
422 with every problem."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, File, Query, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from aircop.core.errors import ServiceError
from aircop.screening import importer, selectors, services
from aircop.screening.api_common import NOT_FOUND, REFUSED, ErrorOut, refused, router
from aircop.screening.models import Watchlist, WatchlistEntry

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
MAX_IMPORT_BYTES = services.MAX_UPLOAD_BYTES
CHUNK = 64 * 1024


# ------------------------------------------------------------------ schemas
class DocumentIn(Schema):
    number: str = ""
    country: str = Field("", description="issuing country, ISO 3166 alpha-2 or alpha-3")
    type: str = Field("", description="e.g. P (passport), I (identity card)")


class WatchlistDocumentOut(Schema):
    number: str
    country: str | None = Field(description="ISO 3166 alpha-3")
    type: str


class EntryIn(Schema):
    reference: str = Field(description="the entry's identifier in its source, unique in the list")
    names: list[str] | str = Field(
        [], description="the name and its aliases, any script (a list, or separated by |)"
    )
    date_of_birth: str = Field("", description="YYYY-MM-DD, YYYY-MM or YYYY")
    nationality: str = Field("", description="ISO 3166 alpha-2 or alpha-3 (stored as alpha-3)")
    sex: str = Field("", description="M, F or X")
    documents: list[DocumentIn] = Field([], description="travel documents (required in a list of documents)")
    reason: str = ""


class EntryPatch(Schema):
    """Only the fields sent are changed; the reference stays."""

    names: list[str] | str | None = None
    date_of_birth: str | None = None
    nationality: str | None = None
    sex: str | None = None
    documents: list[DocumentIn] | None = None
    reason: str | None = None


class EntryOut(Schema):
    reference: str
    names: list[str]
    date_of_birth: str
    nationality: str
    sex: str
    documents: list[WatchlistDocumentOut]
    reason: str
    added_at: datetime
    updated_at: datetime


class EntryPageOut(Schema):
    watchlist: str
    revision: int
    count: int = Field(description="entries found (all of the list without q)")
    page: int
    pages: int
    page_size: int
    entries: list[EntryOut]


class WatchlistLineProblemOut(Schema):
    line: int = Field(description="the line of the file (in JSON: the entry's position in the list)")
    field: str
    reason: str


class WatchlistImportRefusedOut(Schema):
    detail: str
    rows: int
    problems: list[WatchlistLineProblemOut]


class WatchlistImportOut(Schema):
    watchlist: str
    file: str
    sha256: str
    rows: int
    created: int
    updated: int
    removed: int
    revision: int


# ------------------------------------------------------------------ helpers
def _entry_out(entry: WatchlistEntry) -> dict:
    return {
        "reference": entry.reference,
        "names": entry.names,
        "date_of_birth": entry.date_of_birth,
        "nationality": entry.nationality,
        "sex": entry.sex,
        "documents": [
            {"number": d.get("number", ""), "country": d.get("country"), "type": d.get("type", "")}
            for d in entry.documents
        ],
        "reason": entry.reason,
        "added_at": entry.added_at,
        "updated_at": entry.updated_at,
    }


def _readable(request, name: str) -> Watchlist:
    """A list whose entries the caller reads: 404 when the list is not visible, 403 when it is
    (an administrator) but its entries are not."""
    wl = selectors.watchlist(request.user, name)
    if not selectors.sees_entries(request.user, wl):
        raise HttpError(403, _("the entries of a list are shown to the members of its owning unit only"))
    return wl


def _entry_fields(data: dict) -> dict:
    if "documents" in data and data["documents"] is not None:
        data["documents"] = [dict(d) for d in data["documents"]]
    return data


def _read_body(request) -> bytes:
    declared = request.META.get("CONTENT_LENGTH")
    too_big = _("the file is larger than %(n)d MB: import it with `aircop watchlist import`") % {
        "n": MAX_IMPORT_BYTES // (1024 * 1024)
    }
    if declared and declared.isdigit() and int(declared) > MAX_IMPORT_BYTES:
        raise HttpError(413, too_big)
    parts, size = [], 0
    while chunk := request.read(CHUNK):
        size += len(chunk)
        if size > MAX_IMPORT_BYTES:
            raise HttpError(413, too_big)
        parts.append(chunk)
    return b"".join(parts)


# ------------------------------------------------------------------ entries
# The operation ids are given: by default they name the module, and these routes were in
# api.py when clients were first generated from the OpenAPI document.
@router.get(
    "/watchlists/{name}/entries",
    response={200: EntryPageOut, 403: ErrorOut, **NOT_FOUND},
    summary="A list's entries, a page at a time, searchable (an audited read)",
    operation_id="aircop_screening_api_list_entries",
)
def list_entries(
    request,
    name: str,
    q: Annotated[str, Query(description="a part of a reference, a name or a document number")] = "",
    page: Annotated[int, Query(description="from 1")] = 1,
    page_size: Annotated[int, Query(description=f"at most {MAX_PAGE_SIZE}")] = PAGE_SIZE,
):
    wl = _readable(request, name)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    result = selectors.entry_page(request.user, wl, q=q, page=max(1, page), per_page=page_size, via="api")
    return {
        "watchlist": wl.name,
        "revision": wl.revision,
        "count": result.paginator.count,
        "page": result.number,
        "pages": result.paginator.num_pages,
        "page_size": page_size,
        "entries": [_entry_out(e) for e in result],
    }


@router.post(
    "/watchlists/{name}/entries",
    response={201: EntryOut, **REFUSED},
    summary="Add one entry (checked like a line of an imported file)",
    operation_id="aircop_screening_api_add_entry",
)
def add_entry(request, name: str, payload: EntryIn):
    wl = _readable(request, name)
    try:
        entry = services.add_entry(actor=request.user, watchlist=wl, **_entry_fields(payload.dict()))
    except ServiceError as exc:
        return refused(exc)
    return Status(201, _entry_out(entry))


@router.get(
    "/watchlists/{name}/entries/{path:reference}",
    response={200: EntryOut, 403: ErrorOut, **NOT_FOUND},
    summary="One entry by its reference (an audited read)",
    operation_id="aircop_screening_api_get_entry",
)
def get_entry(request, name: str, reference: str):
    wl = _readable(request, name)
    return _entry_out(selectors.read_entry(request.user, wl, reference=reference, via="api"))


@router.patch(
    "/watchlists/{name}/entries/{path:reference}",
    response={200: EntryOut, **REFUSED},
    summary="Change an entry (the fields sent; the reference stays)",
    operation_id="aircop_screening_api_update_entry",
)
def update_entry(request, name: str, reference: str, payload: EntryPatch):
    wl = _readable(request, name)
    entry = selectors.entry(request.user, wl, reference=reference)
    try:
        entry = services.update_entry(
            actor=request.user, entry=entry, **_entry_fields(payload.dict(exclude_unset=True))
        )
    except ServiceError as exc:
        return refused(exc)
    return _entry_out(entry)


@router.delete(
    "/watchlists/{name}/entries/{path:reference}",
    response={204: None, **REFUSED},
    summary='Remove an entry, saying why (?reason=..., or a JSON body {"reason": ...})',
    operation_id="aircop_screening_api_remove_entry",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"reason": {"type": "string"}},
                        "required": ["reason"],
                    }
                }
            },
        }
    },
)
def remove_entry(
    request,
    name: str,
    reference: str,
    reason: Annotated[
        str, Query(description="why it is removed (kept in the audit trail: write no names)")
    ] = "",
):
    wl = _readable(request, name)
    entry = selectors.entry(request.user, wl, reference=reference)
    if not reason and request.content_type == "application/json":
        try:
            reason = str(json.loads(request.body or b"{}").get("reason") or "")
        except (ValueError, AttributeError):
            reason = ""
    try:
        services.remove_entry(actor=request.user, entry=entry, reason=reason)
    except ServiceError as exc:
        return refused(exc)
    return Status(204, None)


# ------------------------------------------------------------------ import
@router.post(
    "/watchlists/{name}/import",
    # 422: a wrong line (nothing imported), or a parameter the framework refuses (ErrorOut).
    response={200: WatchlistImportOut, 413: ErrorOut, 422: WatchlistImportRefusedOut | ErrorOut, **REFUSED},
    summary="Import entries from a CSV or JSON file: every line, or nothing when a line is wrong",
    operation_id="aircop_screening_api_import_file",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"type": "array", "items": {"type": "object"}},
                            {"type": "object", "properties": {"entries": {"type": "array"}}},
                        ]
                    }
                },
                "text/csv": {"schema": {"type": "string"}},
            }
        }
    },
)
def import_file(
    request,
    name: str,
    file: File[UploadedFile] = None,
    replace: Annotated[bool, Query(description="remove the entries the file does not hold")] = False,
    fmt: Annotated[
        str | None,
        Query(alias="format", description="csv or json; default: from the file's name or the content type"),
    ] = None,
):
    """Send the file as the ``file`` part of a multipart form, or the entries as the request
    body: JSON (a list of entries, or ``{"entries": [...]}``, as in a JSON file) or CSV
    (``Content-Type: text/csv``). Columns and keys as in docs/screening.md. An entry whose
    reference is in the list is updated, a new one added; with ``replace=true`` the others are
    removed. When a line is wrong nothing is imported and the answer is 422 with every problem."""
    wl = _readable(request, name)
    if file is not None:
        if file.size > MAX_IMPORT_BYTES:
            raise HttpError(
                413,
                _("the file is larger than %(n)d MB: import it with `aircop watchlist import`")
                % {"n": MAX_IMPORT_BYTES // (1024 * 1024)},
            )
        data, file_name = b"".join(file.chunks()), (file.name or "")[:200]
        guessed = "json" if file_name.lower().endswith(".json") else "csv"
    else:
        data, file_name = _read_body(request), ""
        guessed = "json" if request.content_type in ("application/json", "") else "csv"
    if not data.strip():
        return refused(ServiceError(_("the file is empty"), field="file"))
    try:
        report = services.import_entries(
            actor=request.user,
            watchlist=wl,
            data=data,
            name=file_name,
            fmt=(fmt or guessed).lower(),
            replace=replace,
        )
    except importer.ImportFileError as exc:
        return refused(ServiceError(str(exc), field="file"))
    except ServiceError as exc:
        return refused(exc)
    if not report.ok:
        return Status(
            422,
            {
                "detail": ngettext(
                    "%(n)d problem in the file; nothing imported",
                    "%(n)d problems in the file; nothing imported",
                    len(report.problems),
                )
                % {"n": len(report.problems)},
                "rows": report.rows,
                "problems": [{"line": p.line, "field": p.field, "reason": p.reason} for p in report.problems],
            },
        )
    wl.refresh_from_db(fields=["revision"])
    return {
        "watchlist": wl.name,
        "file": report.name,
        "sha256": report.sha256,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "removed": report.removed,
        "revision": wl.revision,
    }
