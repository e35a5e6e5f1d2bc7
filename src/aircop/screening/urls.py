from django.urls import path

from aircop.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.watchlist_list, name="watchlists"),
    path("new/", views.watchlist_new, name="new"),
    path("<slug:name>/", views.watchlist_detail, name="watchlist"),
    path("<slug:name>/edit/", views.watchlist_edit, name="edit"),
    path("<slug:name>/import/", views.watchlist_import, name="import"),
    path("<slug:name>/entries/new/", views.entry_new, name="entry_new"),
    path("<slug:name>/entries/<int:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("<slug:name>/entries/<int:entry_id>/remove/", views.entry_remove, name="entry_remove"),
]
