"""Reads of the good-practices library (docs/handling.md, "Capacity building").

A document is read by programme staff, and by the members of the units its readers scope
reaches: the whole network, a region or a country reach the task forces and national
headquarters in it (as a broad alert audience does); named units are reached whatever
their kind."""

from __future__ import annotations

from django.db.models import Q

from aircop.capacity.access import reach
from aircop.capacity.codes import Readers
from aircop.capacity.models import Document, DocumentReader
from aircop.core.visibility import get_visible_or_404, register, visible_to


@register(Document)
def _documents_policy(qs, user):
    r = reach(user)
    if r.programme_staff:
        return qs
    entries = DocumentReader.objects.all()
    q = Q(readers=Readers.UNITS, pk__in=entries.filter(unit_id__in=r.units).values("document_id"))
    if r.community_units:
        q |= Q(readers=Readers.NETWORK)
        q |= Q(
            readers=Readers.COUNTRY,
            pk__in=entries.filter(country_id__in=r.community_countries).values("document_id"),
        )
        q |= Q(
            readers=Readers.REGION,
            pk__in=entries.filter(region_id__in=r.community_regions).values("document_id"),
        )
    return qs.filter(q)


@register(DocumentReader)
def _document_readers_policy(qs, user):
    return qs.filter(document_id__in=_documents_policy(Document.objects.all(), user).values("pk"))


def documents(user, *, q=None, topic=None, language=None, kind=None):
    """Search: every word of ``q`` must appear in the title or the summary (any case)."""
    qs = visible_to(Document, user).select_related("owner_unit").prefetch_related("topics")
    for word in (q or "").split()[:10]:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    if topic:
        qs = qs.filter(pk__in=Document.topics.through.objects.filter(topic_id=topic).values("document_id"))
    if language:
        qs = qs.filter(language=language)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("title", "id")


def document(user, document_id: int) -> Document:
    return get_visible_or_404(
        visible_to(Document, user).select_related("owner_unit", "uploaded_by").prefetch_related("topics"),
        user,
        pk=document_id,
    )


def reader_targets(user, document_obj: Document) -> list[str]:
    """The scope's targets as text (region, country or unit names), for the document page."""
    rows = (
        visible_to(DocumentReader, user)
        .filter(document=document_obj)
        .select_related("region", "country", "unit")
    )
    return sorted(str(r.region or r.country or r.unit) for r in rows)
