"""The web's CSV import: upload, background task with progress, report (core/tasks.py)."""

from __future__ import annotations

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aircop.core import tasks
from aircop.core.models import Task
from aircop.seizures import tasks as seizure_tasks
from aircop.seizures.models import Seizure
from tests.conftest import AIRCOP_BIN
from tests.live import LiveAircop

HEADER = (
    "date,airport,flow,phase,direction,flight,origin,transit,destination,category,subtype,quantity,unit,"
    "concealment,detection,offender_nationality,offender_sex,offender_age\n"
)
ROW = "2026-03-{day:02d},LFW,checked_baggage,arrival,inbound,ET509,GRU,ADD,LFW,drugs,{subtype},{qty},kg,baggage_lining,xray,BRA,M,30\n"
GOOD = HEADER + "".join(ROW.format(day=day, subtype="cocaine", qty=day) for day in range(1, 6))
BAD = HEADER + ROW.format(day=1, subtype="ivory", qty=2) + ROW.format(day=2, subtype="cocaine", qty=-2)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return tmp_path / "files"


def upload(client, text, **fields):
    return client.post(
        "/seizures/import/",
        {"file": SimpleUploadedFile("march.csv", text.encode()), "submit_records": "on", **fields},
    )


def test_upload_then_progress_then_report(client_for, media):
    lome = client_for("officer-lfw")
    before = Seizure.objects.count()
    response = upload(lome, GOOD)
    assert response.status_code == 302
    task = Task.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
    assert task.status == "queued" and task.kind == seizure_tasks.IMPORT_KIND
    page = lome.get(response.url)
    assert b'<progress id="task-progress"' in page.content and b"web/progress.js" in page.content
    status = lome.get(f"/seizures/import/{task.pk}/status/").json()
    assert status == {"status": "queued", "stage": "", "done": 0, "total": 0, "percent": 0, "finished": False}
    assert tasks.run_next().pk == task.pk  # what the background worker does
    task.refresh_from_db()
    assert task.status == "done" and task.result["created"] == 5, task.result
    assert Seizure.objects.count() == before + 5
    assert not list((media / "imports").iterdir())  # the uploaded file is gone once imported
    page = lome.get(f"/seizures/import/{task.pk}/")
    assert "5 seizures imported" in page.content.decode()
    assert lome.get(f"/seizures/import/{task.pk}/status/").json()["finished"] is True


def test_a_bad_file_imports_nothing_and_lists_every_problem(client_for, media):
    lome = client_for("officer-lfw")
    before = Seizure.objects.count()
    task_url = upload(lome, BAD).url
    tasks.run_next()
    page = lome.get(task_url).content.decode()
    assert "2 problems found: nothing was imported." in page
    assert "<td>2</td><td>subtype</td>" in page and "<td>3</td><td>quantity</td>" in page
    assert Seizure.objects.count() == before


def test_tasks_are_their_creators_and_roles_are_checked(client_for, user_named, media):
    task_url = upload(client_for("officer-lfw"), GOOD).url
    assert client_for("officer-acc").get(task_url).status_code == 404
    assert client_for("officer-acc").get(task_url + "status/").status_code == 404
    from aircop.accounts.models import User

    liaison = User.objects.filter(role="liaison").values_list("username", flat=True).first()
    assert client_for(liaison).get("/seizures/import/").status_code == 403


def test_a_failing_task_is_reported_and_the_worker_goes_on(user_named, media):
    task = tasks.enqueue(
        seizure_tasks.IMPORT_KIND, {"stored": "missing.csv", "name": "x.csv"}, user=user_named("officer-lfw")
    )
    done = tasks.run_next()
    assert done.pk == task.pk and done.status == "failed" and "missing.csv" in done.error
    assert tasks.run_next() is None


def test_interrupted_tasks_are_queued_again(user_named, media):
    task = tasks.enqueue(seizure_tasks.IMPORT_KIND, {"stored": "x.csv"}, user=user_named("officer-lfw"))
    Task.objects.filter(pk=task.pk).update(status="running")
    assert tasks.requeue_interrupted() == 1
    task.refresh_from_db()
    assert task.status == "queued"


def test_the_server_or_worker_runs_queued_tasks(tmp_path):
    """Embedded: the server's own loop runs the task; with Redis (CI), `aircop worker` does."""
    import os
    import subprocess

    server = LiveAircop(tmp_path)
    worker = None
    try:
        server.prepare()
        server.serve()
        if os.environ.get("AIRCOP_REDIS_URL"):
            worker = subprocess.Popen(  # noqa: S603 - our own command
                [str(AIRCOP_BIN), "worker"],
                env=server.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        code = (
            "from aircop.accounts.models import User\n"
            "from aircop.core import tasks\n"
            "from aircop.seizures import tasks as st\n"
            f"stored = st.keep_upload({GOOD.encode()!r})\n"
            "t = tasks.enqueue(st.IMPORT_KIND, {'stored': stored, 'name': 'g.csv', 'submit': True},"
            " user=User.objects.get(username='officer-lfw'))\n"
            "print(t.pk)\n"
        )
        task_id = int(server.aircop("shell", "-c", code).stdout.strip().splitlines()[-1])
        deadline = time.monotonic() + 60
        state = {}
        while time.monotonic() < deadline:
            out = (
                server.aircop(
                    "shell",
                    "-c",
                    "import json; from aircop.core.models import Task; "
                    f"t = Task.objects.get(pk={task_id}); print(json.dumps({{'status': t.status, 'result': t.result}}))",
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            state = json.loads(out)
            if state["status"] in ("done", "failed"):
                break
            time.sleep(1)
        assert state["status"] == "done", state
        assert state["result"]["created"] == 5
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(10)
        server.stop()
