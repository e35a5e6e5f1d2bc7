"""The capacity pages: lists with filters, the activity page and its forms, the import with
its problems, the library and equipment pages; strict CSP, phone-friendly tables, Arabic."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aircop.capacity import services_equipment
from aircop.capacity.models import Activity, Attendance, Document, Equipment
from tests.capacity.conftest import activity_data
from tests.capacity.test_library import PDF, publish


def assert_strict(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"<style", html) and " style=" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert html.count("<table") == html.count('<div class="table-wrap"><table')


def form_of(activity_fields: dict) -> dict:
    data = {k: v for k, v in activity_fields.items() if v not in ("", [], None)}
    return data


@pytest.fixture
def item(user_named):
    return services_equipment.create_equipment(
        actor=user_named("analyst"),
        data={"category": "xray", "description": "Parcel scanner", "provided_on": "2022-02-01",
              "holding_unit": "jaitf-lfw", "value": "90000", "currency": "USD"},
    )  # fmt: skip


def test_every_page_is_csp_strict_and_reads_right_to_left_in_arabic(
    activity, trainer, item, user_named, client_for, settings
):
    document = publish(user_named)
    client = client_for("analyst")
    paths = [
        "/capacity/",
        "/capacity/?kind=basic_training&topic=targeting&year=2024&country=TG&level=national",
        "/capacity/activities/new/",
        f"/capacity/activities/{activity.pk}/",
        f"/capacity/activities/{activity.pk}/edit/",
        f"/capacity/activities/{activity.pk}/participants/import/",
        "/capacity/trainers/",
        "/capacity/trainers/new/",
        f"/capacity/trainers/{trainer.pk}/",
        f"/capacity/trainers/{trainer.pk}/edit/",
        "/capacity/library/",
        "/capacity/library/?q=cargo&topic=cargo&language=en&kind=sop",
        "/capacity/library/new/",
        f"/capacity/library/{document.pk}/",
        f"/capacity/library/{document.pk}/edit/",
        "/capacity/equipment/",
        "/capacity/equipment/?category=xray&condition=new&country=TG&unit=jaitf-lfw",
        "/capacity/equipment/unit/jaitf-lfw/",
        "/capacity/equipment/new/",
        f"/capacity/equipment/{item.pk}/edit/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response.content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    for path in paths[:4]:
        assert 'lang="ar" dir="rtl"' in client.get(path).content.decode()


def test_the_list_filters(activity, client_for):
    client = client_for("officer-lfw")
    assert activity.title in client.get("/capacity/?year=2024&topic=targeting").content.decode()
    assert activity.title not in client.get("/capacity/?year=2019").content.decode()
    assert activity.title not in client.get("/capacity/?kind=mentoring").content.decode()
    assert activity.title not in client.get("/capacity/?country=GH").content.decode()


def test_record_then_edit_an_activity(client_for):
    client = client_for("officer-lfw")
    response = client.post("/capacity/activities/new/", form_of(activity_data(title="Cargo course")))
    activity = Activity.objects.get(title="Cargo course")
    assert response.status_code == 302 and response.url == f"/capacity/activities/{activity.pk}/"
    bad = client.post(
        f"/capacity/activities/{activity.pk}/edit/",
        form_of(activity_data(title="Cargo course", end_date="2024-03-01", airport="ACC")),
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and "before it starts" in html and "ACC is not in Togo" in html
    assert 'id="id_end_date_error"' in html and 'id="id_airport_error"' in html
    outsider = client_for("officer-acc")
    assert outsider.get(f"/capacity/activities/{activity.pk}/edit/").status_code == 404
    assert client_for("auditor").get("/capacity/activities/new/").status_code == 403
    refused = client_for("analyst").get(f"/capacity/activities/{activity.pk}/edit/")
    assert refused.status_code == 200


def test_add_a_participant_and_see_the_counts(activity, client_for):
    client = client_for("officer-lfw")
    url = f"/capacity/activities/{activity.pk}/participants/add/"
    data = {
        "family_name": "Mensah",
        "given_names": "Afi",
        "sex": "F",
        "unit": "jaitf-lfw",
        "agency": "customs",
    }
    assert client.post(url, data).status_code == 302
    twice = client.post(url, data)
    assert twice.status_code == 400 and "already attends this activity" in twice.content.decode()
    html = client.get(f"/capacity/activities/{activity.pk}/").content.decode()
    assert 'id="count-f">1<' in html and "Mensah, Afi" in html
    attendance = Attendance.objects.get(activity=activity)
    assert (
        client.post(f"/capacity/activities/{activity.pk}/participants/{attendance.pk}/remove/").status_code
        == 302
    )
    assert not Attendance.objects.filter(activity=activity).exists()


def test_the_import_page_lists_every_problem_and_imports_nothing(activity, client_for):
    client = client_for("officer-lfw")
    url = f"/capacity/activities/{activity.pk}/participants/import/"
    bad = b"family_name,sex,unit,agency\nMensah,F,jaitf-lfw,customs\nAgbeko,Q,jaitf-lfw,police\n"
    response = client.post(url, {"file": SimpleUploadedFile("list.csv", bad)})
    html = response.content.decode()
    assert response.status_code == 400 and 'id="import-problems"' in html
    assert "<td>3</td><td>sex</td>" in html
    assert not Attendance.objects.filter(activity=activity).exists()
    checked = client.post(
        url, {"file": SimpleUploadedFile("list.csv", b"\n".join(bad.split(b"\n")[:2])), "dry_run": "on"}
    )
    assert checked.status_code == 200 and 'id="import-checked"' in checked.content.decode()
    good = client.post(url, {"file": SimpleUploadedFile("list.csv", bad.replace(b",Q,", b",M,"))})
    assert good.status_code == 302 and Attendance.objects.filter(activity=activity).count() == 2
    assert client_for("officer-acc").get(url).status_code == 404


def test_publish_and_download_from_the_library_pages(client_for):
    client = client_for("analyst")
    response = client.post(
        "/capacity/library/new/",
        {"file": SimpleUploadedFile("sop.pdf", PDF), "title": "Cargo SOP", "kind": "sop", "language": "en",
         "topics": ["cargo"], "readers": "units", "targets": "jaitf-acc"},
    )  # fmt: skip
    document = Document.objects.get(title="Cargo SOP")
    assert response.status_code == 302 and response.url == f"/capacity/library/{document.pk}/"
    assert client_for("officer-acc").get(f"/capacity/library/{document.pk}/download/").status_code == 200
    assert client_for("officer-lfw").get(f"/capacity/library/{document.pk}/").status_code == 404
    assert client_for("officer-lfw").get("/capacity/library/new/").status_code == 403
    bad = client.post(
        "/capacity/library/new/",
        {"file": SimpleUploadedFile("x.html", b"<html></html>"), "title": "X", "kind": "sop", "language": "en",
         "topics": ["cargo"], "readers": "network"},
    )  # fmt: skip
    assert bad.status_code == 400 and 'id="id_file_error"' in bad.content.decode()


def test_equipment_forms(item, client_for):
    analyst = client_for("analyst")
    response = analyst.post(
        "/capacity/equipment/new/",
        {"category": "photographic", "description": "Camera", "holding_unit": "jaitf-acc",
         "provided_on": "2024-02-02", "condition": "new", "value": "900", "currency": "USD"},
    )  # fmt: skip
    assert response.status_code == 302 and Equipment.objects.filter(holding_unit__code="jaitf-acc").exists()
    holder = client_for("officer-lfw")
    form = holder.get(f"/capacity/equipment/{item.pk}/edit/").content.decode()
    assert 'name="condition"' in form and 'name="value"' not in form
    assert (
        holder.post(f"/capacity/equipment/{item.pk}/edit/", {"condition": "needs_repair"}).status_code == 302
    )
    item.refresh_from_db()
    assert item.condition == "needs_repair"
    html = holder.get("/capacity/equipment/").content.decode()
    assert "Parcel scanner" in html and "Camera" not in html
