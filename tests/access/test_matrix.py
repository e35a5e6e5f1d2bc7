"""The access-control matrix (issue 8): every API operation and every page, for every role in
a unit of every relation to the object's owner, for every TLP label the object carries. The
expected answers are in table.py; this module requests every cell."""

from __future__ import annotations

import pytest

from tests.access import matrix
from tests.access.table import API, PAGES

pytestmark = pytest.mark.django_db


def test_the_table_covers_every_api_operation_and_nothing_else():
    code = matrix.api_operations()
    assert sorted(code - set(API)) == [], "API operations missing from tests/access/table.py"
    assert sorted(set(API) - code) == [], "table.py names API operations that no longer exist"


def test_the_table_covers_every_page_and_nothing_else():
    code = matrix.page_patterns()
    named = {key.partition(" ")[2] for key in PAGES}
    assert sorted(code - named) == [], "pages missing from tests/access/table.py"
    assert sorted(named - code) == [], "table.py names pages that no longer exist"


@pytest.mark.parametrize("key", sorted(API))
def test_api(world, key):
    failures = matrix.run_route(world, key, API[key], api=True, kind_label="api")
    assert not failures, f"{len(failures)} cell(s) failed:\n" + "\n".join(failures)


@pytest.mark.parametrize("key", sorted(PAGES))
def test_page(world, key):
    failures = matrix.run_route(world, key, PAGES[key], api=False, kind_label="pages")
    assert not failures, f"{len(failures)} cell(s) failed:\n" + "\n".join(failures)
