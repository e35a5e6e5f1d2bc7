"""`aircop operations list|missing|report`, read as a user."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    out = io.StringIO()
    call_command("operations", *args, stdout=out)
    return out.getvalue()


def test_list_missing_and_report(running, tmp_path):
    assert "cocaine-bridge\trunning" in run("list", "--as", "officer-lis")
    assert run("list", "--as", "officer-bko") == ""
    missing = run("missing", "cocaine-bridge", "--as", "coordinator-co")
    assert "jaitf-lfw" in missing
    target = tmp_path / "op.pdf"
    assert "written" in run("report", "cocaine-bridge", "--as", "analyst", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")


def test_another_unit_and_bad_input_stop_with_code_2(running):
    for args in (
        ("missing", "cocaine-bridge", "--as", "officer-bko"),
        ("missing", "cocaine-bridge", "--as", "coordinator-co", "--day", "soon"),
        ("list", "--as", "nobody"),
    ):
        with pytest.raises(CommandError) as err:
            run(*args)
        assert err.value.returncode == 2
