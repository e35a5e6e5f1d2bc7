"""The watchlist pages: the lists, a list with its entries (search, pages, an audited read),
creating and editing a list, adding, editing and removing an entry (with a reason), importing
a file with its per-line problems; need-to-know (404 for another unit, no entries for an
administrator); strict CSP and the five languages."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from aircop.audit.models import AuditEntry
from aircop.screening import services
from aircop.screening.models import Watchlist, WatchlistEntry

CSV = (
    "reference,names,date_of_birth,nationality,sex,document_number,document_country,document_type,reason\n"
    "W-1,محمد عبد الله|Mohammed Abdullah,1980-05-17,SD,M,P1234567,SDN,P,wanted for trafficking\n"
    "W-2,Ибрагим Хусейн,1975,RUS,M,,,,\n"
)


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Arabic leaves Arabic active in the thread: later tests expect English."""
    yield
    translation.deactivate()


@pytest.fixture
def wanted(db):
    wl = services.create_watchlist(
        actor=None, name="wanted-tg", title="Wanted TG", kind="wanted", source="Police TG", owner="jaitf-lfw"
    )
    services.import_entries(actor=None, watchlist=wl, data=CSV.encode(), name="w.csv")
    return Watchlist.objects.get(pk=wl.pk)


def revision(wl) -> int:
    return Watchlist.objects.get(pk=wl.pk).revision


def entry_post(**overrides) -> dict:
    data = {
        "documents_rows": "2",
        "reference": "TG-9",
        "names": "Ana Silva\nAna da Silva",
        "date_of_birth": "1991-04",
        "nationality": "br",
        "sex": "F",
        "reason": "courier",
        "doc-0-number": "fx123456",
        "doc-0-country": "BRA",
        "doc-0-type": "p",
        "doc-1-number": "",
        "doc-1-country": "",
        "doc-1-type": "",
    }
    data.update(overrides)
    return data


def assert_strict(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"<style", html) and " style=" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_the_navigation_link_follows_the_role(client_for):
    for name, shown in (
        ("officer-lfw", True),
        ("coordinator-tg", True),
        ("admin", True),
        ("airline-af", False),
    ):
        html = client_for(name).get("/").content.decode()
        assert ('href="/watchlists/"' in html) is shown, name


def test_the_lists_page(client_for, wanted):
    html = client_for("officer-lfw").get("/watchlists/").content.decode()
    row = re.search(r'<tr data-watchlist="wanted-tg">(.*?)</tr>', html, re.S).group(1)
    assert "Wanted persons" in row and "JAITF Lome" in row and "TLP:AMBER" in row and "0.80" in row
    assert '<td class="entry-count">2</td>' in row
    assert "wanted-tg" not in client_for("officer-gru").get("/watchlists/").content.decode()
    admin = client_for("admin").get("/watchlists/").content.decode()
    admin_row = re.search(r'<tr data-watchlist="wanted-tg">(.*?)</tr>', admin, re.S).group(1)
    assert '<td class="entry-count">2</td>' not in admin_row


def test_create_a_list_and_refusals_next_to_their_field(client_for):
    client = client_for("officer-lfw")
    page = client.get("/watchlists/new/").content.decode()
    assert 'value="jaitf-lfw"' in page and 'value="jaitf-gru"' not in page
    form = {
        "name": "interest-lfw",
        "title": "",
        "kind": "interest",
        "owner": "jaitf-lfw",
        "source": "JAITF Lomé",
        "tlp": "amber",
        "threshold": "0.3",
        "valid_from": "",
        "valid_until": "",
        "description": "",
    }
    refused = client.post("/watchlists/new/", form)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert re.search(r'id="id_threshold_error"[^>]*>.*?0\.50 to 1\.00', html, re.S)
    assert not Watchlist.objects.filter(name="interest-lfw").exists()
    created = client.post("/watchlists/new/", {**form, "threshold": "0.85"})
    assert created.status_code == 302 and created.url == "/watchlists/interest-lfw/"
    wl = Watchlist.objects.get(name="interest-lfw")
    assert wl.threshold == Decimal("0.85") and wl.title == "interest-lfw"
    assert AuditEntry.objects.filter(action="watchlist.created", object_id=str(wl.pk)).exists()
    # Nobody creates a list for a unit that is not theirs, whatever the form is sent with.
    other = client.post("/watchlists/new/", {**form, "name": "x-3", "owner": "jaitf-gru"})
    assert other.status_code == 400 and not Watchlist.objects.filter(name="x-3").exists()


