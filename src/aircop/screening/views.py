"""The watchlist pages: the lists one sees, a list with its entries (search, pages), creating
and editing a list, adding, editing and removing an entry, importing a file. Thin: selectors
read (the entries shown are an audited read), services write, and a ServiceError goes back to
the field it names.

A list one does not see answers 404. An administrator sees a list but not its entries, and
the pages that change a list answer 403 to everyone outside the owning unit who sees it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from aircop.core.errors import ServiceError
from aircop.network import selectors as network_selectors
from aircop.screening import importer, selectors, selectors_hits, services
from aircop.screening.forms import (
    EntryForms,
    ImportForm,
    RemoveEntryForm,
    WatchlistEditForm,
    WatchlistForm,
    add_problem,
    entry_initial,
)
from aircop.screening.views_hits import page_counts

PAGE_SIZE = 50
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _owner_units(user) -> list:
    """The units a user may create a list for: their own active units."""
    return [m.unit for m in network_selectors.my_memberships(user).order_by("unit__code") if m.unit.is_active]


def _member_list(request, name):
    """A list the user changes: 404 when not visible, 403 when visible but not theirs."""
    wl = selectors.watchlist(request.user, name)
    if not selectors.sees_entries(request.user, wl):
        raise PermissionDenied(_("only members of the owning unit may change this list"))
    return wl


# ------------------------------------------------------------------ lists
@require_safe
def watchlist_list(request):
    return render(
        request,
        "screening/watchlists.html",
        {"watchlists": selectors.watchlists(request.user), "may_create": bool(_owner_units(request.user))},
    )


@GET_POST
def watchlist_new(request):
    units = _owner_units(request.user)
    if not units:
        raise PermissionDenied(_("a list belongs to one of your units, and you have none"))
    form = WatchlistForm(request.POST or None, units=units)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                wl = services.create_watchlist(
                    actor=request.user,
                    name=d["name"],
                    title=d["title"],
                    kind=d["kind"],
                    source=d["source"],
                    owner=d["owner"],
                    tlp=d["tlp"],
                    threshold=d["threshold"],
                    valid_from=d["valid_from"],
                    valid_until=d["valid_until"],
                    description=d["description"],
                )
            except ServiceError as exc:
                add_problem(form, exc.field, exc.message)
            else:
                messages.success(request, _("List %(name)s created.") % {"name": wl.name})
                return redirect("screening:watchlist", name=wl.name)
        return render(request, "screening/watchlist_form.html", {"form": form}, status=400)
    return render(request, "screening/watchlist_form.html", {"form": form})


@require_safe
def watchlist_detail(request, name):
    wl = selectors.watchlist(request.user, name)
    sees = selectors.sees_entries(request.user, wl)
    q = (request.GET.get("q") or "").strip()
    page = (
        selectors.entry_page(
            request.user, wl, q=q, page=request.GET.get("page"), per_page=PAGE_SIZE, via="page"
        )
        if sees
        else None
    )
    return render(
        request,
        "screening/watchlist.html",
        {
            "watchlist": wl,
            "sees_entries": sees,
            "counts": page_counts(selectors_hits.watchlist_counts(wl)),
            "page": page,
            "q": q,
            "keep": urlencode({"q": q}) if q else "",
        },
    )


@GET_POST
def watchlist_edit(request, name):
    wl = _member_list(request, name)
    fields = list(WatchlistEditForm.base_fields)
    if request.method == "POST":
        form = WatchlistEditForm(request.POST)
        if form.is_valid():
            try:
                services.update_watchlist(actor=request.user, watchlist=wl, **form.cleaned_data)
            except ServiceError as exc:
                add_problem(form, exc.field, exc.message)
            else:
                messages.success(request, _("List %(name)s saved.") % {"name": wl.name})
                return redirect("screening:watchlist", name=wl.name)
        return render(request, "screening/watchlist_form.html", {"form": form, "watchlist": wl}, status=400)
    form = WatchlistEditForm(initial={key: getattr(wl, key) for key in fields})
    return render(request, "screening/watchlist_form.html", {"form": form, "watchlist": wl})


# ------------------------------------------------------------------ entries
def _rows(request) -> int | None:
    try:
        return int(request.POST.get("documents_rows") or request.GET.get("documents") or "")
    except ValueError:
        return None


def _render_entry(request, wl, forms, entry=None, status=200):
    return render(
        request,
        "screening/entry_form.html",
        {
            "watchlist": wl,
            "forms": forms,
            "form": forms.form,
            "entry": entry,
            "more_rows": urlencode({"documents": forms.n_documents + 2}),
        },
        status=status,
    )


@GET_POST
def entry_new(request, name):
    wl = _member_list(request, name)
    forms = EntryForms(request.POST if request.method == "POST" else None, rows=_rows(request))
    if request.method == "POST":
        if forms.is_valid():
            try:
                entry = services.add_entry(
                    actor=request.user,
                    watchlist=wl,
                    reference=forms.form.cleaned_data["reference"],
                    **forms.service_data(),
                )
            except services.EntryInvalid as exc:
                for problem in exc.problems:
                    forms.add_problem(problem.field, problem.reason)
            except ServiceError as exc:
                forms.add_problem(exc.field, exc.message)
            else:
                messages.success(request, _("Entry %(ref)s added.") % {"ref": entry.reference})
                return redirect("screening:watchlist", name=wl.name)
        return _render_entry(request, wl, forms, status=400)
    return _render_entry(request, wl, forms)


@GET_POST
def entry_edit(request, name, entry_id):
    wl = _member_list(request, name)
    if request.method == "POST":
        entry = selectors.entry(request.user, wl, pk=entry_id)
        initial, documents = entry_initial(entry)
        forms = EntryForms(request.POST, initial=initial, editing=True, rows=_rows(request))
        if forms.is_valid():
            try:
                services.update_entry(actor=request.user, entry=entry, **forms.service_data())
            except services.EntryInvalid as exc:
                for problem in exc.problems:
                    forms.add_problem(problem.field, problem.reason)
            except ServiceError as exc:
                forms.add_problem(exc.field, exc.message)
            else:
                messages.success(request, _("Entry %(ref)s saved.") % {"ref": entry.reference})
                return redirect("screening:watchlist", name=wl.name)
        return _render_entry(request, wl, forms, entry, status=400)
    entry = selectors.read_entry(request.user, wl, pk=entry_id, via="edit")
    initial, documents = entry_initial(entry)
    forms = EntryForms(initial=initial, documents=documents, editing=True, rows=_rows(request))
    return _render_entry(request, wl, forms, entry)


@GET_POST
def entry_remove(request, name, entry_id):
    wl = _member_list(request, name)
    entry = selectors.entry(request.user, wl, pk=entry_id)
    form = RemoveEntryForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.remove_entry(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
            except ServiceError as exc:
                add_problem(form, exc.field, exc.message)
            else:
                messages.success(request, _("Entry %(ref)s removed.") % {"ref": entry.reference})
                return redirect("screening:watchlist", name=wl.name)
        status = 400
    else:
        status = 200
    return render(
        request, "screening/entry_remove.html", {"watchlist": wl, "entry": entry, "form": form}, status=status
    )


# ------------------------------------------------------------------ import
@GET_POST
def watchlist_import(request, name):
    wl = _member_list(request, name)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            fmt = form.cleaned_data["format"] or ("json" if upload.name.lower().endswith(".json") else "csv")
            try:
                report = services.import_entries(
                    actor=request.user,
                    watchlist=wl,
                    data=b"".join(upload.chunks()),
                    name=upload.name[:200],
                    fmt=fmt,
                    replace=form.cleaned_data["replace"],
                )
            except importer.ImportFileError as exc:
                form.add_error("file", str(exc))
            except ServiceError as exc:
                add_problem(form, exc.field, exc.message)
            else:
                if report.ok:
                    messages.success(
                        request,
                        _("%(file)s: %(created)d added, %(updated)d updated, %(removed)d removed.")
                        % {
                            "file": report.name,
                            "created": report.created,
                            "updated": report.updated,
                            "removed": report.removed,
                        },
                    )
                    return redirect("screening:watchlist", name=wl.name)
        status = 400
    else:
        status = 200
    return render(
        request,
        "screening/import.html",
        {"watchlist": wl, "form": form, "report": report, "max_mb": services.MAX_UPLOAD_BYTES // 2**20},
        status=status,
    )
