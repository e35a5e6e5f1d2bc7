"""The good-practices library: curricula, standard operating procedures and good-practice
notes, per topic and language, with who may read each (selectors_library.py).

Files follow core/uploads.py: checked by their bytes (PDF, plain UTF-8 text, DOCX, ODT),
stored outside the web root under a random name, with their SHA-256; the user's file name
is kept in the row only. They go out only through ``document_response``, after the readers
check (404 otherwise), always as a download, and every download is audited. Programme staff
publish and edit documents."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.audit.services import record
from aircop.capacity import validation as v
from aircop.capacity.access import PROGRAMME_UNIT_KINDS, may_write_programme
from aircop.capacity.codes import DocumentKind, Language, Readers
from aircop.capacity.models import Document, DocumentReader
from aircop.core import uploads
from aircop.core.errors import ServiceError
from aircop.core.visibility import get_visible_or_404
from aircop.network.models import Region, Unit

KIND = "capacity-library"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
ALLOWED = {uploads.PDF: "PDF", TEXT: "TXT", DOCX: "DOCX", ODT: "ODT"}
FIELDS = ("kind", "title", "summary", "language", "topics", "readers", "targets")
MAX_TARGETS = 50


def max_bytes() -> int:
    return getattr(settings, "AIRCOP_LIBRARY_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_file(data: bytes) -> str:
    """The content type the bytes show, or a ServiceError naming ``file``."""
    detected = uploads.sniff(data)
    if detected == TEXT:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            detected = "application/octet-stream"
        else:
            if b"\x00" in data:
                detected = "application/octet-stream"
    if detected not in ALLOWED:
        raise ServiceError(
            _("files of type %(type)s are not accepted (detected from the content); allowed: %(allowed)s")
            % {"type": detected, "allowed": ", ".join(ALLOWED.values())},
            field="file",
        )
    if detected == uploads.PDF and not data.startswith(b"%PDF-"):
        raise ServiceError(
            _("the file does not start with the PDF header %(header)s") % {"header": "%PDF-"}, field="file"
        )
    return detected


def _targets(p: v.Problems, readers: str, values) -> list[dict]:
    if isinstance(values, str):
        values = [x for x in values.replace(";", ",").split(",") if x.strip()]
    if not values:
        values = []
    elif not isinstance(values, list | tuple):  # a number or an object sent to the API
        p.add("targets", _("a list of region, country or unit codes"))
        return []
    values = list(values)
    if readers == Readers.NETWORK or not readers:
        if values:
            p.add("targets", _("the whole network takes no targets: leave them empty"))
        return []
    if not values:
        p.add("targets", _("name at least one region, country or unit, as the readers scope says"))
        return []
    if len(values) > MAX_TARGETS:
        p.add("targets", _("at most %(n)d targets") % {"n": MAX_TARGETS})
        return []
    found: list[dict] = []
    for i, value in enumerate(values):
        field = f"targets[{i}]"
        if readers == Readers.REGION:
            code = str(value).strip().lower()
            region = Region.objects.filter(code=code).first()
            if region is None:
                p.add(field, _("no region %(code)r") % {"code": code})
                continue
            target = {"region": region}
        elif readers == Readers.COUNTRY:
            country = v.country(p, value, field)
            if country is None:
                continue
            target = {"country": country}
        else:
            unit = v.unit(p, value, field)
            if unit is None:
                continue
            target = {"unit": unit}
        if target not in found:
            found.append(target)
    return found


def clean(data: dict) -> dict:
    p = v.Problems()
    for name in sorted(set(data) - set(FIELDS)):
        p.add(name, _("not a field of a library document"))
    readers = v.choice(p, data.get("readers") or Readers.NETWORK, "readers", Readers)
    c = {
        "kind": v.choice(p, data.get("kind"), "kind", DocumentKind),
        "title": v.text(p, data.get("title"), "title", limit=200, required=True),
        "summary": v.text(p, data.get("summary"), "summary", limit=v.TEXT_LIMIT),
        "language": v.choice(p, data.get("language"), "language", Language),
        "topics": v.topics(p, data.get("topics")),
        "readers": readers,
        "targets": _targets(p, readers, data.get("targets")),
    }
    p.raise_if_any()
    return c


def _owner_unit(actor, owner_unit: Unit | None) -> Unit:
    if owner_unit is not None:
        return owner_unit
    units = Unit.objects.filter(pk__in=actor.unit_ids()).order_by("code")
    found = units.filter(kind__in=PROGRAMME_UNIT_KINDS).first() or units.first()
    if found is None:
        raise ServiceError(_("you belong to no unit that could publish this document"), field="file")
    return found


def _refuse_unless_programme(actor) -> None:
    if not may_write_programme(actor):
        raise ServiceError(
            _("only programme staff publish and edit library documents"), field="file", code="forbidden"
        )


def _write_readers(document: Document, targets: list[dict]) -> None:
    DocumentReader.objects.filter(document=document).delete()
    DocumentReader.objects.bulk_create([DocumentReader(document=document, **t) for t in targets])


def _target_code(target: dict) -> str:
    if "region" in target:
        return target["region"].code
    if "country" in target:
        return target["country"].iso2
    return target["unit"].code


def _summary(c: dict) -> dict:
    targets = [_target_code(t) for t in c["targets"]]
    return {
        "kind": c["kind"],
        "title": c["title"],
        "language": c["language"],
        "topics": c["topics"],
        "readers": c["readers"],
        "targets": targets,
    }


def add_document(*, actor, uploaded_file, data: dict, owner_unit: Unit | None = None) -> Document:
    """Publish a document. The metadata and the file are checked before any transaction;
    the file is written, then the row, its readers and the audit entry atomically, and the
    file goes again if that fails."""
    _refuse_unless_programme(actor)
    c = clean(data)
    owner = _owner_unit(actor, owner_unit)
    name = uploads.clean_name(getattr(uploaded_file, "name", ""))
    raw = uploads.read_limited(uploaded_file, max_bytes())
    content_type = check_file(raw)
    written: list[Path] = []
    try:
        stored_name = uploads.store(KIND, raw, None, written)
        with transaction.atomic():
            now = timezone.now()
            document = Document.objects.create(
                kind=c["kind"],
                title=c["title"],
                summary=c["summary"],
                language=c["language"],
                readers=c["readers"],
                owner_unit=owner,
                name=name,
                content_type=content_type,
                size=len(raw),
                sha256=hashlib.sha256(raw).hexdigest(),
                stored_name=stored_name,
                uploaded_by=actor,
                created_at=now,
                updated_at=now,
            )
            document.topics.set(c["topics"])
            _write_readers(document, c["targets"])
            record(
                actor,
                "document.added",
                document,
                data={**_summary(c), "name": name, "size": len(raw), "sha256": document.sha256},
            )
            return document
    except BaseException:
        uploads.remove(written)
        raise


def as_input(document: Document) -> dict:
    targets = [
        r.region.code if r.region_id else r.country_id if r.country_id else r.unit.code
        for r in document.reader_entries.select_related("region", "unit").order_by("id")
    ]
    return {
        "kind": document.kind,
        "title": document.title,
        "summary": document.summary,
        "language": document.language,
        "topics": sorted(document.topics.values_list("code", flat=True)),
        "readers": document.readers,
        "targets": targets,
    }


@transaction.atomic
def update_document(*, actor, document: Document, data: dict) -> Document:
    """Change the metadata and readers; a new version of the file is a new document."""
    _refuse_unless_programme(actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    merged = {**as_input(document), **data}
    if "readers" in data and "targets" not in data:
        merged["targets"] = []
    c = clean(merged)
    for name in ("kind", "title", "summary", "language", "readers"):
        setattr(document, name, c[name])
    document.updated_at = timezone.now()
    document.save()
    document.topics.set(c["topics"])
    _write_readers(document, c["targets"])
    record(actor, "document.updated", document, data=_summary(c))
    return document


def read_document(user, document_id: int) -> tuple[Path, str, str]:
    """(path, content type, name) of a document the user may read, the read audited; 404
    for anyone outside its readers, as for a document that does not exist."""
    document = get_visible_or_404(Document, user, pk=document_id)
    path = uploads.stored_path(KIND, document.stored_name, label=f"library document {document.pk}")
    with transaction.atomic():
        record(user, "document.read", document, data={"name": document.name})
    return path, document.content_type, document.name


def document_response(user, document_id: int) -> FileResponse:
    """The file as a download, after the readers check and the audit entry (pages and API)."""
    path, content_type, name = read_document(user, document_id)
    if content_type == TEXT:
        content_type = "text/plain; charset=utf-8"
    response = FileResponse(path.open("rb"), content_type=content_type, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
