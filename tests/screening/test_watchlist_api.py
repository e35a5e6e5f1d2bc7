"""/api/v1/watchlists through the real API: lists and entries created, read, changed and
removed; every refusal naming its field; need-to-know (another unit gets 404, an administrator
sees the list but not its entries); audit entries without names; the revision raised by every
change; the import all or nothing with its per-line problems."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aircop.audit.models import AuditEntry
from aircop.screening import services
from aircop.screening.models import Watchlist, WatchlistEntry

URL = "/api/v1/watchlists"
JSON = "application/json"
CSV = (
    "reference,names,date_of_birth,nationality,sex,document_number,document_country,document_type,reason\n"
    "W-1,محمد عبد الله|Mohammed Abdullah,1980-05-17,SD,M,P1234567,SDN,P,wanted for trafficking\n"
    "W-2,Ибрагим Хусейн,1975,RUS,M,,,,\n"
)
ENTRY = {
    "reference": "TG/2026/17",
    "names": ["محمد عبد الله", "Mohammed Abdullah"],
    "date_of_birth": "1980-05",
    "nationality": "sd",
    "sex": "m",
    "documents": [{"number": "p1234567", "country": "SD", "type": "p"}],
    "reason": "courier network",
}


@pytest.fixture
def wanted(db):
    return services.create_watchlist(
        actor=None, name="wanted-tg", title="Wanted TG", kind="wanted", source="Police TG", owner="jaitf-lfw"
    )


def revision(wl) -> int:
    return Watchlist.objects.get(pk=wl.pk).revision


def audit(action) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def no_names_in_audit():
    text = json.dumps([e.data for e in AuditEntry.objects.filter(action__startswith="watchlist.")])
    for name in ("Mohammed", "محمد", "Abdullah", "Ибрагим", "Ana", "SILVA"):
        assert name not in text, name


# ------------------------------------------------------------------ lists
def test_create_a_list_then_read_it(api_as):
    api = api_as("officer-lfw")
    response = api.post(
        URL,
        {
            "name": "interest-lfw",
            "title": "Persons of interest, Lomé",
            "kind": "interest",
            "source": "JAITF Lomé",
            "owner": "jaitf-lfw",
            "tlp": "amber_strict",
            "threshold": 0.85,
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == "jaitf-lfw" and body["threshold"] == 0.85 and body["entries"] == 0
    assert body["valid_until"] == "2026-12-31" and body["revision"] == 0
    listed = api.get(URL).json()
    assert [wl["name"] for wl in listed] == ["interest-lfw"]
    one = api.get(f"{URL}/interest-lfw")
    assert one.status_code == 200 and one.json()["tlp"] == "amber_strict"
    created = audit("watchlist.created")[-1]
    assert created.actor.username == "officer-lfw" and created.channel == "api"


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"kind": "nope"}, 400, "kind"),
        ({"name": "two words"}, 400, "name"),
        ({"threshold": "0.3"}, 400, "threshold"),
        ({"tlp": "purple"}, 400, "tlp"),
        ({"source": " "}, 400, "source"),
        ({"valid_from": "2026-05-01", "valid_until": "2026-04-01"}, 400, "valid_until"),
        ({"owner": "jaitf-gru"}, 403, "owner"),
        ({"owner": "nope"}, 400, "owner"),
    ],
)
def test_a_refused_list_names_the_field(api_as, changes, status, field):
    body = {"name": "x-1", "kind": "wanted", "source": "s", "owner": "jaitf-lfw", **changes}
    response = api_as("officer-lfw").post(URL, body, content_type=JSON)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert not Watchlist.objects.filter(name="x-1").exists()


def test_a_name_is_taken_once(api_as, wanted):
    response = api_as("officer-lfw").post(
        URL, {"name": "wanted-tg", "kind": "wanted", "source": "s", "owner": "jaitf-lfw"}, content_type=JSON
    )
    assert response.status_code == 400 and response.json()["field"] == "name"


def test_change_a_list(api_as, wanted):
    api = api_as("head-lfw")
    before = revision(wanted)
    response = api.patch(
        f"{URL}/wanted-tg",
        {"threshold": "0.9", "valid_until": "2027-01-31", "is_active": False, "title": "Wanted (TG)"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["threshold"] == 0.9 and body["valid_until"] == "2027-01-31" and body["is_active"] is False
    assert body["revision"] == before + 1 == revision(wanted)
    updated = audit("watchlist.updated")[-1]
    assert sorted(updated.data["fields"]) == ["is_active", "threshold", "title", "valid_until"]
    # Nothing changed: nothing written.
    again = api.patch(f"{URL}/wanted-tg", {"threshold": 0.9}, content_type=JSON)
    assert again.status_code == 200 and revision(wanted) == before + 1
    bad = api.patch(f"{URL}/wanted-tg", {"valid_from": "2027-02-01"}, content_type=JSON)
    assert bad.status_code == 400 and bad.json()["field"] == "valid_until"
    empty = api.patch(f"{URL}/wanted-tg", {"title": ""}, content_type=JSON)
    assert empty.status_code == 400 and empty.json()["field"] == "title"
    # The kind, the name and the owner are not among the fields (ignored by the schema).
    api.patch(f"{URL}/wanted-tg", {"kind": "documents", "owner": "jaitf-gru"}, content_type=JSON)
    wanted.refresh_from_db()
    assert (wanted.kind, wanted.owner.code) == ("wanted", "jaitf-lfw")


# ------------------------------------------------------------------ entries
def test_entry_round_trip_with_revisions_and_audit(api_as, wanted):
    api = api_as("officer-lfw")
    start = revision(wanted)
    response = api.post(f"{URL}/wanted-tg/entries", ENTRY, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["names"] == ["محمد عبد الله", "Mohammed Abdullah"]
    assert (body["nationality"], body["sex"], body["date_of_birth"]) == ("SDN", "M", "1980-05")
    assert body["documents"] == [{"number": "P1234567", "country": "SDN", "type": "P"}]
    assert revision(wanted) == start + 1
    assert audit("watchlist.entry_added")[-1].data == {"list": "wanted-tg", "reference": "TG/2026/17"}

    one = api.get(f"{URL}/wanted-tg/entries/TG/2026/17")
    assert one.status_code == 200 and one.json()["reason"] == "courier network"
    read = audit("watchlist.entry_read")[-1]
    assert read.data == {"via": "api", "list": "wanted-tg", "reference": "TG/2026/17"}

    changed = api.patch(
        f"{URL}/wanted-tg/entries/TG/2026/17",
        {"sex": "", "names": "Mohamed Abdallah|محمد عبد الله", "date_of_birth": "1980-05-17"},
        content_type=JSON,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["names"] == ["Mohamed Abdallah", "محمد عبد الله"] and changed.json()["sex"] == ""
    assert revision(wanted) == start + 2
    updated = audit("watchlist.entry_updated")[-1]
    assert updated.data["reference"] == "TG/2026/17"
    assert sorted(updated.data["fields"]) == ["date_of_birth", "names", "sex"]

    refused = api.delete(f"{URL}/wanted-tg/entries/TG/2026/17")
    assert refused.status_code == 400 and refused.json()["field"] == "reason"
    removed = api.delete(
        f"{URL}/wanted-tg/entries/TG/2026/17", json.dumps({"reason": "arrested"}), content_type=JSON
    )
    assert removed.status_code == 204
    assert not WatchlistEntry.objects.filter(watchlist=wanted).exists()
    assert revision(wanted) == start + 3
    gone = audit("watchlist.entry_removed")[-1]
    assert gone.data == {"list": "wanted-tg", "reference": "TG/2026/17", "reason": "arrested"}
    assert api.get(f"{URL}/wanted-tg/entries/TG/2026/17").status_code == 404
    no_names_in_audit()


def test_remove_with_the_reason_in_the_query(api_as, wanted):
    api = api_as("officer-lfw")
    api.post(f"{URL}/wanted-tg/entries", {"reference": "A1", "names": ["Ana Silva"]}, content_type=JSON)
    assert api.delete(f"{URL}/wanted-tg/entries/A1?reason=duplicate%20of%20A2").status_code == 204
    assert audit("watchlist.entry_removed")[-1].data["reason"] == "duplicate of A2"


def test_every_problem_of_an_entry_names_its_field(api_as, wanted):
    api = api_as("officer-lfw")
    response = api.post(
        f"{URL}/wanted-tg/entries",
        {
            "reference": "BAD-1",
            "names": [],
            "date_of_birth": "1980-13-01",
            "nationality": "XQ",
            "sex": "Q",
            "documents": [{"number": "X1", "country": ""}, {"number": "", "country": "TGO"}],
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    body = response.json()
    fields = [p["field"] for p in body["problems"]]
    assert fields == [
        "names",
        "date_of_birth",
        "nationality",
        "sex",
        "documents[0].country",
        "documents[1].number",
    ]
    assert body["field"] == "names" and body["detail"].startswith("names: ")
    assert not WatchlistEntry.objects.exists() and revision(wanted) == 0
    api.post(f"{URL}/wanted-tg/entries", {"reference": "A1", "names": ["Ana Silva"]}, content_type=JSON)
    twice = api.post(f"{URL}/wanted-tg/entries", {"reference": "A1", "names": ["X"]}, content_type=JSON)
    assert twice.status_code == 400 and twice.json()["field"] == "reference"
    bad_patch = api.patch(f"{URL}/wanted-tg/entries/A1", {"nationality": "ZZZ"}, content_type=JSON)
    assert bad_patch.status_code == 400 and bad_patch.json()["field"] == "nationality"
    no_names = api.patch(f"{URL}/wanted-tg/entries/A1", {"names": []}, content_type=JSON)
    assert no_names.status_code == 400 and no_names.json()["field"] == "names"
    assert WatchlistEntry.objects.get(reference="A1").names == ["Ana Silva"]


def test_a_list_of_documents_needs_a_document(api_as):
    api = api_as("officer-lfw")
    api.post(
        URL,
        {"name": "sltd-tg", "kind": "documents", "source": "INTERPOL", "owner": "jaitf-lfw"},
        content_type=JSON,
    )
    refused = api.post(f"{URL}/sltd-tg/entries", {"reference": "D-1"}, content_type=JSON)
    assert refused.status_code == 400 and refused.json()["field"] == "documents"
    added = api.post(
        f"{URL}/sltd-tg/entries",
        {"reference": "D-1", "documents": [{"number": "x123", "country": "tg"}]},
        content_type=JSON,
    )
    assert added.status_code == 201 and added.json()["documents"][0] == {
        "number": "X123",
        "country": "TGO",
        "type": "",
    }


def test_search_and_pages(api_as, wanted):
    api = api_as("officer-lfw")
    services.import_entries(actor=None, watchlist=wanted, data=CSV.encode(), name="w.csv")
    for n in range(3, 8):
        api.post(
            f"{URL}/wanted-tg/entries", {"reference": f"W-{n}", "names": [f"Person {n}"]}, content_type=JSON
        )

    def found(q, **params):
        response = api.get(f"{URL}/wanted-tg/entries", {"q": q, **params})
        assert response.status_code == 200
        return [e["reference"] for e in response.json()["entries"]]

    assert found("w-2") == ["W-2"]
    assert found("abdullah") == ["W-1"]  # any case
    assert found("محمد") == ["W-1"]  # Arabic script
    assert found("Ибрагим") == ["W-2"]  # Cyrillic script
    assert found("p12345") == ["W-1"]  # a document number
    assert found("nobody") == []
    page = api.get(f"{URL}/wanted-tg/entries", {"page_size": 3, "page": 2}).json()
    assert (page["count"], page["pages"], page["page"]) == (7, 3, 2)
    assert [e["reference"] for e in page["entries"]] == ["W-4", "W-5", "W-6"]
    read = audit("watchlist.entries_read")[-1]
    assert read.data == {"via": "api", "entries": 3, "page": 2, "search": False}
    assert audit("watchlist.entries_read")[-2].data["search"] is True
    no_names_in_audit()


# ------------------------------------------------------------------ who sees what
def test_another_unit_gets_404_everywhere(api_as, wanted):
    services.add_entry(actor=None, watchlist=wanted, reference="A1", names=["Ana Silva"])
    gru = api_as("officer-gru")
    assert gru.get(URL).json() == []
    for response in (
        gru.get(f"{URL}/wanted-tg"),
        gru.patch(f"{URL}/wanted-tg", {"title": "mine"}, content_type=JSON),
        gru.get(f"{URL}/wanted-tg/entries"),
        gru.post(f"{URL}/wanted-tg/entries", {"reference": "X", "names": ["X"]}, content_type=JSON),
        gru.get(f"{URL}/wanted-tg/entries/A1"),
        gru.patch(f"{URL}/wanted-tg/entries/A1", {"sex": "F"}, content_type=JSON),
        gru.delete(f"{URL}/wanted-tg/entries/A1?reason=x"),
        gru.post(f"{URL}/wanted-tg/import", CSV, content_type="text/csv"),
        gru.get(f"{URL}/no-such-list"),
    ):
        assert response.status_code == 404, response.content
        assert b"Ana" not in response.content
    assert WatchlistEntry.objects.filter(watchlist=wanted).count() == 1
    assert Client().get(URL).status_code == 401


def test_an_administrator_sees_the_list_not_its_entries(api_as, wanted):
    services.add_entry(actor=None, watchlist=wanted, reference="A1", names=["Ana Silva"])
    admin = api_as("admin")
    listed = admin.get(URL).json()
    assert [(wl["name"], wl["entries"]) for wl in listed] == [("wanted-tg", None)]
    assert admin.get(f"{URL}/wanted-tg").json()["entries"] is None
    for response in (
        admin.get(f"{URL}/wanted-tg/entries"),
        admin.get(f"{URL}/wanted-tg/entries/A1"),
        admin.post(f"{URL}/wanted-tg/entries", {"reference": "X", "names": ["X"]}, content_type=JSON),
        admin.delete(f"{URL}/wanted-tg/entries/A1?reason=x"),
        admin.post(f"{URL}/wanted-tg/import", CSV, content_type="text/csv"),
    ):
        assert response.status_code == 403, response.content
        assert b"Ana" not in response.content
    # Nor may they change the list itself: they are not in the owning unit.
    patched = admin.patch(f"{URL}/wanted-tg", {"title": "x"}, content_type=JSON)
    assert patched.status_code == 403
    assert (
        admin.post(
            URL, {"name": "x-2", "kind": "wanted", "source": "s", "owner": "jaitf-lfw"}, content_type=JSON
        ).status_code
        == 403
    )


def test_the_browser_session_works_too(client_for, wanted):
    response = client_for("officer-lfw").get(f"{URL}/wanted-tg/entries")
    assert response.status_code == 200 and response.json()["count"] == 0


# ------------------------------------------------------------------ import
def test_import_a_file_all_or_nothing(api_as, wanted):
    api = api_as("officer-lfw")
    bad = CSV + "W-3,,1980-13-01,XX,Q,,,,\nW-1,Dup,,,,,,,\n"
    refused = api.post(f"{URL}/wanted-tg/import", {"file": SimpleUploadedFile("w.csv", bad.encode())})
    assert refused.status_code == 422
    body = refused.json()
    problems = [(p["line"], p["field"]) for p in body["problems"]]
    assert (4, "names") in problems and (4, "date_of_birth") in problems and (5, "reference") in problems
    assert body["rows"] == 4
    assert not WatchlistEntry.objects.exists() and revision(wanted) == 0
    assert not audit("watchlist.imported")

    done = api.post(f"{URL}/wanted-tg/import", {"file": SimpleUploadedFile("w.csv", CSV.encode())})
    assert done.status_code == 200, done.content
    assert {k: done.json()[k] for k in ("file", "created", "updated", "removed", "revision")} == {
        "file": "w.csv",
        "created": 2,
        "updated": 0,
        "removed": 0,
        "revision": 1,
    }
    imported = audit("watchlist.imported")[-1]
    assert imported.actor.username == "officer-lfw" and imported.data["created"] == 2

    # The entries as a JSON body: W-1 updated, and with replace=true W-2 removed.
    entries = {"entries": [{"reference": "W-1", "names": ["Mohammed Abdallah"], "date_of_birth": "1980"}]}
    replaced = api.post(f"{URL}/wanted-tg/import?replace=true", json.dumps(entries), content_type=JSON)
    assert replaced.status_code == 200, replaced.content
    assert (replaced.json()["updated"], replaced.json()["removed"], replaced.json()["revision"]) == (1, 1, 2)
    assert list(WatchlistEntry.objects.values_list("reference", "date_of_birth")) == [("W-1", "1980")]
    no_names_in_audit()


def test_import_refusals(api_as, wanted):
    api = api_as("officer-lfw")
    unreadable = api.post(f"{URL}/wanted-tg/import", "[{", content_type=JSON)
    assert unreadable.status_code == 400 and unreadable.json()["field"] == "file"
    empty = api.post(f"{URL}/wanted-tg/import", "", content_type="text/csv")
    assert empty.status_code == 400 and empty.json()["field"] == "file"
    columns = api.post(f"{URL}/wanted-tg/import", "ref,name\nA,B\n", content_type="text/csv")
    assert columns.status_code == 422
    assert {p["field"] for p in columns.json()["problems"]} == {"ref", "name", "reference"}
    wrong_format = api.post(f"{URL}/wanted-tg/import?format=xml", CSV, content_type="text/csv")
    assert wrong_format.status_code == 400 and wrong_format.json()["field"] == "format"
    assert revision(wanted) == 0


def test_the_openapi_document_describes_the_endpoints(api_as):
    doc = api_as("officer-lfw").get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert set(paths[URL]) == {"get", "post"}
    assert set(paths[f"{URL}/{{name}}"]) == {"get", "patch"}
    assert set(paths[f"{URL}/{{name}}/entries"]) == {"get", "post"}
    assert set(paths[f"{URL}/{{name}}/entries/{{reference}}"]) == {"get", "patch", "delete"}
    imp = paths[f"{URL}/{{name}}/import"]["post"]
    assert {"multipart/form-data", "application/json", "text/csv"} <= set(imp["requestBody"]["content"])
    assert "422" in imp["responses"]
    for schema in ("WatchlistOut", "WatchlistIn", "WatchlistPatch", "EntryIn", "EntryOut", "EntryPageOut"):
        assert schema in doc["components"]["schemas"], schema