def test_the_list_page_shows_entries_to_the_owning_unit_only(client_for, wanted):
    response = client_for("officer-lfw").get("/watchlists/wanted-tg/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "محمد عبد الله" in html and "Ибрагим Хусейн" in html and "P1234567" in html
    read = AuditEntry.objects.filter(action="watchlist.entries_read").latest("seq")
    assert read.data == {"via": "page", "entries": 2, "page": 1, "search": False}
    assert read.actor.username == "officer-lfw"

    admin = client_for("admin").get("/watchlists/wanted-tg/")
    admin_html = admin.content.decode()
    assert admin.status_code == 200 and "Police TG" in admin_html
    assert 'id="entries-withheld"' in admin_html
    assert "Mohammed" not in admin_html and "P1234567" not in admin_html
    assert "/entries/new/" not in admin_html and "/import/" not in admin_html

    gru = client_for("officer-gru")
    entry = WatchlistEntry.objects.get(reference="W-1")
    for path in (
        "/watchlists/wanted-tg/",
        "/watchlists/wanted-tg/edit/",
        "/watchlists/wanted-tg/import/",
        "/watchlists/wanted-tg/entries/new/",
        f"/watchlists/wanted-tg/entries/{entry.pk}/edit/",
        f"/watchlists/wanted-tg/entries/{entry.pk}/remove/",
    ):
        assert gru.get(path).status_code == 404, path
    assert gru.post(f"/watchlists/wanted-tg/entries/{entry.pk}/remove/", {"reason": "x"}).status_code == 404
    assert WatchlistEntry.objects.filter(pk=entry.pk).exists()


def test_an_administrator_cannot_open_the_pages_that_change_a_list(client_for, wanted):
    admin = client_for("admin")
    entry = WatchlistEntry.objects.get(reference="W-1")
    for path in (
        "/watchlists/wanted-tg/edit/",
        "/watchlists/wanted-tg/import/",
        "/watchlists/wanted-tg/entries/new/",
        f"/watchlists/wanted-tg/entries/{entry.pk}/edit/",
    ):
        response = admin.get(path)
        assert response.status_code == 403, path
        assert "Mohammed" not in response.content.decode()


def test_search_and_pages(client_for, wanted):
    rows = "".join(f"P-{n:03d},Person {n},,,,,,,\n" for n in range(60))
    services.import_entries(actor=None, watchlist=wanted, data=(CSV.splitlines()[0] + "\n" + rows).encode())
    client = client_for("officer-lfw")
    first = client.get("/watchlists/wanted-tg/").content.decode()
    assert first.count("<tr data-reference=") == 50 and "1 / 2" in first and "62 entries" in first
    second = client.get("/watchlists/wanted-tg/", {"page": 2}).content.decode()
    assert second.count("<tr data-reference=") == 12 and 'data-reference="W-2"' in second
    found = client.get("/watchlists/wanted-tg/", {"q": "abdullah"}).content.decode()
    assert re.findall(r'data-reference="([^"]+)"', found) == ["W-1"]
    arabic = client.get("/watchlists/wanted-tg/", {"q": "عبد"}).content.decode()
    assert re.findall(r'data-reference="([^"]+)"', arabic) == ["W-1"]
    read = AuditEntry.objects.filter(action="watchlist.entries_read").latest("seq")
    assert read.data["search"] is True and "عبد" not in json.dumps(read.data)


def test_add_an_entry_and_its_problems_next_to_their_fields(client_for, wanted):
    client = client_for("officer-lfw")
    before = revision(wanted)
    assert client.get("/watchlists/wanted-tg/entries/new/").status_code == 200
    refused = client.post(
        "/watchlists/wanted-tg/entries/new/",
        entry_post(**{"date_of_birth": "1991-02-30", "doc-0-country": "", "doc-1-number": "Z9"}),
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "The entry was not saved: 3 problems" in html
    assert re.search(r'id="id_date_of_birth_error"', html)
    # The document problems sit in their rows.
    row0 = re.search(r'id="document-0">(.*?)</fieldset>', html, re.S).group(1)
    row1 = re.search(r'id="document-1">(.*?)</fieldset>', html, re.S).group(1)
    assert "required with a document number" in row0 and "required with a document number" in row1
    assert revision(wanted) == before and not WatchlistEntry.objects.filter(reference="TG-9").exists()

    added = client.post("/watchlists/wanted-tg/entries/new/", entry_post())
    assert added.status_code == 302 and added.url == "/watchlists/wanted-tg/"
    entry = WatchlistEntry.objects.get(reference="TG-9")
    assert entry.names == ["Ana Silva", "Ana da Silva"] and entry.nationality == "BRA"
    assert entry.documents == [{"number": "FX123456", "country": "BRA", "type": "P"}]
    assert revision(wanted) == before + 1
    audit = AuditEntry.objects.filter(action="watchlist.entry_added").latest("seq")
    assert audit.data == {"list": "wanted-tg", "reference": "TG-9"} and audit.channel == "web"

    twice = client.post("/watchlists/wanted-tg/entries/new/", entry_post())
    assert twice.status_code == 400 and 'id="id_reference_error"' in twice.content.decode()


def test_edit_an_entry(client_for, wanted):
    client = client_for("officer-lfw")
    entry = WatchlistEntry.objects.get(reference="W-1")
    page = client.get(f"/watchlists/wanted-tg/entries/{entry.pk}/edit/")
    html = page.content.decode()
    assert page.status_code == 200 and "Mohammed Abdullah" in html and 'value="P1234567"' in html
    assert AuditEntry.objects.filter(action="watchlist.entry_read").latest("seq").data["via"] == "edit"
    before = revision(wanted)
    saved = client.post(
        f"/watchlists/wanted-tg/entries/{entry.pk}/edit/",
        entry_post(
            reference="CHANGED",  # disabled: the reference stays
            names="Mohammed Abdullah",
            date_of_birth="1980-05-17",
            nationality="SDN",
            sex="M",
            reason="wanted for trafficking",
            **{"doc-0-number": "P1234567", "doc-0-country": "SDN", "doc-0-type": "P"},
        ),
    )
    assert saved.status_code == 302
    entry.refresh_from_db()
    assert entry.reference == "W-1" and entry.names == ["Mohammed Abdullah"]
    assert revision(wanted) == before + 1
    audit = AuditEntry.objects.filter(action="watchlist.entry_updated").latest("seq")
    assert audit.data == {"list": "wanted-tg", "reference": "W-1", "fields": ["names"]}
    bad = client.post(f"/watchlists/wanted-tg/entries/{entry.pk}/edit/", entry_post(names=""))
    assert bad.status_code == 400 and 'id="id_names_error"' in bad.content.decode()


def test_remove_an_entry_asks_why(client_for, wanted):
    client = client_for("officer-lfw")
    entry = WatchlistEntry.objects.get(reference="W-2")
    page = client.get(f"/watchlists/wanted-tg/entries/{entry.pk}/remove/")
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    before = revision(wanted)
    refused = client.post(f"/watchlists/wanted-tg/entries/{entry.pk}/remove/", {"reason": "  "})
    assert refused.status_code == 400 and WatchlistEntry.objects.filter(pk=entry.pk).exists()
    removed = client.post(f"/watchlists/wanted-tg/entries/{entry.pk}/remove/", {"reason": "deceased"})
    assert removed.status_code == 302 and not WatchlistEntry.objects.filter(pk=entry.pk).exists()
    assert revision(wanted) == before + 1
    audit = AuditEntry.objects.filter(action="watchlist.entry_removed").latest("seq")
    assert audit.data == {"list": "wanted-tg", "reference": "W-2", "reason": "deceased"}
    assert "Ибрагим" not in json.dumps(audit.data)


def test_edit_a_list(client_for, wanted):
    client = client_for("head-lfw")
    page = client.get("/watchlists/wanted-tg/edit/").content.decode()
    assert 'value="Police TG"' in page and 'name="name"' not in page and 'name="kind"' not in page
    form = {
        "title": "Wanted TG",
        "source": "Police TG",
        "tlp": "red",
        "threshold": "0.80",
        "valid_from": "2026-06-01",
        "valid_until": "2026-01-01",
        "is_active": "on",
        "description": "",
    }
    refused = client.post("/watchlists/wanted-tg/edit/", form)
    assert refused.status_code == 400 and 'id="id_valid_until_error"' in refused.content.decode()
    before = revision(wanted)
    saved = client.post("/watchlists/wanted-tg/edit/", {**form, "valid_until": "2026-12-31"})
    assert saved.status_code == 302
    wanted.refresh_from_db()
    assert wanted.tlp == "red" and str(wanted.valid_until) == "2026-12-31" and wanted.revision == before + 1
    audit = AuditEntry.objects.filter(action="watchlist.updated").latest("seq")
    assert sorted(audit.data["fields"]) == ["tlp", "valid_from", "valid_until"]


def test_import_shows_every_problem_and_imports_nothing(client_for, wanted):
    client = client_for("officer-lfw")
    before = revision(wanted)
    bad = CSV.replace("1975,RUS", "1975-02-30,RUS") + "W-3,,,XX,,,,,\n"
    refused = client.post(
        "/watchlists/wanted-tg/import/", {"file": SimpleUploadedFile("new.csv", bad.encode()), "format": ""}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    table = re.search(r'id="import-problems">(.*?)</section>', html, re.S).group(1)
    cells = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", table)
    assert ("3", "date_of_birth") in cells and ("4", "names") in cells and ("4", "nationality") in cells
    assert "nothing was imported" in table
    assert revision(wanted) == before and WatchlistEntry.objects.filter(watchlist=wanted).count() == 2

    good = CSV + "W-3,Ana Silva,,BR,F,,,,\n"
    done = client.post(
        "/watchlists/wanted-tg/import/",
        {"file": SimpleUploadedFile("new.csv", good.encode()), "format": "", "replace": "on"},
    )
    assert done.status_code == 302
    assert revision(wanted) == before + 1
    assert WatchlistEntry.objects.filter(watchlist=wanted).count() == 3
    message = client.get("/watchlists/wanted-tg/").content.decode()
    assert "new.csv: 1 added, 2 updated, 0 removed." in message
    unreadable = client.post(
        "/watchlists/wanted-tg/import/", {"file": SimpleUploadedFile("x.json", b"[{"), "format": ""}
    )
    assert unreadable.status_code == 400 and 'id="id_file_error"' in unreadable.content.decode()


def test_pages_are_csp_strict_and_read_right_to_left_in_arabic(client_for, wanted, settings):
    client = client_for("officer-lfw")
    entry = WatchlistEntry.objects.get(reference="W-1")
    paths = (
        "/watchlists/",
        "/watchlists/new/",
        "/watchlists/wanted-tg/",
        "/watchlists/wanted-tg/edit/",
        "/watchlists/wanted-tg/import/",
        "/watchlists/wanted-tg/entries/new/",
        f"/watchlists/wanted-tg/entries/{entry.pk}/edit/",
        f"/watchlists/wanted-tg/entries/{entry.pk}/remove/",
    )
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response.content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    for path in paths:
        html = client.get(path).content.decode()
        assert 'lang="ar" dir="rtl"' in html, path
        assert "قوائم المراقبة" in html, path  # "Watchlists", in the navigation
    html = client.get("/watchlists/wanted-tg/").content.decode()
    assert "إضافة قيد" in html and "محمد عبد الله" in html  # "Add an entry"; the names as written
