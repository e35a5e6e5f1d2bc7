"""The good-practices library pages: search and list, one document's page, its download
(authenticated, readers-checked, audited; never from the web root), and the forms
programme staff use to publish and edit documents."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from aircop.capacity import library, selectors_library
from aircop.capacity.access import may_write_programme
from aircop.capacity.codes import topic_labels
from aircop.capacity.forms import DocumentForm, DocumentUploadForm, LibrarySearchForm, add_problems
from aircop.capacity.views import GET_POST
from aircop.core.errors import ServiceError

PAGE_SIZE = 30


@require_safe
def library_list(request):
    search = LibrarySearchForm(request.GET or None)
    wanted = search.cleaned_data if search.is_valid() else {}
    qs = selectors_library.documents(
        request.user,
        q=wanted.get("q") or None,
        topic=wanted.get("topic") or None,
        language=wanted.get("language") or None,
        kind=wanted.get("kind") or None,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(d, topic_labels(t.code for t in d.topics.all())) for d in page]
    return render(
        request,
        "capacity/library_list.html",
        {
            "search": search,
            "page": page,
            "rows": rows,
            "keep": urlencode({k: v for k, v in wanted.items() if v}),
            "can_publish": may_write_programme(request.user),
        },
    )


@require_safe
def document_detail(request, document_id):
    document = selectors_library.document(request.user, document_id)
    return render(
        request,
        "capacity/document.html",
        {
            "document": document,
            "topics": topic_labels(t.code for t in document.topics.all()),
            "targets": selectors_library.reader_targets(request.user, document),
            "can_edit": may_write_programme(request.user),
        },
    )


@require_safe
def document_download(request, document_id):
    return library.document_response(request.user, document_id)


def _form_page(request, form, document=None, status=200):
    return render(
        request,
        "capacity/form.html",
        {
            "form": form,
            "title": _("Edit the document") if document else _("Publish a document"),
            "back": document.get_absolute_url() if document else None,
        },
        status=status,
    )


@GET_POST
def document_new(request):
    if not may_write_programme(request.user):
        raise PermissionDenied(_("only programme staff publish and edit library documents"))
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                document = library.add_document(
                    actor=request.user, uploaded_file=form.cleaned_data["file"], data=form.service_data()
                )
            except ServiceError as exc:
                add_problems(form, exc)
            else:
                messages.success(request, _("Document published."))
                return redirect(document)
        return _form_page(request, form, status=400)
    return _form_page(request, form)


@GET_POST
def document_edit(request, document_id):
    document = selectors_library.document(request.user, document_id)
    if not may_write_programme(request.user):
        raise PermissionDenied(_("only programme staff publish and edit library documents"))
    if request.method == "POST":
        form = DocumentForm(request.POST)
        if form.is_valid():
            try:
                library.update_document(actor=request.user, document=document, data=form.service_data())
            except ServiceError as exc:
                add_problems(form, exc)
            else:
                messages.success(request, _("Document saved."))
                return redirect(document)
        return _form_page(request, form, document, status=400)
    initial = library.as_input(document)
    initial["targets"] = ", ".join(initial["targets"])
    return _form_page(request, DocumentForm(initial=initial), document)
